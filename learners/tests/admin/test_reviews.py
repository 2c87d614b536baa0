"""The reviews' moderation queue: filters, hiding, showing again and deleting, each audited with the course's
rating kept right."""

import pytest
from wagtail.models import ModelLogEntry

from learners.models import Review
from learners.tests.admin.helpers import csv_rows, html, rating_of

pytestmark = pytest.mark.django_db


def test_reviews_queue_is_newest_first_and_filters(admin_client, portal):
    page = html(admin_client.get("/admin/reviews/"))
    assert page.index("Buy cheap pills") < page.index("Clear and kind.")
    assert "Clear and kind." not in html(admin_client.get("/admin/reviews/", {"rating": "1"}))
    assert "Buy cheap pills" in html(admin_client.get("/admin/reviews/", {"is_hidden": "false"}))
    assert "Buy cheap pills" not in html(admin_client.get("/admin/reviews/", {"is_hidden": "true"}))
    assert "Buy cheap pills" not in html(admin_client.get("/admin/reviews/", {"course": portal["other_course"].pk}))
    header, *data = csv_rows(admin_client.get("/admin/reviews/", {"export": "csv"}))
    assert header[:4] == ["Course", "Author", "Email", "Rating"]
    assert [row[3] for row in data] == ["1", "5"]


def test_hiding_a_review_keeps_the_rating_right_and_is_audited(admin_client, admin_user, portal):
    course, spam = portal["course"], Review.objects.get(rating=1)
    assert rating_of(course)[1] == 2

    response = admin_client.post(f"/admin/reviews/hide/{spam.pk}/", {"next": "/admin/reviews/?rating=1"})
    assert response.status_code == 302 and response["Location"] == "/admin/reviews/?rating=1"
    spam.refresh_from_db()
    assert spam.is_hidden
    assert rating_of(course) == (5, 1)
    assert "Buy cheap pills" in html(admin_client.get("/admin/reviews/", {"is_hidden": "true"}))
    entry = ModelLogEntry.objects.get(action="learners.review_hide", object_id=str(spam.pk))
    assert entry.user_id == admin_user.pk and entry.data["rating"] == 1 and entry.data["course"] == "Python"

    admin_client.post(f"/admin/reviews/hide/{spam.pk}/")  # hiding twice changes nothing, logs nothing
    assert ModelLogEntry.objects.filter(action="learners.review_hide").count() == 1

    admin_client.post(f"/admin/reviews/unhide/{spam.pk}/")
    spam.refresh_from_db()
    assert not spam.is_hidden and rating_of(course) == (3, 2)
    assert ModelLogEntry.objects.filter(action="learners.review_unhide", object_id=str(spam.pk)).exists()

    history = html(admin_client.get("/admin/reports/site-history/"))
    assert "Review hidden" in history and "Review shown again" in history


def test_deleting_a_review_keeps_the_rating_right_and_is_audited(admin_client, admin_user, portal):
    course, spam = portal["course"], Review.objects.get(rating=1)
    assert "Are you sure" in html(admin_client.get(f"/admin/reviews/delete/{spam.pk}/"))
    response = admin_client.post(f"/admin/reviews/delete/{spam.pk}/")
    assert response.status_code == 302
    assert not Review.objects.filter(pk=spam.pk).exists()
    assert rating_of(course) == (5, 1)
    entry = ModelLogEntry.objects.get(action="learners.review_delete", object_id=str(spam.pk))
    assert entry.user_id == admin_user.pk and entry.deleted and "spam.example" in entry.data["text"]
    assert "Review deleted" in html(admin_client.get("/admin/reports/site-history/"))


def test_review_inspect_offers_the_moderation_actions(admin_client, portal):
    spam = Review.objects.get(rating=1)
    page = html(admin_client.get(f"/admin/reviews/inspect/{spam.pk}/"))
    assert "Buy cheap pills" in page
    assert f"/admin/reviews/hide/{spam.pk}/" in page and f"/admin/reviews/delete/{spam.pk}/" in page
    assert html(admin_client.get("/admin/reviews/")).count(f"/admin/reviews/hide/{spam.pk}/") == 1
