"""The default task backend: tasks run in the web process, one after another, on a worker thread.

The request that enqueued a task (say, the one that completed a course and so needs a certificate
PDF) answers at once; the work happens next to it. One thread runs the tasks in order, as a queue
worker would: Wagtail enqueues several index updates for one page save, and running them side by
side would race. Good for one machine and the first run; a production setup with several processes
uses a real queue (`django_tasks_db.DatabaseBackend` and `manage.py db_worker`, or RQ over Redis), by
setting `TASKS_BACKEND`.

The queue lives in the process's memory: tasks still queued or running when the process dies are lost.
What they were for is made again where it matters: a certificate's PDF on its first download, or by
`manage.py certificates --render-missing` (learners/services/certificates.py).
"""

import atexit
import logging
import queue
import threading

from django.db import close_old_connections, transaction
from django_tasks.backends.immediate import ImmediateBackend

logger = logging.getLogger(__name__)


class ThreadBackend(ImmediateBackend):
    def __init__(self, alias, params):
        super().__init__(alias, params)
        self._queue: queue.Queue = queue.Queue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()

    def _execute_task(self, task_result):
        # Queue after commit, so that the task reads what it was enqueued for (at once outside a transaction).
        transaction.on_commit(lambda: self._submit(task_result))

    def _submit(self, task_result):
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name=f"tasks-{self.alias}", daemon=True)
                self._worker.start()
                # A command that enqueued work (seed_demo, a shell) finishes it before the process ends.
                atexit.register(self._queue.join)
        self._queue.put(task_result)

    def _work(self):
        while True:
            task_result = self._queue.get()
            try:
                super()._execute_task(task_result)
            except Exception:  # the task's own failure is recorded on its result; this is anything else
                logger.exception("Task %s could not run", task_result.id)
            finally:
                close_old_connections()
                self._queue.task_done()
