"""The "Learning" listings in the Wagtail admin: who gets in, and what nobody does by hand."""

import pytest

from learners.models import Certificate, Enrollment, Review
from learners.tests.admin.helpers import DENIED, LISTINGS, html
from quizzes.models import Attempt

pytestmark = pytest.mark.django_db


def test_the_learning_menu_groups_the_listings_for_admins_only(client, admin_user, teacher, portal):
    client.force_login(admin_user)
    home = html(client.get("/admin/"))
    assert "Learning" in home
    for url in LISTINGS:
        assert url in home
        assert client.get(url).status_code == 200

    client.force_login(teacher)
    home = html(client.get("/admin/"))
    assert not any(url in home for url in LISTINGS)


@pytest.mark.parametrize("url", LISTINGS)
def test_teachers_and_students_cannot_open_the_listings(client, teacher, student, portal, url):
    for user in (teacher, student):
        client.force_login(user)
        assert client.get(url).status_code in DENIED
        assert client.get(url, {"export": "csv"}).status_code in DENIED


def test_teachers_and_students_cannot_moderate_or_revoke(client, teacher, student, portal):
    review = Review.objects.get(rating=1)
    certificate = Certificate.objects.get()
    for user in (teacher, student):
        client.force_login(user)
        assert client.post(f"/admin/reviews/hide/{review.pk}/").status_code in DENIED
        assert client.post(f"/admin/reviews/delete/{review.pk}/").status_code in DENIED
        assert client.post(f"/admin/certificates/edit/{certificate.pk}/", {"revoked_reason": "x"}).status_code in DENIED
    review.refresh_from_db()
    certificate.refresh_from_db()
    assert not review.is_hidden and certificate.is_valid


@pytest.mark.parametrize(
    ("model", "prefix"), [(Enrollment, "enrollments"), (Attempt, "quiz-attempts"), (Review, "reviews")]
)
def test_records_are_never_added_or_edited_by_hand(admin_client, portal, model, prefix):
    record = model.objects.first()
    assert admin_client.get(f"/admin/{prefix}/new/").status_code in DENIED
    assert admin_client.post(f"/admin/{prefix}/new/", {}).status_code in DENIED
    assert admin_client.get(f"/admin/{prefix}/edit/{record.pk}/").status_code in DENIED
    assert admin_client.post(f"/admin/{prefix}/edit/{record.pk}/", {}).status_code in DENIED
    if model is not Review:  # a review may be deleted (see below); a learner's enrollment or attempt may not
        assert admin_client.post(f"/admin/{prefix}/delete/{record.pk}/").status_code in DENIED
    assert model.objects.filter(pk=record.pk).exists()
