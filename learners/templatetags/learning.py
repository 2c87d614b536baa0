"""The learner's state of a course, for the course and lesson pages."""

from django import template
from django.contrib.auth.models import AnonymousUser

from courses.models import CoursePage
from quizzes import services as quizzes
from quizzes.models import Attempt, Quiz

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



@register.simple_tag(takes_context=True)
def lesson_quiz(context, lesson):
    """`{% lesson_quiz page as quiz %}`: the lesson's quiz as the learner takes it, or None."""
    user = getattr(context.get("request"), "user", None) or AnonymousUser()
    quiz = Quiz.objects.filter(lesson=lesson).first()
    if quiz is None or not user.is_authenticated:
        return None
    quiz.shown_questions = quizzes.shown_to(quiz, user)
    quiz.left = quizzes.attempts_left(quiz, user)
    quiz.passed_by_user = quizzes.has_passed(quiz, user)
    quiz.last_attempt = Attempt.objects.filter(quiz=quiz, learner=user).order_by("-number").first()
    return quiz
