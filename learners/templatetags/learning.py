"""The learner's state of a course, for the course and lesson pages."""

from django import template
from django.contrib.auth.models import AnonymousUser

from courses.models import CoursePage

from .. import selectors
from ..services import learning

register = template.Library()


@register.simple_tag(takes_context=True)
def course_state(context, course: CoursePage, lessons=None):
    """`{% course_state page lessons as state %}`: enrolled, progress and each lesson's state."""
    user = getattr(context.get("request"), "user", None) or AnonymousUser()
    lessons = list(course.lessons()) if lessons is None else list(lessons)
    state = selectors.course_state(course, lessons, user)
    # Only learners get per-lesson states; a visitor sees the plain syllabus (a lesson's page explains
    # how to open it).
    state.lesson_states = (
        {
            lesson.pk: "done" if lesson.pk in state.completed else "locked" if lesson.pk in state.locked else "open"
            for lesson in lessons
        }
        if state.enrolled
        else {}
    )
    state.next_lesson = next(
        (lesson for lesson in lessons if state.lesson_states.get(lesson.pk) == "open"),
        None,
    )
    state.teaches = learning.teaches(user, course)
    return state

