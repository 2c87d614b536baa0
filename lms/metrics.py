"""Metrics for Prometheus at /metrics: requests per view, background tasks, the depth of the task queue.

The client library itself (prometheus_client), not django-prometheus: the portal wants a counter and a
histogram of requests, three task metrics and a gauge read at scrape time, and this keeps them in one place
(django-prometheus adds two middlewares at both ends and per-model, per-cache and per-database metrics that
need its own database engine).

Only the addresses of METRICS_ALLOWED_IPS (single addresses or networks) get the metrics, by the client
address that the rate limits count (lms/throttles.py: the socket's peer, or behind NUM_PROXIES proxies the
address the outermost one saw). To anyone else /metrics is what any unknown path is: sent on to the same path
with a slash, which no page has (404). The middleware answers the scrape itself, before Django checks the host
name and redirects to HTTPS: Prometheus scrapes each app server by its own address, on the internal network.

Each process counts its own requests and tasks. With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR
to an empty directory, the same for every worker and for the task worker on that machine: each process then
writes its counts there, and a scrape adds them up (README, "Metrics").
"""

import functools
import ipaddress
import time

from django.apps import AppConfig
from django.conf import settings
from django.http import HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder

from .env import env
from .logs import view_name
from .throttles import client_address

METRICS_PATH = "/metrics"
# Any other method counts as "other": a label must not take whatever a client sends.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# From a quick index update to a long course's certificate on a busy worker.
TASK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)

REQUESTS = Counter("lms_http_requests", "Requests answered, by view, method and status.", ["view", "method", "status"])
REQUEST_SECONDS = Histogram(
    "lms_http_request_duration_seconds", "Time taken to answer a request, by view and method.", ["view", "method"]
)
TASKS_ENQUEUED = Counter("lms_tasks_enqueued", "Background tasks enqueued, by task.", ["task"])
TASKS_FINISHED = Counter("lms_tasks_finished", "Background tasks finished, by task and outcome.", ["task", "status"])
TASK_SECONDS = Histogram(
    "lms_task_duration_seconds", "Time a background task ran, by task.", ["task"], buckets=TASK_BUCKETS
)


class QueueDepthCollector:
    """Tasks ready to run and waiting in the database queue (django_tasks_db), per backend and queue.

    Counted at each scrape in one grouped count of the ready tasks (which the queue's table keeps a partial index
    of), for the backends of TASKS that are database ones; a queue with none waiting reads 0.
    """

    def collect(self):
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        gauge = GaugeMetricFamily(
            "lms_task_queue_depth", "Tasks ready to run, waiting in the database queue.", labels=["backend", "queue"]
        )
        depths = {(alias, queue): 0 for alias, backend in database_backends() for queue in backend.queues}
        if depths:
            waiting = (
                DBTaskResult.objects.ready()
                .filter(backend_name__in={alias for alias, _queue in depths})
                .order_by()
                .values_list("backend_name", "queue_name")
                .annotate(depth=Count("pk"))
            )
            for alias, queue, depth in waiting:
                depths[alias, queue] = depth
        for (alias, queue), depth in sorted(depths.items()):
            gauge.add_metric([alias, queue], depth)
        yield gauge


def database_backends():
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return [
        (alias, task_backends[alias]) for alias in settings.TASKS if isinstance(task_backends[alias], DatabaseBackend)
    ]


def _scrape_registry() -> CollectorRegistry:
    """What a scrape reads: this process's metrics, or every process's (multiprocess mode), and the queue."""
    registry = CollectorRegistry(auto_describe=False)
    if env("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    registry.register(QueueDepthCollector())
    return registry


SCRAPE = _scrape_registry()


@functools.lru_cache(maxsize=4)
def allowed_networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def may_scrape(request) -> bool:
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    address = getattr(address, "ipv4_mapped", None) or address  # ::ffff:127.0.0.1 is 127.0.0.1
    return any(address in network for network in allowed_networks(tuple(settings.METRICS_ALLOWED_IPS)))


def scrape(request) -> HttpResponse:
    encoder, content_type = choose_encoder(request.META.get("HTTP_ACCEPT", ""))
    return HttpResponse(encoder(SCRAPE), content_type=content_type)


class MetricsMiddleware:
    """Counts and times every request by the view that answered it; answers the scrapes of allowed addresses.

    Near the top of MIDDLEWARE, so that the time includes the other middleware, and so that a scrape needs
    no host name of ALLOWED_HOSTS nor HTTPS. Anyone else's /metrics goes on like any other request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == METRICS_PATH and may_scrape(request):
            return scrape(request)
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_name(request)
        method = request.method if request.method in METHODS else "other"
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        REQUEST_SECONDS.labels(view, method).observe(time.perf_counter() - started)
        return response


def count_enqueued(sender, task_result, **kwargs):
    TASKS_ENQUEUED.labels(task_result.task.module_path).inc()


def count_finished(sender, task_result, **kwargs):
    task = task_result.task.module_path
    TASKS_FINISHED.labels(task, task_result.status.lower()).inc()
    started = task_result.last_attempted_at or task_result.started_at
    if started is not None and task_result.finished_at is not None:
        TASK_SECONDS.labels(task).observe((task_result.finished_at - started).total_seconds())


class MetricsConfig(AppConfig):
    """In INSTALLED_APPS so that every process, the web servers and the task workers alike, counts its tasks."""

    name = "lms.metrics"
    label = "lms_metrics"

    def ready(self):
        from django_tasks.signals import task_enqueued, task_finished

        task_enqueued.connect(count_enqueued, dispatch_uid="lms.metrics.enqueued")
        task_finished.connect(count_finished, dispatch_uid="lms.metrics.finished")
