"""Each elevator's schedule in the database: made from the template (works.schedule), with a
responsible party per step, marked started and done, moved with the opening date; and what
the dashboard, the daily summary, the secretary's timeline and the residents' page read."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from campaigns.access import may
from campaigns.models import Elevator, PartyKind
from works import gate, schedule
from works.models import START_STEP, ActionItem, ScheduleStep, Site, StepKind, StepState

# Who usually answers for each step, by the kind of party (the secretary may change it per
# step): the elevator company surveys, signs and commissions its lift and takes it through
# the supervision inspection; the contractor mobilises, tears out and installs; the property
# manager, as the user of the lift (使用单位), registers it and opens it.
RESPONSIBLE_KIND = {
    StepKind.SURVEY_DESIGN: PartyKind.ELEVATOR_COMPANY,
    StepKind.CONTRACT: PartyKind.ELEVATOR_COMPANY,
    StepKind.MOBILISE: PartyKind.CONTRACTOR,
    StepKind.DEMOLISH: PartyKind.CONTRACTOR,
    StepKind.INSTALL: PartyKind.CONTRACTOR,
    StepKind.COMMISSION: PartyKind.ELEVATOR_COMPANY,
    StepKind.INSPECTION: PartyKind.ELEVATOR_COMPANY,
    StepKind.REGISTRATION: PartyKind.PROPERTY_MANAGER,
    StepKind.OPENING: PartyKind.PROPERTY_MANAGER,
}


def sites_of(campaign):
    """The campaign's works sites, with what their names and access checks read."""
    return Site.objects.filter(elevator__unit__building__campaign=campaign).select_related(
        "elevator__unit__building__campaign"
    )


def steps_of(site: Site):
    return site.steps.select_related("responsible").order_by("order")


def default_parties(site: Site) -> dict[str, object]:
    """The party of each kind the steps are given: the site's own party of that kind, else the
    campaign's party of that kind when it has only one."""
    campaign = site.elevator.unit.building.campaign
    of_campaign: dict[str, list] = {}
    for party in campaign.parties.order_by("pk"):
        of_campaign.setdefault(party.kind, []).append(party)
    chosen = {kind: parties[0] for kind, parties in of_campaign.items() if len(parties) == 1}
    of_site: dict[str, object] = {}
    for party in site.parties.order_by("pk"):
        of_site.setdefault(party.kind, party)
    return {kind: of_site.get(kind) or chosen.get(kind) for kind in set(RESPONSIBLE_KIND.values())}


@transaction.atomic
def create_schedule(elevator: Elevator, target: date, user) -> Site:
    """The elevator's site (made if it has none) with the template's steps counted back from
    ``target`` and a responsible party each; a site that has steps already keeps them."""
    site, _created = Site.objects.get_or_create(elevator=elevator)
    if site.steps.exists():
        return site
    site.target_open_date = target
    site.save(update_fields=["target_open_date"])
    parties = default_parties(site)
    ScheduleStep.objects.bulk_create(
        ScheduleStep(
            site=site,
            kind=step.kind,
            order=order,
            responsible=parties[RESPONSIBLE_KIND[step.kind]],
            planned_start=step.start,
            planned_end=step.end,
            marked_by=user,
        )
        for order, step in enumerate(schedule.plan(target), 1)
    )
    return site


def planned(step: ScheduleStep) -> schedule.Planned:
    return schedule.Planned(
        step.kind, step.planned_start, step.planned_end, step.actual_start, step.actual_end
    )


@transaction.atomic
def move_opening(site: Site, target: date, user) -> int:
    """Move the site's opening date to ``target``: every open step's plan moves by as much;
    done steps keep their dates. Returns how many steps moved."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    steps = list(site.steps.order_by("order"))
    old = site.target_open_date or (steps[-1].planned_end if steps else target)
    before = [planned(step) for step in steps]
    after = schedule.reschedule(before, old, target)
    changed = []
    for step, new in zip(steps, after, strict=True):
        if (new.start, new.end) != (step.planned_start, step.planned_end):
            step.planned_start, step.planned_end, step.marked_by = new.start, new.end, user
            changed.append(step)
    ScheduleStep.objects.bulk_update(changed, ["planned_start", "planned_end", "marked_by"])
    site.target_open_date = target
    site.save(update_fields=["target_open_date"])
    return len(changed)


def starts_works(step: ScheduleStep, actual_start: date | None, actual_end: date | None) -> bool:
    """Whether marking ``step`` so needs the gate open: the start step marked started or done
    with dates it does not have yet (clearing a mark made by mistake needs nothing)."""
    marked = actual_start is not None or actual_end is not None
    changed = (actual_start, actual_end) != (step.actual_start, step.actual_end)
    return step.kind == START_STEP and marked and changed


@transaction.atomic
def mark(step: ScheduleStep, actual_start: date | None, actual_end: date | None, user, today):
    """Record when ``step`` really started and finished. Raises GateClosed for the start
    step while works.gate.missing(site) says the works may not start, and ValueError (its
    code from works.schedule.mark_problem) for dates in the future or out of order."""
    problem = schedule.mark_problem(actual_start, actual_end, today)
    if problem:
        raise ValueError(problem)
    if starts_works(step, actual_start, actual_end):
        wanting = gate.missing(step.site)
        if wanting:
            raise gate.GateClosed(wanting)
    step.actual_start, step.actual_end, step.marked_by = actual_start, actual_end, user
    step.save(update_fields=["actual_start", "actual_end", "marked_by"])
    return step


def late_steps(campaign, today: date) -> list[ScheduleStep]:
    """The campaign's steps past their planned end and not done, the longest late first. One
    query."""
    return list(
        ScheduleStep.objects.filter(
            site__elevator__unit__building__campaign=campaign,
            actual_end__isnull=True,
            planned_end__lt=today,
        )
        .select_related("site__elevator__unit__building", "responsible")
        .order_by("planned_end", "site", "order")
    )


def overdue_actions(campaign, today: date) -> list[ActionItem]:
    """The campaign's stand-up actions past their due date and still open. One query."""
    return list(
        ActionItem.objects.overdue(today)
        .filter(stand_up__campaign=campaign)
        .select_related("owner", "stand_up")
    )


# --- the timeline ------------------------------------------------------------------------------

ROW_HEIGHT = 30
LABEL_WIDTH = 120
CHART_WIDTH = 760
TOP = 40


@dataclass
class Bar:
    step: ScheduleStep
    state: str
    x: float
    width: float
    actual_x: float | None = None
    actual_width: float = 0.0

    @property
    def label(self) -> str:
        return StepState(self.state).label


@dataclass
class Row:
    site: Site
    y: int
    bars: list[Bar] = field(default_factory=list)

    @property
    def late(self) -> list[Bar]:
        return [bar for bar in self.bars if bar.state == StepState.LATE]


@dataclass
class Timeline:
    rows: list[Row]
    scale: schedule.Scale | None
    today: date
    height: int
    width: int = LABEL_WIDTH + CHART_WIDTH + 10

    @property
    def today_x(self) -> float | None:
        if self.scale and self.scale.first <= self.today <= self.scale.last:
            return self.scale.x(self.today)
        return None

    @property
    def months(self) -> list[tuple[date, float]]:
        return [(day, self.scale.x(day)) for day in self.scale.months()] if self.scale else []


def timeline(sites, today: date, shown=None) -> Timeline:
    """Every site's steps as bars on one scale: planned above, actual (to today while in
    progress) below; two queries for any number of sites (``sites`` unevaluated). ``shown``,
    if given, says which sites to draw (those the user may see)."""
    sites = [
        site
        for site in sites.prefetch_related(
            Prefetch("steps", ScheduleStep.objects.select_related("responsible").order_by("order"))
        )
        if shown is None or shown(site)
    ]
    days = [today]
    for site in sites:
        for step in site.steps.all():
            days += [step.planned_start, step.planned_end]
            days += [d for d in (step.actual_start, step.actual_end) if d]
    scale = schedule.scale_for(days, LABEL_WIDTH, CHART_WIDTH) if len(days) > 1 else None
    rows = []
    for n, site in enumerate(sites):
        row = Row(site, TOP + n * ROW_HEIGHT)
        for step in site.steps.all():
            x, width = scale.span(step.planned_start, step.planned_end)
            bar = Bar(step, step.state_on(today), x, width)
            if step.actual_start:
                bar.actual_x, bar.actual_width = scale.span(
                    step.actual_start, step.actual_end or today
                )
            row.bars.append(bar)
        rows.append(row)
    return Timeline(rows, scale, today, TOP + len(rows) * ROW_HEIGHT + 20)


@dataclass
class PublicStep:
    """What residents see of a step: its name, plan, real dates, state and party."""

    name: str
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None
    state: str
    party: str


@dataclass
class PublicSite:
    name: str
    target_open_date: date | None
    steps: list[PublicStep]

    @property
    def current(self) -> PublicStep | None:
        """Today's step: the first not done."""
        return next((s for s in self.steps if s.state != StepState.DONE), None)


def public_timeline(campaign, today: date | None = None) -> list[PublicSite]:
    """Each elevator's schedule as residents see it, planned against actual: step names,
    dates, states and the responsible party's name, never a person. One query."""
    today = today or timezone.localdate()
    steps = (
        ScheduleStep.objects.filter(site__elevator__unit__building__campaign=campaign)
        .select_related("site__elevator__unit__building", "responsible")
        .order_by(*[f"site__{key}" for key in Site._meta.ordering], "site", "order")
    )
    sites: dict[int, PublicSite] = {}
    for step in steps:
        if step.site_id not in sites:
            sites[step.site_id] = PublicSite(str(step.site), step.site.target_open_date, [])
        sites[step.site_id].steps.append(
            PublicStep(
                step.get_kind_display(),
                step.planned_start,
                step.planned_end,
                step.actual_start,
                step.actual_end,
                step.state_on(today),
                step.responsible.name if step.responsible else "",
            )
        )
    return list(sites.values())


def late_work(user, campaign, today: date) -> dict:
    """What the dashboard and the daily summary list as behind (works/schedule/_late.html):
    the late steps for everyone who may see the schedules; the overdue stand-up actions for
    those who may see the stand-ups. At most two queries."""
    return {
        "late_steps": late_steps(campaign, today)
        if may(user, "works.view_schedulestep", campaign)
        else [],
        "overdue_actions": overdue_actions(campaign, today)
        if may(user, "works.view_standup", campaign)
        else [],
    }
