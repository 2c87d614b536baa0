"""One normalised form per email address: what the login limits count by, what accounts are stored and looked
up under, and the migration that normalised the stored addresses (the limits: test_login_limits.py).
"""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from learners.models import Role, User, normalize_email
from learners.tests.factories import UserFactory
from learners.tests.login_limits_helpers import DOTLESS, EMAIL, GOOD_NEW_PASSWORD, LONG_S

pytestmark = pytest.mark.django_db


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
