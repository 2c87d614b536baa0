"""The doors that check a password or send mail, and how the login limit tests knock on them (shared by
test_login_limits.py, test_reset_and_signup_limits.py, test_email_normalisation.py and
test_password_check_limits.py; their fixtures `limits` and `target` are in conftest.py).
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client
from rest_framework.test import APIClient

from learners import throttles
from learners.tests.factories import PASSWORD

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


def names(doors):
    return [door.name for door in doors]


_addresses = (f"198.51.100.{n}" for n in itertools.count(1))


def fresh_address() -> dict:
    return {"REMOTE_ADDR": next(_addresses)}


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


# --- client addresses -------------------------------------------------------------------------------


def _random_forwarded_for(n):
    return {"HTTP_X_FORWARDED_FOR": f"192.0.2.{n}", "REMOTE_ADDR": "203.0.113.9"}
