"""Deleting a user in the admin: what the page says goes with them, and what is left after."""

import pytest
from django.core.files.base import ContentFile
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from wagtail.models import ModelLogEntry

from courses.models import CoursePage
from learners.models import Certificate, Enrollment, User
from learners.tests.admin.helpers import DENIED, html, rating_of
from learners.tests.factories import PASSWORD
from quizzes.models import Attempt

pytestmark = pytest.mark.django_db


def test_deleting_a_learner_says_what_goes_and_recommends_deactivating(admin_client, portal, student):
    page = html(admin_client.get(f"/admin/users/delete/{student.pk}/"))
    assert "1 enrollment, with its progress" in page
    assert "2 completed lessons" in page
    assert "2 quiz attempts" in page
    assert "1 certificate: its code will no longer verify" in page
    assert "1 review: the course's rating is recomputed without it" in page
    assert "Consider deactivating the account instead." in page
    assert f"/admin/users/edit/{student.pk}/" in page


def test_deleting_a_teacher_says_their_courses_stay(admin_client, portal, teacher):
    page = html(admin_client.get(f"/admin/users/delete/{teacher.pk}/"))
    assert "The 1 course they teach stays" in page
    assert "enrollment" not in page.split("The 1 course")[0].split("cannot be undone")[-1]


def test_deleting_a_user_leaves_no_broken_rows(
    admin_client, admin_user, portal, student, api, django_capture_on_commit_callbacks
):
    course = portal["course"]
    api.post("/api/v1/auth/token/", {"email": student.email, "password": PASSWORD})
    certificate = Certificate.objects.get(learner=student)
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(b"%PDF-1.7 stand-in"))
    pdf = certificate.pdf
    code = certificate.code
    assert rating_of(course) == (3, 2)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/users/delete/{student.pk}/")
    assert response.status_code == 302
    assert not pdf.storage.exists(pdf.name)  # the PDF with their name left the media storage too
    assert not User.objects.filter(pk=student.pk).exists()
    assert not Enrollment.objects.filter(learner_id=student.pk).exists()
    assert not Attempt.objects.filter(learner_id=student.pk).exists()
    assert not Certificate.objects.filter(code=code).exists()
    assert admin_client.get(f"/certificates/{code}/").status_code == 404
    assert rating_of(course) == (1, 1)  # recomputed without the deleted learner's review
    # Their refresh tokens were blacklisted before the account went.
    assert OutstandingToken.objects.filter(user__isnull=True).count() == BlacklistedToken.objects.count() >= 1
    assert ModelLogEntry.objects.filter(action="wagtail.delete", object_id=str(student.pk), user=admin_user).exists()
    assert ModelLogEntry.objects.filter(action="learners.review_delete").count() == 1


def test_deleting_a_teacher_keeps_their_courses_without_an_owner(admin_client, portal, teacher):
    assert admin_client.post(f"/admin/users/delete/{teacher.pk}/").status_code == 302
    course = CoursePage.objects.get(pk=portal["course"].pk)
    assert course.owner_id is None
    assert Enrollment.objects.filter(course=course).count() == 2
    assert Certificate.objects.get().teacher_name  # what the certificate says is kept on it


def test_an_admin_cannot_delete_themselves(admin_client, admin_user):
    assert admin_client.post(f"/admin/users/delete/{admin_user.pk}/").status_code in DENIED
    assert User.objects.filter(pk=admin_user.pk).exists()
