"""Reviews: who may write them, who may change them, and what they must be (see also test_rating.py,
test_site.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courses.models import CoursePage
from learners.models import Review
from learners.services import learning, reviews
from learners.tests.reviews.helpers import rating_of, review_url, reviews_url

pytestmark = pytest.mark.django_db


# --- who may write ----------------------------------------------------------------------------------


def test_an_enrolled_learner_posts_a_review(course, student, enrolled, as_user):
    enrolled(student)
    response = as_user(student).post(reviews_url(course), {"rating": 5, "text": "  Clear and kind.  "}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rating"] == 5 and body["text"] == "Clear and kind."
    assert body["author_name"] == student.name and body["created"] and body["is_mine"] is True
    assert rating_of(course) == (Decimal("5.00"), 1)


def test_the_text_is_optional(course, student, enrolled, as_user):
    enrolled(student)
    response = as_user(student).post(reviews_url(course), {"rating": 3}, format="json")
    assert response.status_code == 201 and response.json()["text"] == ""


def test_only_active_learners_of_the_course_may_review(course, student, enrolled, as_user):
    client = as_user(student)
    refused = client.post(reviews_url(course), {"rating": 4}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_enrolled" and refused.json()["detail"]
    enrolled(student)
    learning.leave(learner=student, course=course)
    assert client.post(reviews_url(course), {"rating": 4}, format="json").json()["code"] == "not_enrolled"
    assert not Review.objects.exists()


def test_the_teacher_does_not_rate_their_own_course(course, teacher, as_user):
    learning.enroll(learner=teacher, course=course)
    response = as_user(teacher).post(reviews_url(course), {"rating": 5}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "own_course"


def test_an_unpublished_course_takes_no_reviews(course, student, enrolled, as_user):
    enrolled(student)
    course.unpublish()
    assert as_user(student).post(reviews_url(course), {"rating": 4}, format="json").status_code == 404
    with pytest.raises(reviews.NotEnrolled):
        reviews.post_review(learner=student, course=CoursePage.objects.get(pk=course.pk), rating=4)


def test_a_second_review_is_a_conflict(course, student, enrolled, as_user):
    enrolled(student)
    client = as_user(student)
    assert client.post(reviews_url(course), {"rating": 5}, format="json").status_code == 201
    second = client.post(reviews_url(course), {"rating": 1}, format="json")
    assert second.status_code == 409 and second.json()["code"] == "review_exists"
    assert Review.objects.get().rating == 5 and rating_of(course) == (Decimal("5.00"), 1)


def test_anyone_reads_reviews_but_writing_needs_a_token(course, api, student, enrolled):
    enrolled(student)
    review = reviews.post_review(learner=student, course=course, rating=4, text="Good")
    listing = api.get(reviews_url(course))
    assert listing.status_code == 200
    assert listing.json()["results"][0] | {"created": None, "updated": None} == {
        "id": review.pk,
        "rating": 4,
        "text": "Good",
        "author_name": student.name,
        "created": None,
        "updated": None,
        "is_mine": False,
    }
    assert api.get(review_url(review)).status_code == 200
    assert api.post(reviews_url(course), {"rating": 5}, format="json").status_code == 401
    assert api.patch(review_url(review), {"rating": 5}, format="json").status_code == 401
    assert api.delete(review_url(review)).status_code == 401
    assert api.get("/api/v1/courses/999999/reviews/").status_code == 404


# --- who may change ---------------------------------------------------------------------------------


def test_the_author_edits_and_deletes_their_review(course, student, enrolled, as_user):
    enrolled(student)
    review = reviews.post_review(learner=student, course=course, rating=2)
    client = as_user(student)
    edited = client.patch(review_url(review), {"text": "Better on a second read."}, format="json")
    assert edited.status_code == 200
    assert edited.json()["rating"] == 2 and edited.json()["text"] == "Better on a second read."
    assert client.patch(review_url(review), {"rating": 4}, format="json").json()["text"] == "Better on a second read."
    assert rating_of(course) == (Decimal("4.00"), 1)
    assert client.delete(review_url(review)).status_code == 204
    assert not Review.objects.exists() and rating_of(course) == (None, 0)


def test_an_admin_edits_and_deletes_any_review(course, student, enrolled, admin_user, as_user):
    enrolled(student)
    review = reviews.post_review(learner=student, course=course, rating=1, text="Spam spam spam")
    client = as_user(admin_user)
    edited = client.patch(review_url(review), {"text": ""}, format="json")
    assert edited.status_code == 200 and edited.json()["text"] == "" and edited.json()["is_mine"] is False
    assert client.delete(review_url(review)).status_code == 204
    assert rating_of(course) == (None, 0)


def test_other_users_may_not_change_a_review(course, student, other_student, teacher, enrolled, as_user):
    enrolled(student, other_student)
    review = reviews.post_review(learner=student, course=course, rating=5)
    for user in (other_student, teacher):
        client = as_user(user)
        for response in (client.patch(review_url(review), {"rating": 1}, format="json"), client.delete(review_url(review))):
            assert response.status_code == 403 and response.json()["code"] == "not_author"
    # The permission is checked before the input: invalid input from someone else is still a 403.
    assert as_user(other_student).patch(review_url(review), {"rating": 9}, format="json").status_code == 403
    assert Review.objects.get().rating == 5


def test_unknown_reviews_and_others_hidden_ones_are_not_found(course, student, other_student, enrolled, admin_user, as_user):
    enrolled(student)
    review = reviews.post_review(learner=student, course=course, rating=5)
    other = as_user(other_student)
    assert other.patch(review_url(999999), {"rating": 1}, format="json").status_code == 404
    assert other.delete(review_url(999999)).status_code == 404
    reviews.hide_review(review=review, by=admin_user)
    assert other.get(review_url(review)).status_code == 404
    assert other.delete(review_url(review)).status_code == 404
    assert as_user(student).get(review_url(review)).status_code == 200  # the author still sees it


def test_only_admins_hide_reviews(course, student, enrolled, teacher, admin_user):
    enrolled(student)
    review = reviews.post_review(learner=student, course=course, rating=5)
    for user in (student, teacher):
        with pytest.raises(PermissionDenied) as refused:
            reviews.hide_review(review=review, by=user)
        assert refused.value.code == "not_admin"
    assert reviews.hide_review(review=review, by=admin_user).is_hidden


# --- what a review must be --------------------------------------------------------------------------


@pytest.mark.parametrize("rating", [0, 6, -1, "5", 5.5, 5.0, True, None, [5], {"stars": 5}, "", 10**40])
def test_a_rating_is_a_whole_number_from_1_to_5(course, student, enrolled, as_user, rating):
    enrolled(student)
    response = as_user(student).post(reviews_url(course), {"rating": rating, "text": "x"}, format="json")
    assert response.status_code == 400 and "rating" in response.json()
    assert not Review.objects.exists()


def test_a_rating_is_required(course, student, enrolled, as_user):
    enrolled(student)
    response = as_user(student).post(reviews_url(course), {"text": "no stars"}, format="json")
    assert response.status_code == 400 and "rating" in response.json()


def test_a_form_post_sends_the_rating_as_digits(course, student, enrolled, as_user):
    enrolled(student)
    response = as_user(student).post(reviews_url(course), {"rating": "4", "text": "by form"}, format="multipart")
    assert response.status_code == 201 and response.json()["rating"] == 4


@pytest.mark.parametrize(
    ("text", "ok"),
    [("a" * 4000, True), ("a" * 4001, False), ("nul \x00 byte", False), (None, False), ("  \n  ", True), ("é" * 4000, True)],
)
def test_the_text_is_at_most_4000_characters_of_text(course, student, enrolled, as_user, text, ok):
    enrolled(student)
    response = as_user(student).post(reviews_url(course), {"rating": 3, "text": text}, format="json")
    assert response.status_code == (201 if ok else 400), response.content
    if not ok:
        assert "text" in response.json()


def test_an_edit_is_validated_like_a_new_review(course, student, enrolled, as_user):
    enrolled(student)
    review = reviews.post_review(learner=student, course=course, rating=3, text="Fine")
    client = as_user(student)
    for body in ({"rating": "5"}, {"rating": True}, {"rating": 0}, {"text": "a" * 4001}, {"text": "\x00"}):
        response = client.patch(review_url(review), body, format="json")
        assert response.status_code == 400 and set(response.json()) == set(body), body
    assert Review.objects.values_list("rating", "text").get() == (3, "Fine")


def test_the_service_checks_types_itself(course, student, enrolled):
    enrolled(student)
    for rating in (True, "5", 4.0, None):
        with pytest.raises(ValidationError) as error:
            reviews.post_review(learner=student, course=course, rating=rating)
        assert "rating" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        reviews.post_review(learner=student, course=course, rating=9, text="a" * 4001)
    assert set(error.value.message_dict) == {"rating", "text"}
