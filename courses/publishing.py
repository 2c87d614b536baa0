"""Publishing a course that has no published lessons: allowed, but only on purpose.

Learners who find such a course in the catalog meet an empty syllabus, so the editor asks first
(`courses.admin_views`: Wagtail's publish of a course stops at `check_publishable`, the draft kept, and a
confirmation page publishes it on "Publish without lessons").

The API does not ask. Its contract (API.md) makes a course published at `POST courses/` and gives it lessons
afterwards (`POST courses/{id}/lessons/`), so every course it creates starts empty; a refusal there would break
every client that follows the documented steps, and API.md names no flag to say "on purpose".
"""

from django.db import transaction
from django.utils.translation import gettext as _

from lms.errors import Conflict

from .models import CoursePage, LessonPage
from .services import NotAllowed


class NoLessons(Conflict):
    code = "course_has_no_lessons"


def has_live_lessons(course: CoursePage) -> bool:
    return LessonPage.objects.child_of(course).live().exists()


def check_publishable(course: CoursePage, *, without_lessons: bool = False) -> None:
    """Raise NoLessons when the course has no published lesson, unless the editor said to publish it without."""
    if not without_lessons and not has_live_lessons(course):
        raise NoLessons(_("This course has no published lessons yet."))


@transaction.atomic
def publish_without_lessons(*, course: CoursePage, by) -> CoursePage:
    """Publish the course's latest revision (the draft the editor saved) although it has no published lessons."""
    if not course.permissions_for_user(by).can_publish():
        raise NotAllowed(_("Only the course's teacher and administrators may publish it."))
    revision = course.get_latest_revision() or course.save_revision(user=by)
    revision.publish(user=by)
    course.refresh_from_db()
    return course
