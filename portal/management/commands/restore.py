"""``python manage.py restore FILE``: load a backup into a new, migrated, empty database.

Checks the archive first (its manifest and the data's SHA-256), refuses a database that already
holds users or communities, loads everything in one transaction, puts the uploaded files back,
then runs ``verify_consents``: a restore whose signed records do not match their hashes fails.
"""

import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from campaigns.models import Community
from portal.backup import DATA, BackupError, read_backup, restore_media


class Command(BaseCommand):
    help = "Restore a backup made by 'manage.py backup' into an empty database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("backup", metavar="FILE", help="the .tar.gz made by 'backup'")

    def handle(self, *args, backup, **options) -> None:
        source = Path(backup).expanduser()
        if not source.is_file():
            raise CommandError(f"No backup file at {source}.")
        try:
            manifest, data = read_backup(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if get_user_model().objects.exists() or Community.objects.exists():
            raise CommandError(
                "This database already holds users or communities. Restore into a new one: "
                "create it, run 'manage.py migrate', then 'manage.py restore'."
            )
        with tempfile.TemporaryDirectory() as folder:
            fixture = Path(folder) / DATA
            fixture.write_bytes(data)
            with transaction.atomic():
                call_command("loaddata", str(fixture), verbosity=0)
            try:
                files = restore_media(source)
            except BackupError as error:
                raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Restored {rows} records (backup of {manifest['created_at']}) and {files} files."
        )
        call_command("verify_consents", stdout=self.stdout, stderr=self.stderr)
