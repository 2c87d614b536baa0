"""Everyday faults the portal survives, and the probes that tell a load balancer about them (lms/health.py).

* A database restart between two series of requests: the app servers keep their database connections
  (DATABASE_CONN_MAX_AGE) and check one before its first use in each request (`conn_health_checks`), so the
  second series succeeds on the same worker processes, with no restart of the portal. Against a PostgreSQL of the
  test's own (servers.PrivatePostgres, restarted cleanly and as after a crash) and the portal under gunicorn.
* `/healthz` and `/readyz`: what they check, how they fail (at once, and saying what failed), and what they leave
  out: the session, the database for liveness, the HTTPS redirect, ALLOWED_HOSTS, caching.
"""

import socket
import threading
import time

import psutil
import pytest
from django.test import override_settings

from lms.tests.servers import Portal, PrivatePostgres, manage, portal_environment

SERIES = ["/readyz", "/api/v1/courses/"]  # the probe, and an API page that reads the database


@pytest.fixture(scope="module")
def postgres():
    """A migrated database on a server of this module's own (the migrations take most of this test's time)."""
    with PrivatePostgres() as server:
        server.create_database("lms")
        manage(portal_environment(server.url("lms"), server.folder), "migrate", "--noinput")
        yield server


@pytest.fixture
def portal(postgres, tmp_path):
    with Portal(portal_environment(postgres.url("lms"), tmp_path), workers=2) as server:
        yield server


def series(portal: Portal) -> list:
    """Each path of SERIES twice, twice over, two requests at a time: every worker serves some of each."""
    return [answer for _ in range(2) for path in SERIES for answer in portal.at_once(2, path)]


def connected(pid: int, postgres: PrivatePostgres) -> bool:
    """Whether the process holds a connection to the server open (between requests, as CONN_MAX_AGE keeps it)."""
    return any(
        each.raddr and each.raddr.port == postgres.port and each.status == psutil.CONN_ESTABLISHED
        for each in psutil.Process(pid).net_connections("tcp")
    )


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_a_database_restart_is_survived_without_restarting_the_portal(postgres, portal, mode):
    before = series(portal)
    assert [answer.status for answer in before] == [200] * len(before), portal.output()
    workers = {answer.pid for answer in before}
    assert len(workers) == 2
    # Both workers keep their connection between requests: the restart breaks connections they mean to use again.
    assert all(connected(pid, postgres) for pid in workers)

    postgres.stop(mode)
    # While it is down, the balancer is told at once (and the process is still alive).
    started = time.monotonic()
    down = portal.at_once(2, "/readyz", hold=0.1)
    assert time.monotonic() - started < 3
    assert [answer.status for answer in down] == [503, 503]
    assert down[0].json()["checks"] == {"database": "failed: OperationalError", "cache": "ok", "tasks": "ok"}
    assert [answer.status for answer in portal.at_once(2, "/healthz", hold=0.1)] == [200, 200]
    postgres.start()

    after = series(portal)
    assert [answer.status for answer in after] == [200] * len(after), portal.output()
    assert {answer.pid for answer in after} == workers  # the same processes: nothing was restarted
    assert after[-1].json()["count"] == 0  # the API page read the (empty) catalog from the database


# --- the probes, in process ------------------------------------------------------------------------------------


def test_healthz_reaches_nothing_and_is_not_cached(client):
    response = client.get("/healthz")  # without the django_db mark, a query would raise
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie


@pytest.mark.django_db
def test_readyz_checks_the_database_in_one_query_the_cache_and_the_in_process_queue(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "tasks": "ok"}}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert client.head("/readyz").status_code == 200
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
def test_readyz_checks_the_table_of_the_database_task_backend_in_the_same_query(
    client, settings, django_assert_num_queries, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_assert_num_queries(1) as queries:
        assert client.get("/readyz").json()["checks"] == {"database": "ok", "cache": "ok", "tasks": "ok"}
    assert "has_table_privilege" in queries.captured_queries[0]["sql"]

    monkeypatch.setattr(DBTaskResult._meta, "db_table", "no_such_table")  # as before `migrate`
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "ok", "tasks": "failed: task table missing or not writable"},
    }


@pytest.fixture
def dead_port():
    """A loopback port that refuses connections (nothing listens on it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_port():
    """A loopback port that accepts connections and never answers: a hung Redis."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def redis_cache(port: int) -> dict:
    """The default cache as the settings make it with REDIS_URL (lms/settings.py), at `port`."""
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/13",
        "OPTIONS": {"socket_connect_timeout": 1.0, "socket_timeout": 1.0},
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("port", "error"), [("dead_port", "ConnectionError"), ("silent_port", "TimeoutError")])
def test_readyz_fails_within_the_timeout_when_redis_is_dead_or_hung(client, settings, request, port, error):
    # Restored before the tests' own tear-down empties the caches.
    with override_settings(CACHES={**settings.CACHES, "default": redis_cache(request.getfixturevalue(port))}):
        started = time.monotonic()
        response = client.get("/readyz")
        assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": f"failed: {error}", "tasks": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_redis_of_the_rq_task_backend(client, settings, dead_port):
    pytest.importorskip("django_tasks_rq")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/13"}}
    assert client.get("/readyz").json()["checks"]["tasks"] == "ok"
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{dead_port}/13"}}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"] == "failed: ConnectionError"


@pytest.mark.django_db
def test_the_probes_answer_a_balancer_over_plain_http_whatever_its_host_header(client, settings):
    # Production settings: the HTTPS redirect on, one public host.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["learn.example.com"]
    for path in ("/healthz", "/readyz"):
        assert client.get(path, HTTP_HOST="10.0.3.7:8000").status_code == 200
        assert client.head(path, HTTP_HOST="10.0.3.7:8000").status_code == 200
    # Every other path keeps both guards; so do the probes' paths for other methods.
    assert client.get("/api/v1/courses/", HTTP_HOST="10.0.3.7:8000").status_code == 400
    assert client.post("/readyz", HTTP_HOST="10.0.3.7:8000").status_code == 400
    redirected = client.get("/api/v1/courses/", HTTP_HOST="learn.example.com")
    assert redirected.status_code == 301
    assert redirected["Location"] == "https://learn.example.com/api/v1/courses/"
