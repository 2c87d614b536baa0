"""The login's allowances also hold where a password is checked behind a session (the site's and the admin's
password change) and at a private page's shared password (per address, and per restriction for wrong guesses).
The doors and their limits: test_login_limits.py.
"""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from learners import throttles
from learners.tests.factories import PASSWORD
from learners.tests.login_limits_helpers import (
    BY_NAME,
    EMAIL,
    _random_forwarded_for,
    assert_logged_in,
    assert_refused,
    fresh_address,
)

pytestmark = pytest.mark.django_db


# --- passwords checked behind a session: the old password of a password change ------------------------------

NEW_PASSWORD = "Another-pass-55"


def _site_password_change(client, user, old, **extra):
    new = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    return client.post("/accounts/password/change/", {"old_password": old, **new}, **extra)


def _admin_account(user, old):
    return {
        "name_email-email": user.email,
        "name_email-first_name": "Ann",
        "name_email-last_name": "Teacher",
        "locale-preferred_language": "en",
        "theme-theme": "system",
        "theme-density": "default",
        "theme-contrast": "system",
        "password-old_password": old,
        "password-new_password1": NEW_PASSWORD,
        "password-new_password2": NEW_PASSWORD,
    }


def _admin_password_change(client, user, old, **extra):
    return client.post("/admin/account/", _admin_account(user, old), **extra)


PASSWORD_CHANGES = {"site password change": _site_password_change, "admin password change": _admin_password_change}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_changed(response, user, changed):
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) is changed, (response.status_code, response.content.decode()[:500])
    assert user.check_password(PASSWORD) is not changed


@pytest.mark.parametrize("change", PASSWORD_CHANGES.values(), ids=PASSWORD_CHANGES.keys())
def test_the_right_old_password_changes_the_password(change, target):
    response = change(signed_in(target), target, PASSWORD)
    assert response.status_code == 302
    assert_changed(response, target, True)


@pytest.mark.parametrize("change", PASSWORD_CHANGES.values(), ids=PASSWORD_CHANGES.keys())
def test_old_password_guesses_spend_the_accounts_login_limit(change, target, limits):
    limits(throttles.LOGIN, per_email="3/min")
    client = signed_in(target)  # a stolen session, guessing from ever new addresses
    for _ in range(3):
        response = change(client, target, "wrong-guess-1", **fresh_address())
        assert response.status_code == 200
        assert_changed(response, target, False)
    blocked = change(client, target, PASSWORD, **fresh_address())
    assert blocked.status_code == 429
    assert 1 <= int(blocked["Retry-After"]) <= 60
    assert "Too many attempts. Please try again in 1 minute." in blocked.content.decode()
    assert_changed(blocked, target, False)
    # the same allowance as the account's logins
    assert_refused(BY_NAME["site login"], BY_NAME["site login"].send(EMAIL, PASSWORD, **fresh_address()))


@pytest.mark.parametrize("change", PASSWORD_CHANGES.values(), ids=PASSWORD_CHANGES.keys())
def test_old_password_guesses_spend_the_addresss_login_limit(change, target, limits):
    limits(throttles.LOGIN, per_address="3/min")
    client = signed_in(target)
    for n in range(3):
        assert change(client, target, "wrong-guess-1", **_random_forwarded_for(n)).status_code == 200
    blocked = change(client, target, PASSWORD, **_random_forwarded_for(3))
    assert blocked.status_code == 429
    assert_changed(blocked, target, False)
    assert change(client, target, PASSWORD, REMOTE_ADDR="203.0.113.10").status_code == 302
    assert_changed(blocked, target, True)


def test_saving_the_admin_account_without_a_new_password_checks_and_counts_nothing(target, limits):
    limits(throttles.LOGIN, per_email="1/min")
    client = signed_in(target)
    body = {key: value for key, value in _admin_account(target, "wrong-guess-1").items() if "new_password" not in key}
    for _ in range(3):
        assert client.post("/admin/account/", body, **fresh_address()).status_code == 302
    assert_logged_in(BY_NAME["site login"], BY_NAME["site login"].send(EMAIL, PASSWORD, **fresh_address()), target)


# --- the shared password of a private page (Wagtail's page privacy) ----------------------------------------

SHARED = "open-sesame"


@pytest.fixture
def private_courses(make_course):
    """Two courses behind passwords of their own (Wagtail's Privacy: "a shared password")."""
    courses = [make_course(title=title, lessons=1) for title in ("Secret Python", "Secret Go")]
    return [
        (
            PageViewRestriction.objects.create(
                page=course, restriction_type=PageViewRestriction.PASSWORD, password=SHARED
            ),
            course,
        )
        for course in courses
    ]


def give_page_password(restriction, page, password, client=None, **extra):
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    return (client or Client()).post(url, {"password": password, "return_url": page.url}, **extra)


def assert_page_refused(response, client, page):
    assert response.status_code == 429, response.content.decode()[:500]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many attempts. Please try again in 1 minute." in response.content.decode()
    assert 'name="password"' in client.get(page.url).content.decode()  # still asked for the password


@pytest.fixture
def page_limits(limits, monkeypatch):
    def set_limits(per_restriction="1000/min", per_address="1000/min"):
        limits(throttles.LOGIN, per_address=per_address)
        monkeypatch.setattr(throttles.PagePasswordThrottle, "rate", per_restriction, raising=False)

    return set_limits


def test_the_right_page_password_opens_the_page(private_courses):
    (restriction, course), _ = private_courses
    client = Client()
    response = give_page_password(restriction, course, SHARED, client)
    assert response.status_code == 302
    assert 'name="password"' not in client.get(course.url).content.decode()


def test_wrong_page_passwords_spend_the_restrictions_limit(private_courses, page_limits):
    page_limits(per_restriction="3/min")
    (restriction, course), (other_restriction, other_course) = private_courses
    for _ in range(3):
        response = give_page_password(restriction, course, "guess-guess", **fresh_address())
        assert response.status_code == 200
        assert "The password you have entered is not correct." in response.content.decode()
    client = Client()
    assert_page_refused(give_page_password(restriction, course, SHARED, client, **fresh_address()), client, course)
    # another course's password is not held up
    assert give_page_password(other_restriction, other_course, SHARED, **fresh_address()).status_code == 302


def test_right_page_passwords_do_not_spend_the_restrictions_limit(private_courses, page_limits):
    page_limits(per_restriction="3/min")
    (restriction, course), _ = private_courses
    for _ in range(10):  # a class, each learner from an address of their own
        assert give_page_password(restriction, course, SHARED, **fresh_address()).status_code == 302


def test_page_passwords_spend_the_addresss_login_limit(private_courses, page_limits, target):
    page_limits(per_address="3/min")
    (restriction, course), (other_restriction, other_course) = private_courses
    BY_NAME["site login"].send(EMAIL, "wrong-guess-1", REMOTE_ADDR="203.0.113.5")
    give_page_password(restriction, course, "guess-guess", REMOTE_ADDR="203.0.113.5")
    give_page_password(other_restriction, other_course, SHARED, REMOTE_ADDR="203.0.113.5")
    client = Client()
    assert_page_refused(
        give_page_password(restriction, course, SHARED, client, REMOTE_ADDR="203.0.113.5"), client, course
    )
    assert give_page_password(restriction, course, SHARED, REMOTE_ADDR="203.0.113.6").status_code == 302


def test_a_random_forwarded_for_does_not_escape_the_page_password_limit(private_courses, page_limits):
    page_limits(per_address="3/min")
    (restriction, course), _ = private_courses
    for n in range(3):
        assert give_page_password(restriction, course, "guess-guess", **_random_forwarded_for(n)).status_code == 200
    client = Client()
    response = give_page_password(restriction, course, SHARED, client, **_random_forwarded_for(3))
    assert_page_refused(response, client, course)
