"""Login limits hold at every door: the API's token and register, the site's login, password reset and sign-up,
and the Wagtail admin's login and password reset. One allowance per email and one per client address, counted
in the email's one normalised form and by the one client address (`lms.throttles.client_address`). The login's
allowances also hold where a password is checked behind a session (the site's and the admin's password change)
and at a private page's shared password (per address, and per restriction for wrong guesses).

(The API has no password reset endpoint: its doors are token and register.)

Here: the logins and the client address. Password reset and sign-up: test_reset_and_signup_limits.py; the
normalised form: test_email_normalisation.py; passwords checked behind a session and private pages'
passwords: test_password_check_limits.py; the doors themselves: login_limits_helpers.py.
"""

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient
from rest_framework.throttling import BaseThrottle

from learners import throttles
from learners.models import Role
from learners.tests.factories import PASSWORD, UserFactory
from learners.tests.login_limits_helpers import (
    BY_NAME,
    DOORS,
    DOTLESS,
    EMAIL,
    LONG_S,
    _random_forwarded_for,
    assert_logged_in,
    assert_refused,
    fresh_address,
    names,
)
from lms import throttles as client_throttles
from lms.throttles import client_address

pytestmark = pytest.mark.django_db

LOGIN_DOORS = [door for door in DOORS if door.limits is throttles.LOGIN]


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
