"""Reviews and ratings: who may write them, what they must be, and the course's rating that follows them."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Revision

from courses.models import CoursePage
from learners.models import Review, Role
from learners.services import learning, reviews
from learners.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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


def _at_once(calls):
    """Run the calls in threads that start together; each closes its own database connection."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_reviews_by_one_learner_make_one(make_course, student):
    from conftest import client_for

    course = make_course(lessons=1)
    learning.enroll(learner=student, course=course)
    clients = [client_for(student), client_for(student)]
    responses = _at_once([lambda c=c, r=r: c.post(reviews_url(course), {"rating": r}, format="json") for c, r in zip(clients, (5, 1), strict=True)])
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
    responses = _at_once(
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
    assert sorted(response.status_code for response in _at_once(calls)) == [200, 200, 204, 204]
    assert rating_of(course) == (Decimal("3.25"), 4)  # 1 + 5 + 5 + 2


# --- the site ---------------------------------------------------------------------------------------


def reviews_section(html):
    start = html.index('id="reviews"')
    return html[start : html.index("</section>", start)]


def test_the_review_form_is_for_enrolled_learners_only(client, course, student, other_student, teacher, enrolled):
    action = f'action="/learn/courses/{course.pk}/review/"'
    assert action not in client.get(course.url).content.decode()
    client.force_login(other_student)
    assert action not in client.get(course.url).content.decode()
    client.force_login(teacher)
    assert action not in client.get(course.url).content.decode()
    enrolled(student)
    client.force_login(student)
    section = reviews_section(client.get(course.url).content.decode())
    assert action in section and 'name="rating"' in section and 'maxlength="4000"' in section
    assert section.count('type="radio"') == 5 and "No reviews yet." in section


def test_posting_on_the_site_creates_then_edits_the_review(client, course, student, enrolled):
    enrolled(student)
    client.force_login(student)
    response = client.post(f"/learn/courses/{course.pk}/review/", {"rating": "4", "text": "Line one\nLine two"})
    assert response.status_code == 302 and response["Location"] == f"{course.url}#reviews"
    review = Review.objects.get(learner=student)
    assert review.rating == 4 and rating_of(course) == (Decimal("4.00"), 1)
    html = client.get(course.url).content.decode()
    assert "Thank you for your review!" in html
    section = reviews_section(html)
    assert "Line one<br>Line two" in section and student.name in section
    assert "Your review" in section and f'action="/learn/reviews/{review.pk}/delete/"' in section
    assert 'value="4" checked' in section

    client.post(f"/learn/courses/{course.pk}/review/", {"rating": "2", "text": "Changed my mind"})
    assert Review.objects.values_list("rating", "text").get() == (2, "Changed my mind")
    assert rating_of(course) == (Decimal("2.00"), 1)


def test_site_errors_are_shown_as_messages(client, course, student, other_student, enrolled):
    client.force_login(other_student)
    response = client.post(f"/learn/courses/{course.pk}/review/", {"rating": "5"}, follow=True)
    assert "Only learners enrolled in the course may review it." in response.content.decode()
    enrolled(student)
    client.force_login(student)
    for data in ({"rating": "9"}, {"rating": "x"}, {}, {"rating": "5", "text": "a" * 4001}, {"rating": "9" * 5000}):
        response = client.post(f"/learn/courses/{course.pk}/review/", data, follow=True)
        assert response.status_code == 200 and "message--error" in response.content.decode(), data
    assert not Review.objects.exists()


def test_deleting_on_the_site(client, course, student, other_student, enrolled):
    enrolled(student, other_student)
    review = reviews.post_review(learner=student, course=course, rating=3, text="So-so")
    client.force_login(other_student)
    response = client.post(f"/learn/reviews/{review.pk}/delete/", follow=True)
    assert "Only the review&#x27;s author and administrators may change it." in response.content.decode()
    assert Review.objects.exists()
    client.force_login(student)
    assert client.get(f"/learn/reviews/{review.pk}/delete/").status_code == 405
    response = client.post(f"/learn/reviews/{review.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == f"{course.url}#reviews"
    assert not Review.objects.exists() and rating_of(course) == (None, 0)
    assert client.post(f"/learn/reviews/{review.pk}/delete/").status_code == 404


def test_review_views_need_post_and_login(client, course, student):
    assert client.post(f"/learn/courses/{course.pk}/review/", {"rating": "5"}).status_code == 302  # to log in
    client.force_login(student)
    assert client.get(f"/learn/courses/{course.pk}/review/").status_code == 405
    assert client.post("/learn/courses/999999/review/", {"rating": "5"}).status_code == 404


def test_the_course_page_shows_the_rating_the_distribution_and_the_reviews(client, course, admin_user):
    five, four, other_four, hidden = write(course, 5, 4, 4, 1)
    reviews.hide_review(review=hidden, by=admin_user)
    html = client.get(course.url).content.decode()
    assert "★ 4.3" in html and "(3)" in html  # the header, from the course's fields
    section = reviews_section(html)
    for stars, count in ((5, 1), (4, 2), (3, 0), (2, 0), (1, 0)):
        assert f'data-stars="{stars}" data-count="{count}"' in section
    assert "rating-bars__fill pct-67" in section  # 2 of 3 give four stars
    assert "Rated 4.3 out of 5 by 3 learners" in section
    assert section.count('class="review"') == 3 and "1 stars" not in section
    assert section.index(f'id="review-{other_four.pk}"') < section.index(f'id="review-{five.pk}"')  # newest first
    assert "★★★★☆" in section


def test_review_text_is_escaped_on_the_site(client, course, student, enrolled):
    enrolled(student)
    reviews.post_review(learner=student, course=course, rating=4, text="<script>alert(1)</script>\n<b>x</b>")
    section = reviews_section(client.get(course.url).content.decode())
    assert "<script>alert(1)</script>" not in section and "<b>x</b>" not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;b&gt;x&lt;/b&gt;" in section


def test_the_course_page_shows_the_ten_newest_reviews_in_a_few_queries(client, course, django_assert_max_num_queries):
    write(course, 5)
    with CaptureQueriesContext(connection) as few:
        client.get(course.url)
    written = write(course, *([4] * 14))
    with django_assert_max_num_queries(len(few.captured_queries)):
        section = reviews_section(client.get(course.url).content.decode())
    assert section.count('class="review"') == 10 and "And 5 earlier reviews." in section
    assert f'id="review-{written[-1].pk}"' in section


def test_the_author_of_a_hidden_review_is_told(client, course, student, enrolled, admin_user):
    enrolled(student)
    review = reviews.post_review(learner=student, course=course, rating=1, text="Rude words")
    reviews.hide_review(review=review, by=admin_user)
    client.force_login(student)
    section = reviews_section(client.get(course.url).content.decode())
    assert "An administrator has hidden your review" in section
    assert 'class="review"' not in section
