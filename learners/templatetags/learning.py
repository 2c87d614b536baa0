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


@register.simple_tag(takes_context=True)
def course_reviews(context, course: CoursePage, limit=10):
    """`{% course_reviews page as reviews %}`: the course's rating and its distribution, the newest visible
    reviews, the visitor's own review and whether they may write one (a few queries, whatever the numbers)."""
    from types import SimpleNamespace

    from ..models import Review
    from ..services import reviews as review_rules

    user = getattr(context.get("request"), "user", None) or AnonymousUser()
    session = getattr(context.get("request"), "session", None)
    distribution = review_rules.rating_distribution(course.pk)
    total = sum(distribution.values())
    latest = list(review_rules.visible_reviews(course.pk)[:limit])
    for review in latest:
        review.star_string = "★" * review.rating + "☆" * (5 - review.rating)
    mine = Review.objects.filter(learner=user, course=course).first() if user.is_authenticated else None
    average = course.rating_avg
    return SimpleNamespace(
        average=average,
        # Whole percent of five stars filled, for the width of the stars' overlay.
        average_percent=round(average * 20) if average is not None else 0,
        count=course.rating_count,
        distribution=[
            {"stars": stars, "count": n, "percent": round(n * 100 / total) if total else 0}
            for stars, n in distribution.items()
        ],
        latest=latest,
        more=max(total - len(latest), 0),
        mine=mine,
        can_write=mine is None and review_rules.can_review(user, course, session),
        choices=list(review_rules.RATINGS),
        max_text=review_rules.MAX_TEXT,
    )
