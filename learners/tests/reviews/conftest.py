"""Fixtures of the review tests: a course with one lesson, and a way to enroll learners in it."""

import pytest

from learners.services import learning


@pytest.fixture
def course(make_course):
    return make_course(title="Основы Python", lessons=1)


@pytest.fixture
def enrolled(course):
    """Enroll learners in the course and return the first one."""

    def enroll(*users):
        for user in users:
            learning.enroll(learner=user, course=course)
        return users[0]

    return enroll
