"""Reads of learner state, shaped for the catalog API, the site and "My learning"."""

from courses.models import CoursePage, LessonPage
from courses.page_parts import CardState
from courses.state import CourseState
from courses.visibility import visible, visible_q
from quizzes.models import Quiz

from .models import Enrollment, LessonCompletion
from .services import learning, watching


def course_state(course: CoursePage, user) -> CourseState:
    """The visitor's relation to a course (`courses.state`): the lessons they may see, enrolled, progress, and each
    lesson done, locked or with a quiz, from one read of their standing (`learning.Standing`, one query)."""
    standing = learning.Standing(user, course)
    lessons = [lesson for lesson in standing.lessons if lesson.visible]
    with_quiz = {lesson.pk for lesson in lessons if standing.quiz_of(lesson) is not None}
    return state_of(
        lessons, teaches=standing.teaches, enrolled=standing.enrolled, completed=standing.completed, with_quiz=with_quiz
    )


def state_of(
    lessons: list[LessonPage], *, teaches: bool, enrolled: bool, completed: set, with_quiz: set
) -> CourseState:
    """A course's state as a visitor sees it over `lessons`: a teacher sees every lesson open, a learner who is not
    enrolled none (whatever `completed` holds), an enrolled one their progress and the order's locks."""
    ids = [lesson.pk for lesson in lessons]
    progress_percent = learning.Progress(len(completed & set(ids)), len(ids)).percent
    if teaches:
        return CourseState(
            lessons=lessons,
            enrolled=enrolled,
            progress_percent=progress_percent,
            completed=completed,
            locked=set(),
            with_quiz=with_quiz,
        )
    if not enrolled:
        return CourseState(lessons=lessons, locked=set(ids), with_quiz=with_quiz)
    return CourseState(
        lessons=lessons,
        enrolled=True,
        progress_percent=progress_percent,
        completed=completed,
        locked=learning.locked_lesson_ids(lessons, completed),
        with_quiz=with_quiz,
    )


def lessons_with_quiz(lesson_ids) -> set[int]:
    return set(Quiz.objects.filter(lesson_id__in=list(lesson_ids)).values_list("lesson_id", flat=True))


def lesson_access(lesson: LessonPage, user) -> None:
    learning.check_can_open(user=user, lesson=lesson)


def lesson_extra(lesson: LessonPage, user) -> dict:
    return {
        "has_quiz": lesson.pk in lessons_with_quiz([lesson.pk]),
        "completed": lesson.pk in learning.completed_lesson_ids(user, lesson.course),
        "videos": [vars(state) for state in watching.lesson_videos(user, lesson)],
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
        .with_progress(user, session)
        .select_related("course")
        .order_by("-last_activity_at", "-pk")
    )


def card_states(user, course_ids, session=None) -> dict[int, CardState]:
    """The user's part in each of these courses they are enrolled in, for its card in the catalog: completed, or
    their progress as "My learning" and the course page count it (`with_progress`); one query, none for a visitor."""
    if not user.is_authenticated or not course_ids:
        return {}
    enrollments = (
        Enrollment.objects.for_learner(user)
        .active()
        .filter(course__in=course_ids)
        .with_progress(user, session)
        .values_list("course_id", "progress_percent", "completed_at")
    )
    return {
        course_id: CardState(progress_percent=percent, completed=completed_at is not None)
        for course_id, percent, completed_at in enrollments
    }


def next_lessons(user, courses, session=None) -> dict:
    """For each course, the first lesson the learner has not completed yet (a query per call, not per course)."""
    course_paths = {course.path: course.pk for course in courses}
    if not course_paths:
        return {}
    done = LessonCompletion.objects.filter(learner=user, course__in=course_paths.values()).values("lesson_id")
    of_courses = LessonPage.objects.live().of_courses(CoursePage.objects.filter(pk__in=course_paths.values()))
    result = {}
    for lesson in visible(of_courses, user, session).exclude(pk__in=done).order_by("path"):
        course_id = course_paths.get(lesson.course_path)
        if course_id is not None and course_id not in result:
            result[course_id] = lesson
    return result
