"""What the portal tells its operators: log lines on standard error, and errors to Sentry.

Lines are plain text, or one JSON object each with `LOG_FORMAT=json` (python-json-logger: the portal logs
through the standard `logging` module everywhere, so a formatter is all that JSON needs). Every line logged
while a request is served carries that request's id: the caller's `X-Request-ID` when it is a sane one (a
proxy's or a load balancer's, so that their lines and ours match), else a new one; the answer hands it back
in `X-Request-ID`, for a learner's bug report to name.

The portal logs one line per request itself (method, path, status, view, duration, id), and nothing else does:
Django's development server's own lines are off, `django.request`'s warnings for 4xx answers would repeat
that line (its errors, with their traceback, stay), and gunicorn's access log is left off (README).
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.encoding import escape_uri_path
from pythonjsonlogger.core import RESERVED_ATTRS

REQUEST_ID_HEADER = "X-Request-ID"
# What an incoming id may be: the UUIDs, hex strings and ULIDs that proxies and load balancers make.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
# Probes polled every few seconds: their successful answers are not logged, only their failures.
QUIET_PATHS = ("/healthz", "/readyz", "/metrics")
NO_VIEW = "<none>"  # a request no view answered: a static file, a redirect, an unknown path

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# Fields every JSON line has; the `extra` of a call (the request line's method, status...) comes after them.
JSON_FIELDS = ["levelname", "name", "message", "request_id"]
# Objects Django puts on its records (the request itself, the development server's time): not for a log line.
JSON_SKIPPED = ["request", "server_time"]

# What goes to Sentry with an error (the SDK's `data_collection`, which replaces `send_default_pii`): nothing
# personal. No user, cookies, query strings (search words, tokens), request bodies (a learner's answers, a
# password form), local variables of the failing frames nor query parameters; the request's headers less those
# that carry secrets or addresses (the SDK's own denylist, plus the terms it drops without `send_default_pii`).
SENTRY_DATA_COLLECTION = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "url_query_params": {"mode": "off"},
    "http_headers": {"request": {"mode": "denylist", "terms": ["forwarded", "-ip", "remote-", "via", "-user"]}},
    "http_bodies": [],
    "stack_frame_variables": False,
    "database_query_data": False,
    "queues": False,
    "graphql": {"document": False, "variables": False},
    "gen_ai": {"inputs": False, "outputs": False},
}

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
request_logger = logging.getLogger("lms.requests")


def logging_config(*, log_format: str = "plain", level: str = "INFO") -> dict:
    """Django's LOGGING for a format ("plain" or "json") and a level: settings pass LOG_FORMAT and LOG_LEVEL."""
    if log_format not in {"plain", "json"}:
        raise ImproperlyConfigured('LOG_FORMAT must be "plain" or "json".')
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "plain": {"format": PLAIN_FORMAT},
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": JSON_FIELDS,
                "rename_fields": {"levelname": "level", "name": "logger"},
                "timestamp": "time",
                "reserved_attrs": [*RESERVED_ATTRS, *JSON_SKIPPED],
            },
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"]},
            "null": {"class": "logging.NullHandler"},
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # No handler of its own (Django's defaults give it one in debug): its lines reach the root's, once.
            "django": {"level": level},
            "django.request": {"level": "ERROR"},  # its "Not Found: /x" repeats the request's line
            "django.server": {"handlers": ["null"], "propagate": False},  # runserver's, the same again
            "django.security.DisallowedHost": {"level": "ERROR"},
            "django_tasks": {"level": "WARNING"},
            "wagtail": {"level": "WARNING"},
            # Per certificate PDF: a line per rendering step, and one per font table where fontTools subsets the
            # fonts (weasyprint's fallback when the system's HarfBuzz cannot).
            "weasyprint.progress": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being served (or "-") on every record the handler writes."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get() or "-"
        return True


def request_id_for(request) -> str:
    """The caller's `X-Request-ID` when it is sane (bounded length and characters), else a new one."""
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    if SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def view_name(request) -> str:
    """The name of the view that answered (a bounded set: fit for a metric's label), or NO_VIEW."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else NO_VIEW


class RequestLogMiddleware:
    """The request's id on its log lines and its answer, and one line for the request once it is answered.

    First in MIDDLEWARE: the id is there before any other middleware may log, and every answer carries it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.to_sentry = bool(settings.SENTRY_DSN)

    def __call__(self, request):
        request_id = request_id_for(request)
        token = _request_id.set(request_id)
        if self.to_sentry:
            _tag_sentry_scope(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            log_request(request, response.status_code, time.perf_counter() - started)
            return response
        finally:
            _request_id.reset(token)


def log_request(request, status: int, seconds: float) -> None:
    """The request's line: its path without the query string (which may carry search words or tokens), escaped."""
    if status < 400 and request.path.startswith(QUIET_PATHS):
        return
    path = escape_uri_path(request.path)
    duration_ms = round(seconds * 1000, 1)
    request_logger.info(
        "%s %s %s %sms",
        request.method,
        path,
        status,
        duration_ms,
        extra={
            "method": request.method,
            "path": path,
            "status": status,
            "view": view_name(request),
            "duration_ms": duration_ms,
        },
    )


def _tag_sentry_scope(request_id: str) -> None:
    """An error sent to Sentry names the request, so that its log lines can be found."""
    import sentry_sdk

    sentry_sdk.set_tag("request_id", request_id)


def init_sentry(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    """Errors to Sentry when a DSN is given (settings: SENTRY_DSN); with none, the SDK is not even started."""
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration()],
        data_collection=SENTRY_DATA_COLLECTION,
        traces_sample_rate=traces_sample_rate or None,
    )
