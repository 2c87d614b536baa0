"""`manage.py certificates`: how many certificates lack their PDF, and with `--render-missing`, have them made.

A certificate's PDF is made by a background task after it is issued or revoked; a task lost on the way (the
in-process backend's queue dies with its process, a task failed) leaves it without one, or with one from before
the revocation. A download makes such a PDF on the spot; this sweep makes them all, and the database worker runs
it when it starts. Run it with `--check-files` after media files were lost: it then also asks the storage for
every recorded file, one look-up per certificate.
"""

from django.core.management.base import BaseCommand

from learners.services import certificates


class Command(BaseCommand):
    help = "Count the certificates whose PDF is missing or out of date; --render-missing queues them to be made."

    def add_arguments(self, parser):
        parser.add_argument("--render-missing", action="store_true", help="Queue the missing PDFs to be made.")
        parser.add_argument(
            "--check-files",
            action="store_true",
            help="Also ask the media storage for every recorded file (one look-up per certificate).",
        )

    def handle(self, *args, render_missing, check_files, **options):
        if render_missing:
            count = certificates.queue_missing_pdfs(check_files=check_files)
            self.stdout.write(f"Queued {count} certificate PDF(s) to be made.")
        else:
            count = len(certificates.lacking_pdf(check_files=check_files))
            self.stdout.write(f"{count} certificate(s) lack an up-to-date PDF.")
