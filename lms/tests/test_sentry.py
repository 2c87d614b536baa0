"""Errors to Sentry (lms/logs.py): no SDK at all without SENTRY_DSN; with one, a view's exception reaches the
server it names, tagged with the request's id, with nothing personal."""

import gzip
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest
import sentry_sdk
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import include, path

from lms.logs import init_sentry


def broken(request):
    raise RuntimeError("broken view for Sentry")


# The portal's URLs, and a view of the test's own that fails.
urlpatterns = [path("broken/", broken), path("", include("lms.urls"))]


# The SDK compresses envelopes with brotli when it is installed (weasyprint's fonttools needs it), else gzip.
DECOMPRESS = {"br": brotli.decompress, "gzip": gzip.decompress}


class Receiver(BaseHTTPRequestHandler):
    """Sentry's ingestion, as far as the SDK can tell: keeps what is posted, answers 200."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding")
        if encoding in DECOMPRESS:
            body = DECOMPRESS[encoding](body)
        self.server.received.append((self.path, body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sentry(sentry_server, settings):
    """The SDK started as settings start it when SENTRY_DSN names the test's server; stopped afterwards."""
    dsn = f"http://public@127.0.0.1:{sentry_server.server_port}/42"
    settings.SENTRY_DSN = dsn
    init_sentry(dsn=dsn, environment="test", release="lms@test", traces_sample_rate=0)
    try:
        yield sentry_server
    finally:
        sentry_sdk.get_client().close(timeout=0)  # its events were flushed by the test
        sentry_sdk.get_global_scope().set_client(None)


def events(received) -> list[dict]:
    """The error events in the envelopes received: each item is a header line, then its payload line."""
    found = []
    for _path, body in received:
        lines = body.decode().splitlines()[1:]
        for header, payload in zip(lines[::2], lines[1::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_without_a_dsn_the_sdk_is_not_started():
    assert not sentry_sdk.get_client().is_active()

    init_sentry(dsn="", environment="production", release="1", traces_sample_rate=1.0)

    assert not sentry_sdk.get_client().is_active()


@pytest.mark.urls(__name__)
def test_an_error_in_a_view_reaches_sentry_with_its_request_id_and_nothing_personal(sentry):
    """Through the WSGI application, as gunicorn calls it: the SDK reads the request there."""
    answer = {}
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/broken/",
        "QUERY_STRING": "email=learner%40example.com",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "198.51.100.23",
        "HTTP_COOKIE": "sessionid=secret-session-cookie",
        "HTTP_AUTHORIZATION": "Bearer secret-token",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
    }

    # Without the database: a connection this thread kept from an earlier test is not checked (the view needs none).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(
            WSGIHandler()(environ, lambda status, headers: answer.update(status=status, headers=dict(headers)))
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

    assert answer["status"].startswith("500")
    assert b"broken view" not in body
    sentry_sdk.flush(timeout=5)
    assert {path for path, _body in sentry.received} == {"/api/42/envelope/"}
    [event] = events(sentry.received)
    [exception] = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == ("RuntimeError", "broken view for Sentry")
    assert (event["environment"], event["release"]) == ("test", "lms@test")
    assert event["tags"]["request_id"] == answer["headers"]["X-Request-ID"]
    assert event["request"]["url"] == "http://testserver/broken/"  # without its query string
    assert event["request"]["headers"]["Cookie"] == event["request"]["headers"]["Authorization"] == "[Filtered]"
    everything = b"".join(body for _path, body in sentry.received)
    for personal in (
        b"secret-session-cookie",
        b"secret-token",
        b"198.51.100.23",
        b"learner@example.com",
        b"learner%40example.com",
    ):  # (sys.argv is sent, with its test paths)
        assert personal not in everything
