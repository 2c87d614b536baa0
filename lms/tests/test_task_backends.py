"""The task queues that production may use run the portal's tasks, each against its real server: PostgreSQL
(django_tasks_db, `manage.py db_worker`) and Redis (RQ, `manage.py rqworker`); and the database worker finds the
tasks that dead workers left RUNNING, and only those (lms/task_recovery.py)."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks_db.models import DBTaskResult, get_date_max

from learners.services.certificates import has_current_pdf, render_certificate_pdf
from lms import task_recovery
from lms.task_recovery import live_worker_keys, worker_key

from .task_workers import (
    certificate_without_pdf,
    finish,
    kill,
    new_queue_name,
    pdf_files,
    rq_cleanup,
    rq_settings,
    rq_worker_env,
    start,
    wait_for,
    worker_env,
)

live_database = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@live_database
def test_the_database_worker_runs_a_task_end_to_end(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    certificate = certificate_without_pdf()
    result = render_certificate_pdf.enqueue(certificate.pk)
    log = tmp_path / "worker.log"
    env = worker_env(TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    finish(start("db_worker", "--batch", "--no-startup-delay", "--worker-id", "w1", env=env, log=log), log)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.worker_ids == ["w1"]
    certificate.refresh_from_db()
    assert has_current_pdf(certificate) and pdf_files(certificate) == [f"{certificate.code}.pdf"]


@live_database
def test_rq_runs_a_task_end_to_end(settings, tmp_path):
    queue = new_queue_name()
    rq_settings(settings, queue)
    certificate = certificate_without_pdf()
    result = render_certificate_pdf.using(queue_name=queue).enqueue(certificate.pk)
    try:
        log = tmp_path / "worker.log"
        finish(start("rqworker", queue, "--burst", "--name", f"{queue}-1", env=rq_worker_env(queue), log=log), log)
        result = default_task_backend.get_result(result.id)
        assert result.status == TaskResultStatus.SUCCESSFUL and result.worker_ids == [f"{queue}-1"]
    finally:
        rq_cleanup(queue, [result.id])
    certificate.refresh_from_db()
    assert has_current_pdf(certificate) and pdf_files(certificate) == [f"{certificate.code}.pdf"]


def test_rq_jobs_get_retries(settings):
    queue = new_queue_name()
    rq_settings(settings, queue)
    import django_rq

    job = django_rq.get_queue(queue).create_job("learners.services.certificates.render_certificate_pdf", args=[1])
    assert job.retries_left == task_recovery.RQ_RETRIES  # only created: nothing reached Redis


def settings_with(monkeypatch, **variables) -> dict:
    """The settings that lms/settings.py makes from this environment (read afresh, not installed)."""
    for name in ("TASKS_BACKEND", "TASKS_REDIS_URL", "REDIS_URL", "TASKS_EXTRA_QUEUES", "SENTRY_DSN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(__file__).resolve().parents[1] / "settings.py"))


def test_rq_is_switched_on_by_the_environment(monkeypatch):
    rq = settings_with(monkeypatch, TASKS_BACKEND="django_tasks_rq.RQBackend", TASKS_REDIS_URL="redis://queue:6379/3")
    assert "django_rq" in rq["INSTALLED_APPS"]
    timeouts = "socket_connect_timeout=1.0&socket_timeout=1.0"  # enqueuing never hangs on a Redis that does not answer
    assert rq["RQ_QUEUES"] == {"default": {"URL": f"redis://queue:6379/3?{timeouts}"}}
    assert rq["RQ"]["QUEUE_CLASS"] == "lms.task_recovery.RetryingQueue"
    shared = settings_with(
        monkeypatch,
        TASKS_BACKEND="django_tasks_rq.RQBackend",
        REDIS_URL="redis://cache:6379/0",
        TASKS_EXTRA_QUEUES="bulk",
    )
    assert shared["RQ_QUEUES"] == {name: {"URL": f"redis://cache:6379/0?{timeouts}"} for name in ("default", "bulk")}
    with pytest.raises(ImproperlyConfigured, match="TASKS_REDIS_URL"):
        settings_with(monkeypatch, TASKS_BACKEND="django_tasks_rq.RQBackend")
    default = settings_with(monkeypatch)
    assert default["TASKS"] == {"default": {"BACKEND": "lms.tasks.ThreadBackend", "QUEUES": ["default"]}}
    assert "django_rq" not in default["INSTALLED_APPS"] and "RQ_QUEUES" not in default


def running(*worker_ids: str, certificate_id: int = 1, backend_name: str = "default") -> DBTaskResult:
    """A certificate render that the last of `worker_ids` took and has not finished (yet, or ever)."""
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [certificate_id], "kwargs": {}},
        task_path="learners.services.certificates.render_certificate_pdf",
        backend_name=backend_name,
        run_after=get_date_max(),
        started_at=timezone.now(),
        worker_ids=list(worker_ids),
    )


@pytest.mark.django_db
def test_only_the_tasks_of_dead_workers_are_queued_again():
    lock = task_recovery.WorkerLock("alive", connection.alias)
    lock.hold()
    try:
        alive, dead = running("earlier", "alive"), running("earlier", "dead")
        other_backend = running("dead", backend_name="other")
        assert task_recovery.requeue_abandoned("default") == 1
        statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
        assert statuses == {alive.pk: "RUNNING", dead.pk: "READY", other_backend.pk: "RUNNING"}
        assert task_recovery.requeue_abandoned("default") == 0
    finally:
        lock.connection.close()
    assert task_recovery.requeue_abandoned("default") == 1  # the worker that held "alive" is gone now


@live_database
def test_a_working_worker_takes_back_the_task_of_one_that_died_meanwhile(tmp_path):
    """A worker on another machine died; this one, already at work, finds its task within TASKS_RECOVERY_SECONDS."""
    certificate = certificate_without_pdf()
    log = tmp_path / "worker.log"
    env = worker_env(TASKS_BACKEND="django_tasks_db.DatabaseBackend", TASKS_RECOVERY_SECONDS="1")
    worker = start("db_worker", "--no-startup-delay", "--interval", "0.1", "--worker-id", "alive", env=env, log=log)
    try:
        wait_for(lambda: worker_key("alive") in live_worker_keys(connection.alias), what="the worker's lock", log=log)
        abandoned = running("gone", certificate_id=certificate.pk)
        wait_for(
            lambda: DBTaskResult.objects.filter(pk=abandoned.pk, status=TaskResultStatus.SUCCESSFUL).exists(),
            what="the abandoned task to be run again",
            log=log,
        )
    finally:
        kill(worker)
    abandoned.refresh_from_db()
    assert abandoned.worker_ids == ["gone", "alive"]
