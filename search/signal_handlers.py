"""Keep the catalog's cached answers and the courses' index entries current, all derived from one declared list.

Every connection below comes from `search.cache.CATALOG_READS`, what the catalog reads: a saved row of
a model it reads (of a model read only by some fields, when one of those changed; a new row of such a
model is not read until a read row points to it), a deleted one (directly or by a cascade), a change of
its many-to-many relations (a view restriction's groups), and a bulk update (`lms.rows.rows_updated`)
start a new catalog generation (`search.cache.rows_changed`). So do a page move and a rebuild of the index
(`manage.py update_index`, see `search/management/commands`).

The catalog's read model (`search.entries`) follows the same changes in the transaction that makes them: a
saved or deleted course or lesson (whatever the door: the admin, the API's services, Wagtail's bulk actions,
a cascade), a moved page, a view restriction, the fields of other rows a course's entry copies, and a bulk
update of ratings. Enrollments, which this app does not know, are followed by learners' signal handlers.

Wagtail (modelsearch) reindexes a page when the page itself is saved or deleted. A course's entry also
copies fields of other rows (its category's name and its teacher's name: `Reads.indexed_via`), so
changing those fields, or deleting such a row, reindexes the courses concerned, through the same task
Wagtail uses, once the change is committed.
"""

from functools import cache, partial

from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete
from modelsearch.tasks import insert_or_update_object_task
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from courses.models import CoursePage
from lms.rows import rows_updated

from . import cache as catalog_cache
from . import entries
from .cache import CATALOG_READS, catalog_changed, field_names, reads_of, rows_changed

COUNTS = frozenset({"rating_avg", "rating_count"})  # the course's columns an entry copies by `refresh_counts`


def reindex_courses(course_ids) -> None:
    """Refresh the catalog entries of these courses now, and their search index entries after the current
    transaction commits."""
    entries.refresh(course_ids)
    for pk in course_ids:
        transaction.on_commit(
            partial(
                insert_or_update_object_task.enqueue, CoursePage._meta.app_label, CoursePage._meta.model_name, str(pk)
            )
        )


@cache
def _tracked(model) -> frozenset[str]:
    """The fields of a row remembered as loaded, to tell whether a save changed them."""
    return frozenset().union(*((reads.fields or frozenset()) | reads.indexed_fields for reads in reads_of(model)))


def _values(instance, names) -> dict:
    # From __dict__, so that a row loaded without these fields (`.only(...)`) is not fetched again.
    return {name: instance.__dict__.get(name) for name in names}


def row_loaded(sender, instance, **kwargs):
    instance._catalog_loaded = _values(instance, _tracked(sender))


def row_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    tracked = _tracked(sender)
    before, after = getattr(instance, "_catalog_loaded", {}), _values(instance, tracked)
    instance._catalog_loaded = after
    if created:
        if any(reads.fields is None for reads in reads_of(sender)):
            rows_changed(sender)
        return
    saved = frozenset(update_fields) if update_fields is not None else field_names(sender)
    changed = saved - {name for name in tracked if name in before and before[name] == after[name]}
    rows_changed(sender, changed)
    for reads in reads_of(sender):
        if reads.indexed_via and changed & reads.indexed_fields:
            reindex_courses(CoursePage.objects.filter(**{reads.indexed_via: instance}).values_list("pk", flat=True))


def row_deleting(sender, instance, **kwargs):
    """Before a row whose fields index entries copy is deleted (its courses lose it by the cascade)."""
    instance._catalog_courses = [
        pk
        for reads in reads_of(sender)
        if reads.indexed_via
        for pk in CoursePage.objects.filter(**{reads.indexed_via: instance}).values_list("pk", flat=True)
    ]


def row_deleted(sender, instance, **kwargs):
    rows_changed(sender)
    reindex_courses(getattr(instance, "_catalog_courses", ()))


def relation_changed(sender, action, *, read_model, read_field, **kwargs):
    if action.startswith("post_"):
        rows_changed(read_model, {read_field})


def rows_bulk_updated(sender, fields, queryset=None, **kwargs):
    rows_changed(sender, fields)
    if queryset is None or not issubclass(sender, Page):
        return
    if issubclass(sender, CoursePage) and fields <= COUNTS:
        entries.refresh_counts(queryset.values_list("pk", flat=True))  # a rating: the counts alone
    else:
        entries.refresh(CoursePage.objects.holding(queryset).values_list("pk", flat=True))


def page_moved(sender, instance, **kwargs):
    catalog_changed()
    entries.refresh(entries.courses_below(instance))


def page_changed(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    """A course or lesson page saved or deleted (any door, cascades included): its course's entry follows, unless
    the page is new and not live (no entry reads it yet) or only Wagtail's books were saved (a draft, a lock:
    `entries.BOOKKEEPING`)."""
    if raw or not isinstance(instance, Page) or (created and not instance.live):
        return
    if update_fields is not None and frozenset(update_fields) <= entries.BOOKKEEPING:
        return
    entries.refresh(entries.courses_of(instance))


def restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        entries.refresh(entries.courses_below(page))


def register_signal_handlers() -> None:
    for reads in CATALOG_READS:
        model = apps.get_model(reads.model)
        uid = f"search.catalog_reads.{model._meta.label_lower}"
        if _tracked(model):
            post_init.connect(row_loaded, sender=model, dispatch_uid=f"{uid}.loaded")
        post_save.connect(row_saved, sender=model, dispatch_uid=f"{uid}.saved")
        if reads.indexed_via:
            pre_delete.connect(row_deleting, sender=model, dispatch_uid=f"{uid}.deleting")
        post_delete.connect(row_deleted, sender=model, dispatch_uid=f"{uid}.deleted")
        for field in model._meta.local_many_to_many:
            if reads.fields is None or field.name in reads.fields:
                m2m_changed.connect(
                    partial(relation_changed, read_model=model, read_field=field.name),
                    sender=field.remote_field.through,
                    weak=False,
                    dispatch_uid=f"{uid}.{field.name}",
                )
    rows_updated.connect(rows_bulk_updated, dispatch_uid="search.catalog_reads.bulk_updated")
    post_page_move.connect(page_moved, dispatch_uid="search.catalog_changed.moved")
    for signal in (post_save, post_delete):
        signal.connect(page_changed, dispatch_uid=f"search.entries.page_{signal is post_save}")
        signal.connect(
            restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"search.entries.restriction_{signal is post_save}",
        )
    request_started.connect(catalog_cache.begin_request, dispatch_uid="search.generation.request_started")
    request_finished.connect(catalog_cache.end_request, dispatch_uid="search.generation.request_finished")
