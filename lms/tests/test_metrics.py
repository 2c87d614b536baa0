"""Metrics at /metrics (lms/metrics.py): requests per view, tasks and the queue's depth, for allowed addresses only."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks import task
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker
from prometheus_client import REGISTRY

from lms.tests.servers import Portal, database_url, portal_environment

pytestmark = pytest.mark.django_db

DOUBLE = "lms.tests.test_metrics.double"
FAIL = "lms.tests.test_metrics.fail"


@task()
def double(value: int) -> int:
    return value * 2


@task()
def fail() -> None:
    raise ValueError("failed on purpose")


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scraped(client, **extra) -> str:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def exposed(text: str, name: str, **labels) -> float:
    """A sample's value in the scrape's text (labels in any order)."""
    for line in text.splitlines():
        found = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if found and dict(re.findall(r'(\w+)="([^"]*)"', found[1])) == labels:
            return float(found[2])
    raise AssertionError(f"{name} {labels} not in the scrape")


def test_an_api_request_is_counted_and_timed_under_its_view(client, catalog):
    labels = {"view": "api:course-list", "method": "GET", "status": "200"}
    before = sample("lms_http_requests_total", **labels)
    timed = sample("lms_http_request_duration_seconds_count", view="api:course-list", method="GET")

    assert client.get("/api/v1/courses/").status_code == 200

    assert sample("lms_http_requests_total", **labels) == before + 1
    assert sample("lms_http_request_duration_seconds_count", view="api:course-list", method="GET") == timed + 1
    assert exposed(scraped(client), "lms_http_requests_total", **labels) == before + 1


def test_a_made_up_method_is_counted_as_other(client):
    before = sample("lms_http_requests_total", view="<none>", method="other", status="400")

    client.generic("BREW", "/api/v1/courses/", HTTP_HOST="not-allowed.example")

    assert sample("lms_http_requests_total", view="<none>", method="other", status="400") == before + 1


@pytest.mark.parametrize(
    ("address", "forwarded"),
    [("203.0.113.9", None), ("10.0.0.7", None), ("203.0.113.9", "127.0.0.1"), ("", None), ("not-an-address", None)],
    ids=["outside", "private", "forged X-Forwarded-For", "no address", "garbage"],
)
def test_metrics_are_an_unknown_page_to_other_addresses(client, address, forwarded):
    """Answered as any unknown path is: sent on to the path with a slash, which no page has (404)."""
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded

    response = client.get("/metrics", follow=True, **extra)
    unknown = client.get("/metricz", follow=True, **extra)

    assert response.status_code == unknown.status_code == 404
    assert [status for _url, status in response.redirect_chain] == [status for _url, status in unknown.redirect_chain]
    assert b"lms_http_requests" not in response.content


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "::ffff:127.0.0.1"])
def test_loopback_may_scrape_by_default(client, address):
    assert "lms_http_requests" in scraped(client, REMOTE_ADDR=address)


def test_allowed_networks_and_the_address_behind_our_proxy(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.20.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", follow=True).status_code == 404
    scraped(client, REMOTE_ADDR="10.20.3.4")

    settings.NUM_PROXIES = 1  # the proxy at 10.99.0.1 saw the client at 10.20.3.4
    scraped(client, REMOTE_ADDR="10.99.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 10.20.3.4")
    response = client.get(
        "/metrics", REMOTE_ADDR="10.20.3.4", HTTP_X_FORWARDED_FOR="10.20.3.4, 203.0.113.9", follow=True
    )
    assert response.status_code == 404


def test_a_scrape_needs_no_allowed_host_name_nor_https(client, settings):
    """Prometheus scrapes each app server by its address, over the internal network."""
    settings.SECURE_SSL_REDIRECT = True
    scraped(client, HTTP_HOST="10.0.0.5:8000")


def test_task_runs_are_counted_and_timed(client):
    before = {
        "enqueued": sample("lms_tasks_enqueued_total", task=DOUBLE),
        "successful": sample("lms_tasks_finished_total", task=DOUBLE, status="successful"),
        "failed": sample("lms_tasks_finished_total", task=FAIL, status="failed"),
        "timed": sample("lms_task_duration_seconds_count", task=DOUBLE),
    }

    double.enqueue(21)
    double.enqueue(4)
    fail.enqueue()

    assert sample("lms_tasks_enqueued_total", task=DOUBLE) == before["enqueued"] + 2
    assert sample("lms_tasks_finished_total", task=DOUBLE, status="successful") == before["successful"] + 2
    assert sample("lms_tasks_finished_total", task=FAIL, status="failed") == before["failed"] + 1
    assert sample("lms_task_duration_seconds_count", task=DOUBLE) == before["timed"] + 2
    text = scraped(client)
    assert exposed(text, "lms_tasks_finished_total", task=DOUBLE, status="successful") == before["successful"] + 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker checks its connection between tasks, as in production
def test_the_database_queue_depth_is_read_at_scrape_time_and_the_worker_counts_its_tasks(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    finished = sample("lms_tasks_finished_total", task=DOUBLE, status="successful")
    assert exposed(scraped(client), "lms_task_queue_depth", backend="default", queue="default") == 0

    for value in range(3):
        double.enqueue(value)
    assert exposed(scraped(client), "lms_task_queue_depth", backend="default", queue="default") == 3

    call_command(DatabaseWorker(), batch=True, startup_delay=False, reload=False, verbosity=0)

    assert exposed(scraped(client), "lms_task_queue_depth", backend="default", queue="default") == 0
    assert sample("lms_tasks_finished_total", task=DOUBLE, status="successful") == finished + 3


def test_no_queue_depth_without_a_database_queue(client):
    assert "lms_task_queue_depth{" not in scraped(client)


def test_with_several_gunicorn_workers_a_scrape_adds_up_what_every_worker_counted(tmp_path):
    """PROMETHEUS_MULTIPROC_DIR: each worker writes its counts there, and whichever answers the scrape reads all."""
    counts = tmp_path / "prometheus"
    counts.mkdir()
    environment = portal_environment(
        database_url(connection.settings_dict), tmp_path, PROMETHEUS_MULTIPROC_DIR=str(counts)
    )
    with Portal(environment, workers=2) as portal:
        answers = portal.at_once(6, "/api/v1/courses/")
        assert [answer.status for answer in answers] == [200] * 6
        assert len({answer.pid for answer in answers}) == 2  # both workers answered some

        scrapes = portal.at_once(2, "/metrics")

    assert len({scrape.pid for scrape in scrapes}) == 2  # each worker answered one scrape
    for scrape in scrapes:
        text = scrape.body.decode()
        assert exposed(text, "lms_http_requests_total", view="api:course-list", method="GET", status="200") == 6
        assert exposed(text, "lms_http_request_duration_seconds_count", view="api:course-list", method="GET") == 6
