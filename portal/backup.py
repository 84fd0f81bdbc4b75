"""Backups the portal can restore on SQLite or PostgreSQL alike: one .tar.gz holding

- ``data.json``: every record (``dumpdata`` with natural keys, so users, groups and content
  types find each other again in a new database), the audit history included;
- ``media/``: uploaded files (progress-update photos);
- ``manifest.json``: when it was made, the row count of each model and the SHA-256 of
  ``data.json``, checked before anything is restored.

Left out, because they are rebuilt or worthless in another database: sessions, the login
lockout counters, the background task queue, kept packet files (made again on request),
permissions and content types (created by ``migrate``).
"""

import hashlib
import io
import json
import tarfile
from collections import Counter
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

FORMAT = 1
DATA = "data.json"
MANIFEST = "manifest.json"
MEDIA = "media"
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "django_tasks_database",
    "consultations.packetfile",
]


class BackupError(Exception):
    """A backup that cannot be read or trusted; the message says why."""


def dump_data() -> bytes:
    out = io.StringIO()
    call_command(
        "dumpdata",
        *[f"--exclude={label}" for label in EXCLUDED],
        "--natural-foreign",
        "--natural-primary",
        "--format=json",
        stdout=out,
    )
    return out.getvalue().encode()


def write_backup(target: Path) -> dict:
    """Write the backup to ``target`` (whole or not at all); return its manifest."""
    data = dump_data()
    counts = Counter(row["model"] for row in json.loads(data))
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "data_sha256": hashlib.sha256(data).hexdigest(),
        "counts": dict(sorted(counts.items())),
    }
    part = target.with_name(f".{target.name}.part")
    with tarfile.open(part, "w:gz") as archive:
        add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
        add_bytes(archive, DATA, data)
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            archive.add(media, arcname=MEDIA)
    part.chmod(0o600)  # it holds every resident's personal data
    part.replace(target)
    return manifest


def add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
    archive.addfile(info, io.BytesIO(data))


def read_backup(source: Path) -> tuple[dict, bytes]:
    """The manifest and data of a backup, checked against each other. Raises BackupError
    with a plain reason."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            manifest = json.loads(member_bytes(archive, MANIFEST))
            data = member_bytes(archive, DATA)
    except (OSError, tarfile.TarError, EOFError, ValueError, KeyError) as error:
        raise BackupError(f"{source} is not a backup made by this portal ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a backup of format {FORMAT}.")
    if hashlib.sha256(data).hexdigest() != manifest.get("data_sha256"):
        raise BackupError(f"{source} is damaged: its data does not match its SHA-256.")
    return manifest, data


def member_bytes(archive: tarfile.TarFile, name: str) -> bytes:
    member = archive.extractfile(name)
    if member is None:
        raise KeyError(name)
    return member.read()


def restore_media(source: Path) -> int:
    """Unpack the backup's media files into MEDIA_ROOT; nothing outside it, no links."""
    root = Path(settings.MEDIA_ROOT).resolve()
    restored = 0
    with tarfile.open(source, "r:gz") as archive:
        for member in archive.getmembers():
            path = PurePosixPath(member.name)
            if path.parts[:1] != (MEDIA,) or not member.isfile():
                continue
            if ".." in path.parts:
                raise BackupError(f"refusing a media path outside the media folder: {path}")
            target = root.joinpath(*path.parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(member_bytes(archive, member.name))
            restored += 1
    return restored
