"""``python manage.py consent_packet CAMPAIGN_SLUG --output PATH``: print the consent packet.

Writes the campaign's packet (a list of its units, then each unit's packet) as one PDF, or with
``--unit`` (the unit's id, or its name such as "1栋1单元") only that unit's packet. The QR codes
point at ``--base-url``. The file carries full names: it is written readable by its owner only.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from campaigns.models import Campaign, Unit
from consultations.packet import build_packet, render_packet, units_of

DEFAULT_JOBS = min(2, os.cpu_count() or 1)


class Command(BaseCommand):
    help = "Write a campaign's consent packet (or one unit's) as a PDF."

    def add_arguments(self, parser) -> None:
        parser.add_argument("campaign", metavar="CAMPAIGN_SLUG", help="the campaign's slug")
        parser.add_argument("--output", "-o", required=True, help="the PDF file to write")
        parser.add_argument("--unit", help='only this unit: its id, or its name such as "1栋1单元"')
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="the site the verification QR codes point at (default: %(default)s)",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=DEFAULT_JOBS,
            help="units rendered at once, one process each (default: %(default)s)",
        )

    def handle(self, *args, campaign, output, unit=None, base_url, jobs, **options) -> None:
        target = writable_path(output)
        found = Campaign.objects.select_related("community").filter(slug=campaign).first()
        if found is None:
            raise CommandError(f"No campaign with the slug {campaign!r}.")
        if jobs < 1:
            raise CommandError("--jobs must be 1 or more.")
        units = [find_unit(found, unit)] if unit else None
        packet = build_packet(
            found, units, base_url=checked_base_url(base_url), whole_campaign=units is None
        )
        if not packet.sections:
            where = f"unit {unit!r}" if unit else f"campaign {campaign!r}"
            raise CommandError(f"Nothing to print: {where} has no published proposal.")
        pdf, pages = render_packet(packet, jobs=jobs)
        write(target, pdf)
        households = sum(section.households for section in packet.sections)
        state = "DRAFT (the rule is not met yet)" if packet.is_draft else "final (the rule is met)"
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {target}: {pages} pages, {len(packet.sections)} unit(s), "
                f"{households} households; {state}."
            )
        )
        for left_out in packet.omitted:
            self.stdout.write(f"Left out (no published proposal): {left_out}")


def writable_path(output: str) -> Path:
    """The output path, once it is clear a file can be written there (before any work)."""
    target = Path(output).expanduser()
    folder = target.parent
    if target.is_dir():
        raise CommandError(
            f"{target} is a folder; give a file name such as {target / 'packet.pdf'}."
        )
    if not folder.is_dir():
        raise CommandError(f"Cannot write {target}: the folder {folder} does not exist.")
    if not os.access(folder, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise CommandError(f"Cannot write {target}: permission denied.")
    return target


def write(target: Path, pdf: bytes) -> None:
    """Write the file whole or not at all, readable by its owner only (it names people)."""
    part = None
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as f:
            part = Path(f.name)
            f.write(pdf)
        os.replace(part, target)
    except OSError as error:
        if part is not None:
            part.unlink(missing_ok=True)
        raise CommandError(f"Cannot write {target}: {error.strerror or error}") from error


def find_unit(campaign: Campaign, wanted: str) -> Unit:
    """A unit of the campaign by its id or by its name ("1栋1单元", spaces ignored)."""
    units = list(units_of(campaign))
    name = "".join(wanted.split())
    for unit in units:
        if (
            wanted.isdigit() and unit.pk == int(wanted)
        ) or f"{unit.building.name}{unit.name}" == name:
            return unit
    known = "、".join(f"{u.building.name}{u.name} (id {u.pk})" for u in units) or "none"
    raise CommandError(f"No unit {wanted!r} in campaign {campaign.slug!r}. Its units: {known}.")


def checked_base_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CommandError(f"--base-url must be an http(s) address, not {base_url!r}.")
    return base_url.rstrip("/") + "/"
