"""With Redis (REDIS_URL), the portal's processes share one cache: the attempt limits and the sessions hold across
them, whichever worker (or app server) a request reaches.

Three gunicorn workers over the test database, with the machine's Redis: database 13, under a key prefix of the
test's own (CACHE_KEY_PREFIX), whose keys are removed afterwards whatever the outcome. Requests sent together are
held a moment in the worker that takes them, so that they spread over the three (servers.Portal.at_once), and each
answer names its worker.

The limits count in fixed windows (learners/throttles.py): the login's is set to 5 an hour here, and a test that
would start in the last seconds of an hour waits for the next, so that its attempts all fall in one window.
"""

import http.cookies
import json
import runpy
import secrets
import time
import urllib.parse
from pathlib import Path

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.db import connection

from learners.models import Role
from learners.tests.factories import PASSWORD, UserFactory
from lms.tests.servers import Portal, database_url, portal_environment

REDIS_URL = "redis://127.0.0.1:6379/13"
WORKERS = 3
LOGIN_LIMIT = 5
TOKEN = "/api/v1/auth/token/"
JSON = {"Content-Type": "application/json"}
# A page that reads the session and answers JSON: the admin's API of images, for a teacher (signed out: a redirect).
SIGNED_IN_PAGE = "/admin/api/main/images/?limit=1"


@pytest.fixture
def key_prefix():
    prefix = f"lms-test-{secrets.token_hex(6)}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    try:
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
    finally:
        client.close()


def start_portal(tmp_path, **variables) -> Portal:
    """Three workers over the test database (the portal stops before the test's tear-down empties it)."""
    environment = portal_environment(
        database_url(connection.settings_dict), tmp_path, THROTTLE_LOGIN_RATE=f"{LOGIN_LIMIT}/hour", **variables
    )
    return Portal(environment, workers=WORKERS)


@pytest.fixture
def portal(transactional_db, django_db_serialized_rollback, key_prefix, tmp_path):
    with start_portal(tmp_path, REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=key_prefix) as server:
        yield server


@pytest.fixture
def one_window():
    """Waits, if need be, for the next hour's window of the login limit to start, 20 seconds ahead at most."""
    left = 3600 - time.time() % 3600
    if left < 20:
        time.sleep(left + 0.5)


def attempts(portal: Portal, count: int, email: str, password: str = "wrong-guess") -> list:
    body = json.dumps({"email": email, "password": password}).encode()
    return portal.at_once(count, TOKEN, "POST", headers=JSON, body=body)


def statuses(answers) -> list[int]:
    return [answer.status for answer in answers]


def test_the_login_limit_holds_across_workers(portal, one_window):
    learner = UserFactory()
    allowed = attempts(portal, LOGIN_LIMIT, learner.email)
    assert statuses(allowed) == [401] * LOGIN_LIMIT, portal.output()
    assert len({answer.pid for answer in allowed}) > 1  # the allowance was spent on several workers

    # The sixth attempt and every later one is refused, by whichever worker takes it.
    refused_by = set()
    for _ in range(5):
        later = attempts(portal, WORKERS, learner.email)
        assert statuses(later) == [429] * WORKERS
        refused_by |= {answer.pid for answer in later}
        if len(refused_by) == WORKERS:
            break
    assert len(refused_by) == WORKERS
    # The right password too.
    assert statuses(attempts(portal, 1, learner.email, PASSWORD)) == [429]


def test_without_redis_each_worker_counts_alone(transactional_db, django_db_serialized_rollback, tmp_path, one_window):
    """Why a portal of several processes needs REDIS_URL: each process's own memory holds its own count."""
    learner = UserFactory()
    with start_portal(tmp_path) as portal:
        answers = attempts(portal, 2 * LOGIN_LIMIT, learner.email)
    assert statuses(answers).count(401) > LOGIN_LIMIT


def session_of(answer) -> str:
    cookies = http.cookies.SimpleCookie()
    for header in answer.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    return cookies["sessionid"].value


def on_every_worker(portal: Portal, session: str) -> dict[int, int]:
    """The signed-in page's status as each worker answers it, with the session's cookie."""
    seen: dict[int, int] = {}
    for _ in range(5):
        for answer in portal.at_once(WORKERS, SIGNED_IN_PAGE, headers={"Cookie": f"sessionid={session}"}):
            seen[answer.pid] = answer.status
        if len(seen) == WORKERS:
            break
    assert len(seen) == WORKERS
    return seen


def site_form(portal: Portal, path: str, session: str | None = None, **fields):
    """A form of the site posted with a CSRF token: the client's own, as a browser's would be after a first page."""
    csrf = secrets.token_hex(16)
    cookies = f"csrftoken={csrf}" + (f"; sessionid={session}" if session else "")
    headers = {"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"}
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, **fields}).encode()
    return portal.fetch(path, "POST", headers=headers, body=body)


def test_a_session_made_by_one_worker_holds_on_every_worker(portal, key_prefix):
    # The portal's processes check passwords with the production hasher, not the tests' (conftest.py).
    teacher = UserFactory(role=Role.TEACHER, password=make_password(PASSWORD, hasher=PBKDF2PasswordHasher()))
    signed_in = site_form(portal, "/accounts/login/", username=teacher.email, password=PASSWORD)
    assert signed_in.status == 302, portal.output()
    session = session_of(signed_in)
    assert set(on_every_worker(portal, session).values()) == {200}

    # The session is in Redis, and in the database too (`cached_db`): a Redis emptied or restarted logs no one out.
    client = redis.Redis.from_url(REDIS_URL)
    try:
        kept = list(client.scan_iter(match=f"{key_prefix}:*{session}"))
        assert kept
        client.delete(*kept)
    finally:
        client.close()
    assert set(on_every_worker(portal, session).values()) == {200}

    # Signing out on one worker signs out on all: no process keeps the session in a memory of its own.
    assert site_form(portal, "/accounts/logout/", session).status == 302
    assert set(on_every_worker(portal, session).values()) == {302}


def settings_with(monkeypatch, **variables) -> dict:
    """The settings that lms/settings.py makes from this environment (read afresh, not installed)."""
    for name in ("REDIS_URL", "CACHE_KEY_PREFIX", "REDIS_TIMEOUT_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(__file__).resolve().parents[1] / "settings.py"))


def test_redis_carries_the_cache_and_the_sessions_with_short_timeouts(monkeypatch):
    shared = settings_with(monkeypatch, REDIS_URL="redis://cache:6379/0", CACHE_KEY_PREFIX="learn")
    assert shared["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/0",
        "OPTIONS": {"socket_connect_timeout": 1.0, "socket_timeout": 1.0},
        "KEY_PREFIX": "learn",
    }
    assert shared["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert settings_with(monkeypatch, REDIS_URL="redis://cache:6379/0", REDIS_TIMEOUT_SECONDS="0.25")["CACHES"][
        "default"
    ]["OPTIONS"] == {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}

    alone = settings_with(monkeypatch)
    assert alone["CACHES"]["default"] == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    assert "SESSION_ENGINE" not in alone  # Django's default: the database alone
