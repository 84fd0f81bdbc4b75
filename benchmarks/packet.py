"""How long the consent packet takes: ``python -m benchmarks.packet``.

On a throw-away database (a temporary SQLite file, or a test database on DATABASE_URL's
server, created and dropped like ``python -m benchmarks``): the demo unit's packet (1栋1单元,
20 households, one process, as the web page prints it), the demo campaign's, then synthetic
campaigns of growing size up to 500 households, each printed whole with JOBS worker processes
(and the largest with one process too). For each: seconds to load the data and to render,
pages, seconds per household, queries, and the peak memory of the run: the resident memory of
this process and its rendering workers together, sampled every 50 ms. Not a test: numbers
only.
"""

import io
import os
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

BASE_URL = "http://127.0.0.1:8000"
PER_UNIT = 25  # a 13-floor stairwell, two flats a floor
SIZES = (100, 250, 500)  # households in the synthetic campaigns
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
JOBS = 2  # processes rendering units at once, as manage.py consent_packet does by default


def setup_django(sqlite_path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("SQLITE_PATH", str(sqlite_path))
    import django

    django.setup()


class MemoryWatch(threading.Thread):
    """Samples, every 50 ms, the resident memory of this process plus all its descendants
    (the rendering workers are children of a fork server, so ru_maxrss cannot see them), and
    keeps the highest total."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, tree_rss(os.getpid()))
            time.sleep(0.05)

    def __enter__(self) -> "MemoryWatch":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.running = False
        self.join()

    @property
    def peak_mb(self) -> float:
        return self.peak / 2**20


def tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and every process below it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            statm = (entry / "statm").read_text().split()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
        rss[int(entry.name)] = int(statm[1]) * PAGE_SIZE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def synthetic_campaign(households: int, slug: str):
    """A campaign of ``households`` households in units of PER_UNIT, each unit with a published
    floor × area proposal. Most households signed on the tablet, some on paper (JPEG scans, a
    few PDF scans), some changed their mind, about one in eight has not signed; visits too."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from campaigns.models import Building, Campaign, Community, Elevator, Meeting, Unit
    from consultations.models import (
        Consent,
        Decision,
        FloorCoefficient,
        Proposal,
        Visit,
        refresh_door_status,
    )
    from households.models import Household, Owner
    from portal.management.commands.seed_demo import paper_scan_jpeg, signature_png

    user = get_user_model().objects.get(username="grid1")
    community = Community.objects.get(name="宁康园社区")
    campaign = Campaign.objects.create(
        community=community, slug=slug, title=f"压力测试项目（{households} 户）"
    )
    building = Building.objects.create(campaign=campaign, name="88栋")
    now = timezone.now()
    pdf_scan = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    decisions = [Decision.AGREE] * 6 + [Decision.AGREE_NOT_PAYING, Decision.DISAGREE]
    number = 0
    for u in range((households + PER_UNIT - 1) // PER_UNIT):
        count = min(PER_UNIT, households - u * PER_UNIT)
        floors = (count + 1) // 2
        unit = Unit.objects.create(building=building, name=f"{u + 1}单元", floors=floors)
        elevator = Elevator.objects.create(
            unit=unit, install_year=2004, floors_served=floors, quote=Decimal("420000.00")
        )
        flats = Household.objects.bulk_create(
            Household(
                unit=unit,
                room=f"{i // 2 + 1}{i % 2 + 1:02d}",
                floor=i // 2 + 1,
                area=Decimal("70.00") + Decimal(i % 7) * Decimal("6.35"),
            )
            for i in range(count)
        )
        Owner.objects.bulk_create(
            Owner(household=h, name=f"业主{u + 1:02d}{i:02d}", phone="13900000000")
            for i, h in enumerate(flats)
        )
        Visit.objects.bulk_create(
            Visit(
                household=h,
                visitor=user,
                visited_at=now,
                channel=Visit.Channel.DOOR,
                reached=Visit.Reached.OWNER,
                attitude=Visit.Attitude.SUPPORT,
            )
            for h in flats
        )
        proposal = Proposal.objects.create(
            elevator=elevator,
            version=1,
            total_cost=Decimal("420000.00"),
            subsidy=Decimal("150000.00"),
            maintenance_fund=Decimal("90000.00"),
            created_by=user,
        )
        FloorCoefficient.objects.bulk_create(
            FloorCoefficient(proposal=proposal, floor=f, coefficient=Decimal("0.1") * f)
            for f in range(1, floors + 1)
        )
        proposal.publish()
        shares = {s.household_id: s.amount for s in proposal.shares.all()}
        Meeting.objects.create(
            campaign=campaign, unit=unit, title=f"{unit}协调会", held_at=now, attendees="居民代表"
        )
        for i, household in enumerate(flats):
            number += 1
            if number % 8 == 0:
                continue  # not signed
            kind = number % 50
            if kind == 7:
                signature, content_type, method = pdf_scan, "application/pdf", "paper"
            elif kind % 12 == 5:
                signature, content_type, method = (
                    paper_scan_jpeg(str(number)),
                    "image/jpeg",
                    "paper",
                )
            else:
                signature, content_type, method = signature_png(str(number)), "image/png", "tablet"
            fields = {
                "household": household,
                "proposal": proposal,
                "share_amount": shares[household.pk],
                "signer_name": f"业主{u + 1:02d}{i:02d}",
                "method": method,
                "signature": signature,
                "signature_type": content_type,
                "witness": user,
                "signed_at": now,
            }
            consent = Consent.objects.create(decision=decisions[number % len(decisions)], **fields)
            if number % 20 == 3:  # changed their mind
                again = {k: v for k, v in fields.items() if k not in ("household", "proposal")}
                consent.supersede(**{**again, "decision": Decision.AGREE})
        refresh_door_status(Household.objects.filter(unit=unit))  # the visits were bulk-created
    return campaign


def measure(label: str, campaign, units=None, *, whole_campaign=True, jobs=1) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consultations.packet import build_packet, render_packet

    with MemoryWatch() as memory:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            packet = build_packet(
                campaign, units, base_url=BASE_URL + "/", whole_campaign=whole_campaign
            )
            loaded = time.perf_counter()
        pdf, pages = render_packet(packet, jobs=jobs)
        done = time.perf_counter()
    households = sum(section.households for section in packet.sections)
    return {
        "label": label,
        "jobs": jobs,
        "households": households,
        "pages": pages,
        "load": loaded - start,
        "render": done - loaded,
        "total": done - start,
        "per_household": (done - start) / households,
        "queries": len(queries),
        "kb": len(pdf) // 1024,
        "peak_mb": memory.peak_mb,
    }


def time_fingerprint(campaign) -> float:
    """Median milliseconds of the data fingerprint the packet page computes on each view."""
    from consultations.packet_files import fingerprint

    samples = []
    for _ in range(5):
        start = time.perf_counter()
        fingerprint(campaign, BASE_URL + "/")
        samples.append((time.perf_counter() - start) * 1000)
    return sorted(samples)[2]


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import setup_test_environment

        from campaigns.models import Campaign, Unit

        setup_test_environment()
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            call_command("seed_demo", stdout=io.StringIO())
            demo = Campaign.objects.get(slug="ningkang-2026")
            rows, fingerprints = [], []
            unit = Unit.objects.select_related("building__campaign__community").get(
                building__campaign=demo, building__name="1栋", name="1单元"
            )
            for attempt in ("first", "again"):  # the first print loads templates and fonts
                label = f"demo unit 1栋1单元 ({attempt})"
                rows.append(measure(label, demo, [unit], whole_campaign=False))
            rows.append(measure("demo campaign", demo))
            for size in SIZES:
                start = time.perf_counter()
                campaign = synthetic_campaign(size, f"bench-{size}")
                print(f"(made {size} households in {time.perf_counter() - start:.1f} s)")
                for jobs in sorted({1, JOBS}) if size == SIZES[-1] else (JOBS,):
                    rows.append(measure(f"synthetic campaign {size}", campaign, jobs=jobs))
                fingerprints.append((size, time_fingerprint(campaign)))
            print(f"\nconsent packet on {connection.vendor}, {os.cpu_count()} CPUs")
            print(
                f"{'packet':30} {'jobs':>4} {'households':>10} {'pages':>6} {'load s':>7}"
                f" {'render s':>9} {'total s':>8} {'s/household':>12} {'queries':>8}"
                f" {'PDF KB':>7} {'peak MB':>8}"
            )
            for r in rows:
                print(
                    f"{r['label']:30} {r['jobs']:4d} {r['households']:10d} {r['pages']:6d}"
                    f" {r['load']:7.2f} {r['render']:9.2f} {r['total']:8.2f}"
                    f" {r['per_household']:12.3f} {r['queries']:8d} {r['kb']:7d}"
                    f" {r['peak_mb']:8.0f}"
                )
            print("\nthe packet page checks whether the kept file is current (a fingerprint):")
            for size, ms in fingerprints:
                print(f"  {size:4d} households: {ms:6.1f} ms")
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
