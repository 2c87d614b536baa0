"""Bulk updates that say what they changed.

`QuerySet.update` writes rows without `save()`, so it sends no `post_save`, and whatever follows a
model's changes through signals (the catalog's cache, `search.cache`) would not hear of it. The rule:
the portal's code updates rows in bulk only through `update_rows`, which sends `rows_updated` after the
update; `search/tests/test_cache.py` checks that no other bulk update is written.
"""

from django.db.models import QuerySet
from django.dispatch import Signal

# Sent with `sender` (the model), `fields` (the names of the updated fields) and `queryset` (the rows asked for)
# after rows were updated.
rows_updated = Signal()


def update_rows(queryset: QuerySet, **changes) -> int:
    """`queryset.update(**changes)`, then `rows_updated`; the number of rows updated."""
    count = queryset.update(**changes)
    if count:
        rows_updated.send(sender=queryset.model, fields=frozenset(changes), queryset=queryset)
    return count
