"""Where one unit's vote stands: the Art. 278 tally of each matter and the owners who would tip it.

Every count in the portal comes from here, and every figure here comes from
``consultations.thresholds``: for each matter of the unit's published proposal
(``Proposal.ballot``), the unit's flats as ``(area, owner key, answer on that matter)`` go
through ``heads`` (one buyer of several flats, co-owners, the developer's unsold flats each
count once) and then ``tally`` under the matter's rule. The answers are the households'
in-force consents (``Consent.decision_on``); ``Household.decision`` is only the door list's
summary and is not counted. A unit passes when every matter passes.

One owner who gave different answers on two flats (flats signed separately and linked as one
person later) cannot be counted: that matter shows which flats disagree and the unit does not
pass until the answers are made consistent. Nothing here re-implements the rule.

A unit without a published proposal is counted as before, under the campaign's rule with no
answers, so its bars read zero.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from campaigns.models import ConsentRule
from consultations.doors import door_status
from consultations.models import Concern, Consent, Decision, Matter, Proposal, VisitConcern
from consultations.thresholds import (
    HALF,
    MAJORITY,
    QUORUM,
    THREE_QUARTER,
    THREE_QUARTERS,
    Tally,
    heads,
    tally,
    tipping_households,
)
from households.models import Household, Owner


@dataclass(frozen=True)
class Measure:
    """One bar: a share against the threshold it must reach."""

    label: str
    value: Fraction
    threshold: Fraction
    strictly_above: bool

    @property
    def met(self) -> bool:
        return self.value > self.threshold if self.strictly_above else self.value >= self.threshold

    @property
    def percent(self) -> str:
        return f"{float(self.value) * 100:.1f}"

    @property
    def threshold_percent(self) -> str:
        return f"{float(self.threshold) * 100:.1f}"


def agreement_threshold(rule: str) -> tuple[Fraction, bool]:
    if rule == MAJORITY:
        return HALF, True
    if rule == THREE_QUARTERS:
        return THREE_QUARTER, False
    return Fraction(1), False


def measures(result: Tally) -> list[Measure]:
    threshold, strict = agreement_threshold(result.rule)
    return [
        Measure(_("参与表决的专有面积"), result.participation_area, QUORUM, False),
        Measure(_("参与表决的业主人数"), result.participation_count, QUORUM, False),
        Measure(_("同意的面积（占参与表决）"), result.agree_area, threshold, strict),
        Measure(_("同意的人数（占参与表决）"), result.agree_count, threshold, strict),
    ]


NOT_SIGNED = _("未签字")


# --- the unit's flats, grouped into owners ---------------------------------------------------


@dataclass(frozen=True)
class Flat:
    """One household of the unit as counted: its owner key and its in-force consent."""

    household: Household
    owner_key: frozenset | None  # None: no owner recorded, a head of its own
    consent: Consent | None

    def answer(self, matter: Matter | None) -> str | None:
        if self.consent is None:
            return None
        return self.consent.decision if matter is None else self.consent.decision_on(matter.number)


def owner_groups(flats: list[Flat]) -> list[list[Flat]]:
    """The flats of each head, in the order ``heads`` gives its heads (first appearance): flats
    with one owner key together, a flat without owners alone."""
    groups: dict[object, list[Flat]] = {}
    for position, flat in enumerate(flats):
        key = position if flat.owner_key is None else ("owner", flat.owner_key)
        groups.setdefault(key, []).append(flat)
    return list(groups.values())


@dataclass(frozen=True)
class Head:
    """One owner as counted on one matter: their flats in the unit, area and answer."""

    households: list[Household]
    area: Decimal
    decision: str | None

    @property
    def decision_label(self) -> str:
        """The owner's answer on this matter (the door's status shows only a summary)."""
        return str(Decision(self.decision).label) if self.decision else ""


# --- one matter, one unit ---------------------------------------------------------------------


@dataclass(frozen=True)
class MatterResult:
    """The count of one matter in one unit. ``tally`` is None when the count cannot be made:
    ``conflicts`` then lists the flats of the owners who gave different answers."""

    matter: Matter | None  # None: no published proposal yet (the campaign's rule)
    rule: ConsentRule
    tally: Tally | None
    conflicts: tuple[Household, ...]
    heads: tuple[Head, ...]

    @property
    def passed(self) -> bool:
        return self.tally is not None and self.tally.passed

    @property
    def needed(self) -> int | None:
        return None if self.tally is None else self.tally.needed

    @property
    def measures(self) -> list[Measure]:
        return [] if self.tally is None else measures(self.tally)

    @property
    def legal_basis(self) -> str:
        return self.rule.legal_basis if self.matter is None else self.matter.legal_basis

    @cached_property
    def tipping(self) -> list[Head]:
        """One smallest set of owners whose agreement would pass this matter, largest first."""
        if self.tally is None:
            return []
        entries = [(head.area, head.decision) for head in self.heads]
        return [self.heads[i] for i in tipping_households(entries, self.rule) or []]


def count_matter(flats: list[Flat], matter: Matter | None, rule: str) -> MatterResult:
    """``tally(heads(flats), rule)`` on this matter's answers, or the conflicting flats."""
    entries = [(f.household.area, f.owner_key, f.answer(matter)) for f in flats]
    try:
        counted = heads(entries)
    except ValueError:
        conflicts = conflicting_flats(flats, matter)
        if not conflicts:
            raise
        return MatterResult(matter, ConsentRule(rule), None, tuple(conflicts), ())
    groups = owner_groups(flats)
    assert len(groups) == len(counted)
    owners = tuple(
        Head([f.household for f in group], area, decision)
        for group, (area, decision) in zip(groups, counted, strict=True)
    )
    return MatterResult(matter, ConsentRule(rule), tally(counted, rule), (), owners)


def conflicting_flats(flats: list[Flat], matter: Matter | None) -> list[Household]:
    """The flats of every owner who answered this matter differently on two flats, each with
    ``.answer_label`` set to what it said there."""
    conflicts = []
    for group in owner_groups(flats):
        answers = {f.answer(matter) for f in group} - {None}
        if len(answers) > 1:
            for flat in group:
                answer = flat.answer(matter)
                flat.household.answer_label = Decision(answer).label if answer else NOT_SIGNED
                conflicts.append(flat.household)
    return conflicts


@dataclass(frozen=True)
class UnitVote:
    """A unit's vote: one result per matter of its published proposal. It passes when every
    matter passes; ``needed`` is the most owners any matter still needs (None when the unit has
    no households or a matter cannot be counted)."""

    proposal: Proposal | None
    results: tuple[MatterResult, ...]
    owners: int  # how many owners (heads) the unit counts

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.passed for r in self.results)

    @property
    def tallies(self) -> list[Tally | None]:
        """Each matter's tally, in ballot order (None where it cannot be counted)."""
        return [r.tally for r in self.results]

    @property
    def countable(self) -> bool:
        return all(r.tally is not None for r in self.results)

    @property
    def conflicts(self) -> list[Household]:
        """The flats that keep some matter from being counted, each once, in unit order."""
        seen: dict[int, Household] = {}
        for result in self.results:
            for household in result.conflicts:
                seen.setdefault(household.pk, household)
        return list(seen.values())

    @property
    def needed(self) -> int | None:
        wanted = [r.needed for r in self.results]
        if not wanted or None in wanted:
            return None
        return max(wanted)


def unit_vote(proposal: Proposal | None, flats: list[Flat], campaign_rule: str) -> UnitVote:
    owners = len(owner_groups(flats))
    if proposal is None:
        return UnitVote(None, (count_matter(flats, None, campaign_rule),), owners)
    matters = proposal.ballot()
    return UnitVote(proposal, tuple(count_matter(flats, m, m.rule) for m in matters), owners)


# --- loading ----------------------------------------------------------------------------------


def published_proposals(unit_ids) -> dict[int, Proposal]:
    """The published proposal of each unit, with its matters (and what ``ballot`` reads for a
    proposal published before matters existed). Two queries."""
    proposals = (
        Proposal.objects.published()
        .filter(elevator__unit__in=unit_ids)
        .select_related("elevator__unit__building__campaign")
        .prefetch_related(Prefetch("matters", queryset=Matter.objects.order_by("number")))
    )
    return {p.elevator.unit_id: p for p in proposals}


def flats_of(unit_ids, households: list[Household], proposals) -> list[Flat]:
    """Each of ``households`` (those of ``unit_ids``) with its owner key and its in-force
    consent to ``proposals``. Two queries, however many households."""
    keys = Owner.objects.keys_by_household(Household.objects.filter(unit__in=unit_ids))
    consents = {
        c.household_id: c
        for c in Consent.objects.in_force()
        .filter(household__unit__in=unit_ids, proposal__in=list(proposals))
        .only("pk", "household", "proposal", "decision", "answers")
    }
    return [Flat(h, keys.get(h.pk), consents.get(h.pk)) for h in households]


def unit_standing(unit) -> dict:
    """Everything the unit's consent page shows, in a fixed number of queries: its vote (one
    result per matter, each with the owners who would tip it) and its households."""
    campaign = unit.building.campaign
    proposal = published_proposals([unit.pk]).get(unit.pk)
    households = list(Household.objects.filter(unit=unit).order_by("floor", "room"))
    for household in households:
        household.status = door_status(household)
    flats = flats_of([unit.pk], households, [proposal] if proposal else [])
    vote = unit_vote(proposal, flats, campaign.consent_rule)
    with_concerns([h for r in vote.results for head in r.tipping for h in head.households])
    return {
        "campaign": campaign,
        "rule": campaign.rule,
        "proposal": proposal,
        "vote": vote,
        "households": households,
    }


def with_concerns(households: list[Household]) -> None:
    """Set ``.concerns`` (labels) on each household from its visits. One query."""
    pairs = Counter(
        VisitConcern.objects.filter(visit__household__in={h.pk for h in households}).values_list(
            "visit__household", "concern"
        )
    )
    for household in households:
        household.concerns = [Concern(c).label for (pk, c) in pairs if pk == household.pk]


def votes_by_unit(units, rule_of, households: list[Household] | None = None) -> dict[int, UnitVote]:
    """The vote of each unit, in five queries however many units and households (four when
    the caller passes every household of ``units`` it has loaded already).

    ``rule_of(unit)`` names the rule for a unit without a published proposal (its campaign's).
    Counted exactly as on the unit's own page.
    """
    ids = [unit.pk for unit in units]
    proposals = published_proposals(ids)
    if households is None:  # what counting needs, and the place of a flat that is listed
        households = list(
            Household.objects.filter(unit__in=ids)
            .only("pk", "unit", "floor", "room", "area")
            .order_by("unit", "floor", "room")
        )
    flats: dict[int, list[Flat]] = {pk: [] for pk in ids}
    for flat in flats_of(ids, households, proposals.values()):
        flats[flat.household.unit_id].append(flat)
    return {
        unit.pk: unit_vote(proposals.get(unit.pk), flats[unit.pk], rule_of(unit)) for unit in units
    }
