"""Fixtures shared by every app's tests."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from learners.models import Role
from learners.tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test starts with an empty cache (throttle counters) and its own media folder."""
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    # Production settings, less what needs a real TLS front and a collectstatic run.
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    cache.clear()


@pytest.fixture
def student(db):
    return UserFactory(role=Role.STUDENT)


@pytest.fixture
def other_student(db):
    return UserFactory(role=Role.STUDENT)


@pytest.fixture
def teacher(db):
    return UserFactory(role=Role.TEACHER)


@pytest.fixture
def other_teacher(db):
    return UserFactory(role=Role.TEACHER)


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN)


@pytest.fixture
def api():
    return APIClient()


def client_for(user) -> APIClient:
    """An API client carrying a real JWT access token of the user, as a mobile app would."""
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    cache.clear()  # token requests count against the login throttle; tests measure it on their own
    return client


@pytest.fixture
def as_user():
    return client_for
