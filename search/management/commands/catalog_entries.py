"""`manage.py catalog_entries --check` lists how the catalog's read model differs from the pages (exit status 1
when it does); `--rebuild` writes every entry again from the pages (`search.entries`)."""

from django.core.management.base import BaseCommand, CommandError

from search.cache import catalog_changed
from search.entries import differences, rebuild


class Command(BaseCommand):
    help = "Check the catalog's read model against the pages, or rebuild it."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--check", action="store_true", help="List the differences; fail when there are any.")
        action.add_argument("--rebuild", action="store_true", help="Write every entry again from the pages.")

    def handle(self, *args, **options):
        if options["rebuild"]:
            count = rebuild()
            catalog_changed()
            self.stdout.write(f"{count} catalog entries written.")
            return
        found = differences()
        for line in found:
            self.stdout.write(line)
        if found:
            raise CommandError(f"{len(found)} catalog entries differ from their courses.")
        self.stdout.write("The catalog entries agree with the courses.")
