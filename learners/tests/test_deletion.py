"""Deleting a user or a review keeps the same books at every door: the API, the admin (its delete view and
Wagtail's bulk delete), the site, and a plain ORM delete (a shell, a cascade). Ratings are recomputed,
certificate PDFs leave the storage, tokens stop working, and the audit log says who did it."""

import pytest
from django.core.files.base import ContentFile
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from wagtail.models import ModelLogEntry

from courses import services as course_services
from courses.models import CoursePage
from learners.models import Certificate, Review, User
from learners.services import learning, reviews
from learners.services.certificates import issue_certificate
from learners.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

USERS = "/api/v1/users/"


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def rating_of(course) -> tuple:
    course = CoursePage.objects.get(pk=course.pk)
    return (float(course.rating_avg) if course.rating_avg is not None else None, course.rating_count)


@pytest.fixture
def books(make_course, student, other_student, api):
    """The student reviewed Python (1★) and Rust (5★), has a certificate with its PDF and a refresh token;
    another student gave Python 5★."""
    python, rust = make_course(title="Python", lessons=1), make_course(title="Rust", lessons=1)
    for learner, course, stars in ((student, python, 1), (student, rust, 5), (other_student, python, 5)):
        learning.enroll(learner=learner, course=course)
        reviews.post_review(learner=learner, course=course, rating=stars, text=f"{stars} stars")
    certificate = issue_certificate(enrollment=student.enrollments.get(course=python))
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(b"%PDF-1.7 stand-in"))
    assert api.post("/api/v1/auth/token/", {"email": student.email, "password": PASSWORD}).status_code == 200
    assert rating_of(python) == (3.0, 2) and rating_of(rust) == (5.0, 1)
    return {"python": python, "rust": rust, "pdf": certificate.pdf}


def delete_through(door, user, *, admin_user, admin_client, as_user):
    if door == "api":
        assert as_user(admin_user).delete(f"{USERS}{user.pk}/").status_code == 204
    elif door == "admin":
        assert admin_client.post(f"/admin/users/delete/{user.pk}/").status_code == 302
    elif door == "admin bulk":
        response = admin_client.post(f"/admin/bulk/learners/user/delete/?id={user.pk}")
        assert response.status_code == 302, response.content
    else:  # a shell
        User.objects.get(pk=user.pk).delete()


DOORS = ["api", "admin", "admin bulk", "orm"]


@pytest.mark.parametrize("door", DOORS)
def test_deleting_a_learner_keeps_the_books_at_every_door(
    door, books, student, admin_user, admin_client, as_user, django_capture_on_commit_callbacks
):
    pdf = books["pdf"]
    assert pdf.storage.exists(pdf.name)
    with django_capture_on_commit_callbacks(execute=True):
        delete_through(door, student, admin_user=admin_user, admin_client=admin_client, as_user=as_user)

    assert not User.objects.filter(pk=student.pk).exists()
    # The courses they reviewed are rated without them.
    assert rating_of(books["python"]) == (5.0, 1)
    assert rating_of(books["rust"]) == (None, 0)
    # The PDF with their name left the media storage with the certificate.
    assert not Certificate.objects.filter(learner_id=student.pk).exists()
    assert not pdf.storage.exists(pdf.name)
    # No refresh token of theirs works any more.
    assert OutstandingToken.objects.filter(user__isnull=True).count() == BlacklistedToken.objects.count() >= 1
    # The audit log says who deleted the account and each review (nobody, from a shell).
    actor = None if door == "orm" else admin_user.pk
    account = ModelLogEntry.objects.get(action="wagtail.delete", object_id=str(student.pk))
    assert account.user_id == actor and account.deleted
    entries = ModelLogEntry.objects.filter(action="learners.review_delete")
    assert sorted(entry.data["rating"] for entry in entries) == [1, 5]
    assert {entry.user_id for entry in entries} == {actor}
    # The catalog shows the new ratings at once.
    listed = {
        card["title"]: card["rating_avg"] for card in as_user(admin_user).get("/api/v1/courses/").json()["results"]
    }
    assert listed == {"Python": 5.0, "Rust": None}


@pytest.mark.parametrize("door", DOORS)
def test_deleting_a_teacher_refreshes_the_catalogs_names_at_every_door(
    door, make_course, teacher, admin_user, admin_client, as_user, api, django_capture_on_commit_callbacks
):
    teacher.name = "Ada Lovelace"
    teacher.save()
    make_course(title="Python", lessons=1)

    def catalog(**params):
        body = api.get("/api/v1/courses/", params).json()
        return body["results"], [entry["label"] for entry in body["facets"]["teacher"]]

    results, teachers = catalog()
    assert results[0]["teacher"]["name"] == "Ada Lovelace" and teachers == ["Ada Lovelace"]
    assert len(catalog(search="lovelace")[0]) == 1  # the course's index entry holds its teacher's name
    with django_capture_on_commit_callbacks(execute=True):
        delete_through(door, teacher, admin_user=admin_user, admin_client=admin_client, as_user=as_user)

    results, teachers = catalog()
    assert [card["title"] for card in results] == ["Python"]  # the course stays, with no teacher
    assert results[0]["teacher"] is None and teachers == []
    assert catalog(search="lovelace")[0] == []  # reindexed without the name


def test_nobody_deletes_themselves_at_any_door(admin_user, admin_client, as_user):
    assert as_user(admin_user).delete(f"{USERS}{admin_user.pk}/").status_code == 400
    assert admin_client.post(f"/admin/users/delete/{admin_user.pk}/").status_code in (302, 403)
    admin_client.post(f"/admin/bulk/learners/user/delete/?id={admin_user.pk}")
    assert User.objects.filter(pk=admin_user.pk).exists()
    assert not ModelLogEntry.objects.filter(action="wagtail.delete").exists()


def test_a_pdf_rendered_after_its_certificate_was_deleted_is_not_kept(books, student):
    from learners.services.certificates import store_pdf

    certificate = Certificate.objects.get(learner=student)
    Certificate.objects.filter(pk=certificate.pk).delete()
    store_pdf(certificate)  # a background render that was already under way
    assert certificate.pdf.name and not certificate.pdf.storage.exists(certificate.pdf.name)


# --- reviews --------------------------------------------------------------------------------------------------


def delete_review_through(door, review, *, by, client, as_user):
    if door == "api":
        assert as_user(by).delete(f"/api/v1/reviews/{review.pk}/").status_code == 204
    elif door == "site":
        client.force_login(by)
        assert client.post(f"/learn/reviews/{review.pk}/delete/").status_code == 302
    elif door == "admin":
        client.force_login(by)
        assert client.post(f"/admin/reviews/delete/{review.pk}/").status_code == 302
    else:  # a shell
        Review.objects.get(pk=review.pk).delete()


@pytest.mark.parametrize(
    ("door", "by"),
    [("api", "author"), ("api", "admin"), ("site", "author"), ("site", "admin"), ("admin", "admin"), ("orm", None)],
)
def test_deleting_a_review_is_audited_and_the_rating_follows_at_every_door(
    door, by, books, student, admin_user, client, as_user
):
    review = Review.objects.get(learner=student, course=books["python"])
    actor = {"author": student, "admin": admin_user, None: None}[by]
    delete_review_through(door, review, by=actor, client=client, as_user=as_user)

    assert not Review.objects.filter(pk=review.pk).exists()
    assert rating_of(books["python"]) == (5.0, 1)
    entry = ModelLogEntry.objects.get(action="learners.review_delete", object_id=str(review.pk))
    assert entry.user_id == (actor.pk if actor else None) and entry.deleted
    assert entry.data == {"course": "Python", "author": str(student), "rating": 1, "text": "1 stars"}


def test_a_refused_deletion_leaves_no_audit_entry(books, student, other_student, as_user):
    review = Review.objects.get(learner=student, course=books["python"])
    assert as_user(other_student).delete(f"/api/v1/reviews/{review.pk}/").status_code == 403
    assert Review.objects.filter(pk=review.pk).exists()
    assert not ModelLogEntry.objects.filter(action="learners.review_delete").exists()


def test_hiding_a_review_is_audited_by_the_service(books, student, admin_user):
    review = Review.objects.get(learner=student, course=books["python"])
    reviews.hide_review(review=review, by=admin_user)
    reviews.hide_review(review=review, by=admin_user)  # already hidden: nothing changes, nothing is logged
    reviews.hide_review(review=review, by=admin_user, hidden=False)
    actions = list(ModelLogEntry.objects.filter(object_id=str(review.pk)).order_by("pk").values_list("action", "user"))
    assert actions == [("learners.review_hide", admin_user.pk), ("learners.review_unhide", admin_user.pk)]


def test_a_course_deleted_with_its_reviews_needs_no_rating(books, teacher, admin_user):
    course = CoursePage.objects.get(pk=books["python"].pk)
    course_services.delete_page(page=course, by=admin_user)
    assert not Review.objects.filter(course_id=course.pk).exists()
    # Gone with their course (whose deletion Wagtail logs): no moderation, no entries of their own.
    assert not ModelLogEntry.objects.filter(action="learners.review_delete").exists()
    assert rating_of(books["rust"]) == (5.0, 1)
