"""Build the 宁康园 reference campaign, mid-way: ``python manage.py seed_demo``.

The story goes through the domain methods the pages use (``Proposal.new_draft``, ``save_draft``
and ``publish``; ``Visit.objects.record``; ``household.record_trace``; ``record_consent``), one
unit at a time in the order of its dates. Idempotent: places and people are found by their
natural keys, a visit by a deterministic idempotency key, and proposals, owner searches and
signatures are made only where there are none yet, so a second run adds nothing.

The seed unit's versions put two matters (demo.SEED_MATTERS), and each signature answers every
matter of the version signed, by the flat's registered owner in person; the owner of two flats
(demo.TWO_FLAT_OWNER) is one Person with an entry on each flat, and signs both at one sitting.
"""

import io
import itertools
import random
import uuid
from datetime import datetime, time, timedelta
from functools import partial

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from campaigns.models import Assignment, Campaign, Community, Elevator, Milestone, Role
from campaigns.photos import prepare_photo
from consultations.models import Concern, Consent, Matter, Proposal, Visit
from consultations.models.consents import Capacity, summary_decision
from consultations.signing import other_titles, record_consent
from households.models import AreaSource, Person
from money.demo import seed_money_demo
from money.models import Settlement
from portal import demo_data as demo
from works.demo import COMPLETE_UNIT, PASSED_UNIT, seed_completed_works_demo, seed_works_demo

SEED_NAMESPACE = uuid.UUID("6f1c1a52-6d0e-4c1b-9f59-5a3e0c1e2026")
COUNTED_APPS = ("campaigns", "households", "consultations", "works", "money")
OCCUPANCIES = ["owner_occupied", "rented", "absentee", "vacant"]
NEEDS = ("occupancy", "elderly", "mobility_impaired")


def image_bytes(image: Image.Image, format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def signature_png(seed: str) -> bytes:
    """A hand-drawn-looking squiggle, the same for the same seed."""
    rng = random.Random(seed)
    image = Image.new("RGB", (480, 160), "white")
    points = [(30 + i * 28, 80 + rng.randint(-45, 45)) for i in range(15)]
    ImageDraw.Draw(image).line(points, fill="#1a1a6e", width=4, joint="curve")
    return image_bytes(image, "PNG", optimize=True)


def paper_scan_jpeg(seed: str) -> bytes:
    """A grey 'scanned form' with ruled lines and a signature squiggle."""
    rng = random.Random(seed)
    image = Image.new("L", (620, 877), 245)
    draw = ImageDraw.Draw(image)
    for y in range(120, 800, 48):
        draw.line([(60, y), (560, y)], fill=170, width=2)
    draw.line([(300 + i * 18, 740 + rng.randint(-15, 15)) for i in range(12)], fill=40, width=3)
    return image_bytes(image, "JPEG", quality=70)


def site_photo_jpeg(seed: str) -> bytes:
    """A drawn 'photo' of the building site: sky, lawn, a tower with windows, scaffolding."""
    left = random.Random(seed).randint(250, 450)
    image = Image.new("RGB", (1200, 900), (176, 206, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle([(0, 700), (1200, 900)], fill=(120, 160, 90))
    draw.rectangle([(left, 150), (left + 420, 760)], fill=(214, 204, 186))
    for y, x in itertools.product(range(190, 740, 70), range(left + 30, left + 400, 95)):
        draw.rectangle([(x, y), (x + 55, y + 40)], fill=(90, 110, 140))
    for x in range(left + 430, left + 560, 40):
        draw.line([(x, 760), (x, 200)], fill=(200, 120, 40), width=6)
    return image_bytes(image, "JPEG", quality=80)


def row_count() -> int:
    models = itertools.chain(*(apps.get_app_config(a).get_models() for a in COUNTED_APPS))
    return sum(model.objects.count() for model in [get_user_model(), *models])


class Command(BaseCommand):
    help = "Create the demo campaign ningkang-2026 with its users (safe to run again)."

    def handle(self, *args, **options) -> None:
        self.today, before = timezone.localdate(), row_count()
        with transaction.atomic():
            already = Campaign.objects.filter(slug=demo.CAMPAIGN_SLUG).exists()
            campaign, units = self.seed_places()
            for unit, (*_, reach) in zip(units, demo.UNITS, strict=True):
                events = self.unit_events(unit, reach, demo.PROPOSALS.get(str(unit), []))
                for _when, event in sorted(events, key=lambda when_event: when_event[0]):
                    event()
            self.seed_public_record(campaign, units[0])
            self.seed_passed_unit(campaign)
            seed_works_demo(campaign, self.today)
            self.seed_complete(campaign)
        created = row_count() - before
        if already and not created:
            message = f"Demo campaign {demo.CAMPAIGN_SLUG} is already complete; nothing was added."
            return self.stdout.write(message)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo campaign {demo.CAMPAIGN_SLUG} ready ({created} rows created). Log in as "
                f"secretary, grid1, grid2, lead1, lawyer, reviewer, contractor or maintainer with password "
                f"{demo.DEMO_PASSWORD!r} (demo only)."
            )
        )

    def at(self, days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
        day = self.today - timedelta(days=days_ago)
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    # --- people and places ---------------------------------------------------------------

    def seed_places(self):
        self.users, User = {}, get_user_model()
        for username, name, role in demo.USERS:
            staff = {"first_name": name, "is_staff": role == Role.SECRETARY}
            user, created = User.objects.get_or_create(username=username, defaults=staff)
            if created:
                user.set_password(demo.DEMO_PASSWORD)
                user.save(update_fields=["password"])
            self.users[username] = user
        community, _ = Community.objects.get_or_create(
            name=demo.COMMUNITY["name"], defaults=demo.COMMUNITY
        )
        opens = self.today + timedelta(days=demo.OPENS_IN_DAYS)
        campaign, _ = Campaign.objects.get_or_create(
            slug=demo.CAMPAIGN_SLUG,
            defaults={**demo.CAMPAIGN, "community": community, "target_open_date": opens},
        )
        units, owner_numbers = [], itertools.count()
        for order, (building, name, floors, per_floor, year, quote, *_) in enumerate(demo.UNITS):
            rng = random.Random(f"{building}{name}")
            building, _ = campaign.buildings.get_or_create(
                name=building, defaults={"sort_order": order}
            )
            unit, _ = building.units.get_or_create(name=name, defaults={"floors": floors})
            elevator = {"install_year": year, "floors_served": floors, "quote": quote}
            elevator["maker"] = demo.ELEVATOR_MAKER
            Elevator.objects.get_or_create(unit=unit, defaults=elevator)
            for floor, number in itertools.product(range(1, floors + 1), range(1, per_floor + 1)):
                room = f"{floor}{number:02d}"
                if units:  # outside the seed unit, made up
                    occupancy = rng.choices(OCCUPANCIES, [14, 3, 2, 1])[0]
                    needs = (occupancy, rng.random() < 0.25, rng.random() < 0.08)
                else:
                    needs = demo.SEED_UNIT[room][:3]
                area = demo.AREAS[(floor * 3 + number + order) % len(demo.AREAS)]
                defaults = dict(zip(NEEDS, needs, strict=True), floor=floor, area=area)
                defaults["area_source"] = self.area_source(room, floor, number, seed=not units)
                defaults.update(self.outage_needs(defaults, floor, number))
                household, _ = unit.households.get_or_create(room=room, defaults=defaults)
                self.seed_owners(household, next(owner_numbers), seed=not units)
            units.append(unit)
        for username, role, place in [
            ("secretary", Role.SECRETARY, {}),
            ("grid1", Role.GRID_WORKER, {"unit": units[0]}),
            ("grid2", Role.GRID_WORKER, {"building": units[1].building}),
            ("lead1", Role.BUILDING_LEAD, {"building": units[0].building}),
        ]:
            user = self.users[username]
            Assignment.objects.get_or_create(user=user, role=role, community=community, **place)
        return campaign, units

    @staticmethod
    def area_source(room: str, floor: int, number: int, *, seed: bool) -> str:
        """Mostly the real-estate register; the seed unit's exceptions, and one flat in ten of
        the other units measured by the survey report."""
        if seed:
            return demo.AREA_SOURCES.get(room, AreaSource.REGISTER)
        return AreaSource.SURVEY if (floor * 3 + number) % 10 == 0 else AreaSource.REGISTER

    def seed_owners(self, household, n: int, *, seed: bool = False) -> None:
        if household.owners.exists():
            return
        if seed and household.room in demo.TWO_FLAT_OWNER["rooms"]:
            return self.seed_two_flat_owner(household)
        surnames, given_names = demo.SURNAMES, demo.GIVEN_NAMES
        name = surnames[n % len(surnames)] + given_names[n % len(given_names)]
        absentee = household.occupancy == "absentee"
        phone = f"139{n % 100:02d}27{1000 + n:04d}"
        household.owners.create(name=name, phone=phone, lives_elsewhere=absentee)
        if n % 7 == 3:  # some flats have a co-owner; the household still votes once
            co_owner = surnames[(n + 5) % len(surnames)] + "丽"
            household.owners.create(name=co_owner, phone="", is_primary=False)

    def seed_two_flat_owner(self, household) -> None:
        """One owner entry on this flat for the person who holds two flats of the seed unit:
        the same name, phone and ID tail on each, linked to one Person (one head)."""
        owner = demo.TWO_FLAT_OWNER
        first = household.unit.households.filter(room=owner["rooms"][0]).first()
        linked = first.owners.exclude(person=None).first() if first else None
        if linked is None:
            community = household.unit.building.campaign.community
            person = Person.objects.create(community=community, kind=Person.Kind.PERSON)
        else:
            person = linked.person
        household.owners.create(
            person=person,
            name=owner["name"],
            phone=owner["phone"],
            id_tail=owner["id_tail"],
            lives_elsewhere=household.room != owner["rooms"][0],
        )

    # --- the campaign so far, as (when, what happened) -----------------------------------

    def publish(self, unit, fund, when, matters=()) -> None:
        """The secretary drafts the unit's next version with this fund amount and, for a first
        version, the matters it puts to the owners (later versions copy them), and publishes."""
        secretary = self.users["secretary"]
        draft = Proposal.new_draft(unit.elevator, by=secretary)
        draft.maintenance_fund, draft.notes = fund, demo.PROPOSAL_NOTES
        draft.save_draft({f: c for f, c in demo.FLOOR_COEFFICIENTS.items() if f <= unit.floors})
        if not draft.matters.exists():
            for number, (item, rule, title) in enumerate(matters, start=1):
                Matter.objects.create(
                    proposal=draft, number=number, item=item, rule=rule, title=title
                )
        draft.publish(by=secretary)
        draft.published_at = when  # publish() stamps now; in the story it was days ago
        draft.save(update_fields=["published_at"])

    def sign(self, household, witness, decisions: tuple, when, paper: bool) -> None:
        """The flat's registered owner answers every matter of the proposal published now
        (``decisions`` in the ballot's order), after any answer they gave before."""
        proposal = Proposal.objects.published().for_household(household).get()
        current = Consent.objects.current().filter(household=household, proposal=proposal)
        if current.filter(signed_at=when).exists():
            return  # signed at this sitting already, with the same owner's other flat
        ballot = proposal.ballot()
        answers = {str(m.number): d for m, d in zip(ballot, decisions, strict=True)}
        owner = household.owners.get(is_primary=True)
        others = [t.household_id for t in other_titles([owner], household.unit_id)[owner.pk]]
        seen = dict.fromkeys(others) | dict(
            Consent.objects.current()
            .filter(household__in=others, proposal=proposal)
            .values_list("household", "pk")
        )
        record_consent(
            household=household,
            proposal=proposal,
            expected_current=current.values_list("pk", flat=True).first(),
            expected_others=seen,
            decision=summary_decision(answers),
            answers=answers,
            signer_capacity=Capacity.OWNER,
            signer_owner=owner,
            signer_name=owner.name,
            method=Consent.Method.PAPER if paper else Consent.Method.TABLET,
            signature=(paper_scan_jpeg if paper else signature_png)(f"{household}-{when}"),
            signature_type="image/jpeg" if paper else "image/png",
            witness=witness,
            signed_at=when,
        )

    def unit_events(self, unit, reach, versions) -> list:
        """What happened in the unit, as (when, action): the versions published, and each
        household's story (the seed unit's as told in demo_data, elsewhere made up)."""
        events = []
        if not Proposal.objects.filter(elevator__unit=unit).exists():
            matters = demo.SEED_MATTERS if reach is None else ()
            events += [
                (self.at(d), partial(self.publish, unit, f, self.at(d), matters))
                for f, d in versions
            ]
        rng = random.Random(f"story-{unit.pk}")
        for i, household in enumerate(unit.households.order_by("floor", "room")):
            if reach is None:
                events += self.seed_unit_story(household, i)
            elif rng.random() <= reach:
                events += self.made_up_story(household, rng, signing=bool(versions))
        return events

    def visit(self, household, n: int, days_ago: int, visitor, **fields):
        key = f"{demo.CAMPAIGN_SLUG}-{household.unit_id}-{household.room}-{n}"
        when = self.at(days_ago, hour=9 + days_ago % 9, minute=days_ago % 4 * 15)
        fields |= {"idempotency_key": uuid.uuid5(SEED_NAMESPACE, key), "visited_at": when}
        return when, partial(Visit.objects.record, household, visitor, **fields)

    def signatures(self, household, witness, ballots) -> list:
        """The ballots signed (an answer per matter, days ago, on paper?), unless some were
        signed before."""
        events = []
        for decisions, days_ago, paper in [] if household.consents.exists() else ballots:
            when = self.at(days_ago, hour=15, minute=30)
            events.append((when, partial(self.sign, household, witness, decisions, when, paper)))
        return events

    def made_up_story(self, household, rng, signing: bool) -> list:
        """Outside the seed unit: one visit by grid2 in building 2栋 (by the secretary
        elsewhere), and where a version is published, a supporter's signature."""
        attitude = rng.choices(["support", "undecided", "oppose"], weights=[6, 3, 1])[0]
        concerns = rng.sample(list(Concern.values), k=rng.randint(0, 2))
        visit_days, sign_days = rng.randint(1, 20), rng.randint(1, 9)
        grid2 = self.users["grid2"]
        visitor = grid2 if household.unit.building.name == "2栋" else self.users["secretary"]
        met = {"channel": "door", "reached": "owner", "attitude": attitude, "concerns": concerns}
        events = [self.visit(household, 0, visit_days, visitor, **met)]
        if signing and attitude == "support":
            events += self.signatures(household, grid2, [(("agree",), sign_days, False)])
        return events

    def seed_unit_story(self, household, i: int) -> list:
        """The seed unit's household i (in floor and room order), as demo.SEED_UNIT tells it."""
        grid1, lead1, events = self.users["grid1"], self.users["lead1"], []
        story = demo.SEED_UNIT[household.room][3]
        if household.owner_lives_elsewhere and not household.trace_attempts.exists():
            search = demo.OWNER_NOT_FOUND if story == "not_reached" else demo.OWNER_FOUND
            for days_ago, method, result, note in search:
                when = self.at(days_ago, hour=20)
                trace = {"method": method, "result": result, "note": note, "at": when}
                events.append((when, partial(household.record_trace, grid1, **trace)))
        if story == "not_reached":
            return events
        (attitude, concerns, answers), notes = demo.STORIES[story], demo.NOTES[story]
        if story == "nobody_home":
            return events + [
                self.visit(household, n, days, grid1, notes=notes, **demo.NOBODY_HOME)
                for n, days in enumerate((15, 6))
            ]
        channel = "phone" if household.occupancy == "absentee" else "door"
        reached = "tenant" if household.occupancy == "rented" else "owner"
        first = {"channel": channel, "reached": reached, **demo.FIRST}
        events.append(self.visit(household, 0, 24 - i % 5, grid1, **first))
        # The lead comes along to every third door.
        visitor, channel = (lead1, "via_lead") if i % 3 == 0 else (grid1, channel)
        second = {"channel": channel, "reached": "owner", "attitude": attitude, "notes": notes}
        if story == "undecided":
            second["next_step"] = demo.UNDECIDED_NEXT_STEP
            second["next_step_on"] = self.today + timedelta(days=i % 3 - 1)
        events.append(self.visit(household, 1, 9 - i % 4, visitor, concerns=concerns, **second))
        answers = [(decision, days or 7 - i % 5, paper) for decision, days, paper in answers]
        return events + self.signatures(household, grid1, answers)

    # --- the unit whose vote passed (its works: works.demo) --------------------------------

    @staticmethod
    def outage_needs(needs: dict, floor: int, number: int) -> dict:
        """What workers heard at the door about the months without a lift, worked out from the
        household's other needs: an elderly or disabled resident high up needs help while it
        is out, some elderly live alone, and how urgent the new lift is follows."""
        elderly, impaired = needs["elderly"], needs["mobility_impaired"]
        high_up = floor >= 4
        urgency = "urgent" if impaired else "high" if elderly and high_up else ""
        if not urgency and floor <= 2:
            urgency = "none"  # low down, young: no need
        return {
            "needs_outage_help": impaired or (elderly and high_up),
            "lives_alone": elderly and (floor + number) % 3 == 0,
            "urgency": urgency,
        }

    def seed_passed_unit(self, campaign):
        """Every household of demo.PASSED signs the published proposal (the campaign demands
        unanimity), one a day, witnessed by the secretary."""
        return self.seed_signed_unit(
            campaign, PASSED_UNIT, demo.PASSED, demo.PASSED_PROPOSAL, demo.PASSED_SIGNED_FROM
        )

    def seed_complete_unit(self, campaign):
        """Every household of demo.COMPLETE agreed to both matters (the fund's use and the cost
        split), months ago, one of them without paying its share: the unit whose works are over
        and whose money is settled."""
        return self.seed_signed_unit(
            campaign,
            COMPLETE_UNIT,
            demo.COMPLETE,
            demo.COMPLETE_PROPOSAL,
            demo.COMPLETE_SIGNED_FROM,
            matters=demo.SEED_MATTERS,
            not_paying=demo.COMPLETE_NOT_PAYING,
        )

    def seed_signed_unit(
        self, campaign, place, shape, proposal, signed_from, matters=(), not_paying=None
    ):
        """Every household of the unit signs its published proposal, agreeing to every matter
        (the ``not_paying``-th agrees to the cost split but will not pay its share)."""
        (building_name, name), (floors, per_floor, year, quote) = place, shape
        building, _ = campaign.buildings.get_or_create(
            name=building_name, defaults={"sort_order": campaign.buildings.count()}
        )
        unit, _ = building.units.get_or_create(name=name, defaults={"floors": floors})
        elevator = {"install_year": year, "floors_served": floors, "quote": quote}
        Elevator.objects.get_or_create(
            unit=unit, defaults={**elevator, "maker": demo.ELEVATOR_MAKER}
        )
        first_owner = 400 if place == PASSED_UNIT else 500
        for n, (floor, number) in enumerate(
            itertools.product(range(1, floors + 1), range(1, per_floor + 1))
        ):
            area = demo.AREAS[(floor * 5 + number) % len(demo.AREAS)]
            defaults = {"floor": floor, "area": area, "occupancy": "owner_occupied"}
            defaults["area_source"] = AreaSource.REGISTER
            household, _ = unit.households.get_or_create(
                room=f"{floor}{number:02d}", defaults=defaults
            )
            self.seed_owners(household, first_owner + n)
        events = []
        if not Proposal.objects.filter(elevator__unit=unit).exists():
            fund, days_ago = proposal
            when = self.at(days_ago)
            events.append((when, partial(self.publish, unit, fund, when, matters)))
        secretary = self.users["secretary"]
        answers = ("agree",) * max(1, len(matters))
        for n, household in enumerate(unit.households.order_by("floor", "room")):
            agreed = (*answers[:-1], "agree_not_paying") if n == not_paying else answers
            ballot = [(agreed, signed_from - n % 6, n % 5 == 4)]
            events += self.signatures(household, secretary, ballot)
        for _when, event in sorted(events, key=lambda when_event: when_event[0]):
            event()
        return unit

    def seed_complete(self, campaign) -> None:
        """The completed unit: its works (works.demo) and its money (money.demo), once."""
        unit = self.seed_complete_unit(campaign)
        if Settlement.objects.filter(proposal__elevator__unit=unit).exists():
            return
        seed_completed_works_demo(campaign, self.today)
        seed_money_demo(campaign, unit, by=self.users["secretary"])

    # --- what residents see --------------------------------------------------------------

    def seed_public_record(self, campaign, seed_unit) -> None:
        secretary, now = self.users["secretary"], timezone.now()
        for title, lead_days, late in demo.MILESTONES:
            milestone = Milestone(campaign=campaign, title=title, lead_days=lead_days)
            milestone.schedule_from(campaign.target_open_date)
            done_on = None if late is None else milestone.planned_on + timedelta(days=late)
            plan = {"lead_days": lead_days, "planned_on": milestone.planned_on, "done_on": done_on}
            campaign.milestones.get_or_create(title=title, defaults=plan)
        for days_ago, fields, decisions in demo.MEETINGS:
            if not campaign.meetings.filter(title=fields["title"]).exists():
                held, published = self.at(days_ago, hour=19), self.at(days_ago - 1, hour=9)
                meeting = campaign.meetings.create(
                    unit=seed_unit, held_at=held, published_at=published, **fields
                )
                for text, promise, status in decisions:
                    meeting.decisions.create(text=text, is_commitment=promise, status=status)
        for title, days_ago, photos, body in demo.UPDATES:
            if not campaign.updates.filter(title=title).exists():
                published = None if days_ago is None else min(self.at(days_ago, hour=18), now)
                status = "draft" if published is None else "published"
                update = campaign.updates.create(
                    title=title, body=body, status=status, published_at=published, author=secretary
                )
                for n in range(photos):
                    photo = prepare_photo(ContentFile(site_photo_jpeg(f"{title}-{n}"), "site.jpg"))
                    update.photos.create(image=photo, caption=f"{title}（{n + 1}）")
        for body, room, status, days_ago, answer in demo.QUESTIONS:
            answered, by = (self.at(days_ago, hour=11), secretary) if answer else (None, None)
            defaults = {"room": room, "answer": answer, "status": status}
            defaults |= {"answered_by": by, "answered_at": answered}
            if status == "published":
                defaults |= {"published_by": by, "published_at": min(answered, now)}
            campaign.questions.get_or_create(body=body, defaults=defaults)
