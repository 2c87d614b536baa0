"""Keep courses' index entries and the catalog's cached answers current when what they depend on changes.

Wagtail (modelsearch) reindexes a page when the page itself is saved or deleted. A course's entry also
holds its category's name and its teacher's name, so renaming either reindexes their courses, through
the same task Wagtail uses, once the change is committed.

Any saved, moved or deleted course, lesson, category or image, and any renamed teacher, starts a new catalog
generation (`search.cache`); so does a change of a course's ratings (`learners.services.reviews`), the
end of a background index update (searches cached before it would miss its changes), and a rebuild of
the index (`manage.py update_index`, see `search/management/commands`).
"""

from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django_tasks.signals import task_finished
from modelsearch.tasks import insert_or_update_object_task
from wagtail.images import get_image_model
from wagtail.signals import post_page_move

from courses.models import Category, CoursePage, LessonPage

from .cache import catalog_changed


def reindex_courses(course_ids) -> None:
    """Refresh the index entries of these courses after the current transaction commits."""
    for pk in course_ids:
        transaction.on_commit(
            partial(
                insert_or_update_object_task.enqueue, CoursePage._meta.app_label, CoursePage._meta.model_name, str(pk)
            )
        )


def catalog_row_changed(sender, **kwargs):
    if not kwargs.get("raw"):
        catalog_changed()


def index_task_finished(sender, task_result, **kwargs):
    if task_result.task.module_path.startswith("modelsearch."):
        catalog_changed()


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
        catalog_changed()
        reindex_courses(CoursePage.objects.filter(owner=instance).values_list("pk", flat=True))


def register_signal_handlers() -> None:
    user_model = get_user_model()
    for model in (CoursePage, LessonPage, Category, get_image_model()):  # images: the cards' covers
        uid = f"search.catalog_changed.{model._meta.label_lower}"
        post_save.connect(catalog_row_changed, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(catalog_row_changed, sender=model, dispatch_uid=f"{uid}.deleted")
    post_page_move.connect(catalog_row_changed, dispatch_uid="search.catalog_changed.moved")
    task_finished.connect(index_task_finished, dispatch_uid="search.catalog_changed.indexed")
    post_save.connect(category_saved, sender=Category, dispatch_uid="search.category_saved")
    post_init.connect(remember_name, sender=user_model, dispatch_uid="search.remember_name")
    post_save.connect(user_saved, sender=user_model, dispatch_uid="search.user_saved")
