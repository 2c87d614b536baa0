"""Real task workers for the tests: `manage.py db_worker` and `manage.py rqworker` as processes of their own.

A worker in another process sees only what is committed: the tests that start one are transactional
(`transaction=True, serialized_rollback=True`), and the worker is pointed at the test database (`test_…`, one per
xdist worker). RQ runs on the machine's Redis, in database 12, on a queue named for the test alone: the test's
keys are removed afterwards (`rq_cleanup`), and nobody else's are touched.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import redis
from django.conf import settings
from django.db import connection

from learners.models import Certificate
from learners.services.certificates import PDF_FOLDER, new_code
from learners.tests.factories import UserFactory

MANAGE = Path(settings.BASE_DIR) / "manage.py"
REDIS_URL = "redis://127.0.0.1:6379/12"


def database_url() -> str:
    """The URL of the database this test runs on (the test database)."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'])}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(**variables: str) -> dict[str, str]:
    """The environment of a worker process: the test's database and media folder, and the given variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TASKS_", "AWS_", "REDIS_"))}
    return {
        **env,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "TASKS_RECOVERY_SECONDS": "0",
        **variables,
    }


def start(*arguments: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """`manage.py <arguments>` in a process group of its own, its output in `log`."""
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, str(MANAGE), *arguments],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill(process: subprocess.Popen) -> None:
    """SIGKILL to the process, its group and its children (RQ's work horse has a group of its own), as the OOM
    killer or a lost machine would end them."""
    for pid in children(process.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def children(pid: int) -> list[int]:
    """The processes that `pid` forked (RQ's work horse)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def wait_for(condition, *, timeout: float = 20, what: str = "the condition", log: Path | None = None):
    """Poll `condition` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    output = log.read_text() if log is not None and log.exists() else ""
    raise AssertionError(f"Timed out waiting for {what}.\n{output}")


def finish(process: subprocess.Popen, log: Path, timeout: float = 25) -> None:
    """Wait for a worker that works until its queue is empty (--batch, --burst) to end well."""
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill(process)
        raise AssertionError(f"The worker did not finish.\n{log.read_text()}") from None
    assert code == 0, log.read_text()


def waiting_on_a_lock() -> bool:
    """Whether a session of this database waits for a lock (a worker's task blocked on a row the test holds)."""
    with connection.cursor() as cursor:
        # The server shows a transaction the sessions as they were when it first looked, unless told to look again.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def certificate_without_pdf(**fields) -> Certificate:
    """A certificate as issued, before its PDF is made."""
    learner = UserFactory(name="Анна Смирнова")
    return Certificate.objects.create(
        code=new_code(), learner=learner, learner_name=learner.name, course_title="Основы Python", **fields
    )


def pdf_files(certificate: Certificate) -> list[str]:
    """The files of the certificate's PDFs in the media folder."""
    folder = Path(settings.MEDIA_ROOT) / PDF_FOLDER
    return sorted(path.name for path in folder.glob(f"{certificate.code}*")) if folder.exists() else []


def rq_settings(settings, queue: str) -> None:
    """This test process enqueues on RQ, on the test's own queue: as TASKS_BACKEND=django_tasks_rq.RQBackend
    with TASKS_REDIS_URL and TASKS_EXTRA_QUEUES=<queue> would set it up."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", queue]}}
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL} for name in ("default", queue)}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job", "QUEUE_CLASS": "lms.task_recovery.RetryingQueue"}


def rq_worker_env(queue: str) -> dict[str, str]:
    return worker_env(TASKS_BACKEND="django_tasks_rq.RQBackend", TASKS_REDIS_URL=REDIS_URL, TASKS_EXTRA_QUEUES=queue)


def new_queue_name() -> str:
    return f"lms-helper-tasks-{uuid.uuid4().hex[:12]}"


def rq_cleanup(queue: str, job_ids: list[str]) -> None:
    """Remove the Redis keys of the test's queue, workers and jobs, and its names from RQ's shared sets."""
    client = redis.Redis.from_url(REDIS_URL)
    marks = [queue, *job_ids]
    for key in client.scan_iter(count=1000):
        name = key.decode()
        if any(mark in name for mark in marks):
            client.delete(key)
        elif client.type(key) == b"set":
            mine = [member for member in client.smembers(key) if queue in member.decode()]
            if mine:
                client.srem(key, *mine)
    client.delete("rq:clean_groups")  # the workers' maintenance lock (in database 12, which only these tests use)
    client.close()
