"""What the residents' project page shows, gathered in a fixed number of queries.

Only published things (updates, meetings, answered and approved questions, the published
proposal) and only counts about people. Text that staff or residents typed passes through the
Redactor before it is shown, so a neighbour's name or number typed by mistake stays hidden.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from campaigns.models import Meeting, MeetingDecision, Milestone, ProgressUpdate, Question, Unit
from consultations.allocation import allocate
from consultations.models import Proposal, Share
from consultations.progress import with_progress
from consultations.standing import votes_by_unit
from core.redaction import Redactor
from households.models import Household
from money.public import public_money
from works.commitments import public_record
from works.completion import public_after_sales
from works.public import works_section
from works.scheduling import public_timeline

CENT = Decimal("0.01")
LATEST_UPDATES = 5
LATEST_QUESTIONS = 5
MEETINGS_SHOWN = 10
AREA_RULES = {Proposal.Rule.FLOOR_AREA, Proposal.Rule.AREA}


@dataclass(frozen=True)
class FloorRow:
    """One floor of a unit under its published proposal: how many pay and how much."""

    floor: int
    households: int
    coefficient: Decimal | None
    low: Decimal
    high: Decimal
    per_m2: Decimal | None  # for the area rules: what one square metre costs on this floor
    example: Decimal | None  # what a flat of the example area pays on this floor


@dataclass(frozen=True)
class Policy:
    """A unit's published proposal in figures a resident can check with a calculator."""

    unit: Unit
    proposal: Proposal
    floors: list[FloorRow]
    example_area: Decimal | None
    # What a flat of the example area has drawn from its own maintenance-fund account: the
    # fund split by area as publish() splits it (allocate), nothing about a real household.
    example_fund: Decimal | None

    @property
    def per_m2_rule(self) -> bool:
        return self.proposal.rule in AREA_RULES


def percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.0f}" if whole else "0"


def unit_progress(campaign) -> list[Unit]:
    """Each unit with its counts (households, signed, agreed), their percentages and its vote
    (``votes_by_unit``: per matter, the Art. 278 measures by area and owners). Six queries."""
    units = list(
        with_progress(Unit.objects.filter(building__campaign=campaign).select_related("building"))
    )
    votes = votes_by_unit(units, lambda unit: campaign.consent_rule)
    for unit in units:
        unit.signed_percent = percent(unit.signed_count, unit.household_count)
        unit.agreed_percent = percent(unit.agreed_count, unit.household_count)
        unit.vote = votes[unit.pk]
    return units


def policies(campaign) -> list[Policy]:
    """The published proposal of every unit, with the matters put to the owners and a
    per-floor worked example. Four queries."""
    proposals = list(
        Proposal.objects.published()
        .filter(elevator__unit__building__campaign=campaign)
        .select_related("elevator__unit__building__campaign")
        .prefetch_related("coefficients", "matters")
        .order_by("elevator__unit__building__sort_order", "elevator__unit__building__name")
    )
    rows = (
        Share.objects.filter(proposal__in=proposals)
        .values("proposal", "household__floor")
        .annotate(
            households=Count("pk"),
            low=Min("amount"),
            high=Max("amount"),
            paid=Sum("amount"),
            area=Sum("household__area"),
        )
        .order_by("proposal", "household__floor")
    )
    by_proposal: dict[int, list[dict]] = {p.pk: [] for p in proposals}
    for row in rows:
        by_proposal[row["proposal"]].append(row)
    return [policy(p, by_proposal[p.pk]) for p in proposals]


def policy(proposal: Proposal, rows: list[dict]) -> Policy:
    coefficients = {c.floor: c.coefficient for c in proposal.coefficients.all()}
    households = sum(row["households"] for row in rows)
    area = sum((row["area"] for row in rows), Decimal(0))
    example_area = (area / households).quantize(Decimal(1)) if households else None
    floors = []
    for row in rows:
        per_m2 = example = None
        if proposal.rule in AREA_RULES and row["area"]:
            exact = Decimal(row["paid"]) / Decimal(row["area"])
            per_m2 = exact.quantize(CENT, ROUND_HALF_UP)
            example = (exact * example_area).quantize(CENT, ROUND_HALF_UP)
        floors.append(
            FloorRow(
                floor=row["household__floor"],
                households=row["households"],
                coefficient=coefficients.get(row["household__floor"])
                if proposal.rule == Proposal.Rule.FLOOR_AREA
                else None,
                low=row["low"],
                high=row["high"],
                per_m2=per_m2,
                example=example,
            )
        )
    fund = example_fund(proposal.maintenance_fund, example_area, area)
    return Policy(proposal.elevator.unit, proposal, floors, example_area, fund)


def example_fund(fund: Decimal, example_area: Decimal | None, total_area: Decimal):
    """The fund part of a flat of ``example_area`` in a unit of ``total_area``, to the cent as
    allocate() splits the fund by area among the unit's flats (None when there is no flat)."""
    if not example_area or not total_area:
        return None
    others = max(Decimal(total_area) - example_area, Decimal(0))
    return allocate(fund, [example_area, others])[0]


def redact(objects, redactor: Redactor, *fields: str) -> list:
    """Replace the named text fields of each object (in memory only; nothing is saved)."""
    objects = list(objects)
    for each in objects:
        for field in fields:
            setattr(each, field, redactor(getattr(each, field)))
    return objects


def published_meetings(campaign, redactor: Redactor) -> list[Meeting]:
    meetings = redact(
        Meeting.objects.published()
        .filter(campaign=campaign)
        .select_related("unit__building")
        .prefetch_related("decisions")[:MEETINGS_SHOWN],
        redactor,
        "title",
        "place",
        "summary",
    )
    for meeting in meetings:
        meeting.public_decisions = redact(meeting.decisions.all(), redactor, "text")
    return meetings


def project_page(campaign) -> dict:
    """Everything the project page shows, in a fixed number of queries whatever the size."""
    redactor = Redactor.for_campaign(campaign)
    campaign.summary = redactor(campaign.summary)
    meetings = published_meetings(campaign, redactor)
    # every promise of every published meeting, not only those of the meetings shown
    commitments = redact(
        MeetingDecision.objects.filter(
            is_commitment=True, meeting__in=Meeting.objects.published().filter(campaign=campaign)
        ).order_by("meeting__held_at", "pk"),
        redactor,
        "text",
    )
    updates = redact(
        ProgressUpdate.objects.published()
        .filter(campaign=campaign)
        .prefetch_related("photos")[:LATEST_UPDATES],
        redactor,
        "title",
        "body",
    )
    for update in updates:
        redact(update.photos.all(), redactor, "caption")  # the prefetched photos, in place
    questions = redact(
        Question.objects.published()
        .public_copy()
        .filter(campaign=campaign)
        .order_by("-published_at")[:LATEST_QUESTIONS],
        redactor,
        "public_body",
        "public_answer",
    )
    milestones = redact(Milestone.objects.filter(campaign=campaign), redactor, "title", "notes")
    units, listed = unit_progress(campaign), policies(campaign)
    # Matter titles are typed by staff and shown to anyone: through the Redactor, like the rest.
    redact(
        [r.matter for unit in units for r in unit.vote.results if r.matter]
        + [m for policy in listed for m in policy.proposal.matters.all()],
        redactor,
        "title",
    )
    today = timezone.localdate()
    return {
        **works_section(campaign, today, redactor),
        "campaign": campaign,
        "units": units,
        # the one-line progress at the top: each unit's vote as the 签字进度 section shows it
        "units_passed": sum(1 for unit in units if unit.vote.passed),
        "policies": listed,
        "milestones": milestones,
        "updates": updates,
        "meetings": meetings,
        "commitments": commitments,
        "commitment_record": public_record(campaign, commitments),
        "questions": questions,
        "vulnerable_count": Household.objects.in_campaign(campaign).vulnerable().count(),
        "money": public_money(campaign),
        "today": today,
        **public_after_sales(campaign),  # acceptance, maintenance, faults answered and fixed
        "works_timeline": public_timeline(campaign),
    }
