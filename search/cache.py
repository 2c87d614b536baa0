"""What the catalog computes over every course (search hits, facet counts, totals, pages of cards), kept in the cache.

These answers depend on the whole catalog, so computing them costs time in proportion to its size,
while the page of courses shown with them does not. They are stored under the catalog's *generation*,
a token that changes whenever a course, a lesson, a category, an image, a teacher's name or a course's
ratings change (see `search.signal_handlers`): every entry of the older generation is then simply never
read again and expires. Search hits depend only on what is published and indexed, not on ratings, so
they have a generation of their own that ratings leave alone.

A generation changes at once, in the process that made the change, and once more when its transaction
commits, so that nothing computed from uncommitted or half-committed rows survives.

With Redis (`REDIS_URL`, as in production) every worker sees a change at once. With the local-memory
cache each process has its own generation, so another process may answer from its entries for up to
`CATALOG_CACHE_SECONDS`. Search entries can also be older than a change by the time its background
reindexing takes: the end of that task starts a new generation again.

When an entry is missing, one request computes it while the others asking for it at the same moment
wait for it (up to `WAIT_SECONDS`), rather than all computing the same thing at once.
"""

import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

CATALOG, SEARCH = "catalog:generation", "catalog:search-generation"
WAIT_SECONDS = 10
_POLL_SECONDS = 0.05


def generation(kind: str = CATALOG) -> str:
    current = cache.get(kind)
    if current is None:
        cache.add(kind, uuid.uuid4().hex, timeout=None)
        current = cache.get(kind)
    return current


def catalog_changed(*, search: bool = True) -> None:
    """Forget every cached catalog answer (but search hits when `search` is False): now, and again when the
    current transaction commits."""
    kinds = (CATALOG, SEARCH) if search else (CATALOG,)
    _new_generation(kinds)
    transaction.on_commit(lambda: _new_generation(kinds))


def _new_generation(kinds) -> None:
    cache.set_many({kind: uuid.uuid4().hex for kind in kinds}, timeout=None)


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
