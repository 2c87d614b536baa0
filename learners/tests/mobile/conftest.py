"""Fixtures of the "learning on the move" tests: a course of three lessons (`mobile_course`), the first showing a 600-second video it
requires watching (90%), the second with a quiz of two attempts, the third plain; and the learner's API client."""

import pytest

from courses import services
from learners.services import learning
from quizzes.services import replace_quiz

QUESTION = {
    "text": "2 + 2?",
    "kind": "single",
    "choices": [{"text": "4", "correct": True}, {"text": "5", "correct": False}],
}


@pytest.fixture
def film(video):
    video.duration = 600
    video.save()
    return video


@pytest.fixture
def mobile_course(make_course, teacher, film):
    course = make_course(title="On the move", lessons=0)
    services.add_lesson(
        course=course,
        by=teacher,
        title="Watch",
        body=[{"type": "video", "value": film.pk}, {"type": "text", "value": "<p>Notes</p>"}],
        require_watching=True,
    )
    quizzed = services.add_lesson(course=course, by=teacher, title="Check", body=[])
    replace_quiz(lesson=quizzed, by=teacher, title="Sums", questions=[QUESTION], pass_mark=100, max_attempts=2)
    services.add_lesson(course=course, by=teacher, title="Read", body=[{"type": "text", "value": "<p>End</p>"}])
    return course


@pytest.fixture
def lessons(mobile_course):
    return list(mobile_course.lessons())


@pytest.fixture
def learner(student, mobile_course):
    learning.enroll(learner=student, course=mobile_course)
    return student


@pytest.fixture
def app(learner, as_user):
    """The learner's mobile app: an API client with their token."""
    return as_user(learner)


def answers(quiz, right: bool) -> list[dict]:
    question = quiz.questions.get()
    return [{"question": question.pk, "choices": [c.pk for c in question.choices.all() if c.is_correct == right]}]
