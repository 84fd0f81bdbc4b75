"""A synthetic district for the load benchmark: ``python manage.py seed_scale --households N``.

Many communities (one per 2,000 households), each with a public campaign, buildings of three
to five units (two flats a floor, 10 to 18 floors), an elevator per unit, owners with phones,
several visits for most households, a published proposal per unit (shares written by the
model's own ``publish()``) and signed consents for about a third of the households.

Each community has its staff, about 20 people (some 2,000 in a district of 200,000
households), all real users with the password ``BENCH_PASSWORD``, placed by ``Assignment``
rows as the admin places them (what each role may do there is ``campaigns.access.may``):

- ``scaleNN-secretary``: the community's secretary;
- ``scaleNN-gridMM``: grid workers, each on one or two whole buildings or on three to six
  units, together on every unit once; the visits and signatures of a unit are theirs;
- ``scaleNN-leadMM``: a building lead for about a third of the buildings.

Plus ``bench-grid`` (a grid worker on the first building of the first community) and
``bench-secretary`` (the first community's secretary).

Deterministic: the same ``--seed`` gives the same district (timestamps follow today's date).
It refuses to run on a database that already holds a synthetic district: drop the database
(``make bench`` does) or use a fresh one. Rows are written with ``bulk_create`` in batches;
200,000 households take a few minutes on PostgreSQL.
"""

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from campaigns.models import Assignment, Building, Campaign, Community, Elevator, Role, Unit
from consultations.models import (
    Concern,
    Consent,
    Decision,
    FloorCoefficient,
    Proposal,
    Visit,
    VisitConcern,
    refresh_door_status,
)
from households.models import Household, Owner, OwnerTrace
from portal.demo_data import AREAS, GIVEN_NAMES, SURNAMES
from portal.management.commands.seed_demo import signature_png

BENCH_PASSWORD = "scale-bench-only"  # synthetic data only; never a real deployment's
HOUSEHOLDS_PER_COMMUNITY = 2000
SLUG_PREFIX = "scale-"
BATCH = 2000
SIGNATURE_VARIANTS = 8
LEAD_SHARE = 0.35  # of the buildings have a building lead


def community_sizes(households: int) -> list[int]:
    """Split ``households`` into communities of at most HOUSEHOLDS_PER_COMMUNITY, evenly."""
    count = max(1, -(-households // HOUSEHOLDS_PER_COMMUNITY))
    base, extra = divmod(households, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


@dataclass(frozen=True)
class Patch:
    """What one grid worker covers, as indexes into the community's lists: whole buildings
    (``buildings``) or single units (``units``); ``covers``: the units either way."""

    covers: list[int]
    buildings: list[int] = field(default_factory=list)

    @property
    def units(self) -> list[int]:
        return [] if self.buildings else self.covers


def grid_patches(unit_buildings: list[int], rng: random.Random) -> list[Patch]:
    """Cut a community's units (each given by its building's index, buildings in order) into
    grid workers' patches: at a building's first unit, two times in five one or two whole
    buildings; otherwise three to six units in a row. Every unit is in exactly one patch."""
    patches, i = [], 0
    while i < len(unit_buildings):
        building = unit_buildings[i]
        if (i == 0 or unit_buildings[i - 1] != building) and rng.random() < 0.4:
            wanted = range(building, building + rng.randint(1, 2))
            covers = [j for j in range(i, len(unit_buildings)) if unit_buildings[j] in wanted]
            patches.append(Patch(covers, sorted({unit_buildings[j] for j in covers})))
        else:
            covers = list(range(i, min(len(unit_buildings), i + rng.randint(3, 6))))
            patches.append(Patch(covers))
        i = covers[-1] + 1
    return patches


def analyze() -> None:
    """Bring PostgreSQL's planner statistics up to date (SQLite's planner needs none)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Build a synthetic district of N households for the load benchmark (fresh database)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--households", type=int, default=200000, help="default 200000")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args, households: int, seed: int, **options) -> None:
        if households < 1:
            raise CommandError("--households must be at least 1.")
        existing = Campaign.objects.filter(slug__startswith=SLUG_PREFIX)
        if existing.exists():
            have = Household.objects.filter(unit__building__campaign__in=existing).count()
            raise CommandError(
                f"This database already holds a synthetic district ({have} households); "
                "seed_scale adds nothing to it. Drop the database (make bench does) or use "
                "a fresh one to seed again."
            )
        start = time.perf_counter()
        self.rng = random.Random(seed)
        self.now = timezone.now().replace(microsecond=0)
        self.password = make_password(BENCH_PASSWORD)
        self.signatures = [signature_png(f"scale-{i}") for i in range(SIGNATURE_VARIANTS)]
        self.rows = 0
        self.staff = []
        with transaction.atomic():
            bench_grid, bench_secretary = self.make_users(["bench-grid", "bench-secretary"])
            communities = []
            for number, size in enumerate(community_sizes(households), start=1):
                community, buildings = self.seed_community(number, size)
                communities.append(community)
                if number == 1:
                    self.assign(
                        [
                            Assignment(
                                user=bench_secretary, role=Role.SECRETARY, community=community
                            ),
                            Assignment(
                                user=bench_grid,
                                role=Role.GRID_WORKER,
                                community=community,
                                building=buildings[0],
                            ),
                        ]
                    )
            # Written in bulk, not through the domain methods: store where doors stand, once
            # the planner knows the tables are full (without statistics on rows written in
            # this transaction it scans every visit for each household).
            analyze()
            for community in communities:
                refresh_door_status(
                    Household.objects.filter(unit__building__campaign__community=community)
                )
        analyze()  # fresh statistics, as a database in use has
        seconds = time.perf_counter() - start
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic district ready: {households} households, {len(self.staff)} staff, "
                f"{self.rows} rows in {seconds:.1f} s. Every staff user (scaleNN-secretary, "
                f"scaleNN-gridMM, scaleNN-leadMM, bench-grid, bench-secretary) has the password "
                f"{BENCH_PASSWORD!r} (synthetic data only)."
            )
        )

    # --- people --------------------------------------------------------------------------

    def make_users(self, usernames: list[str]) -> list:
        User = get_user_model()
        users = User.objects.bulk_create(
            User(username=name, first_name=name, password=self.password) for name in usernames
        )
        self.rows += len(users)
        self.staff += users
        return users

    def assign(self, assignments: list[Assignment]) -> None:
        """Bulk-created, as the admin would place them one by one."""
        Assignment.objects.bulk_create(assignments, batch_size=BATCH)
        self.rows += len(assignments)

    def seed_staff(self, prefix: str, community, buildings, units):
        """The community's secretary, grid workers and building leads (usernames starting
        with ``prefix``); returns the secretary and, for each unit's pk, the grid worker who
        covers it."""
        rng = self.rng
        index = {building.pk: i for i, building in enumerate(buildings)}
        patches = grid_patches([index[unit.building_id] for unit in units], rng)
        leads = [b for b in buildings if rng.random() < LEAD_SHARE] or buildings[:1]
        secretary, *people = self.make_users(
            [f"{prefix}-secretary"]
            + [f"{prefix}-grid{i + 1:02d}" for i in range(len(patches))]
            + [f"{prefix}-lead{i + 1:02d}" for i in range(len(leads))]
        )
        workers, lead_users = people[: len(patches)], people[len(patches) :]
        assignments = [Assignment(user=secretary, role=Role.SECRETARY, community=community)]
        worker_of_unit = {}
        for worker, patch in zip(workers, patches, strict=True):
            assignments += [
                Assignment(
                    user=worker, role=Role.GRID_WORKER, community=community, building=buildings[b]
                )
                for b in patch.buildings
            ] + [
                Assignment(user=worker, role=Role.GRID_WORKER, community=community, unit=units[u])
                for u in patch.units
            ]
            worker_of_unit.update({units[u].pk: worker for u in patch.covers})
        assignments += [
            Assignment(user=lead, role=Role.BUILDING_LEAD, community=community, building=building)
            for lead, building in zip(lead_users, leads, strict=True)
        ]
        self.assign(assignments)
        return secretary, worker_of_unit

    # --- places --------------------------------------------------------------------------

    def seed_community(self, number: int, size: int):
        rng = self.rng
        community = Community.objects.create(
            name=f"合成社区{number:02d}", subdistrict="沌口街道", district="武汉经开区"
        )
        campaign = Campaign.objects.create(
            community=community,
            slug=f"{SLUG_PREFIX}{number:02d}",
            title=f"合成社区{number:02d}老旧电梯更新（压力测试）",
            summary="用于压力测试的合成数据。",
            status=Campaign.Status.CONSULTING,
            target_open_date=timezone.localdate(self.now) + timedelta(days=120),
        )
        # Units of 2 flats a floor, 10–18 floors; the last one takes what is left.
        plans, left = [], size
        while left > 0:
            floors = rng.randint(10, 18)
            flats = min(left, floors * 2)
            plans.append((-(-flats // 2), flats))
            left -= flats
        buildings, units = [], []
        per_building = [rng.randint(3, 5) for _ in plans]
        index = 0
        while index < len(plans):
            building = Building(
                campaign=campaign, name=f"{len(buildings) + 1}栋", sort_order=len(buildings)
            )
            buildings.append(building)
            for u in range(per_building[len(buildings) - 1]):
                if index == len(plans):
                    break
                floors, flats = plans[index]
                units.append((building, Unit(name=f"{u + 1}单元", floors=floors), flats))
                index += 1
        Building.objects.bulk_create(buildings)
        for building, unit, _ in units:
            unit.building = building
        Unit.objects.bulk_create([unit for _, unit, _ in units])
        elevators = Elevator.objects.bulk_create(
            Elevator(
                unit=unit,
                install_year=rng.randint(1998, 2010),
                floors_served=unit.floors,
                quote=Decimal(rng.randrange(380, 460)) * 1000,
            )
            for _, unit, _ in units
        )
        self.rows += 2 + len(buildings) + 2 * len(units)
        secretary, worker_of_unit = self.seed_staff(
            f"scale{number:02d}", community, buildings, [unit for _, unit, _ in units]
        )
        households = self.seed_households(units)
        self.seed_visits(households, worker_of_unit)
        self.seed_proposals(campaign, elevators, households, secretary, worker_of_unit)
        return community, buildings

    def seed_households(self, units) -> dict[int, list[Household]]:
        rng = self.rng
        rows = []
        for _, unit, flats in units:
            for i in range(flats):
                floor, number = i // 2 + 1, i % 2 + 1
                occupancy = rng.choices(list(Household.Occupancy.values), weights=[14, 3, 2, 1])[0]
                elsewhere = occupancy in Household.OWNER_ELSEWHERE
                rows.append(
                    Household(
                        unit=unit,
                        room=f"{floor}{number:02d}",
                        floor=floor,
                        area=AREAS[(floor * 3 + number) % len(AREAS)],
                        occupancy=occupancy,
                        elderly=rng.random() < 0.25,
                        mobility_impaired=rng.random() < 0.08,
                        owner_trace=(
                            rng.choice([OwnerTrace.UNKNOWN, OwnerTrace.REACHED])
                            if elsewhere
                            else OwnerTrace.UNKNOWN
                        ),
                    )
                )
        Household.objects.bulk_create(rows, batch_size=BATCH)
        owners = []
        for i, household in enumerate(rows):
            name = SURNAMES[i % len(SURNAMES)] + GIVEN_NAMES[(i // 7) % len(GIVEN_NAMES)]
            owners.append(
                Owner(
                    household=household,
                    name=name,
                    phone=f"139{rng.randrange(10**8):08d}",
                    lives_elsewhere=household.occupancy == Household.Occupancy.ABSENTEE,
                )
            )
            if rng.random() < 0.15:  # a co-owner; the household still votes once
                owners.append(Owner(household=household, name=name[0] + "丽", is_primary=False))
        Owner.objects.bulk_create(owners, batch_size=BATCH)
        self.rows += len(rows) + len(owners)
        by_unit: dict[int, list[Household]] = {}
        for household in rows:
            by_unit.setdefault(household.unit_id, []).append(household)
        return by_unit

    # --- the campaign so far -------------------------------------------------------------

    def seed_visits(self, by_unit: dict[int, list[Household]], worker_of_unit) -> None:
        """Nothing yet for one household in five; one to five visits for the others, by the
        grid worker of the unit."""
        rng = self.rng
        visits, concerns = [], []
        attitudes = [Visit.Attitude.SUPPORT] * 5 + [
            Visit.Attitude.UNDECIDED,
            Visit.Attitude.UNDECIDED,
            Visit.Attitude.OPPOSE,
        ]
        for unit_pk, households in by_unit.items():
            worker = worker_of_unit[unit_pk]
            for household in households:
                if rng.random() < 0.2:
                    continue
                for n in range(rng.randint(1, 5)):
                    nobody = rng.random() < 0.25
                    days_ago = rng.randint(1, 60)
                    follow_up = not nobody and rng.random() < 0.3
                    visit = Visit(
                        household=household,
                        visitor=worker,
                        visited_at=self.now - timedelta(days=days_ago, hours=rng.randint(0, 8)),
                        channel=rng.choice(list(Visit.Channel.values)),
                        reached=Visit.Reached.NOBODY if nobody else Visit.Reached.OWNER,
                        attitude="" if nobody else rng.choice(attitudes),
                        notes="" if nobody else f"第{n + 1}次走访，讲解了补贴政策和分摊方式。",
                        next_step="再次上门" if follow_up else "",
                        next_step_on=(
                            timezone.localdate(self.now) + timedelta(days=rng.randint(-5, 10))
                            if follow_up
                            else None
                        ),
                        idempotency_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                    )
                    visits.append(visit)
                    if not nobody and rng.random() < 0.3:
                        concerns.append((visit, rng.choice(list(Concern.values))))
        Visit.objects.bulk_create(visits, batch_size=BATCH)
        VisitConcern.objects.bulk_create(
            (VisitConcern(visit=visit, concern=concern) for visit, concern in concerns),
            batch_size=BATCH,
        )
        self.rows += len(visits) + len(concerns)

    def seed_proposals(self, campaign, elevators, by_unit, secretary, worker_of_unit) -> None:
        """A floor × area proposal per elevator drafted by the secretary and published by the
        model; then consents, witnessed by the unit's grid worker."""
        drafts = Proposal.objects.bulk_create(
            Proposal(
                elevator=elevator,
                version=1,
                total_cost=elevator.quote,
                subsidy=campaign.subsidy_per_elevator,
                maintenance_fund=Decimal("60000.00"),
                self_funded=elevator.quote - campaign.subsidy_per_elevator - Decimal("60000.00"),
                rule=Proposal.Rule.FLOOR_AREA,
                # A district's last, short unit may have only a ground floor: it pays then.
                ground_floor=(
                    Proposal.GroundFloor.EXEMPT
                    if elevator.floors_served > 1
                    else Proposal.GroundFloor.PAYS
                ),
                created_by=secretary,
            )
            for elevator in elevators
        )
        FloorCoefficient.objects.bulk_create(
            (
                FloorCoefficient(
                    proposal=proposal,
                    floor=floor,
                    coefficient=Decimal("1.000") + Decimal("0.050") * (floor - 2),
                )
                for proposal, elevator in zip(drafts, elevators, strict=True)
                for floor in range(2, elevator.floors_served + 1)
            ),
            batch_size=BATCH,
        )
        consents = []
        decisions = [Decision.AGREE] * 7 + [Decision.AGREE_NOT_PAYING, Decision.DISAGREE]
        for proposal, elevator in zip(drafts, elevators, strict=True):
            proposal.publish()
            households = by_unit[elevator.unit_id]
            shares = {s.household_id: s.amount for s in proposal.shares.all()}
            for household in households:
                if self.rng.random() >= 0.35:
                    continue
                signature = self.signatures[household.pk % SIGNATURE_VARIANTS]
                consent = Consent(
                    household=household,
                    proposal=proposal,
                    share_amount=shares[household.pk],
                    decision=self.rng.choice(decisions),
                    signer_name=f"业主{household.room}",
                    method=Consent.Method.TABLET,
                    signature=signature,
                    signature_type="image/png",
                    witness=worker_of_unit[elevator.unit_id],
                    signed_at=self.now - timedelta(days=self.rng.randint(0, 20)),
                )
                consent.seal()
                consents.append(consent)
            self.rows += 1 + len(shares)
        # with their creation records, which verify_consents checks the chains against
        bulk_create_with_history(consents, Consent, batch_size=BATCH)
        self.rows += len(consents)
