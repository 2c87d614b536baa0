"""Log lines (lms/logs.py): JSON with LOG_FORMAT=json, each line of a request with the id its answer hands back,
one line per answer, and no rendering chatter from a certificate's PDF."""

import io
import json
import logging
import logging.config
import re

import pytest
from django.conf import settings as project_settings
from django.http import HttpResponse
from django.urls import include, path

from learners.models import Certificate
from learners.services import learning
from lms.logs import logging_config

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


def noisy(request):
    logging.getLogger("lms.tests.views").warning("inside the view")
    return HttpResponse("ok")


def broken(request):
    raise RuntimeError("broken view")


# The portal's URLs, and two of the tests' own.
urlpatterns = [path("noisy/", noisy), path("broken/", broken), path("", include("lms.urls"))]


@pytest.fixture
def log_lines():
    """Configures logging from `logging_config`, as settings do, into a buffer; the settings' own afterwards."""
    stream = io.StringIO()

    def configure(log_format: str) -> io.StringIO:
        config = logging_config(log_format=log_format, level="INFO")
        config["handlers"]["console"]["stream"] = stream
        logging.config.dictConfig(config)
        return stream

    yield configure
    logging.config.dictConfig(project_settings.LOGGING)


def json_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.urls(__name__)
def test_json_lines_of_a_request_carry_the_id_its_answer_hands_back(log_lines, client):
    stream = log_lines("json")

    response = client.get("/noisy/?q=secret-search-words")

    lines = json_lines(stream)
    request_id = response["X-Request-ID"]
    assert GENERATED_ID.fullmatch(request_id)
    assert [(line["logger"], line["level"], line["request_id"]) for line in lines] == [
        ("lms.tests.views", "WARNING", request_id),
        ("lms.requests", "INFO", request_id),
    ]
    request_line = lines[-1]
    assert request_line["message"].startswith("GET /noisy/ 200 ")
    assert {key: request_line[key] for key in ("method", "path", "status", "view")} == {
        "method": "GET",
        "path": "/noisy/",  # without the query string
        "status": 200,
        "view": "lms.tests.test_logging.noisy",
    }
    assert request_line["duration_ms"] >= 0
    assert "time" in request_line
    assert "secret-search-words" not in stream.getvalue()


@pytest.mark.urls(__name__)
def test_plain_lines_carry_the_request_id_too(log_lines, client):
    stream = log_lines("plain")

    response = client.get("/noisy/")

    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert all(f"[{response['X-Request-ID']}]" in line for line in lines)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("incoming", ["5f0c6a3e-8f0e-4a57-9a8c-2b9f3c1d7e21", "lb-01:req.42_a"])
def test_a_sane_incoming_request_id_is_kept(log_lines, client, incoming):
    stream = log_lines("json")

    response = client.get("/noisy/", HTTP_X_REQUEST_ID=incoming)

    assert response["X-Request-ID"] == incoming
    assert {line["request_id"] for line in json_lines(stream)} == {incoming}


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "hostile",
    ["abc\nINFO lms.requests forged line", "a" * 10_240, "a" * 129, "<script>", "id with spaces", ""],
    ids=["newline", "10KB", "129 chars", "markup", "spaces", "empty"],
)
def test_a_hostile_incoming_request_id_is_replaced(log_lines, client, hostile):
    stream = log_lines("json")

    response = client.get("/noisy/", HTTP_X_REQUEST_ID=hostile)

    request_id = response["X-Request-ID"]
    assert GENERATED_ID.fullmatch(request_id)
    assert {line["request_id"] for line in json_lines(stream)} == {request_id}


@pytest.mark.urls(__name__)
def test_each_answer_is_logged_once(log_lines, db):
    """A 404 is its request's line alone (no "Not Found" from django.request); a 500 adds only the traceback."""
    from django.test import Client

    stream = log_lines("json")
    client = Client(raise_request_exception=False)

    missing = client.get("/no-such-page/")
    failed = client.get("/broken/")

    lines = json_lines(stream)
    assert [(line["logger"], line.get("status") or line.get("status_code"), line["request_id"]) for line in lines] == [
        ("lms.requests", 404, missing["X-Request-ID"]),
        ("django.request", 500, failed["X-Request-ID"]),
        ("lms.requests", 500, failed["X-Request-ID"]),
    ]
    assert "RuntimeError: broken view" in lines[1]["exc_info"]
    assert lines[0]["view"] == "wagtail_serve"  # Wagtail's pages answer what no other URL does


def test_a_certificate_renders_without_weasyprint_or_fonttools_lines_at_info(
    log_lines, make_course, student, django_capture_on_commit_callbacks
):
    course = make_course(title="Основы Python", lessons=1)
    stream = log_lines("plain")

    with django_capture_on_commit_callbacks(execute=True):  # the PDF task runs after the commit
        learning.enroll(learner=student, course=course)
        learning.complete_lesson(learner=student, lesson=course.lessons()[0])

    certificate = Certificate.objects.get(learner=student, course=course)
    assert certificate.pdf  # rendered, by weasyprint with subset fonts
    noisy = [line for line in stream.getvalue().splitlines() if re.search(r"weasyprint|fontTools", line, re.I)]
    assert noisy == []
