"""Build the 宁康园 reference campaign, mid-way: ``python manage.py seed_demo``.

Idempotent: every row is found by its natural key (or a deterministic idempotency key) before
it is created, so a second run adds nothing and changes nothing that exists.
"""

import io
import random
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from campaigns.models import (
    Assignment,
    Building,
    Campaign,
    Community,
    Elevator,
    Meeting,
    MeetingDecision,
    Milestone,
    ProgressUpdate,
    Question,
    Role,
    Unit,
    UpdatePhoto,
)
from campaigns.photos import prepare_photo
from consultations.models import (
    Concern,
    Consent,
    Decision,
    FloorCoefficient,
    Proposal,
    Share,
    Visit,
    VisitConcern,
)
from households.models import Household, Owner, OwnerTrace, TraceAttempt
from portal import demo_data as demo

SEED_NAMESPACE = uuid.UUID("6f1c1a52-6d0e-4c1b-9f59-5a3e0c1e2026")
STORY_ATTITUDE = {
    "agree": Visit.Attitude.SUPPORT,
    "agree_not_paying": Visit.Attitude.SUPPORT,
    "agree_on_paper": Visit.Attitude.SUPPORT,
    "changed_mind": Visit.Attitude.SUPPORT,
    "disagree": Visit.Attitude.OPPOSE,
    "undecided": Visit.Attitude.UNDECIDED,
}
STORY_CONCERNS = {
    "agree_not_paying": [Concern.COST],
    "changed_mind": [Concern.FUND],
    "disagree": [Concern.LOW_FLOOR, Concern.COST],
    "undecided": [Concern.COST, Concern.NOISE],
}


def signature_png(seed: str) -> bytes:
    """A hand-drawn-looking squiggle, the same for the same seed."""
    rng = random.Random(seed)
    image = Image.new("RGB", (480, 160), "white")
    draw = ImageDraw.Draw(image)
    points = [(30 + i * 28, 80 + rng.randint(-45, 45)) for i in range(15)]
    draw.line(points, fill="#1a1a6e", width=4, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def site_photo_jpeg(seed: str) -> bytes:
    """A drawn 'photo' of the building site: sky, a tower, scaffolding."""
    rng = random.Random(seed)
    image = Image.new("RGB", (1200, 900), (176, 206, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle([(0, 700), (1200, 900)], fill=(120, 160, 90))
    left = rng.randint(250, 450)
    draw.rectangle([(left, 150), (left + 420, 760)], fill=(214, 204, 186))
    for y in range(190, 740, 70):
        for x in range(left + 30, left + 400, 95):
            draw.rectangle([(x, y), (x + 55, y + 40)], fill=(90, 110, 140))
    for x in range(left + 430, left + 560, 40):
        draw.line([(x, 760), (x, 200)], fill=(200, 120, 40), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def paper_scan_jpeg(seed: str) -> bytes:
    """A grey 'scanned form' with ruled lines and a signature squiggle."""
    rng = random.Random(seed)
    image = Image.new("L", (620, 877), 245)
    draw = ImageDraw.Draw(image)
    for y in range(120, 800, 48):
        draw.line([(60, y), (560, y)], fill=170, width=2)
    draw.line([(300 + i * 18, 740 + rng.randint(-15, 15)) for i in range(12)], fill=40, width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Create the demo campaign ningkang-2026 with its users (safe to run again)."

    def handle(self, *args, **options) -> None:
        self.created = 0
        self.now = timezone.now()
        with transaction.atomic():
            already = Campaign.objects.filter(slug=demo.CAMPAIGN_SLUG).exists()
            users = self.seed_users()
            campaign = self.seed_campaign()
            units = self.seed_places(campaign)
            self.seed_assignments(users, campaign, units)
            self.seed_story(users, units)
            self.seed_public_record(campaign, users, units[0])
        if already and not self.created:
            self.stdout.write(
                f"Demo campaign {demo.CAMPAIGN_SLUG} is already complete; nothing was added."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo campaign {demo.CAMPAIGN_SLUG} ready ({self.created} rows created). "
                    f"Log in as secretary, grid1, grid2 or lead1 with password "
                    f"{demo.DEMO_PASSWORD!r} (demo only)."
                )
            )

    # --- helpers -------------------------------------------------------------------------

    def get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += created
        return obj

    def at(self, days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
        day = timezone.localdate(self.now) - timedelta(days=days_ago)
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    # --- people and places ---------------------------------------------------------------

    def seed_users(self) -> dict:
        User = get_user_model()
        users = {}
        for username, display_name, role in demo.USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": display_name,
                    "is_staff": role == Role.SECRETARY,
                },
            )
            if created:
                user.set_password(demo.DEMO_PASSWORD)
                user.save(update_fields=["password"])
                self.created += 1
            users[username] = user
        return users

    def seed_campaign(self) -> Campaign:
        community = self.get_or_create(
            Community, name=demo.COMMUNITY["name"], defaults=demo.COMMUNITY
        )
        return self.get_or_create(
            Campaign,
            slug=demo.CAMPAIGN_SLUG,
            defaults={
                **demo.CAMPAIGN,
                "community": community,
                "target_open_date": timezone.localdate(self.now) + timedelta(days=128),
            },
        )

    def seed_places(self, campaign: Campaign) -> list[Unit]:
        units = []
        name_index = 0
        for order, (building_name, unit_name, floors, per_floor, year, quote) in enumerate(
            demo.UNITS
        ):
            building = self.get_or_create(
                Building, campaign=campaign, name=building_name, defaults={"sort_order": order}
            )
            unit = self.get_or_create(
                Unit, building=building, name=unit_name, defaults={"floors": floors}
            )
            self.get_or_create(
                Elevator,
                unit=unit,
                defaults={
                    "install_year": year,
                    "floors_served": floors,
                    "quote": quote,
                    "maker": "武汉某电梯工程有限公司",
                },
            )
            rng = random.Random(f"{building_name}{unit_name}")
            for floor in range(1, floors + 1):
                for number in range(1, per_floor + 1):
                    room = f"{floor}{number:02d}"
                    story = demo.SEED_UNIT.get(room) if not units else None
                    occupancy, elderly, impaired = (
                        story[:3] if story else self.random_household(rng)
                    )
                    household = self.get_or_create(
                        Household,
                        unit=unit,
                        room=room,
                        defaults={
                            "floor": floor,
                            "area": demo.AREAS[(floor * 3 + number + order) % len(demo.AREAS)],
                            "occupancy": occupancy,
                            "elderly": elderly,
                            "mobility_impaired": impaired,
                        },
                    )
                    self.seed_owners(household, name_index)
                    name_index += 1
            units.append(unit)
        return units

    @staticmethod
    def random_household(rng: random.Random) -> tuple[str, bool, bool]:
        occupancy = rng.choices(
            ["owner_occupied", "rented", "absentee", "vacant"], weights=[14, 3, 2, 1]
        )[0]
        return occupancy, rng.random() < 0.25, rng.random() < 0.08

    def seed_owners(self, household: Household, index: int) -> None:
        if household.owners.exists():
            return
        surname = demo.SURNAMES[index % len(demo.SURNAMES)]
        given = demo.GIVEN_NAMES[index % len(demo.GIVEN_NAMES)]
        Owner.objects.create(
            household=household,
            name=surname + given,
            phone=f"139{index % 100:02d}27{1000 + index:04d}",
            lives_elsewhere=household.occupancy == Household.Occupancy.ABSENTEE,
        )
        self.created += 1
        if index % 7 == 3:  # some flats have a co-owner; the household still votes once
            Owner.objects.create(
                household=household,
                name=demo.SURNAMES[(index + 5) % len(demo.SURNAMES)] + "丽",
                phone="",
                is_primary=False,
            )
            self.created += 1

    def seed_assignments(self, users: dict, campaign: Campaign, units: list[Unit]) -> None:
        community = campaign.community
        seed_unit, building_two = units[0], units[1].building
        wanted = [
            (users["secretary"], Role.SECRETARY, {}),
            (users["grid1"], Role.GRID_WORKER, {"unit": seed_unit}),
            (users["grid2"], Role.GRID_WORKER, {"building": building_two}),
            (users["lead1"], Role.BUILDING_LEAD, {"building": seed_unit.building}),
        ]
        for user, role, place in wanted:
            if not Assignment.objects.filter(user=user, role=role, **place).exists():
                Assignment.objects.create(user=user, role=role, community=community, **place)
                self.created += 1

    # --- the campaign so far -------------------------------------------------------------

    def seed_proposal(self, unit: Unit, author, *, fund: Decimal, version: int, status: str):
        elevator = unit.elevator
        existing = Proposal.objects.filter(elevator=elevator, version=version).first()
        if existing:
            return existing
        days_ago = 10 if version == 2 else 30
        proposal = Proposal.objects.create(
            elevator=elevator,
            version=version,
            status=status,
            total_cost=elevator.quote,
            subsidy=unit.building.campaign.subsidy_per_elevator,
            maintenance_fund=fund,
            rule=Proposal.Rule.FLOOR_AREA,
            ground_floor=Proposal.GroundFloor.EXEMPT,
            created_by=author,
            published_at=self.at(days_ago),
            notes="政府补贴 + 住宅专项维修资金 + 居民自筹；一楼免出资。",
        )
        FloorCoefficient.objects.bulk_create(
            FloorCoefficient(proposal=proposal, floor=floor, coefficient=Decimal(value))
            for floor, value in demo.FLOOR_COEFFICIENTS.items()
            if floor <= unit.floors
        )
        households = list(unit.households.all())
        Share.objects.bulk_create(
            Share(proposal=proposal, household=line.household, amount=line.amount)
            for line in proposal.allocate(households)
        )
        self.created += 1 + len(households)
        return proposal

    def visit(self, household, visitor, key: str, days_ago: int, **fields) -> Visit:
        concerns = fields.pop("concerns", [])
        visit, created = Visit.objects.get_or_create(
            idempotency_key=uuid.uuid5(SEED_NAMESPACE, key),
            defaults={
                "household": household,
                "visitor": visitor,
                "visited_at": self.at(days_ago, hour=9 + days_ago % 9, minute=days_ago % 4 * 15),
                **fields,
            },
        )
        if created:
            VisitConcern.objects.bulk_create(VisitConcern(visit=visit, concern=c) for c in concerns)
            self.created += 1 + len(concerns)
        return visit

    def consent(self, household, proposal, witness, decision, days_ago, **extra) -> Consent:
        owner = household.owners.filter(is_primary=True).first()
        share = Share.objects.get(proposal=proposal, household=household)
        paper = extra.pop("paper", False)
        seed = f"{household.pk}-{decision}-{days_ago}"
        consent = Consent.objects.create(
            household=household,
            proposal=proposal,
            share_amount=share.amount,
            decision=decision,
            signer_name=owner.name,
            method=Consent.Method.PAPER if paper else Consent.Method.TABLET,
            signature=paper_scan_jpeg(seed) if paper else signature_png(seed),
            signature_type="image/jpeg" if paper else "image/png",
            witness=witness,
            signed_at=self.at(days_ago, hour=15, minute=30),
            **extra,
        )
        self.created += 1
        return consent

    def seed_story(self, users: dict, units: list[Unit]) -> None:
        grid1, grid2, lead1 = users["grid1"], users["grid2"], users["lead1"]
        seed_unit = units[0]
        self.seed_proposal(
            seed_unit,
            users["secretary"],
            fund=Decimal("60000.00"),
            version=1,
            status=Proposal.Status.SUPERSEDED,
        )
        proposal = self.seed_proposal(
            seed_unit,
            users["secretary"],
            fund=Decimal("88000.00"),
            version=2,
            status=Proposal.Status.PUBLISHED,
        )
        for i, household in enumerate(seed_unit.households.order_by("floor", "room")):
            story = demo.SEED_UNIT[household.room][3]
            self.seed_household_story(household, story, proposal, i, grid1, lead1)
        self.seed_other_units(units[1:], users, grid2)

    def trace(self, household, worker, days_ago: int, method: str, result: str, note: str):
        """Record a search for an owner who lives elsewhere, once per household and result."""
        if TraceAttempt.objects.filter(household=household, result=result).exists():
            return
        TraceAttempt.objects.create(
            household=household,
            worker=worker,
            attempted_at=self.at(days_ago, hour=20),
            method=method,
            result=result,
            note=note,
        )
        Household.objects.filter(pk=household.pk).update(owner_trace=result)
        self.created += 1

    def seed_household_story(self, household, story, proposal, i, grid1, lead1) -> None:
        key = f"{demo.CAMPAIGN_SLUG}-{household.unit_id}-{household.room}"
        if household.owner_lives_elsewhere and story != "not_reached":
            self.trace(
                household,
                grid1,
                25,
                TraceAttempt.Method.TENANT,
                OwnerTrace.CONTACT_FOUND,
                "租户提供了业主的电话。",
            )
            self.trace(
                household,
                grid1,
                20,
                TraceAttempt.Method.PHONE,
                OwnerTrace.REACHED,
                "电话联系上业主，约定再详谈。",
            )
        if story == "not_reached":
            if household.owner_lives_elsewhere:
                self.trace(
                    household,
                    grid1,
                    12,
                    TraceAttempt.Method.PROPERTY,
                    OwnerTrace.UNKNOWN,
                    "物业登记的电话已停机，继续通过邻居打听。",
                )
            return
        if story == "nobody_home":
            for n, days in enumerate((15, 6)):
                self.visit(
                    household,
                    grid1,
                    f"{key}-{n}",
                    days,
                    channel=Visit.Channel.DOOR,
                    reached=Visit.Reached.NOBODY,
                    next_step="晚上再来",
                    next_step_on=None,
                    notes=demo.NOTES_BY_STORY[story],
                )
            return
        reached = Visit.Reached.TENANT if household.occupancy == "rented" else Visit.Reached.OWNER
        channel = Visit.Channel.PHONE if household.occupancy == "absentee" else Visit.Channel.DOOR
        self.visit(
            household,
            grid1,
            f"{key}-0",
            24 - i % 5,
            channel=channel,
            reached=reached,
            attitude=Visit.Attitude.UNDECIDED,
            concerns=[Concern.COST],
            notes="首次上门讲解政策。",
        )
        attitude = STORY_ATTITUDE[story]
        follow_up = story == "undecided"
        self.visit(
            household,
            lead1 if i % 3 == 0 else grid1,
            f"{key}-1",
            9 - i % 4,
            channel=Visit.Channel.VIA_LEAD if i % 3 == 0 else channel,
            reached=Visit.Reached.OWNER,
            attitude=attitude,
            concerns=STORY_CONCERNS.get(story, []),
            notes=demo.NOTES_BY_STORY[story],
            next_step="协调会后再上门" if follow_up else "",
            next_step_on=timezone.localdate(self.now) + timedelta(days=i % 3 - 1)
            if follow_up
            else None,
        )
        if (
            story == "undecided"
            or Consent.objects.filter(household=household, proposal=proposal).exists()
        ):
            return
        if story == "changed_mind":
            first = self.consent(household, proposal, grid1, Decision.DISAGREE, 8)
            self.consent(household, proposal, grid1, Decision.AGREE, 3, supersedes=first)
        elif story == "agree_on_paper":
            self.consent(household, proposal, grid1, Decision.AGREE, 5, paper=True)
        else:
            decision = Decision.AGREE if story == "agree" else Decision(story)
            self.consent(household, proposal, grid1, decision, 7 - i % 5)

    def seed_other_units(self, units: list[Unit], users: dict, grid2) -> None:
        published = self.seed_proposal(
            units[0],
            users["secretary"],
            fund=Decimal("95000.00"),
            version=1,
            status=Proposal.Status.PUBLISHED,
        )
        for unit_index, unit in enumerate(units):
            rng = random.Random(f"story-{unit.pk}")
            visitor = grid2 if unit.building_id == units[0].building_id else users["secretary"]
            reach = (0.8, 0.45, 0.2)[unit_index]
            for household in unit.households.order_by("floor", "room"):
                key = f"{demo.CAMPAIGN_SLUG}-{unit.pk}-{household.room}"
                if rng.random() > reach:
                    continue
                attitude = rng.choices(
                    [Visit.Attitude.SUPPORT, Visit.Attitude.UNDECIDED, Visit.Attitude.OPPOSE],
                    weights=[6, 3, 1],
                )[0]
                concerns = rng.sample(list(Concern.values), k=rng.randint(0, 2))
                visit_days_ago, sign_days_ago = rng.randint(1, 20), rng.randint(1, 9)
                self.visit(
                    household,
                    visitor,
                    f"{key}-0",
                    visit_days_ago,
                    channel=Visit.Channel.DOOR,
                    reached=Visit.Reached.OWNER,
                    attitude=attitude,
                    concerns=concerns,
                )
                signed = Consent.objects.filter(household=household, proposal=published).exists()
                if unit_index == 0 and attitude == Visit.Attitude.SUPPORT and not signed:
                    self.consent(household, published, grid2, Decision.AGREE, sign_days_ago)

    # --- what residents see --------------------------------------------------------------

    def seed_public_record(self, campaign: Campaign, users: dict, seed_unit: Unit) -> None:
        secretary = users["secretary"]
        for title, lead_days, late in demo.MILESTONES:
            milestone = Milestone(campaign=campaign, title=title, lead_days=lead_days)
            milestone.schedule_from(campaign.target_open_date)
            done_on = None if late is None else milestone.planned_on + timedelta(days=late)
            self.get_or_create(
                Milestone,
                campaign=campaign,
                title=title,
                defaults={
                    "lead_days": lead_days,
                    "planned_on": milestone.planned_on,
                    "done_on": done_on,
                },
            )
        for spec in demo.MEETINGS:
            if Meeting.objects.filter(campaign=campaign, title=spec["title"]).exists():
                continue
            meeting = Meeting.objects.create(
                campaign=campaign,
                unit=seed_unit,
                title=spec["title"],
                held_at=self.at(spec["days_ago"], hour=19),
                published_at=self.at(spec["days_ago"] - 1, hour=9),
                place=spec["place"],
                attendees=spec["attendees"],
                summary=spec["summary"],
            )
            MeetingDecision.objects.bulk_create(
                MeetingDecision(meeting=meeting, text=text, is_commitment=promise, status=status)
                for text, promise, status in spec["decisions"]
            )
            self.created += 1 + len(spec["decisions"])
        for title, days_ago, body, photos in demo.UPDATES:
            if ProgressUpdate.objects.filter(campaign=campaign, title=title).exists():
                continue
            published = days_ago is not None
            update = ProgressUpdate.objects.create(
                campaign=campaign,
                title=title,
                body=body,
                status="published" if published else "draft",
                published_at=min(self.at(days_ago, hour=18), self.now) if published else None,
                author=secretary,
            )
            for n in range(photos):
                photo = prepare_photo(ContentFile(site_photo_jpeg(f"{title}-{n}"), "site.jpg"))
                UpdatePhoto.objects.create(
                    update=update, image=photo, caption=f"{title}（{n + 1}）"
                )
            self.created += 1 + photos
        for body, room, answer, status, days_ago in demo.QUESTIONS:
            answered = self.at(days_ago, hour=11) if answer else None
            self.get_or_create(
                Question,
                campaign=campaign,
                body=body,
                defaults={
                    "room": room,
                    "answer": answer,
                    "status": status,
                    "answered_by": secretary if answer else None,
                    "answered_at": answered,
                    "published_by": secretary if status == "published" else None,
                    "published_at": min(answered, self.now) if status == "published" else None,
                },
            )
