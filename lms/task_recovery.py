"""Tasks that a dead worker left half done are run again, on both queues that production may use.

The database queue (django_tasks_db) marks a task RUNNING when a worker takes it, and looks at it no more: a
worker killed in the middle of a task (SIGKILL, the OOM killer, a machine that went away) would leave it RUNNING
for good. So each worker (`manage.py db_worker`, lms/management/commands/db_worker.py) holds, for as long as it
lives, a PostgreSQL advisory lock named after its worker id, on a connection of its own. The server lets go of the
lock when the process dies: at once when it is killed (its socket closes), within about 90 seconds when its machine
vanished (the keepalives below). A RUNNING task whose last worker holds no lock was abandoned: a worker puts it
back in the queue when it starts, and every TASKS_RECOVERY_SECONDS after that. Every worker must hold its lock, so
the project's `db_worker` replaces django_tasks_db's under the same name. The lock needs a session of its own on
the server: the workers' DATABASE_URL must not go through a pooler in transaction mode.

A task may so run twice (a worker cut off from the database for longer than the keepalives, a database restart
that dropped the locks): the portal's tasks bear it (a certificate's PDF is written under one name, search index
updates write what the page is).

RQ keeps its own books: a job whose work horse is killed is failed at once by its worker; one whose whole worker
died stays "started" until its heartbeat lapses (60 to 90 seconds), and the next cleanup of the registries (when a
worker starts, then every 10 minutes) fails it. Failed either way, a job that has retries left is queued again
instead: `RetryingQueue` gives every job some.
"""

import contextlib
import logging
import threading
import time
import zlib

from django.db import DatabaseError, connections, router, transaction
from django_rq.queues import DjangoRQ
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from rq.job import Retry

from lms.rows import update_rows

logger = logging.getLogger(__name__)

# The first key of the workers' locks ("LMSW"), so that they are told apart from any other advisory lock.
LOCK_CLASS = 0x4C4D5357
# The server asks a silent worker's machine whether it is still there after 30 s, then every 10 s, 6 times.
KEEPALIVES = ("SET tcp_keepalives_idle = 30", "SET tcp_keepalives_interval = 10", "SET tcp_keepalives_count = 6")
# How many times RQ runs a job again after it failed or its worker died.
RQ_RETRIES = 3


def worker_key(worker_id: str) -> int:
    """The second key of a worker's lock: its id hashed to a positive 32-bit number, as pg_locks shows it.

    Two workers whose ids hash alike look alive while either of them is: the tasks of the one that died are then
    run again once the other is gone too.
    """
    return zlib.crc32(worker_id.encode()) & 0x7FFFFFFF


class WorkerLock:
    """The lock that says a worker is alive, on a connection that Django does not manage: Django closes its own
    connections between tasks (CONN_MAX_AGE), and a session's lock goes with its connection."""

    def __init__(self, worker_id: str, alias: str):
        self.key = worker_key(worker_id)
        self.alias = alias
        self.connection = None

    def hold(self) -> None:
        """Take the lock; take it again on a new connection when the old one was lost (a database restart)."""
        if self.connection is not None:
            try:
                with self.connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                return
            except DatabaseError:
                with contextlib.suppress(DatabaseError):
                    self.connection.close()
        self.connection = connections.create_connection(self.alias)
        self.connection.inc_thread_sharing()  # the recovery thread checks it too
        with self.connection.cursor() as cursor:
            for statement in KEEPALIVES:
                cursor.execute(statement)
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, self.key])


def live_worker_keys(alias: str) -> set[int]:
    """The keys of the workers alive now: those whose lock the server holds for this database."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = %s AND objsubid = 2"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [LOCK_CLASS],
        )
        return {int(objid) for (objid,) in cursor.fetchall()}


def requeue_abandoned(backend_name: str) -> int:
    """Put back in the queue the RUNNING tasks whose worker is dead; how many there were."""
    alias = router.db_for_write(DBTaskResult)
    results = DBTaskResult.objects.using(alias)
    with transaction.atomic(using=alias):
        running = results.running().filter(backend_name=backend_name).select_for_update(skip_locked=True)
        # The tasks first, the locks second: a worker that held one of these tasks held its lock already.
        taken = list(running.values_list("pk", "worker_ids"))
        alive = live_worker_keys(alias) if taken else set()
        abandoned = [pk for pk, worker_ids in taken if not worker_ids or worker_key(worker_ids[-1]) not in alive]
        if abandoned:
            update_rows(results.filter(pk__in=abandoned), status=TaskResultStatus.READY)
    if abandoned:
        logger.warning("Queued again %d task(s) whose worker died: %s", len(abandoned), abandoned)
    return len(abandoned)


def recover(*, worker_id: str, backend_name: str, every: int) -> WorkerLock:
    """At a worker's start: hold its lock, put back what dead workers left, and do so again every `every`
    seconds on a thread of its own (never when `every` is 0)."""
    lock = WorkerLock(worker_id, router.db_for_write(DBTaskResult))
    lock.hold()
    requeue_abandoned(backend_name)
    if every > 0:
        threading.Thread(
            target=_keep_recovering, args=(lock, backend_name, every), name="task-recovery", daemon=True
        ).start()
    return lock


def _keep_recovering(lock: WorkerLock, backend_name: str, every: int) -> None:
    while True:
        time.sleep(every)
        try:
            lock.hold()
            requeue_abandoned(backend_name)
        except DatabaseError:
            logger.exception("Could not look for abandoned tasks")
        finally:
            connections.close_all()  # this thread's own


class RetryingQueue(DjangoRQ):
    """An RQ queue (RQ["QUEUE_CLASS"]) whose jobs RQ runs again, up to RQ_RETRIES times, when they fail or their
    worker dies."""

    def create_job(self, *args, retry: Retry | None = None, **kwargs):
        return super().create_job(*args, retry=retry or Retry(max=RQ_RETRIES), **kwargs)
