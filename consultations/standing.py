"""Where one unit's vote stands: the Art. 278 tally and the doors that would tip it.

Every figure comes from ``consultations.thresholds.tally`` over the unit's households and their
current answers to the published proposal; nothing here re-implements the rule.
"""

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from consultations.doors import door_status
from consultations.models import Concern, Proposal, VisitConcern
from consultations.thresholds import (
    HALF,
    MAJORITY,
    QUORUM,
    THREE_QUARTER,
    THREE_QUARTERS,
    tally,
    tipping_households,
)
from households.models import Household


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


def measures(result) -> list[Measure]:
    threshold, strict = agreement_threshold(result.rule)
    return [
        Measure(_("参与表决的专有面积"), result.participation_area, QUORUM, False),
        Measure(_("参与表决的业主人数"), result.participation_count, QUORUM, False),
        Measure(_("同意的面积（占参与表决）"), result.agree_area, threshold, strict),
        Measure(_("同意的人数（占参与表决）"), result.agree_count, threshold, strict),
    ]


def unit_standing(unit) -> dict:
    """Everything the unit's consent page shows, in a fixed number of queries."""
    campaign = unit.building.campaign
    proposal = Proposal.objects.published().filter(elevator__unit=unit).first()
    households = list(Household.objects.filter(unit=unit).order_by("floor", "room"))
    for household in households:
        household.status = door_status(household)
    votes = [(h.area, h.decision or None) for h in households]
    result = tally(votes, campaign.consent_rule)
    tipping = [households[i] for i in (tipping_households(votes, campaign.consent_rule) or [])]
    concerns = Counter(
        VisitConcern.objects.filter(visit__household__in=[h.pk for h in tipping]).values_list(
            "visit__household", "concern"
        )
    )
    for household in tipping:
        household.concerns = [
            Concern(concern).label for (pk, concern) in concerns if pk == household.pk
        ]
    return {
        "campaign": campaign,
        "rule": campaign.rule,
        "proposal": proposal,
        "tally": result,
        "measures": measures(result),
        "households": households,
        "tipping": tipping,
    }


def tallies_by_unit(units, rule_of) -> dict[int, object]:
    """The Art. 278 tally of each unit, from one query over all their households.

    ``rule_of(unit)`` names the rule (the unit's campaign's). Decisions are the current answers
    to each unit's published proposal, exactly as on the unit's own page.
    """
    votes: dict[int, list] = {unit.pk: [] for unit in units}
    rows = Household.objects.filter(unit__in=list(votes)).values_list("unit", "area", "decision")
    for unit_id, area, vote in rows:
        votes[unit_id].append((area, vote or None))
    return {unit.pk: tally(votes[unit.pk], rule_of(unit)) for unit in units}
