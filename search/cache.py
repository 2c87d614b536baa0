"""What the catalog computes over every course (search hits, facet counts, totals, pages of cards), kept in the cache.

These answers depend on the whole catalog, so computing them costs time in proportion to its size,
while the page of courses shown with them does not. They are stored under the catalog's *generation*,
a number that changes whenever anything the catalog reads changes: every entry of the older generation
is then simply never read again and expires. Search hits depend only on what is published and indexed,
not on ratings or on who may see what, so they have a generation of their own that those leave alone.

Where the generation lives
    In the database, as two PostgreSQL sequences (migration `search.0001`), because every process that
    answers sees the database: a change made through one worker is seen at once by all the others, with
    Redis or with the default per-process memory cache alike. A sequence takes no lock and is read in
    one tiny query (both generations at once), once per request (`begin_request`). A generation changes
    at once, in the transaction that made the change, and once more when that transaction commits, so
    that nothing computed from uncommitted or half-committed rows survives.

What changes it: one declared list
    `CATALOG_READS` says which models (and which of their fields) the catalog reads; `search.signal_handlers`
    derives every signal connection from it (saves, deletions and their cascades, many-to-many changes).
    A bulk update (`QuerySet.update`) sends no signal: the project makes them only through
    `lms.rows.update_rows`, whose `rows_updated` signal is matched against the same list (a test keeps it
    so). Page moves, a finished background index update and `manage.py update_index` change it too.

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
from wagtail.images import get_image_model_string

CATALOG, SEARCH = "catalog:generation", "catalog:search-generation"
SEQUENCES = {CATALOG: "search_catalog_generation", SEARCH: "search_search_generation"}
WAIT_SECONDS = 10
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Reads:
    """What the catalog reads of one model (`app_label.ModelName`).

    `fields`: the fields it reads, None for all of them (and then a new row counts as a change too).
    `searched`: whether search hits depend on the model at all; `unsearched`: fields they do not depend on.
    `indexed_via`: the course's foreign key through which a course's search index entry copies this
    model's `indexed_fields`; changing those (or deleting the row) reindexes its courses.
    """

    model: str
    fields: frozenset[str] | None = None
    searched: bool = True
    unsearched: frozenset[str] = frozenset()
    indexed_via: str = ""
    indexed_fields: frozenset[str] = frozenset()

    def changes(self, fields: Iterable[str] | None) -> tuple[bool, bool]:
        """Whether a change of these fields (None: unknown, maybe all) changes the catalog, and search hits."""
        if fields is None:
            return True, self.searched
        fields = set(fields) & (self.fields if self.fields is not None else field_names(apps.get_model(self.model)))
        return bool(fields), self.searched and bool(fields - self.unsearched)


@functools.cache
def field_names(model) -> frozenset[str]:
    """The names a change of a model's rows may give its fields (`owner` and `owner_id` alike)."""
    fields = (*model._meta.concrete_fields, *model._meta.many_to_many)
    return frozenset(name for field in fields for name in (field.name, field.attname))


CATALOG_READS = (
    # Pages: titles, slugs, publication, owners and the tree, of the courses, their lessons and the catalog.
    Reads("wagtailcore.Page"),
    Reads("courses.CoursePage", unsearched=frozenset({"rating_avg", "rating_count"})),
    Reads("courses.LessonPage"),
    Reads("courses.Category", indexed_via="category", indexed_fields=frozenset({"name"})),
    Reads(get_image_model_string()),  # the cards' covers
    # Teachers' names, on the cards and in the facets; a deleted teacher's courses lose their owner.
    Reads(
        settings.AUTH_USER_MODEL, fields=frozenset({"name"}), indexed_via="owner", indexed_fields=frozenset({"name"})
    ),
    # Who may see which course (the admin's Privacy settings, `courses.visibility`).
    Reads("wagtailcore.PageViewRestriction", searched=False),
    Reads("wagtailcore.Site", searched=False),  # the cards' absolute URLs
)


def reads_of(model) -> list[Reads]:
    """The declared reads of a model and of the models it inherits from (a course is also a page)."""
    labels = {m._meta.label_lower for m in (model, *model._meta.get_parent_list())}
    return [reads for reads in CATALOG_READS if reads.model.lower() in labels]


def rows_changed(model, fields: Iterable[str] | None = None) -> None:
    """Rows of `model` were saved, deleted or updated (`fields`: the changed ones; None: any): start a new
    generation if the catalog reads them."""
    fields = None if fields is None else frozenset(fields)
    catalog = search = False
    for reads in reads_of(model):
        changes_catalog, changes_search = reads.changes(fields)
        catalog, search = catalog or changes_catalog, search or changes_search
    if catalog:
        catalog_changed(search=search)


# --- the generation ---------------------------------------------------------------------------------------

_request = Local()


def begin_request(**kwargs) -> None:
    """`request_started`: the generation is read at most once in the request (and again after a change in it)."""
    _request.generations = {}


def end_request(**kwargs) -> None:
    _request.generations = None


def generation(kind: str = CATALOG) -> str:
    memo = getattr(_request, "generations", None)
    if memo and kind in memo:
        return memo[kind]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT c.last_value, s.last_value FROM {SEQUENCES[CATALOG]} c, {SEQUENCES[SEARCH]} s")  # noqa: S608
        current = dict(zip((CATALOG, SEARCH), map(str, cursor.fetchone()), strict=True))
    if memo is not None:
        memo.update(current)
    return current[kind]


def catalog_changed(*, search: bool = True) -> None:
    """Forget every cached catalog answer (but search hits when `search` is False): now, and again when the
    current transaction commits."""
    kinds = (CATALOG, SEARCH) if search else (CATALOG,)
    _new_generation(kinds)
    transaction.on_commit(lambda: _new_generation(kinds))


def _new_generation(kinds) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"nextval('{SEQUENCES[kind]}')" for kind in kinds))
    if getattr(_request, "generations", None):
        _request.generations = {}


# --- the entries ------------------------------------------------------------------------------------------


def _cache_key(kind: str, key: tuple) -> str:
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    return f"catalog:{kind}:{generation(SEARCH if kind == 'search' else CATALOG)}:{digest}"


def peek(kind: str, key: tuple):
    """The value computed for `key` in this generation, or None."""
    return cache.get(_cache_key(kind, key))


def cached(kind: str, key: tuple, compute):
    """`compute()`, or its value from the cache if it was computed for `key` in this generation."""
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
