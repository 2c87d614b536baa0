"""Keep courses' index entries current when what they borrow from other rows changes.

Wagtail (modelsearch) reindexes a page when the page itself is saved or deleted. A course's entry also
holds its category's name and its teacher's name, so renaming either reindexes their courses, through
the same task Wagtail uses, once the change is committed.
"""

from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_init, post_save
from modelsearch.tasks import insert_or_update_object_task

from courses.models import Category, CoursePage


def reindex_courses(course_ids) -> None:
    """Refresh the index entries of these courses after the current transaction commits."""
    for pk in course_ids:
        transaction.on_commit(
            partial(
                insert_or_update_object_task.enqueue, CoursePage._meta.app_label, CoursePage._meta.model_name, str(pk)
            )
        )


def category_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or kwargs.get("raw") or (update_fields is not None and "name" not in update_fields):
        return
    reindex_courses(CoursePage.objects.filter(category=instance).values_list("pk", flat=True))


def remember_name(sender, instance, **kwargs):
    # From __dict__, so that a user loaded without its name (`.only(...)`) is not fetched again.
    instance._indexed_name = instance.__dict__.get("name")


def user_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or kwargs.get("raw") or (update_fields is not None and "name" not in update_fields):
        return
    if instance.__dict__.get("name") != getattr(instance, "_indexed_name", None):
        instance._indexed_name = instance.__dict__.get("name")
        reindex_courses(CoursePage.objects.filter(owner=instance).values_list("pk", flat=True))


def register_signal_handlers() -> None:
    user_model = get_user_model()
    post_save.connect(category_saved, sender=Category, dispatch_uid="search.category_saved")
    post_init.connect(remember_name, sender=user_model, dispatch_uid="search.remember_name")
    post_save.connect(user_saved, sender=user_model, dispatch_uid="search.user_saved")
