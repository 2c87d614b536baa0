"""The learner's part of the course and lesson pages (`courses.page_parts`), and the gate before a lesson page.

The learner's standing in a course (`learning.Standing`: lessons, completions, locks, quizzes with their attempts,
enrollment, teaching) is read once per request and course (`standing_for`): the gate, the page's parts and their
templates (under `learners/includes/`) all take it from there.
"""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.template.response import TemplateResponse
from django.urls import reverse

from courses.page_parts import course_of
from quizzes import services as quizzes

from . import selectors
from .models import Certificate
from .services import learning, watching
from .services import reviews as review_rules

REVIEWS_SHOWN = 10


def standing_for(request, course) -> learning.Standing:
    """The visitor's standing in the course, read once for the whole request."""
    standings = request.__dict__.setdefault("_learning_standings", {})
    if course.pk not in standings:
        user = getattr(request, "user", None) or AnonymousUser()
        standings[course.pk] = learning.Standing(user, course, getattr(request, "session", None))
    return standings[course.pk]


def visible_lessons(request, course) -> list:
    """The lessons a course or lesson page lists (`courses.page_parts.COURSE_LESSONS_HOOK`): those of the visitor's
    standing that they may see, read with the rest of it."""
    return [lesson for lesson in standing_for(request, course).lessons if lesson.visible]


def lesson_gate(page, request):
    """A lesson page opens for its course's teacher, admins, and enrolled learners who reached it; others get
    a page that says why, with the way on (403): for a visitor, the course with "log in or sign up to start".

    A lesson the visitor may not see (its course made private) is left to Wagtail's own check, which answers
    with its login or password form.
    """
    course = course_of(page)
    standing = standing_for(request, course)
    if not standing.may_see(page):
        return None
    if not request.user.is_authenticated:  # the course's card, with the way in: log in or sign up, then back here
        context = {"page": page, "course": course}
        return TemplateResponse(request, "learners/lesson_not_enrolled.html", context, status=403)
    try:
        learning.check_can_open(user=request.user, lesson=page, session=request.session, standing=standing)
    except learning.NotEnrolled:
        context = {"page": page, "course": course}
        return TemplateResponse(request, "learners/lesson_not_enrolled.html", context, status=403)
    except learning.LessonLocked as locked:
        context = {"page": page, "course": course, "opened_by": locked.opened_by}
        return TemplateResponse(request, "learners/lesson_locked.html", context, status=403)
    return None


def shown_state(standing: learning.Standing, lessons: list):
    """What the pages show of the standing over the `lessons` they list: enrolled, progress, each lesson's state
    (for learners only: a visitor sees the plain syllabus, and a lesson's page explains how to open it), the
    lesson to continue with, and whether the visitor teaches the course."""
    enrolled = standing.enrolled
    completed = standing.completed if standing.teaches or enrolled else set()
    state = selectors.state_of(
        lessons, teaches=standing.teaches, enrolled=enrolled, completed=completed, with_quiz=set()
    )  # (the pages mark no quizzes in the syllabus)
    state.lesson_states = (
        {
            lesson.pk: "done" if lesson.pk in state.completed else "locked" if lesson.pk in state.locked else "open"
            for lesson in lessons
        }
        if state.enrolled
        else {}
    )
    state.next_lesson = next((lesson for lesson in lessons if state.lesson_states.get(lesson.pk) == "open"), None)
    state.teaches = standing.teaches
    return state


def course_reviews(request, course, limit=REVIEWS_SHOWN):
    """The course's rating and its distribution, the newest visible reviews, the visitor's own review and whether
    they may write one (a few queries, whatever the numbers)."""
    user = getattr(request, "user", None) or AnonymousUser()
    distribution = review_rules.rating_distribution(course.pk)
    total = sum(distribution.values())
    latest, mine = review_rules.latest_and_own(course.pk, user, limit)
    standing = standing_for(request, course)
    may_write = mine is None and review_rules.can_review(
        user, course, getattr(request, "session", None), standing=standing
    )
    started = standing.progress.done > 0
    for review in latest:
        review.star_string = "★" * review.rating + "☆" * (5 - review.rating)
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
        can_write=may_write and started,
        # A learner who has not completed a lesson yet is asked to start first: a rating then says something.
        start_first=may_write and not started,
        choices=list(review_rules.RATINGS),
        max_text=review_rules.MAX_TEXT,
    )


def lesson_quiz(standing: learning.Standing, lesson):
    """The lesson's quiz as the learner takes it (its questions as shown to them, attempts left, passed, the last
    attempt), or None (no quiz, or a visitor)."""
    user = standing.user
    if not user.is_authenticated:
        return None
    quiz = standing.quiz_of(lesson)
    if quiz is None:
        return None
    quiz.shown_questions = quizzes.shown_to(quiz, user)
    quiz.left = quizzes.attempts_left(quiz, user, used=quiz.attempts_used)
    quiz.passed_by_user = quiz.attempts_passed
    quiz.last_attempt = (
        SimpleNamespace(pk=quiz.last_attempt_id, score=quiz.last_attempt_score) if quiz.last_attempt_id else None
    )
    return quiz


def certificate_for(standing: learning.Standing, state):
    """The learner's certificate of the course once they completed it (a query then only), for the moment of
    completion: the course page and the quiz's result offer to view, download and share it."""
    if not (state.enrolled and state.progress_percent == 100 and standing.user.is_authenticated):
        return None
    return Certificate.objects.filter(learner=standing.user, course=standing.course).first()


def course_page_parts(request, page, context) -> dict:
    """A course page's learner part: the syllabus' states, the reviews, and the panel to enroll or follow progress
    (or, once the course is completed, its certificate)."""
    standing = standing_for(request, page)
    state = shown_state(standing, context["lessons"])
    state.certificate = certificate_for(standing, state)
    return {
        "lesson_states": state.lesson_states,
        "learner_state": state,
        "reviews": course_reviews(request, page),
        "course_main_parts": ["learners/includes/course_reviews.html"],
        "course_sidebar_parts": ["learners/includes/learner_panel.html"],
    }


def video_progress(page, videos: list[watching.VideoState]):
    """What the lesson's players report to and resume from (`courses.blocks.VideoBlock`): where heartbeats go, and
    the learner's progress in each video; None when no video is followed (not enrolled, no video)."""
    if not videos:
        return None
    return {
        "url": reverse("lesson-video-progress", args=[page.pk]),
        "videos": {video.media: video for video in videos},
    }


def watch_rule(page, videos: list[watching.VideoState], *, done: bool):
    """What the completion part says of a lesson still to be completed by watching its main video: the share of it
    to watch, the share watched (whole percent), and the video's id; None when marking the lesson done would not
    be refused for the video (`learning.video_watched`)."""
    if done or not page.require_watching:
        return None
    main = next((video for video in videos if [video.media] == page.video_ids[:1]), None)
    if main is not None and main.completed:
        return None
    watched = min(100, int(main.watched_seconds * 100 // main.duration)) if main and main.duration else 0
    return SimpleNamespace(percent=page.watch_percent, watched=watched, media=main.media if main else None)


def lesson_page_parts(request, page, context) -> dict:
    """A lesson page's learner part: the lessons' states, progress, the quiz or the "mark as done" form, and for
    an enrolled learner what the video players need to report watching (two queries, for a lesson with videos)."""
    standing = standing_for(request, context["course"])
    state = shown_state(standing, context["lessons"])
    videos = watching.lesson_videos(request.user, page) if state.enrolled else []
    return {
        "lesson_states": state.lesson_states,
        "learner_state": state,
        "quiz": lesson_quiz(standing, page),
        "video_progress": video_progress(page, videos),
        "watch_rule": watch_rule(page, videos, done=state.lesson_states.get(page.pk) == "done"),
        "lesson_parts": ["learners/includes/lesson_completion.html"],
        "lesson_outline_parts": ["learners/includes/progress.html"] if state.enrolled else [],
    }
