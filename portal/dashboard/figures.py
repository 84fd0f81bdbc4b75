"""Every figure on the dashboard, counted in the database in a fixed number of queries.

Nothing here re-implements a rule: the vote is ``consultations.thresholds.tally`` (through
``tallies_by_unit``, as on the secretary's overview), a door's state is
``consultations.doors.door_status`` over ``with_door_status``, and the scope is
``Household.objects.for_user``.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, Unit
from consultations.doors import DoorStatus, door_status, with_door_status
from consultations.models import Concern, Consent, Decision, Proposal, Visit, VisitConcern
from consultations.progress import AGREEMENT, with_progress
from consultations.standing import measures, tallies_by_unit
from consultations.views.activity import team_table
from consultations.views.proposals import units_for
from households.models import Household


class GridState(models.TextChoices):
    """The colour of a room on the building grid (楼盘表)."""

    SIGNED_AGREE = "signed_agree", _("已签字同意")
    AGREE_NOT_PAYING = "agree_not_paying", _("同意暂不出资")
    SUPPORTIVE = "supportive", _("支持，尚未签字")
    UNDECIDED = "undecided", _("观望或弃权")
    AGAINST = "against", _("反对")
    NOT_REACHED = "not_reached", _("尚未接触")
    OWNER_UNTRACED = "owner_untraced", _("人户分离未联系上")


# What a cell says besides its colour, short enough for a printed A4 grid.
SHORT_LABELS = {
    GridState.SIGNED_AGREE: _("同意"),
    GridState.AGREE_NOT_PAYING: _("暂不出资"),
    GridState.SUPPORTIVE: _("支持"),
    GridState.UNDECIDED: _("观望"),
    GridState.AGAINST: _("反对"),
    GridState.NOT_REACHED: _("未接触"),
    GridState.OWNER_UNTRACED: _("未找到产权人"),
}

GRID_STATE = {
    DoorStatus.SIGNED_AGREE: GridState.SIGNED_AGREE,
    DoorStatus.SIGNED_NOT_PAYING: GridState.AGREE_NOT_PAYING,
    DoorStatus.SUPPORT: GridState.SUPPORTIVE,
    DoorStatus.UNDECIDED: GridState.UNDECIDED,
    DoorStatus.VISITED: GridState.UNDECIDED,
    DoorStatus.SIGNED_ABSTAIN: GridState.UNDECIDED,
    DoorStatus.OPPOSE: GridState.AGAINST,
    DoorStatus.SIGNED_DISAGREE: GridState.AGAINST,
    DoorStatus.NOT_VISITED: GridState.NOT_REACHED,
    DoorStatus.NOBODY_HOME: GridState.NOT_REACHED,
    DoorStatus.OWNER_UNTRACED: GridState.OWNER_UNTRACED,
}


def grid_state(household) -> GridState:
    """The grid colour of a household carrying with_door_status."""
    return GRID_STATE[door_status(household)]


def scope_of(user, campaign: Campaign) -> QuerySet:
    """The campaign's households this user may see: all of them for its secretary, the
    assignment's for a grid worker or building lead."""
    return Household.objects.for_user(user).in_campaign(campaign)


def units_of(user, campaign: Campaign) -> QuerySet:
    return units_for(user).filter(building__campaign=campaign).select_related("building")


# Campaign overview: the vote of each unit.


def overview(user, campaign: Campaign) -> list:
    """The campaign's units in the user's scope, each with its progress, its tally against the
    campaign's rule (and the bars of it), and the proposal version in force. Four queries."""
    units = list(with_progress(units_of(user, campaign)))
    published = {
        p.elevator.unit_id: p
        for p in Proposal.objects.published()
        .filter(elevator__unit__in=[u.pk for u in units])
        .select_related("elevator")
    }
    tallies = tallies_by_unit(units, lambda unit: campaign.consent_rule)
    for unit in units:
        unit.proposal = published.get(unit.pk)
        unit.tally = tallies[unit.pk]
        unit.measures = measures(unit.tally)
    return units


# The funnel: in scope → reached → supportive → signed.


@dataclass
class Funnel:
    label: str
    total: int = 0
    reached: int = 0
    supportive: int = 0
    signed: int = 0
    against: int = 0
    untraced: int = 0
    steps: list = field(default_factory=list)

    def add(self, other: "Funnel") -> None:
        for name in ("total", "reached", "supportive", "signed", "against", "untraced"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def close(self) -> "Funnel":
        """The four steps, each with its share of the households in scope."""
        self.steps = [
            (label, n, round(100 * n / self.total) if self.total else 0)
            for label, n in (
                (_("在册户数"), self.total),
                (_("已接触"), self.reached),
                (_("支持"), self.supportive),
                (_("已签字同意"), self.signed),
            )
        ]
        return self


AGREED = Q(decision__in=AGREEMENT)
UNSIGNED = Q(decision__isnull=True)
FUNNEL_COUNTS = {
    "total": Count("pk"),
    "reached": Count("pk", filter=Q(ever_reached=True) | Q(decision__isnull=False)),
    "supportive": Count("pk", filter=AGREED | (UNSIGNED & Q(last_attitude=Visit.Attitude.SUPPORT))),
    "signed": Count("pk", filter=AGREED),
    "against": Count(
        "pk",
        filter=Q(decision=Decision.DISAGREE) | (UNSIGNED & Q(last_attitude=Visit.Attitude.OPPOSE)),
    ),
    "untraced": Count(
        "pk", filter=UNSIGNED & Q(pk__in=Household.objects.owner_untraced().values("pk"))
    ),
}


def funnels(households: QuerySet, units: list) -> tuple[Funnel, list[tuple]]:
    """The funnel of the whole scope and of each unit, from one grouped query."""
    rows = (
        with_door_status(households.order_by()).values("unit").annotate(**FUNNEL_COUNTS).order_by()
    )
    by_unit = {row.pop("unit"): Funnel(label="", **row) for row in rows}
    campaign = Funnel(label=str(_("全项目")))
    per_unit = []
    for unit in units:
        funnel = by_unit.get(unit.pk, Funnel(label=""))
        funnel.label = str(unit)
        campaign.add(funnel)
        per_unit.append((unit, funnel.close()))
    return campaign.close(), per_unit


def ranked_concerns(households: QuerySet) -> list[dict]:
    """Each concern with how many households raised it, and how many of those have not yet
    signed their agreement: the worries a meeting should address, largest first."""
    agreed = Exists(
        Consent.objects.in_force().filter(
            household=OuterRef("visit__household"), decision__in=AGREEMENT
        )
    )
    rows = (
        VisitConcern.objects.filter(visit__household__in=households.values("pk"))
        .annotate(agreed=agreed)
        .values("concern")
        .annotate(
            households=Count("visit__household", distinct=True),
            unconvinced=Count("visit__household", distinct=True, filter=Q(agreed=False)),
        )
        .order_by("-households", "concern")
    )
    return [{**row, "label": Concern(row["concern"]).label} for row in rows]


# Work: who knocks, who owes a follow-up, whose owner is still not found.


def _latest_visitor(field_name: str) -> Subquery:
    latest = Visit.objects.filter(household=OuterRef("pk")).order_by("-visited_at", "-pk")
    return Subquery(latest.values(f"visitor__{field_name}")[:1])


def follow_ups_by_worker(households: QuerySet, today) -> list[dict]:
    """Per worker who set the next step (the visitor of the latest visit): follow-ups due
    today and overdue, on households that have not signed yet."""
    rows = (
        with_door_status(households.order_by())
        .filter(follow_up_on__lte=today, decision__isnull=True)
        .annotate(worker=_latest_visitor("username"), worker_name=_latest_visitor("first_name"))
        .values("worker", "worker_name")
        .annotate(
            due=Count("pk", filter=Q(follow_up_on=today)),
            overdue=Count("pk", filter=Q(follow_up_on__lt=today)),
        )
        .order_by("-overdue", "-due", "worker")
    )
    return [{**row, "name": row["worker_name"] or row["worker"]} for row in rows]


UNTRACED_LISTED = 100


def untraced_owners(households: QuerySet) -> tuple[list, int]:
    """Absentee owners not yet reached, on households that have not signed: the first
    hundred to list, and how many there are in all."""
    untraced = (
        with_door_status(households.owner_untraced())
        .filter(decision__isnull=True)
        .select_related("unit__building")
    )
    listed = list(untraced[:UNTRACED_LISTED])
    total = len(listed) if len(listed) < UNTRACED_LISTED else untraced.count()
    return listed, total


def work(user, households: QuerySet, today) -> dict:
    follow_ups = follow_ups_by_worker(households, today)
    untraced, untraced_total = untraced_owners(households)
    return {
        "team": team_table(user, today),
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
    """Each unit drawn as floors (top floor first) × rooms, from one query."""
    rows = with_door_status(households.filter(unit__in=[u.pk for u in units])).order_by(
        "unit", "floor", "room"
    )
    cells: dict[int, dict[tuple[int, str], Household]] = {unit.pk: {} for unit in units}
    for household in rows:
        household.state = grid_state(household)
        household.state_short = SHORT_LABELS[household.state]
        cells[household.unit_id][
            (household.floor, room_column(household.room, household.floor))
        ] = household
    drawn = []
    for unit in units:
        placed = cells[unit.pk]
        columns = sorted({column for _floor, column in placed}, key=lambda c: (len(c), c))
        top = max([unit.floors, *(floor for floor, _column in placed)])
        floors = [
            (floor, [placed.get((floor, column)) for column in columns])
            for floor in range(top, 0, -1)
        ]
        tally = Counter(household.state for household in placed.values())
        drawn.append(UnitGrid(unit, columns, floors, [(s, tally[s]) for s in GridState]))
    return drawn
