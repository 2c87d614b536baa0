"""Probes for a load balancer or an orchestrator: `/healthz` (liveness) and `/readyz` (readiness).

* `/healthz` answers 200 while the process serves requests. It reaches no database, cache or queue, so
  that an outage of one of those never gets healthy app servers killed and restarted.
* `/readyz` answers 200 when this process can do its work, 503 when it cannot, with each check's result:
  the database (one query), the cache (a set and a get of a short-lived key of this process's own), and
  the task queue's store (the database backend's table, RQ's Redis; nothing to reach for the backends
  that run tasks in the web process). A failure says which check failed and the kind of error
  ("failed: OperationalError"); the details, which name hosts and users, go to the log only.

Both are cheap enough to poll every second: at most one query of their own, no session, no throttle, and
every store behind short timeouts (DATABASE_CONNECT_TIMEOUT, REDIS_TIMEOUT_SECONDS), so that a dead Redis
or database fails the check instead of hanging it.

A balancer probes each app server by its address, over plain HTTP, often with a Host header of its own
(an AWS target group sends the target's address; Kubernetes the pod's). So both probes are exempt from
the HTTPS redirect (settings.SECURE_REDIRECT_EXEMPT) and from ALLOWED_HOSTS (ProbeHostMiddleware).
ALLOWED_HOSTS guards what is built from the Host header (links in pages and mails, redirects); these
two answers build nothing from it, so they may answer any Host. Every other path keeps both checks.
"""

import logging
import os
import threading

import redis.exceptions
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections, router
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

OK = "ok"
PROBE_PATHS = {"/healthz", "/readyz"}  # where lms/urls.py mounts them


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": OK})


@never_cache
@require_safe
def readyz(request):
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if isinstance(backend, DatabaseBackend):
        database, tasks = _database_and_task_table()
    else:
        database, tasks = _query(DEFAULT_DB_ALIAS)[0], _tasks(backend)
    checks = {"database": database, "cache": _cache(), "tasks": tasks}
    ready = all(result == OK for result in checks.values())
    response = JsonResponse({"status": OK if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
    # Not ready is an answer, not an error of the portal: each failed check has logged a warning with its details, and
    # Django's "Service Unavailable" error line (an error report, with Sentry) would only repeat it at every poll.
    response._has_been_logged = True
    return response


class ProbeHostMiddleware:
    """Lets the probes answer whatever Host the balancer sends: for their two paths only (GET and HEAD), the
    request's host is read as sent instead of checked against ALLOWED_HOSTS. Goes in MIDDLEWARE before
    anything that reads the host (the HTTPS redirect, CommonMiddleware, CSRF)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in PROBE_PATHS and request.method in ("GET", "HEAD"):
            request.get_host = request._get_raw_host
        return self.get_response(request)


def _database_and_task_table() -> tuple[str, str]:
    """The database's check and the database task backend's: its table is there and the portal may read and
    add to it, in the database that the workers find it in (where its writes are routed). When that is the
    default database, as it is unless a router says otherwise, one query answers both."""
    table, alias = DBTaskResult._meta.db_table, router.db_for_write(DBTaskResult)
    if alias == DEFAULT_DB_ALIAS:
        return _query(DEFAULT_DB_ALIAS, table)
    return _query(DEFAULT_DB_ALIAS)[0], _query(alias, table)[1]


def _query(alias: str, task_table: str | None = None) -> tuple[str, str]:
    """(whether the database answers, whether `task_table` is usable): `has_table_privilege` reads the
    catalog and takes no lock on the table, so that a migration holding one does not stall the probe."""
    try:
        with connections[alias].cursor() as cursor:
            if task_table is None:
                cursor.execute("SELECT 1")
                return OK, OK
            cursor.execute(
                "SELECT has_table_privilege(t, 'SELECT') AND has_table_privilege(t, 'INSERT')"
                " FROM (SELECT to_regclass(%s) AS t) AS task_table",
                [task_table],
            )
            usable = cursor.fetchone()[0]
    except DatabaseError as error:
        failed = _failed("database", error)
        return failed, failed
    return OK, OK if usable else "failed: task table missing or not writable"


def _cache() -> str:
    """A set and a get on the default cache (Redis when REDIS_URL is set), under a key of this process and
    thread, so that concurrent probes never read each other's value; it expires by itself."""
    key = f"readyz:{os.getpid()}:{threading.get_ident()}"
    value = os.urandom(8).hex()
    try:
        cache.set(key, value, timeout=10)
        if cache.get(key) != value:
            return "failed: the value set was not read back"
    except Exception as error:  # each cache backend raises errors of its own (redis, pymemcache...)
        return _failed("cache", error)
    return OK


def _tasks(backend) -> str:
    """The task queue's store, for the backends that keep tasks outside this process (RQ: its Redis, for
    each queue the backend serves). The in-process backends are ready when this process is."""
    if not type(backend).__module__.startswith("django_tasks_rq"):
        return OK
    import django_rq

    try:
        for queue in sorted(backend.queues):
            django_rq.get_connection(queue).ping()
    except Exception as error:  # redis' errors, or a queue missing from RQ_QUEUES
        return _failed("tasks", error)
    return OK


def _failed(check: str, error: Exception) -> str:
    logger.warning("Readiness check %s failed: %r", check, error)
    return f"failed: {type(error).__name__}"


# What a store that is down raises: the database (psycopg2's errors, as Django wraps them) and Redis (the cache,
# sessions, throttle counters, the RQ queue).
OUTAGES = (OperationalError, InterfaceError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class OutageMiddleware:
    """A request that meets a store that is down (the database restarting, Redis unreachable) answers 503 with
    Retry-After, not a 500: the client may try again, and a login limit that cannot count refuses rather than
    letting guesses through. The error is logged once, as a warning."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OUTAGES):
            return None
        logger.warning("Store unavailable on %s %s: %r", request.method, request.path, exception)
        body = {"detail": "The service is briefly unavailable. Try again in a moment.", "code": "unavailable"}
        response = JsonResponse(body, status=503)
        response["Retry-After"] = "5"
        response._has_been_logged = True  # logged above: Django's own error line would repeat it
        return response
