"""The learner's language (chosen at sign-up and with the site's switch, or in the API's profile) and the
certificate's: the learner's at the time of issue, kept, every label and date of its PDF in it."""

import io

import pytest
from django.conf import settings
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from learners.models import Certificate, User
from learners.services import certificates, learning
from learners.tests.api_accounts_helpers import ME, REGISTER
from learners.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ENGLISH_LABELS = ("Certificate of completion", "This certifies that", "has completed the course", "Certificate code")
RUSSIAN_LABELS = ("Сертификат о прохождении курса", "Настоящим подтверждается, что", "Код сертификата")


def pdf_text(data: bytes) -> str:
    """The PDF's words, with its lines joined (a long heading wraps)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def course(make_course):
    return make_course(title="Основы Python", lessons=1)


@pytest.fixture
def complete(django_capture_on_commit_callbacks):
    def run(learner, course):
        with django_capture_on_commit_callbacks(execute=True):
            learning.enroll(learner=learner, course=course)
            for lesson in course.lessons():
                learning.complete_lesson(learner=learner, lesson=lesson)
        certificate = Certificate.objects.get(learner=learner, course=course)
        return certificate, certificate.pdf.read()

    return run


def switch(client, language):
    return client.post("/i18n/setlang/", {"language": language, "next": "/"})


# --- the learner's language ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ru", "en"])
def test_signing_up_on_the_site_records_the_active_language(client, catalog, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    data = {"name": "Вера", "email": f"vera-{language}@example.com", "password": "Long-and-unusual-42"}
    assert client.post("/accounts/signup/", data).status_code == 302
    assert User.objects.get(email=data["email"]).language == language


def test_logging_in_on_a_browser_without_a_language_brings_back_the_accounts(client, catalog):
    learner = UserFactory(language="ru")
    response = client.post("/accounts/login/", {"username": learner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert '<html lang="ru"' in client.get("/").content.decode()


def test_a_language_chosen_before_logging_in_is_the_latest_choice_and_the_account_takes_it(client, catalog):
    learner = UserFactory(language="ru")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bogus"
    failed = client.post("/accounts/login/", {"username": learner.email, "password": "wrong"})
    assert settings.LANGUAGE_COOKIE_NAME not in failed.cookies  # a failed login changes nothing
    client.post("/accounts/login/", {"username": learner.email, "password": PASSWORD})
    learner.refresh_from_db()
    assert learner.language == "ru" and client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"  # not a language
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the visitor switched to English, then logs in
    response = client.post("/accounts/login/", {"username": learner.email, "password": PASSWORD})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies  # the site stays as the visitor chose
    learner.refresh_from_db()
    assert learner.language == "en"


def test_signing_up_through_the_api_records_the_apps_language(api):
    data = {"name": "Олег", "email": "oleg@example.com", "password": "Long-and-unusual-42"}
    response = api.post(REGISTER, data, format="json", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    assert response.status_code == 201 and response.json()["language"] == "ru"
    assert User.objects.get(email="oleg@example.com").language == "ru"
    data = {"name": "Olga", "email": "olga@example.com", "password": "Long-and-unusual-42"}
    response = api.post(REGISTER, data, format="json", HTTP_ACCEPT_LANGUAGE="de")  # not one of ours
    assert response.json()["language"] == "en"


def test_switching_the_sites_language_records_it(client, student, catalog):
    client.force_login(student)
    response = switch(client, "ru")
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    student.refresh_from_db()
    assert student.language == "ru"
    switch(client, "en")
    student.refresh_from_db()
    assert student.language == "en"


def test_a_language_the_portal_lacks_changes_nothing(client, student, catalog):
    client.force_login(student)
    response = switch(client, "xx")
    assert response.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert client.get("/i18n/setlang/").status_code == 302  # a GET only goes back
    student.refresh_from_db()
    assert student.language == "en"


def test_a_visitor_switches_without_an_account(client, catalog):
    response = switch(client, "ru")
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_the_api_profile_shows_and_sets_the_language(student, as_user):
    client = as_user(student)
    assert client.get(ME).json()["language"] == "en"
    assert client.patch(ME, {"language": "ru"}).json()["language"] == "ru"
    student.refresh_from_db()
    assert student.language == "ru"
    response = client.patch(ME, {"language": "de"})
    assert response.status_code == 400 and "language" in response.json()
    student.refresh_from_db()
    assert student.language == "ru"


# --- the certificate's language ----------------------------------------------------------------------


def test_a_russian_learners_certificate_is_in_russian(complete, course):
    russian, russian_pdf = complete(UserFactory(name="Ирина Соколова", language="ru"), course)
    english, english_pdf = complete(UserFactory(name="Irina Sokolova", language="en"), course)
    assert (russian.language, english.language) == ("ru", "en")

    text = pdf_text(russian_pdf)
    assert all(label in text for label in RUSSIAN_LABELS), text
    assert not any(label in text for label in ENGLISH_LABELS), text
    with translation.override("ru"):
        issued = formats.date_format(timezone.localtime(russian.issued_at), "j E Y")
    assert issued in text  # "1 декабря 2026": the month in Russian

    text = pdf_text(english_pdf)
    assert all(label in text for label in ENGLISH_LABELS)
    assert not any(label in text for label in RUSSIAN_LABELS)
    assert russian_pdf != english_pdf


def test_the_certificate_keeps_its_language_when_the_learner_switches(complete, course, client, admin_user):
    learner = UserFactory(language="ru")
    certificate, _ = complete(learner, course)
    client.force_login(learner)
    switch(client, "en")
    learner.refresh_from_db()
    assert learner.language == "en"

    certificates.revoke_certificate(certificate=certificate, by=admin_user, reason="Ошибка")
    certificate.refresh_from_db()
    assert certificate.language == "ru"
    text = pdf_text(certificates.store_pdf(certificate).pdf.read())  # made again, after the revocation
    assert "ОТОЗВАН" in text and "REVOKED" not in text


def test_the_verification_page_stays_in_the_visitors_language(complete, course, client):
    certificate, _ = complete(UserFactory(language="ru"), course)
    html = client.get(f"/certificates/{certificate.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This certificate is valid." in html
