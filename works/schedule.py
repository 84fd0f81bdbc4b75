"""The reverse schedule (倒排工期) as plain arithmetic on dates: the template of steps, counting
back from the target opening date, moving the open steps when that date moves, each step's
state on a day, and the scale the timeline is drawn on. No database: works.scheduling stores
what this computes.

Dates are inclusive: a step of 3 days planned from 1 May ends on 3 May, and the next step
starts on 4 May. The last step (开通) ends on the target opening date.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta

# The steps of every schedule (works.models.StepKind, in its order) with their default length
# in days, for replacing the lift of an occupied 6–11 floor residential unit (老旧小区电梯更新):
# survey and design take about three weeks (measuring the shaft and machine room, the
# structural check, drawings and the special-equipment construction notice, 施工告知); the
# contract with the elevator company a fortnight of review and signing; mobilising three days
# (fencing, material route, noise notice); tearing out the old lift a week; installing the new
# one (rails, car, machine, landing doors on every floor) about five weeks; commissioning ten
# days; the supervision inspection (监督检验) by the special-equipment institute about two
# weeks with booking and corrections; registration for use (使用登记) a week; and the opening
# day. About four months in all, of which residents climb the stairs for about nine weeks
# (拆除 to 开通), the figure the group chat asks about first.
TEMPLATE: tuple[tuple[str, int], ...] = (
    ("survey_design", 21),
    ("contract", 14),
    ("mobilise", 3),
    ("demolish", 7),
    ("install", 35),
    ("commission", 10),
    ("inspection", 14),
    ("registration", 7),
    ("opening", 1),
)
DAY = timedelta(days=1)

NOT_STARTED, IN_PROGRESS, DONE, LATE = "not_started", "in_progress", "done", "late"


@dataclass(frozen=True)
class Planned:
    """One step's plan and what really happened (actual dates are None until marked)."""

    kind: str
    start: date
    end: date
    actual_start: date | None = None
    actual_end: date | None = None

    @property
    def done(self) -> bool:
        return self.actual_end is not None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def plan(target: date, template: tuple[tuple[str, int], ...] = TEMPLATE) -> list[Planned]:
    """The steps of ``template``, in order, counted back from ``target``: each ends the day
    before the next starts, and the last ends on ``target``. Every length is at least a day."""
    steps: list[Planned] = []
    end = target
    for kind, days in reversed(template):
        if days < 1:
            raise ValueError(f"A step lasts at least one day, not {days} ({kind})")
        start = end - timedelta(days=days - 1)
        steps.append(Planned(kind, start, end))
        end = start - DAY
    return steps[::-1]


def reschedule(steps: list[Planned], old_target: date, new_target: date) -> list[Planned]:
    """The steps after the opening date moved from ``old_target`` to ``new_target``: every open
    (not done) step's plan moves by exactly as much, keeping its length and any change made
    by hand; a done step keeps its dates. Actual dates never move."""
    move = new_target - old_target
    return [
        step if step.done else replace(step, start=step.start + move, end=step.end + move)
        for step in steps
    ]


def moved(before: list[Planned], after: list[Planned]) -> int:
    """How many steps' plans differ between ``before`` and ``after`` (the same steps)."""
    return sum((a.start, a.end) != (b.start, b.end) for a, b in zip(before, after, strict=True))


def state(
    planned_end: date, actual_start: date | None, actual_end: date | None, today: date
) -> str:
    """Done once finished; late when its planned end has passed unfinished; in progress once
    started; else not started (the values of works.models.StepState, as
    ScheduleStep.state_on says it)."""
    if actual_end is not None:
        return DONE
    if today > planned_end:
        return LATE
    if actual_start is not None:
        return IN_PROGRESS
    return NOT_STARTED


def mark_problem(actual_start: date | None, actual_end: date | None, today: date) -> str | None:
    """Why these actual dates cannot be recorded, as a code, or None when they can: no date in
    the future ("future"), no end without a start ("end_without_start"), no end before the
    start ("end_before_start")."""
    if any(day is not None and day > today for day in (actual_start, actual_end)):
        return "future"
    if actual_end is not None and actual_start is None:
        return "end_without_start"
    if actual_end is not None and actual_end < actual_start:
        return "end_before_start"
    return None


@dataclass(frozen=True)
class Scale:
    """Days drawn as x coordinates: ``first`` at ``left``, a day ``day_width`` wide, so a step
    from ``a`` to ``b`` (inclusive) spans ``x(a)`` to ``x(b + 1 day)``."""

    first: date
    last: date
    left: float
    width: float

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def day_width(self) -> float:
        return self.width / self.days

    def x(self, day: date) -> float:
        return round(self.left + (day - self.first).days * self.day_width, 1)

    def span(self, start: date, end: date) -> tuple[float, float]:
        """The x and width of a bar from ``start`` to ``end`` inclusive, clipped to the scale."""
        start, end = max(start, self.first), min(end, self.last)
        if end < start:
            return self.x(start), 0.0
        x = self.x(start)
        return x, round(self.x(end + DAY) - x, 1)

    def months(self) -> list[date]:
        """The first of every month inside the scale, for the grid lines."""
        day = date(self.first.year, self.first.month, 1)
        firsts = []
        while day <= self.last:
            if day >= self.first:
                firsts.append(day)
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return firsts


def scale_for(days: list[date], left: float, width: float) -> Scale:
    """The scale that shows every day in ``days`` (at least one), with a few days' margin."""
    first, last = min(days) - 3 * DAY, max(days) + 3 * DAY
    return Scale(first, last, left, width)
