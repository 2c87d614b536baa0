"""The default task backend: tasks run in the web process, on a thread of their own.

The request that enqueued a task (say, the one that completed a course and so needs a certificate
PDF) answers at once; the work happens next to it. Good for one machine and the first run; a
production setup with several processes uses a real queue (`django_tasks_db.DatabaseBackend` and
`manage.py db_worker`), by setting `TASKS_BACKEND`.
"""

import threading

from django.db import close_old_connections, transaction
from django_tasks.backends.immediate import ImmediateBackend


class ThreadBackend(ImmediateBackend):
    def _execute_task(self, task_result):
        def run():
            try:
                super(ThreadBackend, self)._execute_task(task_result)
            finally:
                close_old_connections()

        thread = threading.Thread(target=run, name=f"task-{task_result.id}", daemon=True)
        # Start after commit, so the task reads what it was enqueued for (at once outside a transaction).
        transaction.on_commit(thread.start)
