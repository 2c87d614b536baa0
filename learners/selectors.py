"""Reads of learner state, shaped for the catalog API, the site and "My learning"."""

import operator
from functools import reduce

from django.db.models import Q

from courses.api import CourseState
from courses.models import CoursePage, LessonPage
from courses.visibility import visible, visible_q
from quizzes.models import Quiz

from .models import Enrollment
from .services import learning


def course_state(course: CoursePage, lessons: list[LessonPage], user) -> CourseState:
    """The visitor's relation to a course: enrolled, progress, and each lesson done or locked."""
    ids = [lesson.pk for lesson in lessons]
    if learning.teaches(user, course):
        completed = learning.completed_lesson_ids(user, course)
        return CourseState(
            enrolled=learning.active_enrollment(user, course) is not None,
            progress_percent=learning.Progress(len(completed & set(ids)), len(ids)).percent,
            completed=completed,
            locked=set(),
            with_quiz=lessons_with_quiz(ids),
        )
    enrollment = learning.active_enrollment(user, course)
    if enrollment is None:
        return CourseState(locked=set(ids), with_quiz=lessons_with_quiz(ids))
    completed = learning.completed_lesson_ids(user, course)
    return CourseState(
        enrolled=True,
        progress_percent=learning.Progress(len(completed & set(ids)), len(ids)).percent,
        completed=completed,
        locked=learning.locked_lesson_ids(lessons, completed),
        with_quiz=lessons_with_quiz(ids),
    )


def lessons_with_quiz(lesson_ids) -> set[int]:
    return set(Quiz.objects.filter(lesson_id__in=list(lesson_ids)).values_list("lesson_id", flat=True))


def lesson_access(lesson: LessonPage, user) -> None:
    learning.check_can_open(user=user, lesson=lesson)


def lesson_extra(lesson: LessonPage, user) -> dict:
    return {
        "has_quiz": lesson.pk in lessons_with_quiz([lesson.pk]),
        "completed": lesson.pk in learning.completed_lesson_ids(user, lesson.course),
    }


def my_enrollments(user, session=None):
    """The user's current enrollments with progress, newest first, in a constant number of queries.

    Enrollments in courses the user may not see now (`courses.visibility`) are left out; they come back
    with access. Those of deleted courses stay, with the title they had.
    """
    return (
        Enrollment.objects.for_learner(user)
        .active()
        .filter(visible_q(user, session, prefix="course__"))
        .with_progress()
        .select_related("course")
        .order_by("-last_activity_at", "-pk")
    )


def next_lessons(user, courses, session=None) -> dict:
    """For each course, the first lesson the learner has not completed yet (a query per call, not per course)."""
    from .models import LessonCompletion

    course_paths = {course.path: course.pk for course in courses}
    if not course_paths:
        return {}
    done = set(LessonCompletion.objects.filter(learner=user, course__in=course_paths.values()).values_list("lesson_id", flat=True))
    under_a_course = reduce(operator.or_, (Q(path__startswith=path, depth=len(path) // LessonPage.steplen + 1) for path in course_paths))
    lessons = visible(LessonPage.objects.live().filter(under_a_course), user, session).order_by("path")
    result = {}
    for lesson in lessons.exclude(pk__in=done):
        course_id = course_paths.get(lesson.path[: -lesson.steplen])
        if course_id is not None and course_id not in result:
            result[course_id] = lesson
    return result
