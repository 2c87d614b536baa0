"""The Accounts part of the API contract: registration."""


import pytest
from rest_framework.test import APIClient

from conftest import at_once
from learners.models import Role, User
from learners.tests.api_accounts_helpers import REGISTER

pytestmark = pytest.mark.django_db


# --- register ---------------------------------------------------------------------------------------


def test_register_creates_a_student(api):
    response = api.post(REGISTER, {"name": "Мария Петрова", "email": "Maria@Example.RU", "password": "Sturdy-pass-91"})
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Мария Петрова"
    assert body["email"] == "maria@example.ru"
    assert body["role"] == "student"
    user = User.objects.get(pk=body["id"])
    assert user.check_password("Sturdy-pass-91")
    assert list(user.groups.values_list("name", flat=True)) == ["Students"]


def test_register_ignores_a_requested_role(api):
    response = api.post(
        REGISTER,
        {
            "name": "Eve",
            "email": "eve@example.com",
            "password": "Sturdy-pass-91",
            "role": "admin",
            "is_superuser": True,
        },
    )
    assert response.status_code == 201
    assert response.json()["role"] == "student"
    eve = User.objects.get(email="eve@example.com")
    assert eve.role == Role.STUDENT and not eve.is_superuser


def test_register_duplicate_email_is_case_insensitive(api, student):
    response = api.post(REGISTER, {"name": "Twin", "email": student.email.upper(), "password": "Sturdy-pass-91"})
    assert response.status_code == 400
    assert "email" in response.json()
    assert User.objects.filter(email__iexact=student.email).count() == 1


def test_register_refuses_a_weak_password(api):
    response = api.post(REGISTER, {"name": "Weak", "email": "weak@example.com", "password": "123"})
    assert response.status_code == 400
    assert "password" in response.json()
    assert not User.objects.filter(email="weak@example.com").exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"name": "No email", "password": "Sturdy-pass-91"},
        {"name": "Bad", "email": "not-an-email", "password": "Sturdy-pass-91"},
        {"name": ["list"], "email": "a@example.com", "password": "Sturdy-pass-91"},
        {"name": "x" * 100_000, "email": "b@example.com", "password": "Sturdy-pass-91"},
        {"name": "Nul\x00byte", "email": "c@example.com", "password": "Sturdy-pass-91"},
        {"name": "Obj", "email": {"a": 1}, "password": "Sturdy-pass-91"},
        {"name": "Long", "email": "d@example.com", "password": "p" * 10_000},
        {"name": None, "email": "e@example.com", "password": "Sturdy-pass-91"},
    ],
)
def test_register_bad_input_is_a_400(api, payload):
    response = api.post(REGISTER, payload, format="json")
    assert response.status_code == 400
    assert User.objects.count() == 0


def test_register_invalid_json_is_a_400(api):
    response = api.generic("POST", REGISTER, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_register_a_json_list_is_a_400(api):
    response = api.generic("POST", REGISTER, "[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_register_is_refused_when_registration_is_closed(api):
    from lms.models import PortalSettings

    portal = PortalSettings.load()
    portal.registration_open = False
    portal.save()
    response = api.post(REGISTER, {"name": "Late", "email": "late@example.com", "password": "Sturdy-pass-91"})
    assert response.status_code == 403
    assert response.json()["code"] == "registration_closed"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_registrations_with_one_email_make_one_account():
    body = {"name": "Racer", "email": "race@example.com", "password": "Sturdy-pass-91"}
    responses = at_once([lambda: APIClient().post(REGISTER, body)] * 2)
    assert sorted(response.status_code for response in responses) == [201, 400]
    assert User.objects.filter(email="race@example.com").count() == 1
