"""A store that is down answers 503 with Retry-After, never a 500 (lms.health.OutageMiddleware)."""

import pytest
from django.db import OperationalError

from courses.api import CategoryListView
from learners.tests.factories import UserFactory

DEAD_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
}


@pytest.fixture
def redis_down(settings):
    """The cache (and so the throttle counters) on a Redis that does not answer; back again before the test's own
    clean-up empties the cache."""
    working = settings.CACHES
    settings.CACHES = {**working, "default": DEAD_REDIS}
    yield
    settings.CACHES = working


def test_a_login_limit_that_cannot_count_refuses_with_503(api, redis_down, db):
    UserFactory(email="someone@example.com")
    response = api.post("/api/v1/auth/token/", {"email": "someone@example.com", "password": "guess"}, format="json")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json()["code"] == "unavailable"


def test_the_site_login_too(client, redis_down, db):
    response = client.post("/accounts/login/", {"username": "someone@example.com", "password": "guess"})
    assert response.status_code == 503


def test_a_database_that_went_away_is_503(api, db, monkeypatch):
    def gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CategoryListView, "get_queryset", gone)
    response = api.get("/api/v1/categories/")
    assert response.status_code == 503 and response["Retry-After"] == "5"


def test_other_errors_are_left_to_django(api, db, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(CategoryListView, "get_queryset", broken)
    api.raise_request_exception = False
    assert api.get("/api/v1/categories/").status_code == 500
