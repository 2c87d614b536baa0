"""What the catalog computes over many courses (facet counts, totals, pages of cards), kept in the cache.

These answers depend on the whole catalog, so computing them costs time in proportion to its size,
while the page of courses shown with them does not. They are stored under the catalog's *generation*,
a number that changes whenever anything the catalog reads changes: every entry of the older generation
is then simply never read again and expires. The cache is a bonus, not a crutch: the catalog's read model
(`search.entries`) answers an uncached request in a few indexed queries, and `CATALOG_CACHE=false` turns the
cache off (the bench measures both).

Where the generation lives
    In the database, as a PostgreSQL sequence (migration `search.0001`), because every process that
    answers sees the database: a change made through one worker is seen at once by all the others, with
    Redis or with the default per-process memory cache alike. A sequence takes no lock and is read in
    one tiny query, once per request (`begin_request`). A generation changes
    at once, in the transaction that made the change, and once more when that transaction commits, so
    that nothing computed from uncommitted or half-committed rows survives.

What changes it: one declared list
    `CATALOG_READS` says which models (and which of their fields) the catalog reads; `search.signal_handlers`
    derives every signal connection from it (saves, deletions and their cascades, many-to-many changes).
    A bulk update (`QuerySet.update`) sends no signal: the project makes them only through
    `lms.rows.update_rows`, whose `rows_updated` signal is matched against the same list (a test keeps it
    so). Page moves and `manage.py update_index` change it too.

When an entry is missing, one request computes it while the others asking for it at the same moment
wait for it (up to `WAIT_SECONDS`), rather than all computing the same thing at once.
"""

import functools
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass

from asgiref.local import Local
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation
from modeltranslation.utils import get_translation_fields
from wagtail.images import get_image_model_string

CATALOG = "catalog:generation"
SEQUENCES = {CATALOG: "search_catalog_generation"}
WAIT_SECONDS = 10
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Reads:
    """What the catalog reads of one model (`app_label.ModelName`).

    `fields`: the fields it reads, None for all of them (and then a new row counts as a change too).
    `indexed_via`: the course's foreign key through which a course's search index entry copies this
    model's `indexed_fields`; changing those (or deleting the row) reindexes its courses.
    """

    model: str
    fields: frozenset[str] | None = None
    indexed_via: str = ""
    indexed_fields: frozenset[str] = frozenset()

    def changes(self, fields: Iterable[str] | None) -> bool:
        """Whether a change of these fields (None: unknown, maybe all) changes the catalog."""
        if fields is None:
            return True
        return bool(set(fields) & (self.fields if self.fields is not None else field_names(apps.get_model(self.model))))


@functools.cache
def field_names(model) -> frozenset[str]:
    """The names a change of a model's rows may give its fields (`owner` and `owner_id` alike)."""
    fields = (*model._meta.concrete_fields, *model._meta.many_to_many)
    return frozenset(name for field in fields for name in (field.name, field.attname))


CATALOG_READS = (
    # Pages: titles, slugs, publication, owners and the tree, of the courses, their lessons and the catalog.
    Reads("wagtailcore.Page"),
    Reads("courses.CoursePage"),
    Reads("courses.LessonPage"),
    # A category's name, in each language (courses/translation.py).
    Reads(
        "courses.Category", indexed_via="category", indexed_fields=frozenset({"name", *get_translation_fields("name")})
    ),
    Reads(get_image_model_string()),  # the cards' covers
    # Teachers' names, on the cards and in the facets; a deleted teacher's courses lose their owner.
    Reads(
        settings.AUTH_USER_MODEL, fields=frozenset({"name"}), indexed_via="owner", indexed_fields=frozenset({"name"})
    ),
    # Who may see which course (the admin's Privacy settings, `courses.visibility`).
    Reads("wagtailcore.PageViewRestriction"),
    Reads("wagtailcore.Site"),  # the cards' absolute URLs
)


def reads_of(model) -> list[Reads]:
    """The declared reads of a model and of the models it inherits from (a course is also a page)."""
    labels = {m._meta.label_lower for m in (model, *model._meta.get_parent_list())}
    return [reads for reads in CATALOG_READS if reads.model.lower() in labels]


def rows_changed(model, fields: Iterable[str] | None = None) -> None:
    """Rows of `model` were saved, deleted or updated (`fields`: the changed ones; None: any): start a new
    generation if the catalog reads them."""
    fields = None if fields is None else frozenset(fields)
    if any(reads.changes(fields) for reads in reads_of(model)):
        catalog_changed()


# --- the generation ---------------------------------------------------------------------------------------

_request = Local()


def begin_request(**kwargs) -> None:
    """`request_started`: the generation is read at most once in the request (and again after a change in it)."""
    _request.generations = {}


def end_request(**kwargs) -> None:
    _request.generations = None


def generation() -> str:
    memo = getattr(_request, "generations", None)
    if memo and CATALOG in memo:
        return memo[CATALOG]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_value FROM {SEQUENCES[CATALOG]}")  # noqa: S608
        current = str(cursor.fetchone()[0])
    if memo is not None:
        memo[CATALOG] = current
    return current


def catalog_changed() -> None:
    """Forget every cached catalog answer: now, and again when the current transaction commits."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval('{SEQUENCES[CATALOG]}')")
    if getattr(_request, "generations", None):
        _request.generations = {}


# --- the entries ------------------------------------------------------------------------------------------


def _cache_key(kind: str, key: tuple) -> str:
    # An answer holds names in the language it was computed in (a category's, in the facets and on the cards).
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    return f"catalog:{kind}:{generation()}:{translation.get_language()}:{digest}"


def peek(kind: str, key: tuple):
    """The value computed for `key` in this generation, or None (always None with the cache off)."""
    if not settings.CATALOG_CACHE:
        return None
    return cache.get(_cache_key(kind, key))


def cached(kind: str, key: tuple, compute):
    """`compute()`, or its value from the cache if it was computed for `key` in this generation (`compute()`
    itself with the cache off: `CATALOG_CACHE`)."""
    if not settings.CATALOG_CACHE:
        return compute()
    cache_key = _cache_key(kind, key)
    value = cache.get(cache_key)
    if value is not None:
        return value
    lock = f"{cache_key}:computing"
    if not cache.add(lock, 1, timeout=WAIT_SECONDS):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(_POLL_SECONDS)
            if (value := cache.get(cache_key)) is not None:
                return value
    try:
        value = compute()
        cache.set(cache_key, value, timeout=settings.CATALOG_CACHE_SECONDS)
    finally:
        cache.delete(lock)
    return value
