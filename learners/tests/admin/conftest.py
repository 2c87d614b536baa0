"""The portal's state for the admin's tests, made through the services."""

import pytest

from learners.services import learning, reviews
from learners.tests.admin.helpers import QUESTIONS, finish
from quizzes.services import replace_quiz


@pytest.fixture
def course(make_course):
    return make_course(title="Python", lessons=2)


@pytest.fixture
def other_course(make_course, other_teacher):
    return make_course(owner=other_teacher, title="Rust", lessons=1)


@pytest.fixture
def quiz(course, teacher):
    return replace_quiz(lesson=course.lessons().first(), by=teacher, title="Check", questions=QUESTIONS, pass_mark=100)


@pytest.fixture
def portal(course, other_course, quiz, student, other_student):
    """Ада completed Python (2 attempts, a certificate, a 5★ review); Борис left Python and takes Rust."""
    student.name, other_student.name = "Ада Лавлейс", "Борис Пастернак"
    student.save(update_fields=["name"])
    other_student.save(update_fields=["name"])
    finish(student, course, quiz)
    reviews.post_review(learner=student, course=course, rating=5, text="Clear and kind.")
    learning.enroll(learner=other_student, course=course)
    reviews.post_review(learner=other_student, course=course, rating=1, text="Buy cheap pills at spam.example")
    learning.leave(learner=other_student, course=course)
    learning.enroll(learner=other_student, course=other_course)
    return {"course": course, "other_course": other_course, "quiz": quiz}


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
