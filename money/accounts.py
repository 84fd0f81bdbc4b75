"""What each household owes and has been paid, unit by unit, in a fixed number of queries.

A household's due is its share of the unit's published proposal (``Share.amount``), or, once
the settlement is published, its final share (``SettledShare.amount``). What it has been paid
comes from the ledger, split into what the household paid itself and what others covered.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from campaigns.models import Unit
from consultations.models import Decision, Proposal, Share
from households.models import Household
from money import ledger
from money.models import Entry, SettledShare, Settlement
from money.models.settlement import released_fund

ZERO = Decimal("0.00")


@dataclass
class HouseholdMoney:
    household: Household
    due: Decimal
    paid: Decimal = ZERO  # by the household itself, net of refunds and reversals
    covered: Decimal = ZERO  # by another household, a donor or the community fund

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.paid - self.covered

    @property
    def to_refund(self) -> Decimal:
        return max(-self.outstanding, ZERO)

    @property
    def agreed_not_paying(self) -> bool:
        return self.household.decision == Decision.AGREE_NOT_PAYING


@dataclass
class UnitMoney:
    unit: Unit
    proposal: Proposal
    settlement: Settlement | None
    households: list[HouseholdMoney] = field(default_factory=list)

    @property
    def settled(self) -> bool:
        return self.settlement is not None and self.settlement.is_published

    @property
    def cost(self) -> Decimal:
        return self.settlement.final_cost if self.settled else self.proposal.total_cost

    @property
    def subsidy(self) -> Decimal:
        return self.settlement.subsidy if self.settled else self.proposal.subsidy

    @property
    def fund(self) -> Decimal:
        return self.settlement.maintenance_fund if self.settled else self.proposal.maintenance_fund

    def reconciliation(self) -> ledger.Reconciliation:
        lines = [ledger.Line(ledger.PAYMENT, h.paid) for h in self.households if h.paid]
        lines += [
            ledger.Line(ledger.PAYMENT, h.covered, "other") for h in self.households if h.covered
        ]
        dues = [h.due for h in self.households]
        return ledger.reconcile(self.cost, self.subsidy, self.fund, dues, lines)

    @property
    def outstanding(self) -> Decimal:
        return sum((h.outstanding for h in self.households if h.outstanding > 0), ZERO)

    @property
    def owing(self) -> list[HouseholdMoney]:
        return [h for h in self.households if h.outstanding > 0]


def unit_accounts(units) -> list[UnitMoney]:
    """The money of each of ``units`` that has a published proposal, in six queries."""
    ids = [unit.pk for unit in units]
    proposals = {
        p.elevator.unit_id: p
        for p in Proposal.objects.published()
        .filter(elevator__unit__in=ids)
        .select_related("elevator__unit__building", "fund_application")
    }
    settlements = {
        s.proposal_id: s for s in Settlement.objects.filter(proposal__in=list(proposals.values()))
    }
    final = {
        (s.settlement.proposal_id, s.household_id): s.amount
        for s in SettledShare.objects.filter(
            settlement__in=[s for s in settlements.values() if s.is_published]
        ).select_related("settlement")
    }
    shares = (
        Share.objects.filter(proposal__in=list(proposals.values()))
        .select_related("household")
        .order_by("household__floor", "household__room", "household__pk")
    )
    received: dict[tuple[int, bool], Decimal] = {}
    rows = (
        Entry.objects.filter(household__unit__in=ids)
        .values("household", "paid_by")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        key = (row["household"], row["paid_by"] == ledger.HOUSEHOLD)
        received[key] = received.get(key, ZERO) + row["total"]
    by_unit: dict[int, UnitMoney] = {}
    for unit in units:
        proposal = proposals.get(unit.pk)
        if proposal is not None:
            by_unit[unit.pk] = UnitMoney(unit, proposal, settlements.get(proposal.pk))
    for share in shares:
        money = by_unit[share.household.unit_id]
        due = final.get((share.proposal_id, share.household_id), share.amount)
        money.households.append(
            HouseholdMoney(
                share.household,
                due,
                received.get((share.household_id, True), ZERO),
                received.get((share.household_id, False), ZERO),
            )
        )
    return list(by_unit.values())


def household_account(household: Household) -> HouseholdMoney | None:
    """One household's money (None without a published proposal for its unit)."""
    for unit_money in unit_accounts([household.unit]):
        for each in unit_money.households:
            if each.household.pk == household.pk:
                return each
    return None


__all__ = ["HouseholdMoney", "UnitMoney", "household_account", "released_fund", "unit_accounts"]
