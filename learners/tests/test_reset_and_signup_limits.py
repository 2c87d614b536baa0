"""Password reset and sign-up are limited like the logins: one allowance per email, in its one normalised form,
and one per client address, at the site's and the admin's doors (login limits: test_login_limits.py).
"""

import pytest
from django.core import mail

from learners import throttles
from learners.models import User
from learners.tests.factories import UserFactory
from learners.tests.login_limits_helpers import (
    BY_NAME,
    DOORS,
    DOTLESS,
    EMAIL,
    GOOD_NEW_PASSWORD,
    LONG_S,
    assert_refused,
    fresh_address,
    names,
)

pytestmark = pytest.mark.django_db

RESET_DOORS = [door for door in DOORS if door.limits is throttles.PASSWORD_RESET]
SIGNUP_DOORS = [door for door in DOORS if door.limits is throttles.SIGNUP]


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
