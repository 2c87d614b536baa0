"""No certificate stays without its PDF: a lost or killed task's work is done again, once.

- A download makes a PDF that is missing or out of date, on the site and on the API alike.
- `manage.py certificates --render-missing` (which the database worker runs when it starts) queues them all.
- The task is idempotent: run again, it keeps one PDF under one name, and writes over what a killed render left.
- A worker killed (SIGKILL) in the middle of the task is followed by one that finishes it, with one PDF at the end:
  the database worker, and RQ's (its work horse killed, or the whole worker).
"""

import io
import os
import signal
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from learners.models import Certificate
from learners.services import certificates
from learners.services.certificates import has_current_pdf, pdf_name, render_certificate_pdf, store_pdf
from lms.task_recovery import live_worker_keys, worker_key
from lms.tests.task_workers import (
    certificate_without_pdf,
    children,
    finish,
    kill,
    new_queue_name,
    pdf_files,
    rq_cleanup,
    rq_settings,
    rq_worker_env,
    start,
    wait_for,
    waiting_on_a_lock,
    worker_env,
)

live_database = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def revoked_behind_its_pdf(certificate: Certificate) -> Certificate:
    """Revoked, but its PDF still the valid one's: the render that the revocation queued was lost."""
    Certificate.objects.filter(pk=certificate.pk).update(
        revoked_at="2026-01-02T03:04:05Z", revoked_reason="Lost render"
    )
    certificate.refresh_from_db()
    return certificate


# --- on request -----------------------------------------------------------------------------------------------


@pytest.fixture
def download(client, as_user):
    """The owner's download of the PDF, through the site or the API; its bytes."""

    def get(door, certificate):
        if door == "site":
            client.force_login(certificate.learner)
            response = client.get(f"/certificates/{certificate.code}/pdf/")
        else:
            response = as_user(certificate.learner).get(f"/api/v1/certificates/{certificate.code}/pdf/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        return b"".join(response.streaming_content)

    return get


@pytest.mark.django_db
@pytest.mark.parametrize("door", ["site", "api"])
@pytest.mark.parametrize("loss", ["never made", "file gone"])
def test_a_download_makes_a_missing_pdf(download, door, loss):
    certificate = certificate_without_pdf()
    if loss == "file gone":
        store_pdf(certificate)
        certificate.pdf.storage.delete(certificate.pdf.name)
    assert "Анна Смирнова" in pdf_text(download(door, certificate))
    certificate.refresh_from_db()
    assert has_current_pdf(certificate) and pdf_files(certificate) == [f"{certificate.code}.pdf"]


@pytest.mark.django_db
@pytest.mark.parametrize("door", ["site", "api"])
def test_a_download_after_a_lost_revocation_render_says_revoked(download, door, django_capture_on_commit_callbacks):
    certificate = store_pdf(certificate_without_pdf())
    revoked_behind_its_pdf(certificate)
    with django_capture_on_commit_callbacks(execute=True):
        assert "REVOKED" in pdf_text(download(door, certificate))
    certificate.refresh_from_db()
    assert certificate.pdf.name == pdf_name(certificate) and certificate.pdf.name.endswith("-revoked.pdf")
    assert pdf_files(certificate) == [f"{certificate.code}-revoked.pdf"]  # the valid one's is gone


# --- the task, run again --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_task_run_again_keeps_the_one_pdf(monkeypatch):
    certificate = certificate_without_pdf()
    render_certificate_pdf.enqueue(certificate.pk)
    certificate.refresh_from_db()
    first = certificate.pdf.read()
    monkeypatch.setattr(certificates, "render_pdf", lambda certificate: pytest.fail("rendered again"))
    render_certificate_pdf.enqueue(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.pdf.read() == first and pdf_files(certificate) == [f"{certificate.code}.pdf"]


@pytest.mark.django_db
def test_the_task_writes_over_what_a_killed_render_left():
    certificate = certificate_without_pdf()
    # A render killed after writing its file, before recording it: the file is there, the row names none.
    certificate.pdf.storage.save(pdf_name(certificate), ContentFile(b"%PDF-1.7 half written"))
    render_certificate_pdf.enqueue(certificate.pk)
    certificate.refresh_from_db()
    assert pdf_files(certificate) == [f"{certificate.code}.pdf"] and certificate.pdf.name == pdf_name(certificate)
    assert "Анна Смирнова" in pdf_text(certificate.pdf.read())


# --- the sweep ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_queues_every_missing_pdf(django_capture_on_commit_callbacks, capsys):
    never_made = certificate_without_pdf()
    revoked = revoked_behind_its_pdf(store_pdf(certificate_without_pdf()))
    file_gone = store_pdf(certificate_without_pdf())
    file_gone.pdf.storage.delete(file_gone.pdf.name)
    fine = store_pdf(certificate_without_pdf())
    assert certificates.lacking_pdf() == [never_made.pk, revoked.pk]
    assert certificates.lacking_pdf(check_files=True) == [never_made.pk, revoked.pk, file_gone.pk]
    call_command("certificates")
    assert capsys.readouterr().out == "2 certificate(s) lack an up-to-date PDF.\n"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("certificates", "--render-missing", "--check-files")  # the tasks run at once in the tests
    assert capsys.readouterr().out == "Queued 3 certificate PDF(s) to be made.\n"
    for certificate in (never_made, revoked, file_gone, fine):
        certificate.refresh_from_db()
        assert has_current_pdf(certificate)
    assert pdf_files(revoked) == [f"{revoked.code}-revoked.pdf"]
    call_command("certificates", "--check-files")
    assert capsys.readouterr().out == "0 certificate(s) lack an up-to-date PDF.\n"


# --- workers killed mid-task ----------------------------------------------------------------------------------


def blocked_in_the_task(is_running, log):
    """Wait until the worker is inside the certificate task, blocked on the certificate's row that the test holds."""
    wait_for(lambda: is_running() and waiting_on_a_lock(), what="the worker to be inside the task", log=log)


@live_database
def test_a_database_worker_killed_mid_task_is_followed_by_one_that_finishes_it(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    certificate = certificate_without_pdf()
    result = render_certificate_pdf.enqueue(certificate.pk)
    env = worker_env(TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    log = tmp_path / "workers.log"
    running = DBTaskResult.objects.filter(pk=result.id, status=TaskResultStatus.RUNNING).exists
    with transaction.atomic():
        Certificate.objects.select_for_update().get(pk=certificate.pk)  # the task waits for this row
        first = start("db_worker", "--no-startup-delay", "--interval", "0.1", "--worker-id", "first", env=env, log=log)
        try:
            blocked_in_the_task(running, log)
            assert worker_key("first") in live_worker_keys(connection.alias)  # it says it is alive, while it is
        finally:
            kill(first)
    wait_for(lambda: worker_key("first") not in live_worker_keys(connection.alias), what="the dead worker's lock to go")
    assert running()  # and so it would stay, but for the next worker

    finish(start("db_worker", "--batch", "--no-startup-delay", "--worker-id", "second", env=env, log=log), log)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.worker_ids == ["first", "second"]
    certificate.refresh_from_db()
    assert has_current_pdf(certificate) and pdf_files(certificate) == [f"{certificate.code}.pdf"]
    assert Certificate.objects.count() == 1


@live_database
@pytest.mark.parametrize("killed", ["work horse", "whole worker"])
def test_an_rq_worker_killed_mid_task_is_followed_by_one_that_finishes_it(settings, tmp_path, killed):
    import django_rq

    queue = new_queue_name()
    rq_settings(settings, queue)
    certificate = certificate_without_pdf()
    result = render_certificate_pdf.using(queue_name=queue).enqueue(certificate.pk)
    log = tmp_path / "workers.log"
    workers = []

    def status():
        return default_task_backend.get_result(result.id).status

    try:
        with transaction.atomic():
            Certificate.objects.select_for_update().get(pk=certificate.pk)  # the task waits for this row
            workers.append(start("rqworker", queue, "--name", f"{queue}-1", env=rq_worker_env(queue), log=log))
            blocked_in_the_task(lambda: status() == TaskResultStatus.RUNNING, log)
            if killed == "work horse":
                [horse] = children(workers[0].pid)
                os.kill(horse, signal.SIGKILL)
            else:
                kill(workers[0])  # and its horse
        if killed == "work horse":
            # Its worker saw the horse die, and queued the job again (it has retries left); it runs it anew.
            wait_for(lambda: status() == TaskResultStatus.SUCCESSFUL, what="the job run again", log=log)
        else:
            assert status() == TaskResultStatus.RUNNING  # "started", by a worker that is no more
            # RQ takes such a job back when its heartbeat has lapsed (60 to 90 s after the death), at the next cleanup
            # of its registries (a worker's start, then every 10 minutes): the test runs that cleanup, as of then.
            django_rq.get_queue(queue).started_job_registry.cleanup(timestamp=time.time() + 120)
            assert status() == TaskResultStatus.READY
            workers.append(
                start("rqworker", queue, "--burst", "--name", f"{queue}-2", env=rq_worker_env(queue), log=log)
            )
            finish(workers[-1], log)
            assert status() == TaskResultStatus.SUCCESSFUL
    finally:
        for worker in workers:
            kill(worker)
        rq_cleanup(queue, [result.id])
    certificate.refresh_from_db()
    assert has_current_pdf(certificate) and pdf_files(certificate) == [f"{certificate.code}.pdf"]
    assert Certificate.objects.count() == 1
