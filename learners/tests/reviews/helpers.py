"""The reviews API's addresses, a course's rating as stored, and reviews written through the service."""

from courses.models import CoursePage
from learners.services import learning, reviews
from learners.tests.factories import UserFactory


def reviews_url(course):
    return f"/api/v1/courses/{course.pk}/reviews/"


def review_url(review):
    return f"/api/v1/reviews/{getattr(review, 'pk', review)}/"


def rating_of(course):
    course = CoursePage.objects.get(pk=course.pk)
    return course.rating_avg, course.rating_count


def write(course, *ratings):
    """Reviews by new enrolled learners, one per rating."""
    written = []
    for rating in ratings:
        learner = UserFactory()
        learning.enroll(learner=learner, course=course)
        written.append(reviews.post_review(learner=learner, course=course, rating=rating, text=f"{rating} stars"))
    return written
