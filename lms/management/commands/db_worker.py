"""`manage.py db_worker`: django_tasks_db's worker, which first gets back the work that dead workers lost.

Named as the command it extends, and found first (`lms` comes before `django_tasks_db` in INSTALLED_APPS), so that
every worker started the documented way holds the lock that tells other workers it is alive (lms/task_recovery.py).
Before it takes its first task, the worker puts back in the queue the tasks that dead workers left RUNNING, and
queues the certificate PDFs that are missing or out of date (a task lost with the web process of the in-process
backend, one that failed); it goes on looking for abandoned tasks every TASKS_RECOVERY_SECONDS.
"""

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from learners.services import certificates
from lms import task_recovery


class Command(DatabaseWorkerCommand):
    help = "Run a database background worker, after getting back the work of workers that died."

    def handle(self, *args, **options):
        # Kept for as long as the worker runs: its connection, and so its lock, would go with it.
        self.lock = task_recovery.recover(
            worker_id=options["worker_id"], backend_name=options["backend_name"], every=settings.TASKS_RECOVERY_SECONDS
        )
        certificates.queue_missing_pdfs()
        super().handle(*args, **options)
