"""Every figure on the dashboard, counted in the database in a fixed number of queries.

Nothing here re-implements a rule: the vote is ``consultations.thresholds`` heads and tally per
matter (through ``votes_by_unit``, as on the secretary's overview), a door's state is
``consultations.doors.door_status`` over the household's stored columns, and the scope is
``Household.objects.for_user``.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, F, Q, QuerySet
from django.db.models.lookups import IsNull
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Unit
from consultations.activity import team_table
from consultations.doors import DoorFilter, DoorStatus, door_status, filter_doors
from consultations.models import Concern, Visit, VisitConcern
from consultations.models.door_state import latest_visit
from consultations.progress import AGREEMENT, with_progress
from consultations.standing import votes_by_unit
from households.models import Household, Urgency


class GridState(models.TextChoices):
    """The colour of a room on the building grid (楼盘表): a group of door states. The cell's
    words are the door state's own (``DoorStatus``), as on the door list, and each group's
    legend is made of those words."""

    SIGNED_AGREE = "signed_agree", _("已签字同意")
    AGREE_NOT_PAYING = "agree_not_paying", _("同意暂不出资")
    SUPPORTIVE = "supportive", _("支持，尚未签字")
    UNDECIDED = "undecided", _("观望、未表态或弃权")
    AGAINST = "against", _("反对")
    NOT_REACHED = "not_reached", _("未走访或无人在家")
    OWNER_UNTRACED = "owner_untraced", _("产权人未联系上")


GRID_STATE = {
    DoorStatus.SIGNED_AGREE: GridState.SIGNED_AGREE,
    DoorStatus.SIGNED_NOT_PAYING: GridState.AGREE_NOT_PAYING,
    DoorStatus.SUPPORT: GridState.SUPPORTIVE,
    DoorStatus.UNDECIDED: GridState.UNDECIDED,
    DoorStatus.VISITED: GridState.UNDECIDED,
    DoorStatus.NO_STANCE: GridState.UNDECIDED,
    DoorStatus.SIGNED_ABSTAIN: GridState.UNDECIDED,
    DoorStatus.OPPOSE: GridState.AGAINST,
    DoorStatus.SIGNED_DISAGREE: GridState.AGAINST,
    DoorStatus.NOT_VISITED: GridState.NOT_REACHED,
    DoorStatus.NOBODY_HOME: GridState.NOT_REACHED,
    DoorStatus.OWNER_UNTRACED: GridState.OWNER_UNTRACED,
}


def grid_state(household) -> GridState:
    """The grid colour of a household."""
    return GRID_STATE[door_status(household)]


def scope_of(user, campaign: Campaign) -> QuerySet:
    """The campaign's households this user may see: all of them for its secretary, the
    assignment's for a grid worker or building lead."""
    return Household.objects.for_user(user).in_campaign(campaign)


def units_of(user, campaign: Campaign) -> QuerySet:
    return (
        Unit.objects.for_user(user).filter(building__campaign=campaign).select_related("building")
    )


# Campaign overview: the vote of each unit.


def overview(user, campaign: Campaign) -> list:
    """The campaign's units in the user's scope, each with its progress, its vote (per matter
    of the proposal version in force: the tally and its bars) and that proposal. Six queries."""
    units = list(with_progress(units_of(user, campaign)))
    votes = votes_by_unit(units, lambda unit: campaign.consent_rule)
    for unit in units:
        unit.vote = votes[unit.pk]
        unit.proposal = unit.vote.proposal
    return units


# Where each door stands, counted: the grid's legend and the funnel.

# What door_status reads, besides the unit: grouping by these counts households in the
# database, and door_status itself then names each group (a few dozen groups per unit at most,
# whatever the number of households), so counts and colours cannot disagree.
STATE_INPUTS = (
    "decision",
    "occupancy",
    "owner_trace",
    "visited",
    "last_reached",
    "last_attitude",
    "ever_reached",
)


def state_counts(households: QuerySet) -> dict[int, Counter]:
    """Per unit: how many households are in each grid state, how many there are in all
    ("total") and how many were ever reached or signed ("reached"). One query."""
    rows = (
        households.order_by()
        .annotate(visited=IsNull(F("last_visit_at"), False))
        .values("unit", *STATE_INPUTS)
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        door = Household(occupancy=row["occupancy"], owner_trace=row["owner_trace"])
        door.decision, door.last_reached = row["decision"], row["last_reached"]
        door.last_attitude = row["last_attitude"]
        door.last_visit_at = True if row["visited"] else None  # door_status asks "ever?"
        unit = counts[row["unit"]]
        unit[grid_state(door)] += row["n"]
        unit["total"] += row["n"]
        if row["ever_reached"] or row["decision"]:
            unit["reached"] += row["n"]
    return counts


@dataclass
class Funnel:
    """In scope → reached → supportive → signed, with those against and the absentee owners
    still untraced, from the grid states (so the funnel and the grid always agree)."""

    total: int
    reached: int
    supportive: int
    signed: int
    against: int
    untraced: int

    @classmethod
    def of(cls, counts: Counter) -> "Funnel":
        signed = counts[GridState.SIGNED_AGREE] + counts[GridState.AGREE_NOT_PAYING]
        return cls(
            total=counts["total"],
            reached=counts["reached"],
            supportive=signed + counts[GridState.SUPPORTIVE],
            signed=signed,
            against=counts[GridState.AGAINST],
            untraced=counts[GridState.OWNER_UNTRACED],
        )

    @property
    def steps(self) -> list[tuple]:
        """The four steps, each with its share of the households in scope (for the bars)."""
        return [
            (label, n, round(100 * n / self.total) if self.total else 0)
            for label, n in (
                (_("在册户数"), self.total),
                (_("已接触"), self.reached),
                (_("支持"), self.supportive),
                (_("已签字同意"), self.signed),
            )
        ]


def funnels(households: QuerySet, units: list) -> tuple[Funnel, list[tuple]]:
    """The funnel of the whole scope and of each unit, from one grouped query."""
    counts = state_counts(households)
    campaign = sum((counts.get(unit.pk, Counter()) for unit in units), Counter())
    return Funnel.of(campaign), [
        (unit, Funnel.of(counts.get(unit.pk, Counter()))) for unit in units
    ]


def ranked_concerns(households: QuerySet) -> list[dict]:
    """Each concern with how many households raised it, and how many of those have not yet
    signed their agreement: the worries a meeting should address, largest first."""
    agreed = Q(visit__household__decision__in=AGREEMENT)
    rows = (
        VisitConcern.objects.filter(visit__household__in=households.values("pk"))
        .values("concern")
        .annotate(
            households=Count("visit__household", distinct=True),
            unconvinced=Count("visit__household", distinct=True, filter=~agreed),
        )
        .order_by("-households", "concern")
    )
    return [{**row, "label": Concern(row["concern"]).label} for row in rows]


# Needs recorded at the door, counted per unit.

NEEDS_COUNTED = {
    "elderly": Q(elderly=True),
    "mobility_impaired": Q(mobility_impaired=True),
    "lives_alone": Q(lives_alone=True),
    "outage_help": Q(needs_outage_help=True),
    "urgent": Q(urgency__in=[Urgency.URGENT, Urgency.HIGH]),
    "unknown": Q(urgency=""),
}


def needs_by_unit(households: QuerySet, units: list) -> tuple[Counter, list[tuple]]:
    """Per unit of ``units``, how many households have each need recorded at the door (and
    how many are urgent, and whose urgency is not known yet), and the sums. One query."""
    rows = (
        households.order_by()
        .values("unit")
        .annotate(**{name: Count("pk", filter=q) for name, q in NEEDS_COUNTED.items()})
    )
    counts = {row.pop("unit"): Counter(row) for row in rows}
    per_unit = [(unit, counts.get(unit.pk, Counter())) for unit in units]
    total = sum((row for _unit, row in per_unit), Counter())
    return total, per_unit


# Work: who knocks, who owes a follow-up, whose owner is still not found.


def follow_ups_by_worker(households: QuerySet, today) -> list[dict]:
    """Per worker who set the next step (the visitor of the latest visit): follow-ups due
    today and overdue, on households that have not signed yet."""
    due = filter_doors(households.order_by(), DoorFilter.FOLLOW_UP, today)
    rows = (
        due.annotate(
            worker=latest_visit("visitor__username"),
            worker_name=latest_visit("visitor__first_name"),
        )
        .values("worker", "worker_name")
        .annotate(
            due=Count("pk", filter=Q(follow_up_on=today)),
            overdue=Count("pk", filter=Q(follow_up_on__lt=today)),
        )
        .order_by("-overdue", "-due", "worker")
    )
    return [{**row, "name": row["worker_name"] or row["worker"]} for row in rows]


UNTRACED_LISTED = 100


def untraced_owners(households: QuerySet, today) -> tuple[list, int]:
    """Absentee owners not yet reached, on households that have not signed: the first
    hundred to list, and how many there are in all."""
    doors = households.select_related("unit__building")
    untraced = filter_doors(doors, DoorFilter.OWNER_UNTRACED, today)
    listed = list(untraced[:UNTRACED_LISTED])
    total = len(listed) if len(listed) < UNTRACED_LISTED else untraced.count()
    return listed, total


def work(households: QuerySet, today) -> dict:
    follow_ups = follow_ups_by_worker(households, today)
    untraced, untraced_total = untraced_owners(households, today)
    return {
        "team": team_table(Visit.objects.filter(household__in=households), today),
        "follow_ups": follow_ups,
        "follow_ups_total": {
            "due": sum(row["due"] for row in follow_ups),
            "overdue": sum(row["overdue"] for row in follow_ups),
        },
        "untraced": untraced,
        "untraced_total": untraced_total,
    }


# The building grid (楼盘表): floors × rooms, one cell per household.


@dataclass
class UnitGrid:
    unit: Unit
    columns: list[str]
    floors: list[tuple[int, list]]
    counts: list[tuple[GridState, int]]


def room_column(room: str, floor: int) -> str:
    """Where a room stands on its floor: 1203 on floor 12 is column 03 (at least two
    characters must be left after the floor); anything else is its own column."""
    prefix = str(floor)
    rest = room[len(prefix) :]
    return rest if room.startswith(prefix) and len(rest) >= 2 else room


def grids(households: QuerySet, units: list) -> list[UnitGrid]:
    """Each unit drawn as floors (top floor first) × rooms, from two queries: the rooms, and
    the legend's counts."""
    households = households.filter(unit__in=[u.pk for u in units])
    rows = households.order_by("unit", "floor", "room")
    cells: dict[int, dict[tuple[int, str], Household]] = {unit.pk: {} for unit in units}
    for household in rows:
        household.status = door_status(household)  # the words, as on the door list
        household.state = GRID_STATE[household.status]  # the colour
        placed = cells[household.unit_id]
        key = (household.floor, room_column(household.room, household.floor))
        if key in placed:  # two rooms read as one column (101 and 1-01): keep both, apart
            key = (household.floor, household.room)
        placed[key] = household
    counts = state_counts(households)
    drawn = []
    for unit in units:
        placed = cells[unit.pk]
        columns = sorted({column for _floor, column in placed}, key=lambda c: (len(c), c))
        top = max([unit.floors, *(floor for floor, _column in placed)])
        floors = [
            (floor, [placed.get((floor, column)) for column in columns])
            for floor in range(top, 0, -1)
        ]
        legend = [(state, counts.get(unit.pk, Counter())[state]) for state in GridState]
        drawn.append(UnitGrid(unit, columns, floors, legend))
    return drawn
