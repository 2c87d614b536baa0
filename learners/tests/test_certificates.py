"""Certificates: issued once on completion, a real PDF with Cyrillic text, verifiable, revocable, signed."""

import io

import jwt
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from pypdf import PdfReader

from conftest import at_once
from learners.models import Certificate
from learners.services import certificates, learning

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(make_user_named):
    return make_user_named("Ирина Соколова-Łukasz")


@pytest.fixture
def make_user_named(db):
    from learners.tests.factories import UserFactory

    return lambda name: UserFactory(name=name)


@pytest.fixture
def course(make_course):
    return make_course(title="Основы Python", lessons=2)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Tests run in a transaction that never commits: this runs the after-commit work (the PDF task)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def complete(committed):
    def run(learner, course):
        with committed():
            learning.enroll(learner=learner, course=course)
            for lesson in course.lessons():
                learning.complete_lesson(learner=learner, lesson=lesson)
        return Certificate.objects.get(learner=learner, course=course)

    return run


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- issuing ------------------------------------------------------------------------------------------


def test_a_certificate_is_issued_only_on_completion(learner, course):
    learning.enroll(learner=learner, course=course)
    first, second = course.lessons()
    learning.complete_lesson(learner=learner, lesson=first)
    assert not Certificate.objects.exists()
    learning.complete_lesson(learner=learner, lesson=second)
    certificate = Certificate.objects.get()
    assert certificate.learner_name == "Ирина Соколова-Łukasz" and certificate.course_title == "Основы Python"
    assert certificate.teacher_name == course.owner.name
    assert len(certificate.code) == 20 and certificate.code.isalnum()


def test_completing_again_does_not_issue_a_second_one(complete, learner, course, teacher):
    from courses import services as authoring

    certificate = complete(learner, course)
    authoring.add_lesson(course=course, by=teacher, title="Bonus", body=[])
    learning.complete_lesson(learner=learner, lesson=list(course.lessons())[-1])
    assert list(Certificate.objects.values_list("pk", flat=True)) == [certificate.pk]


def test_codes_are_unique_and_unguessable(complete, make_course, make_user_named):
    course = make_course(lessons=1)
    codes = {complete(make_user_named(f"Learner {n}"), course).code for n in range(5)}
    assert len(codes) == 5
    assert all(set(code) <= set(certificates.CODE_ALPHABET) for code in codes)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_last_two_completions_racing_issue_one_certificate(make_course, student):
    course = make_course(lessons=2)
    learning.enroll(learner=student, course=course)
    first, second = course.lessons()
    # Both lessons are open once the first is done; complete the first, then race two completions of
    # the last lesson (a double click) — and a second race on a fresh learner below.
    learning.complete_lesson(learner=student, lesson=first)
    at_once([lambda: learning.complete_lesson(learner=student, lesson=second)] * 2)  # neither raises
    assert Certificate.objects.filter(learner=student, course=course).count() == 1


# --- the PDF ------------------------------------------------------------------------------------------


def test_the_pdf_is_real_and_holds_the_cyrillic_name_and_the_course(complete, learner, course):
    certificate = complete(learner, course)
    certificate.refresh_from_db()
    assert certificate.pdf.name.endswith(".pdf")  # made by the background task
    data = certificate.pdf.read()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Ирина Соколова-Łukasz" in text
    assert "Основы Python" in text
    assert certificate.code in text
    assert course.owner.name in text


def test_the_pdf_shows_the_portal_signer(complete, learner, course):
    from lms.models import PortalSettings

    portal = PortalSettings.load()
    portal.certificate_signer_name = "Мария Директорова"
    portal.certificate_signer_title = "Директор"
    portal.save()
    certificate = complete(learner, course)
    assert "Мария Директорова" in pdf_text(certificates.render_pdf(certificate))


def test_the_owner_downloads_the_pdf_and_others_cannot(
    complete, learner, course, as_user, other_student, admin_user, api
):
    certificate = complete(learner, course)
    url = f"/api/v1/certificates/{certificate.code}/pdf/"
    response = as_user(learner).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert as_user(admin_user).get(url).status_code == 200
    assert as_user(other_student).get(url).status_code == 404
    assert api.get(url).status_code == 401


def test_a_missing_pdf_file_is_made_again_on_demand(complete, learner, course, as_user):
    certificate = complete(learner, course)
    certificate.refresh_from_db()
    certificate.pdf.storage.delete(certificate.pdf.name)
    response = as_user(learner).get(f"/api/v1/certificates/{certificate.code}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_completing_the_course_only_enqueues_the_pdf(complete, learner, course, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    certificate = complete(learner, course)
    certificate.refresh_from_db()
    assert not certificate.pdf  # not made in the request that completed the course
    assert [r.args for r in default_task_backend.results if r.task.name == "render_certificate_pdf"] == [
        [certificate.pk]
    ]


# --- verifying ----------------------------------------------------------------------------------------


def test_public_verification_json_and_page(complete, learner, course, api, client):
    certificate = complete(learner, course)
    body = api.get(f"/api/v1/certificates/{certificate.code}/").json()
    assert body["code"] == certificate.code and body["learner_name"] == "Ирина Соколова-Łukasz"
    assert body["course_title"] == "Основы Python" and body["valid"] is True and body["issued_at"]
    html = client.get(f"/certificates/{certificate.code.lower()}/").content.decode()
    assert "This certificate is valid." in html and "Ирина Соколова-Łukasz" in html
    assert "checks out against the portal" in html
    assert api.get("/api/v1/certificates/NOPE/").status_code == 404
    assert client.get("/certificates/NOPE/").status_code == 404


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("%00", 400),  # a NUL is refused before routing (lms.inputs)
        ("A%00B", 400),
        ("ABC%20", 404),  # the code's alphabet only: no route, no query
        ("O0I1", 404),
        ("%C2%B2", 404),
        ("%FF", 404),
        ("A" * 33, 404),
        ("A" * 5000, 404),
        ("..%2F..", 404),
    ],
    ids=lambda value: str(value)[:12],
)
def test_codes_outside_the_alphabet_never_reach_the_database(complete, learner, course, as_user, client, code, status):
    from django.test.utils import CaptureQueriesContext

    certificate = complete(learner, course)
    client.force_login(learner)
    api = as_user(learner)
    urls = [f"/certificates/{code}/", f"/certificates/{code}/pdf/"]
    api_urls = [f"/api/v1/certificates/{code}/{tail}" for tail in ("", "pdf/", "credential/")]
    for url in urls + api_urls:
        with CaptureQueriesContext(connection) as queries:
            response = (api if url in api_urls else client).get(url)
        assert response.status_code == status, url
        assert not [query for query in queries if Certificate._meta.db_table in query["sql"]], url
    for url in (f"/certificates/{certificate.code.lower()}/", f"/api/v1/certificates/{certificate.code.lower()}/"):
        assert (client if url.startswith("/cert") else api).get(url).status_code == 200


def test_revoking_makes_it_not_valid_everywhere(complete, committed, learner, course, api, client, admin_user, teacher):
    certificate = complete(learner, course)
    with pytest.raises(PermissionDenied):
        certificates.revoke_certificate(certificate=certificate, by=teacher, reason="no")
    with committed():
        certificates.revoke_certificate(certificate=certificate, by=admin_user, reason="Plagiarism in the final quiz")
    body = api.get(f"/api/v1/certificates/{certificate.code}/").json()
    assert body["valid"] is False and body["revoked_reason"] == "Plagiarism in the final quiz"
    assert "has been revoked" in client.get(f"/certificates/{certificate.code}/").content.decode()
    certificate.refresh_from_db()
    assert "REVOKED" in pdf_text(certificate.pdf.read())


def test_admins_revoke_in_the_wagtail_admin_and_others_cannot(complete, learner, course, client, admin_user, teacher):
    from wagtail.models import ModelLogEntry

    certificate = complete(learner, course)
    client.force_login(teacher)
    assert client.get("/admin/certificates/").status_code in (302, 403)
    client.post(f"/admin/certificates/edit/{certificate.pk}/", {"revoked_reason": "x"})
    certificate.refresh_from_db()
    assert certificate.is_valid
    client.force_login(admin_user)
    assert certificate.code in client.get("/admin/certificates/").content.decode()
    response = client.post(f"/admin/certificates/edit/{certificate.pk}/", {"revoked_reason": "Issued by mistake"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoked_reason == "Issued by mistake"
    assert ModelLogEntry.objects.filter(action="learners.certificate_revoke", user=admin_user).exists()
    assert client.get("/admin/certificates/new/").status_code in (302, 403)


def test_deleting_or_unpublishing_the_course_keeps_certificates_verifiable(complete, learner, course, teacher, api):
    from courses import services as authoring

    certificate = complete(learner, course)
    course.unpublish()
    assert api.get(f"/api/v1/certificates/{certificate.code}/").json()["valid"] is True
    authoring.delete_page(page=course, by=teacher)
    body = api.get(f"/api/v1/certificates/{certificate.code}/").json()
    assert body["valid"] is True and body["course_title"] == "Основы Python"


def test_my_certificates(complete, learner, course, as_user, other_student):
    certificate = complete(learner, course)
    body = as_user(learner).get("/api/v1/me/certificates/").json()
    [item] = body["results"]
    assert item["code"] == certificate.code and item["course"] == {"id": course.pk, "title": "Основы Python"}
    assert item["verify_url"].endswith(f"/certificates/{certificate.code}/")
    assert item["pdf_url"].endswith(f"/api/v1/certificates/{certificate.code}/pdf/")
    assert as_user(other_student).get("/api/v1/me/certificates/").json()["count"] == 0


def test_my_learning_lists_certificates(complete, learner, course, client):
    certificate = complete(learner, course)
    client.force_login(learner)
    html = client.get("/learn/").content.decode()
    # Listed once, in the page's body; the <title> is plain text.
    title = html[html.index("<title>") : html.index("</title>")]
    assert "<section" not in title and certificate.code not in title
    body = html[html.index("</title>") :]
    assert body.count(f"/certificates/{certificate.code}/pdf/") == 1


# --- the signed credential ----------------------------------------------------------------------------


def test_the_credential_verifies_with_the_published_key(complete, learner, course, api):
    certificate = complete(learner, course)
    body = api.get(f"/api/v1/certificates/{certificate.code}/credential/").json()
    token = body["credential"]
    jwks = api.get("/.well-known/jwks.json").json()
    [key] = jwks["keys"]
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["alg"] == "EdDSA" and "d" not in key
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
    claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=["EdDSA"])
    assert "OpenBadgeCredential" in claims["vc"]["type"]
    assert claims["vc"]["credentialSubject"]["name"] == "Ирина Соколова-Łukasz"
    assert claims["vc"]["credentialSubject"]["achievement"]["name"] == "Основы Python"


@pytest.mark.parametrize("position", [10, -10])
def test_a_changed_byte_breaks_the_signature(complete, learner, course, api, position):
    certificate = complete(learner, course)
    token = api.get(f"/api/v1/certificates/{certificate.code}/credential/").json()["credential"]
    key = jwt.PyJWK(api.get("/.well-known/jwks.json").json()["keys"][0]).key
    header, payload, signature = token.split(".")
    target = payload if position > 0 else signature
    index = position if position > 0 else len(target) + position
    changed = target[:index] + ("A" if target[index] != "A" else "B") + target[index + 1 :]
    tampered = ".".join([header, changed, signature] if position > 0 else [header, payload, changed])
    with pytest.raises(jwt.PyJWTError):
        jwt.decode(tampered, key, algorithms=["EdDSA"])


def test_the_signing_key_is_made_once_and_kept(settings, tmp_path):
    from learners import credentials

    credentials._load_key.cache_clear()
    first = credentials.public_jwk()
    credentials._load_key.cache_clear()
    assert credentials.public_jwk() == first
    assert oct(settings.CERTIFICATE_SIGNING_KEY_FILE.stat().st_mode)[-3:] == "600"
