"""Login limits hold at every door: the API's token and register, the site's login, password reset and sign-up,
and the Wagtail admin's login and password reset. One allowance per email and one per client address, counted
in the email's one normalised form and by the one client address (`lms.throttles.client_address`). The login's
allowances also hold where a password is checked behind a session (the site's and the admin's password change)
and at a private page's shared password (per address, and per restriction for wrong guesses).

(The API has no password reset endpoint: its doors are token and register.)
"""

import importlib
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import BaseThrottle
from wagtail.models import PageViewRestriction

from learners import throttles
from learners.models import Role, User, normalize_email
from learners.tests.factories import PASSWORD, UserFactory
from lms import throttles as client_throttles
from lms.throttles import client_address

pytestmark = pytest.mark.django_db

EMAIL = "student@example.com"
LONG_S = "ſtudent@example.com"  # U+017F, which NFKC makes an "s"
DOTLESS = "stud\u0131ent@example.com"  # U+0131, a letter of its own: another address
GOOD_NEW_PASSWORD = "Sturdy-pass-91"


@dataclass
class Door:
    name: str
    limits: tuple
    api: bool
    send: Callable  # (email, password=..., **request extras) -> response, each from a fresh client


def _api(path, body, extra):
    return APIClient().post(path, body, format="json", **extra)


def _site(path, body, extra):
    return Client().post(path, body, **extra)


DOORS = [
    Door(
        "api token",
        throttles.LOGIN,
        True,
        lambda email, password=PASSWORD, **extra: _api(
            "/api/v1/auth/token/", {"email": email, "password": password}, extra
        ),
    ),
    Door(
        "site login",
        throttles.LOGIN,
        False,
        lambda email, password=PASSWORD, **extra: _site(
            "/accounts/login/", {"username": email, "password": password}, extra
        ),
    ),
    Door(
        "admin login",
        throttles.LOGIN,
        False,
        lambda email, password=PASSWORD, **extra: _site(
            "/admin/login/", {"username": email, "password": password}, extra
        ),
    ),
    Door(
        "site password reset",
        throttles.PASSWORD_RESET,
        False,
        lambda email, password=None, **extra: _site("/accounts/password/reset/", {"email": email}, extra),
    ),
    Door(
        "admin password reset",
        throttles.PASSWORD_RESET,
        False,
        lambda email, password=None, **extra: _site("/admin/password_reset/", {"email": email}, extra),
    ),
    Door(
        "site sign-up",
        throttles.SIGNUP,
        False,
        lambda email, password=GOOD_NEW_PASSWORD, **extra: _site(
            "/accounts/signup/", {"name": "New Learner", "email": email, "password": password}, extra
        ),
    ),
    Door(
        "api register",
        throttles.SIGNUP,
        True,
        lambda email, password=GOOD_NEW_PASSWORD, **extra: _api(
            "/api/v1/auth/register/", {"name": "New Learner", "email": email, "password": password}, extra
        ),
    ),
]
BY_NAME = {door.name: door for door in DOORS}
LOGIN_DOORS = [door for door in DOORS if door.limits is throttles.LOGIN]
RESET_DOORS = [door for door in DOORS if door.limits is throttles.PASSWORD_RESET]
SIGNUP_DOORS = [door for door in DOORS if door.limits is throttles.SIGNUP]


def names(doors):
    return [door.name for door in doors]


_addresses = (f"198.51.100.{n}" for n in itertools.count(1))


def fresh_address() -> dict:
    return {"REMOTE_ADDR": next(_addresses)}


@pytest.fixture
def limits(monkeypatch):
    """Set the rates of one kind of attempt for a test; the clock stands still so no test straddles two windows."""
    now = time.time()
    monkeypatch.setattr(throttles.AtomicRateThrottle, "timer", staticmethod(lambda: now))

    def set_limits(kind, per_email="1000/min", per_address="1000/min"):
        address_throttle, email_throttle = kind
        monkeypatch.setattr(email_throttle, "rate", per_email, raising=False)
        monkeypatch.setattr(address_throttle, "rate", per_address, raising=False)

    return set_limits


@pytest.fixture
def target(db):
    """An account that can log in to the site and to the admin."""
    return UserFactory(email=EMAIL, role=Role.TEACHER)


def assert_refused(door, response):
    assert response.status_code == 429, (door.name, response.status_code, response.content[:300])
    assert 1 <= int(response["Retry-After"]) <= 3600
    if door.api:
        assert response.json()["code"] == "throttled"
    else:
        assert "Too many attempts. Please try again in" in response.content.decode()


def assert_logged_in(door, response, user):
    if door.api:
        assert response.status_code == 200, response.content
        assert response.json()["access"]
    else:
        assert response.status_code == 302, response.content.decode()[:1000]
        assert response.wsgi_request.user.pk == user.pk


def assert_not_logged_in(door, response):
    if door.api:
        assert response.status_code in (401, 429)
        assert "access" not in response.json()
    else:
        assert response.status_code in (200, 429)
        assert not response.wsgi_request.user.is_authenticated


# --- logins -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("door", LOGIN_DOORS, ids=names(LOGIN_DOORS))
def test_login_limit_per_email_refuses_even_the_right_password(door, target, limits):
    limits(throttles.LOGIN, per_email="3/min")
    for _ in range(3):
        assert_not_logged_in(door, door.send(EMAIL, "wrong-guess-1", **fresh_address()))
    blocked = door.send(EMAIL, PASSWORD, **fresh_address())
    assert_refused(door, blocked)
    assert_not_logged_in(door, blocked)
    # the limit is the account's: another account logs in from the same addresses
    other = UserFactory(role=Role.TEACHER)
    assert_logged_in(door, door.send(other.email, PASSWORD, **fresh_address()), other)


@pytest.mark.parametrize("door", LOGIN_DOORS, ids=names(LOGIN_DOORS))
def test_login_limit_per_address_refuses_even_the_right_password(door, target, limits):
    limits(throttles.LOGIN, per_address="3/min")
    for n in range(3):
        door.send(f"spray{n}@example.com", "guess-guess", REMOTE_ADDR="203.0.113.5")
    blocked = door.send(EMAIL, PASSWORD, REMOTE_ADDR="203.0.113.5")
    assert_refused(door, blocked)
    assert_not_logged_in(door, blocked)
    assert_logged_in(door, door.send(EMAIL, PASSWORD, REMOTE_ADDR="203.0.113.6"), target)


def test_every_login_door_spends_the_same_allowance(target, limits):
    limits(throttles.LOGIN, per_email="3/min")
    for door in LOGIN_DOORS:
        assert_not_logged_in(door, door.send(EMAIL, "wrong-guess-1", **fresh_address()))
    for door in LOGIN_DOORS:
        assert_refused(door, door.send(EMAIL, PASSWORD, **fresh_address()))


@pytest.mark.parametrize("door", LOGIN_DOORS, ids=names(LOGIN_DOORS))
def test_spellings_of_an_address_share_its_limit(door, target, limits):
    limits(throttles.LOGIN, per_email="3/min")
    for spelling in (LONG_S, "STUDENT@EXAMPLE.COM", " Student@Example.Com "):
        assert_not_logged_in(door, door.send(spelling, "wrong-guess-1", **fresh_address()))
    assert_refused(door, door.send(EMAIL, PASSWORD, **fresh_address()))


@pytest.mark.parametrize("door", LOGIN_DOORS, ids=names(LOGIN_DOORS))
@pytest.mark.parametrize("spelling", [LONG_S, "STUDENT@EXAMPLE.COM", "ＳＴＵＤＥＮＴ@example.com"])
def test_spellings_of_an_address_log_into_its_account(door, spelling, target):
    assert_logged_in(door, door.send(spelling, PASSWORD, **fresh_address()), target)


@pytest.mark.parametrize("door", LOGIN_DOORS, ids=names(LOGIN_DOORS))
def test_a_dotless_i_is_another_address_and_never_reaches_the_account(door, target):
    response = door.send(DOTLESS, PASSWORD, **fresh_address())
    assert_not_logged_in(door, response)
    assert response.status_code == (401 if door.api else 200)


def test_the_site_says_so_in_the_form(target, limits):
    limits(throttles.LOGIN, per_email="1/min")
    BY_NAME["site login"].send(EMAIL, "wrong-guess-1")
    response = BY_NAME["site login"].send(EMAIL, PASSWORD)
    assert response.status_code == 429
    assert 'class="form-errors"' in response.content.decode()
    assert "Too many attempts. Please try again in 1 minute." in response.content.decode()


# --- client addresses -------------------------------------------------------------------------------


def _random_forwarded_for(n):
    return {"HTTP_X_FORWARDED_FOR": f"192.0.2.{n}", "REMOTE_ADDR": "203.0.113.9"}


@pytest.mark.parametrize("door", DOORS, ids=names(DOORS))
def test_a_random_forwarded_for_does_not_escape_the_address_limit(door, target, limits):
    # NUM_PROXIES is unset here, as by default
    limits(door.limits, per_address="3/min")
    for n in range(3):
        assert door.send(f"new{n}@example.com", **_random_forwarded_for(n)).status_code != 429
    assert_refused(door, door.send("new3@example.com", **_random_forwarded_for(3)))


@pytest.mark.parametrize("door", DOORS, ids=names(DOORS))
def test_behind_one_proxy_the_right_most_forwarded_address_is_the_client(door, target, limits, settings):
    settings.NUM_PROXIES = 1
    limits(door.limits, per_address="3/min")
    for n in range(3):
        forwarded = f"10.9.9.{n}, 192.0.2.77"  # whatever the client claimed, then what our proxy saw
        response = door.send(f"new{n}@example.com", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
        assert response.status_code != 429
    assert_refused(
        door, door.send("new3@example.com", HTTP_X_FORWARDED_FOR="10.9.9.9, 192.0.2.77", REMOTE_ADDR="10.0.0.1")
    )
    # another client behind the same proxy has its own allowance
    response = door.send("new4@example.com", HTTP_X_FORWARDED_FOR="192.0.2.78", REMOTE_ADDR="10.0.0.1")
    assert response.status_code != 429


def test_client_address_reads_forwarded_for_only_as_far_as_num_proxies(settings):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2,3.3.3.3", REMOTE_ADDR="10.0.0.1")
    settings.NUM_PROXIES = 0
    assert client_address(request) == "10.0.0.1"
    settings.NUM_PROXIES = 1
    assert client_address(request) == "3.3.3.3"
    settings.NUM_PROXIES = 2
    assert client_address(request) == "2.2.2.2"
    settings.NUM_PROXIES = 5
    assert client_address(request) == "1.1.1.1"
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_drf_reads_the_client_address_the_same_way(settings):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2", REMOTE_ADDR="10.0.0.1")
    # unset NUM_PROXIES is 0 for DRF too: its own reading never believes the header
    assert BaseThrottle().get_ident(request) == "10.0.0.1"
    settings.NUM_PROXIES = 1
    for throttle in (client_throttles.AnonRateThrottle(), client_throttles.UserRateThrottle()):
        assert throttle.get_ident(request) == "2.2.2.2"


def test_the_api_wide_throttle_is_not_escaped_by_forwarded_for(monkeypatch):
    monkeypatch.setattr(client_throttles.AnonRateThrottle, "rate", "2/min", raising=False)
    codes = [
        APIClient().post("/api/v1/auth/token/refresh/", {"refresh": "x"}, **_random_forwarded_for(n)).status_code
        for n in range(3)
    ]
    assert codes == [401, 401, 429]


# --- password reset ---------------------------------------------------------------------------------


@pytest.mark.parametrize("door", RESET_DOORS, ids=names(RESET_DOORS))
def test_password_reset_mails_are_limited_per_email(door, target, limits):
    limits(throttles.PASSWORD_RESET, per_email="2/hour")
    assert door.send(EMAIL, **fresh_address()).status_code == 302
    assert door.send(LONG_S, **fresh_address()).status_code == 302  # the same address, spelt otherwise
    assert len(mail.outbox) == 2
    assert {message.to[0] for message in mail.outbox} == {EMAIL}
    assert_refused(door, door.send("STUDENT@EXAMPLE.COM", **fresh_address()))
    assert len(mail.outbox) == 2
    # another account is not held up by this one's limit
    other = UserFactory()
    assert door.send(other.email, **fresh_address()).status_code == 302
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("door", RESET_DOORS, ids=names(RESET_DOORS))
def test_password_reset_mails_are_limited_per_address(door, target, limits):
    limits(throttles.PASSWORD_RESET, per_address="2/hour")
    victims = UserFactory.create_batch(3)
    for victim in victims[:2]:
        assert door.send(victim.email, REMOTE_ADDR="203.0.113.5").status_code == 302
    assert_refused(door, door.send(victims[2].email, REMOTE_ADDR="203.0.113.5"))
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("door", RESET_DOORS, ids=names(RESET_DOORS))
def test_password_reset_finds_the_account_by_its_normalised_address(door, target):
    assert door.send(LONG_S).status_code == 302
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert door.send(DOTLESS).status_code == 302  # says the same as for any unknown address
    assert len(mail.outbox) == 1


# --- sign-up ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("door", SIGNUP_DOORS, ids=names(SIGNUP_DOORS))
def test_sign_up_is_limited_per_email(door, limits):
    limits(throttles.SIGNUP, per_email="2/hour")
    for _ in range(2):
        assert door.send("newcomer@example.com", "123", **fresh_address()).status_code in (200, 400)  # weak password
    assert_refused(door, door.send("NEWCOMER@example.com", GOOD_NEW_PASSWORD, **fresh_address()))
    assert not User.objects.filter(email="newcomer@example.com").exists()


@pytest.mark.parametrize("door", SIGNUP_DOORS, ids=names(SIGNUP_DOORS))
def test_sign_up_is_limited_per_address(door, limits):
    limits(throttles.SIGNUP, per_address="2/hour")
    for n in range(2):
        assert door.send(f"new{n}@example.com", REMOTE_ADDR="203.0.113.5").status_code in (201, 302)
    assert_refused(door, door.send("new2@example.com", REMOTE_ADDR="203.0.113.5"))
    assert User.objects.filter(email__startswith="new").count() == 2


@pytest.mark.parametrize("door", SIGNUP_DOORS, ids=names(SIGNUP_DOORS))
@pytest.mark.parametrize("spelling", [LONG_S, "STUDENT@EXAMPLE.COM", " Student@Example.Com "])
def test_sign_up_refuses_another_spelling_of_a_taken_address(door, spelling, target):
    response = door.send(spelling, **fresh_address())
    assert response.status_code == (400 if door.api else 200)
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_sign_up_stores_the_normalised_address():
    response = BY_NAME["api register"].send("ſtefan@Example.COM")
    assert response.status_code == 201
    assert response.json()["email"] == "stefan@example.com"


# --- one normalised form ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("  Student@Example.COM ", EMAIL),
        (LONG_S, EMAIL),
        ("ＳＴＵＤＥＮＴ@example.com", EMAIL),
        ("\u212aate@example.com", "kate@example.com"),  # Kelvin sign
        ("Straße@example.com", "strasse@example.com"),
        (DOTLESS, DOTLESS),
        ("Мария@Пример.РФ", "мария@пример.рф"),
    ],
)
def test_normalize_email(raw, normal):
    assert normalize_email(raw) == normal
    assert normalize_email(normal) == normal


def test_two_accounts_cannot_differ_only_by_a_long_s(target):
    with pytest.raises(IntegrityError), transaction.atomic():
        User(email=LONG_S, name="Twin").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(LONG_S, GOOD_NEW_PASSWORD)
    assert User.objects.count() == 1


def test_the_admin_user_editor_refuses_another_spelling_of_a_taken_address(client, target):
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(admin)
    response = client.post(
        "/admin/users/new/",
        {
            "email": LONG_S,
            "name": "Twin",
            "role": "student",
            "password1": GOOD_NEW_PASSWORD,
            "password2": GOOD_NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert User.objects.filter(email=EMAIL).count() == 1
    assert User.objects.count() == 2


def _migration():
    return importlib.import_module("learners.migrations.0006_normalize_emails")


def test_the_migration_normalises_stored_addresses(target):
    User.objects.filter(pk=target.pk).update(email=" Ｓtudent@Example.com")
    _migration().normalize_emails(apps, None)
    target.refresh_from_db()
    assert target.email == EMAIL


def test_the_migration_stops_at_accounts_that_become_one_address(target):
    User.objects.filter(pk=UserFactory().pk).update(email=LONG_S)
    with pytest.raises(RuntimeError, match="ſtudent@example.com"):
        _migration().normalize_emails(apps, None)
    assert User.objects.filter(email=LONG_S).exists()


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
