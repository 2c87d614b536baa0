"""Fixtures for the search tests: categories, ratings and enrollments set directly on the rows."""

import pytest
from django.utils import timezone

from courses.models import Category, CoursePage
from learners.models import Enrollment, Review, Role
from learners.tests.factories import UserFactory
from lms.rows import update_rows


@pytest.fixture
def programming(db):
    return Category.objects.create(name="Programming", slug="programming")


@pytest.fixture
def languages(db):
    return Category.objects.create(name="Languages", slug="languages")


@pytest.fixture
def rate(db):
    """Give a course `count` ratings averaging `average`, as the reviews service would keep them.

    A few real review rows are written (the service's job is to keep the two columns in step with
    them; here we set the columns directly, through `update_rows` as that service does).
    """

    def rate(course, average, count, sample=None):
        for rating in sample or [round(average)]:
            Review.objects.create(learner=UserFactory(role=Role.STUDENT), course=course, rating=rating)
        update_rows(CoursePage.objects.filter(pk=course.pk), rating_avg=average, rating_count=count)

    return rate


@pytest.fixture
def enroll(db):
    """Enroll `active` new learners in a course, and `left` more who have left it since."""

    def enroll(course, active, left=0):
        for number in range(active + left):
            Enrollment.objects.create(
                learner=UserFactory(role=Role.STUDENT),
                course=course,
                course_title=course.title,
                left_at=timezone.now() if number >= active else None,
            )

    return enroll
