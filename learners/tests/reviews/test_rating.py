"""Reviews: the course's rating that follows them, their list, and simultaneous reviews (see also
test_writing.py, test_site.py)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Revision

from conftest import at_once
from courses.models import CoursePage
from learners.models import Review, Role
from learners.services import learning, reviews
from learners.tests.factories import UserFactory
from learners.tests.reviews.helpers import rating_of, review_url, reviews_url, write

pytestmark = pytest.mark.django_db


# --- the course's rating ----------------------------------------------------------------------------


def test_the_rating_follows_every_change(course, admin_user):
    five, four, other_four = write(course, 5, 4, 4)
    assert rating_of(course) == (Decimal("4.33"), 3)
    reviews.edit_review(review=four, by=four.learner, rating=1)
    assert rating_of(course) == (Decimal("3.33"), 3)
    reviews.hide_review(review=five, by=admin_user)
    assert rating_of(course) == (Decimal("2.50"), 2)
    reviews.hide_review(review=five, by=admin_user, hidden=False)
    assert rating_of(course) == (Decimal("3.33"), 3)
    reviews.delete_review(review=other_four, by=other_four.learner)
    assert rating_of(course) == (Decimal("3.00"), 2)
    reviews.delete_review(review=five, by=admin_user)
    reviews.delete_review(review=four, by=four.learner)
    assert rating_of(course) == (None, 0)


def test_the_average_rounds_half_up_to_two_decimals(course):
    write(course, 5, 5, 4, 4, 4, 4, 4, 3)  # 33 / 8 = 4.125
    assert rating_of(course) == (Decimal("4.13"), 8)


def test_the_callers_course_follows_too(course, student, enrolled):
    enrolled(student)
    reviews.post_review(learner=student, course=course, rating=4)
    assert (course.rating_avg, course.rating_count) == (Decimal("4.00"), 1)


def test_the_course_detail_and_list_show_the_rating(course, api):
    write(course, 5, 4, 4)
    detail = api.get(f"/api/v1/courses/{course.pk}/").json()
    assert detail["rating_avg"] == pytest.approx(4.33) and detail["rating_count"] == 3
    listed = next(item for item in api.get("/api/v1/courses/").json()["results"] if item["id"] == course.pk)
    assert listed["rating_count"] == 3


def test_hidden_reviews_are_neither_shown_nor_counted(course, admin_user, api):
    shown, hidden = write(course, 5, 1)
    reviews.hide_review(review=hidden, by=admin_user)
    body = api.get(reviews_url(course)).json()
    assert [item["id"] for item in body["results"]] == [shown.pk]
    assert body["count"] == 1 and body["rating_count"] == 1 and body["rating_avg"] == 5.0
    assert body["distribution"] == {"5": 1, "4": 0, "3": 0, "2": 0, "1": 0}
    assert rating_of(course) == (Decimal("5.00"), 1)


def test_publishing_a_draft_of_the_course_keeps_its_rating(course, teacher):
    draft = CoursePage.objects.get(pk=course.pk)
    draft.summary = "A draft, saved in the editor before the reviews came"
    revision = draft.save_revision(user=teacher)
    write(course, 5, 4, 4)
    Revision.objects.get(pk=revision.pk).publish(user=teacher)  # later, in another request
    assert rating_of(course) == (Decimal("4.33"), 3)


def test_editing_the_course_keeps_its_rating(course, teacher):
    from courses import services as authoring

    write(course, 5, 4, 4)
    authoring.update_course(course=CoursePage.objects.get(pk=course.pk), by=teacher, summary="New summary")
    assert rating_of(course) == (Decimal("4.33"), 3)


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_is_newest_first_paginated_with_the_distribution(course, api, student, enrolled, as_user):
    written = write(course, 5, 4, 4, 2)
    body = api.get(reviews_url(course), {"page_size": 3}).json()
    assert body["count"] == 4 and body["next"] and body["previous"] is None
    assert [item["id"] for item in body["results"]] == [review.pk for review in reversed(written)][:3]
    assert body["distribution"] == {"5": 1, "4": 2, "3": 0, "2": 1, "1": 0}
    assert list(body["distribution"]) == ["5", "4", "3", "2", "1"]
    assert body["rating_avg"] == 3.75 and body["rating_count"] == 4
    assert api.get(reviews_url(course), {"page": 2, "page_size": 3}).json()["results"][0]["id"] == written[0].pk
    enrolled(student)
    mine = reviews.post_review(learner=student, course=course, rating=3)
    results = as_user(student).get(reviews_url(course)).json()["results"]
    assert [item["is_mine"] for item in results] == [True, False, False, False, False]
    assert results[0]["id"] == mine.pk


def test_a_course_without_reviews_lists_none(course, api):
    body = api.get(reviews_url(course)).json()
    assert body["count"] == 0 and body["results"] == [] and body["rating_avg"] is None and body["rating_count"] == 0
    assert body["distribution"] == {"5": 0, "4": 0, "3": 0, "2": 0, "1": 0}


def test_review_text_is_plain_text_in_the_api(course, student, enrolled, as_user):
    enrolled(student)
    text = "<script>alert(1)</script> & <b>bold</b>"
    assert as_user(student).post(reviews_url(course), {"rating": 4, "text": text}, format="json").json()["text"] == text


def test_the_list_costs_the_same_queries_whatever_its_length(course, api, student, as_user, django_assert_max_num_queries):
    write(course, 5, 4)
    client = as_user(student)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reviews_url(course), {"page_size": 100}).status_code == 200
    write(course, *([3, 4, 5] * 10))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reviews_url(course), {"page_size": 100}).json()
    assert len(body["results"]) == 32
    with django_assert_max_num_queries(4):  # the course, the count, the page, the distribution
        api.get(reviews_url(course))


def test_the_schema_documents_the_distribution(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    page = schema["components"]["schemas"]["ReviewPage"]
    assert {"count", "next", "previous", "results", "distribution", "rating_avg", "rating_count"} <= set(page["properties"])
    assert set(schema["components"]["schemas"]["RatingDistribution"]["properties"]) == {"1", "2", "3", "4", "5"}
    operations = schema["paths"]["/api/v1/courses/{id}/reviews/"]
    assert {"get", "post"} <= set(operations) and "201" in operations["post"]["responses"]
    assert {"get", "patch", "delete"} <= set(schema["paths"]["/api/v1/reviews/{id}/"])


# --- races ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_reviews_by_one_learner_make_one(make_course, student):
    from conftest import client_for

    course = make_course(lessons=1)
    learning.enroll(learner=student, course=course)
    clients = [client_for(student), client_for(student)]
    responses = at_once([lambda c=c, r=r: c.post(reviews_url(course), {"rating": r}, format="json") for c, r in zip(clients, (5, 1), strict=True)])
    assert sorted(response.status_code for response in responses) == [201, 409]
    assert Review.objects.filter(learner=student, course=course).count() == 1
    kept = Review.objects.get().rating
    assert rating_of(course) == (Decimal(kept).quantize(Decimal("0.01")), 1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_reviews_by_many_learners_leave_the_right_rating(make_course):
    from conftest import client_for

    course = make_course(lessons=1)
    ratings = [5, 4, 4, 3, 5, 2]
    learners = [UserFactory(role=Role.STUDENT) for _ in ratings]
    for learner in learners:
        learning.enroll(learner=learner, course=course)
    clients = [client_for(learner) for learner in learners]
    responses = at_once(
        [lambda c=c, r=r: c.post(reviews_url(course), {"rating": r}, format="json") for c, r in zip(clients, ratings, strict=True)]
    )
    assert [response.status_code for response in responses] == [201] * len(ratings)
    assert rating_of(course) == (Decimal("3.83"), 6)  # 23 / 6

    # Then edits, a delete and a new review at once: the rating still matches the reviews.
    mine = {review.learner_id: review for review in Review.objects.all()}
    calls = [
        lambda: clients[0].patch(review_url(mine[learners[0].pk]), {"rating": 1}, format="json"),
        lambda: clients[1].delete(review_url(mine[learners[1].pk])),
        lambda: clients[2].patch(review_url(mine[learners[2].pk]), {"rating": 5}, format="json"),
        lambda: clients[3].delete(review_url(mine[learners[3].pk])),
    ]
    assert sorted(response.status_code for response in at_once(calls)) == [200, 200, 204, 204]
    assert rating_of(course) == (Decimal("3.25"), 4)  # 1 + 5 + 5 + 2
