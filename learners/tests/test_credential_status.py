"""Revocation reaches the signed credential: the credential is withdrawn (410), every credential names its
bit in a signed revocation status list (W3C Bitstring Status List v1.0) that the portal publishes, and the
bit follows the database whichever door revoked the certificate."""

import base64
import gzip
import importlib
import threading

import jwt
import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format

from learners import models
from learners.models import STATUS_LIST_BLOCK, Certificate, RetiredStatusIndex
from learners.services import certificates, delete_user, learning

pytestmark = pytest.mark.django_db

STATUS_LIST = "/certificates/status/revocation/"


@pytest.fixture(autouse=True)
def _no_pdfs(settings):
    """The PDFs are another story (test_certificates.py): here their background renders are only queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def course(make_course):
    return make_course(title="Основы Python", lessons=1)


@pytest.fixture
def certify(course):
    """A certificate earned the real way: enrolling and completing the course's lesson."""

    def run(learner):
        learning.enroll(learner=learner, course=course)
        for lesson in course.lessons():
            learning.complete_lesson(learner=learner, lesson=lesson)
        return Certificate.objects.get(learner=learner, course=course)

    return run


def public_key(api):
    [key] = api.get("/.well-known/jwks.json").json()["keys"]
    return jwt.PyJWK(key).key


def status_list(api) -> dict:
    """The published status list, checked as an outside verifier would: signature, type, purpose."""
    response = api.get(STATUS_LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    claims = jwt.decode(response.content.decode(), public_key(api), algorithms=["EdDSA"])
    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert claims["vc"]["credentialSubject"] == claims["credentialSubject"]
    assert claims["credentialSubject"]["type"] == "BitstringStatusList"
    assert claims["credentialSubject"]["statusPurpose"] == "revocation"
    return claims


def bitstring(claims) -> bytes:
    encoded = claims["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")  # multibase: base64url without padding
    body = encoded[1:]
    assert "=" not in body
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit(api, index: int) -> int:
    bits = bitstring(status_list(api))
    return (bits[index // 8] >> (7 - index % 8)) & 1


# --- the credential names its status -------------------------------------------------------------------


def test_an_issued_credential_names_its_entry_in_the_status_list(certify, student, api, settings):
    certificate = certify(student)
    assert certificate.status_list_index is not None
    body = api.get(f"/api/v1/certificates/{certificate.code}/credential/").json()
    url = f"{settings.PORTAL_BASE_URL}{STATUS_LIST}"
    assert body["status_list_url"] == url
    claims = jwt.decode(body["credential"], public_key(api), algorithms=["EdDSA"])
    status = {
        "id": f"{url}#{certificate.status_list_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(certificate.status_list_index),
        "statusListCredential": url,
    }
    assert claims["credentialStatus"] == status and claims["vc"]["credentialStatus"] == status


def test_the_status_list_is_signed_big_enough_short_lived_and_all_clear_at_first(certify, student, api, settings):
    certificate = certify(student)
    response = api.get(STATUS_LIST)
    assert response["Cache-Control"] == f"public, max-age={settings.CERTIFICATE_STATUS_LIST_MAX_AGE}"
    claims = status_list(api)
    url = f"{settings.PORTAL_BASE_URL}{STATUS_LIST}"
    assert claims["id"] == url and claims["credentialSubject"]["id"] == f"{url}#list"
    assert claims["iss"] == claims["issuer"]["id"] == f"{settings.PORTAL_BASE_URL}/"
    assert claims["credentialSubject"]["ttl"] == settings.CERTIFICATE_STATUS_LIST_MAX_AGE * 1000
    assert claims["exp"] > timezone.now().timestamp()
    bits = bitstring(claims)
    assert len(bits) * 8 == STATUS_LIST_BLOCK == 131_072  # the specification's minimum, 16 KB
    assert not any(bits)
    assert bit(api, certificate.status_list_index) == 0


def test_a_changed_byte_of_the_status_list_breaks_its_signature(api):
    header, payload, signature = api.get(STATUS_LIST).content.decode().split(".")
    changed = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    with pytest.raises(jwt.PyJWTError):
        jwt.decode(".".join([header, changed, signature]), public_key(api), algorithms=["EdDSA"])


# --- revoking through every door sets the bit; the credential is withdrawn ------------------------------


def test_revoking_through_the_service_sets_the_bit_and_withdraws_the_credential(
    certify, student, other_student, admin_user, api
):
    certificate = certify(student)
    other = certify(other_student)
    certificates.revoke_certificate(certificate=certificate, by=admin_user, reason="Plagiarism in the final quiz")
    assert bit(api, certificate.status_list_index) == 1
    assert bit(api, other.status_list_index) == 0
    certificate.refresh_from_db()
    with pytest.raises(certificates.CertificateRevoked):
        certificates.credential(certificate)

    response = api.get(f"/api/v1/certificates/{certificate.code}/credential/")
    assert response.status_code == 410
    body = response.json()
    assert body["code"] == "certificate_revoked"
    assert "Plagiarism in the final quiz" in body["detail"]
    assert body["revoked_reason"] == "Plagiarism in the final quiz"
    assert body["revoked_at"] == api.get(f"/api/v1/certificates/{certificate.code}/").json()["revoked_at"]
    # The other certificate's credential is untouched; an unknown code is still 404.
    assert api.get(f"/api/v1/certificates/{other.code}/credential/").status_code == 200
    assert api.get("/api/v1/certificates/NOPE/credential/").status_code == 404


def test_revoking_in_the_wagtail_admin_sets_the_bit_and_withdraws_the_credential(
    certify, student, admin_user, client, api
):
    certificate = certify(student)
    client.force_login(admin_user)
    response = client.post(f"/admin/certificates/edit/{certificate.pk}/", {"revoked_reason": "Issued by mistake"})
    assert response.status_code == 302
    assert bit(api, certificate.status_list_index) == 1
    response = api.get(f"/api/v1/certificates/{certificate.code}/credential/")
    assert response.status_code == 410 and response.json()["revoked_reason"] == "Issued by mistake"


def test_the_bit_is_read_from_the_database_each_time(certify, student, api):
    """No door is needed for the list to follow: a revocation written straight to the table (a shell, a
    data fix) shows, and clearing it (there is no un-revoke door) clears the bit again."""
    certificate = certify(student)
    assert bit(api, certificate.status_list_index) == 0
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now(), revoked_reason="Data fix")
    assert bit(api, certificate.status_list_index) == 1
    assert api.get(f"/api/v1/certificates/{certificate.code}/credential/").status_code == 410
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=None, revoked_reason="")
    assert bit(api, certificate.status_list_index) == 0
    assert api.get(f"/api/v1/certificates/{certificate.code}/credential/").status_code == 200


def test_the_list_grows_by_whole_blocks_to_cover_every_index(certify, student, admin_user, api):
    certificate = certify(student)
    Certificate.objects.filter(pk=certificate.pk).update(status_list_index=STATUS_LIST_BLOCK + 5)
    certificate.refresh_from_db()
    certificates.revoke_certificate(certificate=certificate, by=admin_user, reason="x")
    bits = bitstring(status_list(api))
    assert len(bits) * 8 == 2 * STATUS_LIST_BLOCK
    assert bit(api, STATUS_LIST_BLOCK + 5) == 1 and sum(bin(byte).count("1") for byte in bits) == 1


def test_a_deleted_certificate_stays_revoked_in_the_list_and_its_index_is_never_given_again(
    certify, student, other_student, admin_user, api, monkeypatch
):
    """A deleted learner's certificate no longer verifies; a verifier holding its credential must not
    read a cleared bit (valid) in the list, and no later certificate may inherit the index."""
    certificate = certify(student)
    index = certificate.status_list_index
    certificates.revoke_certificate(certificate=certificate, by=admin_user, reason="Fraud")
    delete_user(user=student, by=admin_user)
    assert not Certificate.objects.filter(pk=certificate.pk).exists()
    assert RetiredStatusIndex.objects.filter(index=index).exists()
    assert bit(api, index) == 1

    draws = iter([{index}, {index + 1}])
    monkeypatch.setattr(models, "draw_status_list_indices", lambda size, count=16: next(draws))
    other = certify(other_student)
    assert other.status_list_index == index + 1
    # Deleted with no door at all (a shell): the same.
    other.delete()
    assert bit(api, index + 1) == 1


# --- the verification page: one verdict ---------------------------------------------------------------


def test_the_page_of_a_revoked_certificate_shows_one_verdict_and_no_success_tick(
    certify, student, admin_user, client
):
    certificate = certify(student)
    html = client.get(f"/certificates/{certificate.code}/").content.decode()
    assert "This certificate is valid." in html and "checks out against the portal" in html
    certificates.revoke_certificate(certificate=certificate, by=admin_user, reason="Plagiarism in the final quiz")
    certificate.refresh_from_db()
    response = client.get(f"/certificates/{certificate.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "has been revoked and is not valid" in html
    assert "Plagiarism in the final quiz" in html
    assert f"Revoked on {date_format(timezone.localtime(certificate.revoked_at), 'DATE_FORMAT')}." in html
    assert "✓" not in html and "checks out" not in html and "is valid." not in html
    assert STATUS_LIST in html
    assert f"/api/v1/certificates/{certificate.code}/credential/" not in html  # no link to a withdrawn credential


# --- indices are unique -------------------------------------------------------------------------------


def test_two_certificates_cannot_share_an_index(certify, student, other_student):
    certificate = certify(student)
    other = certify(other_student)
    assert certificate.status_list_index != other.status_list_index
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=other.pk).update(status_list_index=certificate.status_list_index)


def test_indices_are_random_not_in_issue_order(make_course, make_user_named):
    """Bitstring Status List's privacy advice: an index must not tell when, or after whom, one was issued."""
    course = make_course(lessons=1)
    indices = []
    for number in range(6):
        learner = make_user_named(f"Learner {number}")
        enrollment = learning.enroll(learner=learner, course=course)
        indices.append(certificates.issue_certificate(enrollment=enrollment).status_list_index)
    assert len(set(indices)) == 6 and all(0 <= index < STATUS_LIST_BLOCK for index in indices)
    assert indices != sorted(indices) and max(indices) > 6


@pytest.fixture
def make_user_named(db):
    from learners.tests.factories import UserFactory

    return lambda name: UserFactory(name=name)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_certificates_issued_at_the_same_moment_with_the_same_draw_get_different_indices(
    make_course, student, other_student, monkeypatch
):
    """Both issues draw index 7 and both find it free (neither has committed): the unique constraint
    stops the second, which draws again."""
    course = make_course(lessons=1)
    enrollments = [learning.enroll(learner=learner, course=course) for learner in (student, other_student)]
    lock = threading.Lock()
    draws = iter([{7}, {7}, {8}, {9}])
    found = []
    both_found = threading.Barrier(2, timeout=10)
    real_free_index = models.free_status_list_index

    def draw(size, count=16):
        with lock:
            return next(draws)

    def free_index():
        index = real_free_index()
        with lock:
            found.append(index)
            first_two = len(found) <= 2
        if first_two:
            both_found.wait()  # neither inserts before both have seen 7 free
        return index

    monkeypatch.setattr(models, "draw_status_list_indices", draw)
    monkeypatch.setattr(models, "free_status_list_index", free_index)
    errors = []

    def issue(enrollment):
        try:
            with transaction.atomic():
                certificates.issue_certificate(enrollment=enrollment)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(enrollment,)) for enrollment in enrollments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert found == [7, 7, 8]
    assert sorted(Certificate.objects.values_list("status_list_index", flat=True)) == [7, 8]


def test_the_migration_gives_every_existing_certificate_a_unique_index(make_course, make_user_named):
    """0004's backfill, run on certificates from before it (the column's NOT NULL is dropped for the test;
    PostgreSQL rolls the change back with the test's transaction)."""
    from django.apps import apps

    backfill = importlib.import_module("learners.migrations.0004_certificate_status_list_index").give_indices
    course = make_course(lessons=1)
    for number in range(30):
        enrollment = learning.enroll(learner=make_user_named(f"Learner {number}"), course=course)
        certificates.issue_certificate(enrollment=enrollment)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the rows' deferred checks first: then ALTER may run
        cursor.execute("ALTER TABLE learners_certificate ALTER COLUMN status_list_index DROP NOT NULL")
    Certificate.objects.update(status_list_index=None)
    backfill(apps, None)
    indices = list(Certificate.objects.values_list("status_list_index", flat=True))
    assert len(indices) == 30 and len(set(indices)) == 30
    assert all(0 <= index < STATUS_LIST_BLOCK for index in indices)
