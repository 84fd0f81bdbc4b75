"""Has a vote passed under Civil Code (民法典) Art. 278, and how many more households would it take?

Art. 278: owners holding at least 2/3 of the exclusive floor area AND at least 2/3 of the owner
headcount must take part (the quorum). Among those who took part, ordinary matters such as using
the maintenance fund need MORE THAN 1/2 of the area and more than 1/2 of the headcount; raising
the fund or rebuilding / altering the building or its facilities needs AT LEAST 3/4 of each. A
campaign may instead demand that every household in scope agrees.

Counting follows the Supreme People's Court interpretation on building-unit ownership: area is
the registered floor area of each unit, and headcount is one per unit (co-owners count once). Each
entry of ``units`` is one head; pass a buyer of several units as one entry with their summed area.

Those who voted, abstentions included, are the participants; "agree_not_paying" is agreement.
Pure and exact: Decimal areas in, Fractions out, never a float.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate

MAJORITY = "majority"
THREE_QUARTERS = "three_quarters"
UNANIMOUS = "unanimous"
RULES = (MAJORITY, THREE_QUARTERS, UNANIMOUS)

AGREE = "agree"
AGREE_NOT_PAYING = "agree_not_paying"
DISAGREE = "disagree"
ABSTAIN = "abstain"
DECISIONS = (AGREE, AGREE_NOT_PAYING, DISAGREE, ABSTAIN)
AGREEMENT = frozenset({AGREE, AGREE_NOT_PAYING})

QUORUM = Fraction(2, 3)
HALF = Fraction(1, 2)
THREE_QUARTER = Fraction(3, 4)


@dataclass(frozen=True)
class Tally:
    """The state of one vote. Participation shares are of the whole scope; agreement shares are
    of the participants (0 when nobody has voted). ``needed`` is the fewest non-agreeing
    households that would have to agree for the vote to pass: 0 when it passes, None when
    nothing could make it pass (an empty scope)."""

    rule: str
    participation_area: Fraction
    participation_count: Fraction
    agree_area: Fraction
    agree_count: Fraction
    quorum_met: bool
    passed: bool
    needed: int | None


@dataclass(frozen=True)
class _Sums:
    households: int
    area: Fraction
    voted: int
    voted_area: Fraction
    agreed: int
    agreed_area: Fraction


def tally(units: Iterable[tuple[Decimal, str | None]], rule: str) -> Tally:
    """Count ``units`` — ``(area, decision)`` for every household in scope, decision None for
    not voted — under ``rule``. Raises ValueError for an area of zero or less, an unknown
    decision or an unknown rule."""
    checked = _validated(units, rule)
    sums = _sums(checked)
    tipping = _tipping(checked, rule)
    return Tally(
        rule=rule,
        participation_area=_share(sums.voted_area, sums.area),
        participation_count=_share(sums.voted, sums.households),
        agree_area=_share(sums.agreed_area, sums.voted_area),
        agree_count=_share(sums.agreed, sums.voted),
        quorum_met=_quorum_met(sums),
        passed=_passes(sums, rule),
        needed=None if tipping is None else len(tipping),
    )


def tipping_households(units: Iterable[tuple[Decimal, str | None]], rule: str) -> list[int] | None:
    """Positions in ``units`` of one smallest set of non-agreeing households whose agreement
    would make the vote pass, largest area first: [] when it already passes, None when no
    change could make it pass. Raises ValueError like ``tally``."""
    return _tipping(_validated(units, rule), rule)


def _validated(units, rule) -> list[tuple[Fraction, str | None]]:
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; expected one of {RULES}")
    checked = []
    for area, decision in units:
        if isinstance(area, float):
            raise TypeError(f"area must be a Decimal, not a float ({area!r})")
        exact = Decimal(area)
        if not exact.is_finite() or exact <= 0:
            raise ValueError(f"area must be more than zero, got {area}")
        if decision is not None and decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r}; expected one of {DECISIONS} or None")
        checked.append((Fraction(exact), decision))
    return checked


def _sums(units: list[tuple[Fraction, str | None]]) -> _Sums:
    voted = [area for area, decision in units if decision is not None]
    agreed = [area for area, decision in units if decision in AGREEMENT]
    return _Sums(
        households=len(units),
        area=sum((area for area, _ in units), Fraction(0)),
        voted=len(voted),
        voted_area=sum(voted, Fraction(0)),
        agreed=len(agreed),
        agreed_area=sum(agreed, Fraction(0)),
    )


def _share(part, whole) -> Fraction:
    return Fraction(part) / whole if whole else Fraction(0)


def _quorum_met(s: _Sums) -> bool:
    return (
        s.households > 0
        and s.voted_area / s.area >= QUORUM
        and Fraction(s.voted, s.households) >= QUORUM
    )


def _passes(s: _Sums, rule: str) -> bool:
    if rule == UNANIMOUS:
        return s.households > 0 and s.agreed == s.households
    if not _quorum_met(s):
        return False
    area, count = s.agreed_area / s.voted_area, Fraction(s.agreed, s.voted)
    if rule == MAJORITY:
        return area > HALF and count > HALF
    return area >= THREE_QUARTER and count >= THREE_QUARTER


def _tipping(units: list[tuple[Fraction, str | None]], rule: str) -> list[int] | None:
    """Exact search over how many households to win from each group.

    Winning a non-voter raises participation and agreement; winning a household that disagreed
    or abstained raises agreement only. Once the number won from each group is fixed, every
    headcount is fixed and every area share (participation, and agreement (g + x) / (p + x) with
    g <= p) can only grow with the area won in each group, so the largest households of each
    group are the best choice. Trying every split of every k, smallest k first, finds the
    minimum: O(n²) checks, fast for a few hundred households.
    """
    base = _sums(units)

    def largest_first(indices):
        return sorted(indices, key=lambda i: (-units[i][0], i))

    non_voters = largest_first(i for i, (_, d) in enumerate(units) if d is None)
    dissenters = largest_first(i for i, (_, d) in enumerate(units) if d in (DISAGREE, ABSTAIN))
    nv_area = list(accumulate((units[i][0] for i in non_voters), initial=Fraction(0)))
    ds_area = list(accumulate((units[i][0] for i in dissenters), initial=Fraction(0)))
    for k in range(len(non_voters) + len(dissenters) + 1):
        # Prefer non-voters: they have not said no yet.
        for from_nv in range(min(k, len(non_voters)), max(0, k - len(dissenters)) - 1, -1):
            from_ds = k - from_nv
            trial = _Sums(
                households=base.households,
                area=base.area,
                voted=base.voted + from_nv,
                voted_area=base.voted_area + nv_area[from_nv],
                agreed=base.agreed + k,
                agreed_area=base.agreed_area + nv_area[from_nv] + ds_area[from_ds],
            )
            if _passes(trial, rule):
                return largest_first(non_voters[:from_nv] + dissenters[:from_ds])
    return None
