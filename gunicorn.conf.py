"""gunicorn's settings for the portal: gunicorn reads this file from the working directory, so every
`gunicorn lms.wsgi:application` (the Dockerfile's, the tests', the bench's) gets it; the command line adds
the rest (bind, workers).

With `PROMETHEUS_MULTIPROC_DIR` (lms/metrics.py), the workers count into files of that directory, which must be
empty when they start and forget a worker that has exited.
"""

import os
import shutil


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
