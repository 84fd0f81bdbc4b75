"""``python manage.py backup --output FILE``: every record and uploaded file in one archive.

Restore it with ``python manage.py restore FILE`` into a new, migrated database (SQLite or
PostgreSQL, whichever the backup came from). See ``portal.backup`` for what it holds.
"""

from django.core.management.base import BaseCommand, CommandError

from consultations.management.commands.consent_packet import writable_path
from portal.backup import write_backup


class Command(BaseCommand):
    help = "Write a backup of all records and uploaded files (a .tar.gz)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", "-o", required=True, help="the .tar.gz file to write")

    def handle(self, *args, output, **options) -> None:
        target = writable_path(output)
        try:
            manifest = write_backup(target)
        except OSError as error:
            raise CommandError(f"Cannot write {target}: {error.strerror or error}") from error
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {target}: {rows} records of {len(manifest['counts'])} kinds, "
                f"data SHA-256 {manifest['data_sha256']}."
            )
        )
