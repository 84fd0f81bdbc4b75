"""``make bench``: how long the main pages take on the demo data and on a large campaign.

Runs against a throw-away SQLite file (or DATABASE_URL's server, in a database it creates
and drops), prints a table of median milliseconds and query counts. Not a test: numbers only.
"""

import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from io import StringIO
from pathlib import Path

ROUNDS = 7


def setup_django(sqlite_path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SQLITE_PATH", str(sqlite_path))
    import django

    django.setup()


def timed(client, url: str, fresh: bool = False) -> tuple[float, int, int]:
    """Median time of ROUNDS requests; ``fresh`` empties the cache before each (the public
    pages are otherwise served from it after the first request)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = []
    for _ in range(ROUNDS):
        if fresh:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000, len(queries), response.status_code


def grow_campaign(households_per_unit: int, units: int) -> None:
    """Add a synthetic building so the pages face thousands of households."""
    from campaigns.models import Building, Campaign, Unit
    from households.models import Household

    campaign = Campaign.objects.get(slug="ningkang-2026")
    building, _ = Building.objects.get_or_create(campaign=campaign, name="99栋")
    rows = []
    for u in range(units):
        unit, _ = Unit.objects.get_or_create(
            building=building, name=f"{u + 1}单元", defaults={"floors": households_per_unit}
        )
        rows += [
            Household(unit=unit, room=f"{f + 1}01", floor=f + 1, area=Decimal("90.00"))
            for f in range(households_per_unit)
        ]
    Household.objects.bulk_create(rows, ignore_conflicts=True)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from django.contrib.auth import get_user_model
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment

        from campaigns.models import Campaign
        from households.models import Household

        setup_test_environment()
        from django.db import connection

        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            start = time.perf_counter()
            call_command("seed_demo", stdout=StringIO())
            seed_seconds = time.perf_counter() - start
            print(f"seed_demo: {seed_seconds:.2f} s on {connection.vendor}")
            slug = Campaign.objects.get(slug="ningkang-2026").get_absolute_url()
            household = Household.objects.filter(unit__building__name="1栋").first()
            pages = [
                ("home", "/", None),
                ("public project page", slug, None),
                ("public page (uncached)", slug, None),
                ("public questions", slug + "questions/", None),
                ("secretary overview", "/secretary/", "secretary"),
                ("my doors (grid1)", "/doors/", "grid1"),
                ("household page", household.get_absolute_url(), "grid1"),
                ("sign page", f"/households/{household.pk}/sign/", "grid1"),
                ("unit vote page", f"/units/{household.unit_id}/consent/", "grid1"),
                ("proposals of the unit", f"/units/{household.unit_id}/proposals/", "secretary"),
                ("walk sheet PDF", f"/units/{household.unit_id}/walk-sheet.pdf", "grid1"),
                ("dashboard", "/dashboard/ningkang-2026/", "secretary"),
                ("building grid", "/dashboard/ningkang-2026/grid/", "secretary"),
                ("register export xlsx", "/dashboard/ningkang-2026/register.xlsx", "secretary"),
                ("register export csv", "/dashboard/ningkang-2026/register.csv", "secretary"),
                ("review overview", "/manage/ningkang-2026/review/", "secretary"),
                ("schedules and timeline", "/manage/ningkang-2026/schedule/", "secretary"),
                ("inspections (grid1)", "/works/inspections/", "grid1"),
                ("issues of the campaign", "/works/campaign/ningkang-2026/issues/", "secretary"),
                ("outstanding payments", "/money/ningkang-2026/outstanding/", "secretary"),
                ("fault tickets", "/tickets/", "secretary"),
            ]
            rows = []
            demo = f"demo ({Household.objects.count()} households)"
            for size_label in (demo, "large (+2,000 households)"):
                if size_label.startswith("large"):
                    grow_campaign(households_per_unit=25, units=80)
                    cache.clear()
                for name, url, username in pages:
                    client = Client()
                    if username:
                        client.force_login(get_user_model().objects.get(username=username))
                    ms, queries, status = timed(client, url, fresh="uncached" in name)
                    rows.append((size_label, name, ms, queries, status))
            print(f"{'data':28} {'page':24} {'median ms':>10} {'queries':>8} {'status':>7}")
            for size_label, name, ms, queries, status in rows:
                print(f"{size_label:28} {name:24} {ms:10.1f} {queries:8d} {status:7d}")
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
