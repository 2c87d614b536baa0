"""The default task backend: tasks run after commit, in order, off the request's thread."""

import threading

import pytest
from django.db import transaction
from django_tasks import task

RAN = []


@task()
def remember(value: int) -> None:
    RAN.append((value, threading.current_thread().name))


@pytest.fixture
def thread_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "lms.tasks.ThreadBackend"}}
    RAN.clear()
    from django_tasks import default_task_backend

    yield default_task_backend
    default_task_backend._queue.join()


def test_tasks_wait_for_the_commit_then_run_in_order_on_the_worker(thread_backend, transactional_db, django_db_serialized_rollback):
    with transaction.atomic():
        for value in range(5):
            remember.enqueue(value)
        assert RAN == []  # nothing runs before the data it needs is committed
    thread_backend._queue.join()
    assert [value for value, _thread in RAN] == [0, 1, 2, 3, 4]
    assert {name for _value, name in RAN} == {"tasks-default"}
