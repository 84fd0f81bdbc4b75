"""How fast faults were answered and fixed, as the public page shows it: counts and median
times per elevator, computed from plain timestamps (nothing about who reported what)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import ngettext


def median(values: Sequence[timedelta]) -> timedelta | None:
    """The middle value (the mean of the two middle ones for an even count); None for none.
    Whole microseconds, as timedelta keeps them, rounded half to even."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class ResponseTimes:
    reported: int
    answered: int
    fixed: int
    median_to_answer: timedelta | None
    median_to_fix: timedelta | None

    @property
    def open(self) -> int:
        return self.reported - self.fixed


def response_times(
    faults: Iterable[tuple[datetime, datetime | None, datetime | None]],
) -> ResponseTimes:
    """From (reported, answered, fixed) times: how many were reported, answered and fixed, and
    the median time from report to answer and from report to fix of those that were."""
    to_answer, to_fix, reported = [], [], 0
    for reported_at, answered_at, fixed_at in faults:
        reported += 1
        if answered_at is not None:
            to_answer.append(answered_at - reported_at)
        if fixed_at is not None:
            to_fix.append(fixed_at - reported_at)
    return ResponseTimes(
        reported=reported,
        answered=len(to_answer),
        fixed=len(to_fix),
        median_to_answer=median(to_answer),
        median_to_fix=median(to_fix),
    )


def in_words(duration: timedelta | None) -> str:
    """A duration as the public page says it: minutes under two hours, hours under two days,
    else days (each rounded to the nearest)."""
    if duration is None:
        return "—"
    minutes = round(duration.total_seconds() / 60)
    if minutes < 120:
        return ngettext("%(n)d 分钟", "%(n)d 分钟", minutes) % {"n": minutes}
    hours = round(minutes / 60)
    if hours < 48:
        return ngettext("%(n)d 小时", "%(n)d 小时", hours) % {"n": hours}
    days = round(minutes / (24 * 60))
    return ngettext("%(n)d 天", "%(n)d 天", days) % {"n": days}
