"""A visitor's relation to a course, as the catalog's API shows it, and what it is without learner records.

The catalog knows nothing of learners. What a visitor's relation to a course is (the lessons they see, enrolled,
progress, which lessons are done or locked, which carry a quiz) is asked of a `state_for` function, and who may read
a lesson of a `lesson_access` function; the project's API routes (`lms.api_routes`) plug in the learners' answers
when they mount the views, so the dependency points from learners to courses and never back. A `state_for` reads
the lessons too, with the rest (the learners' answer in one query), so that a course's answer costs the same number
of queries whatever its number of lessons.
"""

from dataclasses import dataclass, field

from lms.errors import Denied

from .visibility import teaches_or_admin, visible


@dataclass
class CourseState:
    """A visitor's relation to a course and its lessons: `lessons`, the course's live lessons the visitor may see, in
    syllabus order."""

    lessons: list = field(default_factory=list)
    enrolled: bool = False
    progress_percent: int = 0
    completed: set = field(default_factory=set)
    locked: set = field(default_factory=set)
    with_quiz: set = field(default_factory=set)


def catalog_only_state(course, user) -> CourseState:
    """Without learner records: the course's teacher and admins see every lesson open, others none."""
    lessons = list(visible(course.lessons(), user))
    locked = set() if teaches_or_admin(course, user) else {lesson.pk for lesson in lessons}
    return CourseState(lessons=lessons, locked=locked)


def teachers_only_access(lesson, user) -> None:
    """Without learner records: only the course's teacher and admins read lessons through the API."""
    if not teaches_or_admin(lesson.course, user):
        raise Denied("Only the course's teacher and administrators may read this lesson.", code="not_enrolled")
