"""Wagtail's `update_index`, which then rebuilds the catalog's entries (their search vectors in the configuration
of the moment) and starts a new catalog generation so that no cached search predates it."""

from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand

from search.cache import catalog_changed
from search.entries import rebuild


class Command(RebuildCommand):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        rebuild()
        catalog_changed()
