"""Has a vote passed under Civil Code (民法典) Art. 278, and how many more households would it take?

Art. 278: owners holding at least 2/3 of the exclusive floor area AND at least 2/3 of the owner
headcount must take part (the quorum). Among those who took part, ordinary matters such as using
the maintenance fund need MORE THAN 1/2 of the area and more than 1/2 of the headcount; raising
the fund or rebuilding / altering the building or its facilities needs AT LEAST 3/4 of each. A
campaign may instead demand that every household in scope agrees.

Counting follows the Supreme People's Court interpretation on building-unit ownership (法释〔2009〕7号,
arts. 8 and 9): area is the registered floor area of each exclusive part, and each part is one
head, except that co-owners count once, one buyer of several parts counts once, and the
developer's unsold parts together count once. ``heads`` turns flats with their owners' key into
those heads; each entry of ``units`` given to ``tally`` is one head.

Those who voted, abstentions included, are the participants; "agree_not_paying" is agreement.
Pure and exact: Decimal areas in, Fractions out, never a float.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Decimal, Inexact, localcontext
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


def heads(
    flats: Iterable[tuple[Decimal, Hashable | None, str | None]],
) -> list[tuple[Decimal, str | None]]:
    """The heads among ``flats`` — ``(area, owner_key, decision)`` for every flat in scope — as
    the ``(area, decision)`` entries ``tally`` takes, in the order each head first appears.

    Flats with the same ``owner_key`` (the frozenset of a person's or co-owners' ids, one key for
    all of the developer's unsold parts, one for each body) are one head: their areas summed
    exactly, their decision the one decision given among them (None if none is). A flat whose
    key is None is a head of its own. Raises TypeError for a float area, and ValueError for an
    area of zero or less, an unknown decision, or one head's flats giving different decisions.
    """
    merged: dict[object, list] = {}
    for position, (area, key, decision) in enumerate(flats):
        _checked_area(area)
        if decision is not None and decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r}; expected one of {DECISIONS} or None")
        head = merged.setdefault(position if key is None else ("owner", key), [[], None])
        head[0].append(area)
        if decision is not None:
            if head[1] is not None and head[1] != decision:
                raise ValueError(f"owner {key!r} gave two decisions: {head[1]!r} and {decision!r}")
            head[1] = decision
    return [(_exact_sum(areas), decision) for areas, decision in merged.values()]


def _exact_sum(areas: list[Decimal]) -> Decimal:
    if len(areas) == 1:
        return areas[0]
    with localcontext(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN) as exact:
        exact.traps[Inexact] = True
        return sum(areas, Decimal(0))


def _checked_area(area) -> Decimal:
    if isinstance(area, float):
        raise TypeError(f"area must be a Decimal, not a float ({area!r})")
    exact = Decimal(area)
    if not exact.is_finite() or exact <= 0:
        raise ValueError(f"area must be more than zero, got {area}")
    return exact


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
        exact = _checked_area(area)
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
