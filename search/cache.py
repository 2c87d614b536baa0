"""What the catalog computes over every course (search hits, facet counts, totals), kept in the cache.

These answers depend on the whole catalog, so computing them costs time in proportion to its size,
while the page of courses shown with them does not. They are stored under the catalog's *generation*,
a token that changes whenever a course, a lesson, a category, a teacher's name or a course's ratings
change (see `search.signal_handlers`): every entry of the older generation is then simply never read
again and expires. The generation changes at once, in the process that made the change, and once more
when its transaction commits, so that nothing computed from uncommitted or half-committed rows survives.

With Redis (`REDIS_URL`, as in production) every worker sees a change at once. With the local-memory
cache each process has its own generation, so another process may answer from its entries for up to
`CATALOG_CACHE_SECONDS`. Search entries can also be that much older than a change whose reindexing
runs as a background task after the commit.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "catalog:generation"


def generation() -> str:
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(GENERATION_KEY)
    return current


def catalog_changed() -> None:
    """Forget every cached catalog answer: now, and again when the current transaction commits."""
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def cached(kind: str, key: tuple, compute):
    """`compute()`, or its value from the cache if it was computed for `key` in this generation."""
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    cache_key = f"catalog:{kind}:{generation()}:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, timeout=settings.CATALOG_CACHE_SECONDS)
    return value
