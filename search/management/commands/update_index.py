"""Wagtail's `update_index`, which then starts a new catalog generation so that no cached search predates it."""

from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand

from search.cache import catalog_changed


class Command(RebuildCommand):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        catalog_changed()
