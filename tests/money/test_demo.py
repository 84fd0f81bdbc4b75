"""seed_money_demo: one unit's money complete, as the demo will show it."""

from decimal import Decimal

import pytest

from campaigns.models import Unit
from money.accounts import unit_accounts
from money.demo import seed_money_demo
from money.fund import fund_lines
from money.models import Books, Entry, FundApplication

pytestmark = pytest.mark.django_db


def test_the_demo_unit_draws_the_fund_after_a_notice_is_paid_up_and_settled_with_a_refund(demo):
    unit = Unit.objects.select_related("building__campaign").get(
        building__campaign=demo.campaign, building__name="1栋", name="1单元"
    )
    settlement = seed_money_demo(demo.campaign, unit)

    application = FundApplication.objects.get(proposal=settlement.proposal)
    assert application.notice_end < application.approved_on
    lines = fund_lines(settlement.proposal, Books.of(demo.campaign))
    assert sum(line.needs_top_up for line in lines) == 1  # one account must be topped up
    assert settlement.is_published
    assert settlement.final_cost < settlement.proposal.total_cost
    money = unit_accounts([unit])[0]
    assert money.reconciliation().settled  # subsidy + fund + payments + other cover = cost
    assert all(each.outstanding == 0 for each in money.households)
    entries = Entry.objects.filter(household__unit=unit)
    assert entries.filter(paid_by=Entry.PaidBy.COMMUNITY_FUND, kind="payment").count() == 1
    assert entries.filter(kind="reversal").count() == 1
    assert entries.filter(kind="refund").exists()
    # gapless across the campaign (the demo's completed unit was given receipts first)
    campaign_entries = Entry.objects.filter(
        household__unit__building__campaign=unit.building.campaign_id
    )
    numbers = sorted(campaign_entries.values_list("receipt_number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert sum(e.amount for e in entries.filter(kind="refund")) == -Decimal(
        settlement.proposal.total_cost - settlement.final_cost
    )
