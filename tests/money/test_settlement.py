"""The final settlement: every share recomputed with the published rule's own allocation, the
differences adding up to the change in cost, published on the public page and the cost sheet."""

import shutil
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from consultations.models import Proposal
from money.models import Entry, Settlement
from money.models.settlement import SettlementError, reallocate
from tests.factories import make_user, make_voted_unit
from tests.money.pdfs import read_pdf

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pdftotext", "pdffonts")),
    reason="needs poppler-utils (make test)",
)
D = Decimal


def settle(proposal, final_cost) -> Settlement:
    settlement = Settlement(proposal=proposal, entered_by=make_user())
    settlement.set_final_cost(D(final_cost))
    settlement.save()
    return settlement


def test_at_the_quoted_cost_every_household_keeps_the_share_it_signed(voted):
    lines = reallocate(voted.proposal, voted.proposal.self_funded)
    assert all(line.final == line.planned for line in lines)


def test_the_residents_absorb_the_change_and_the_subsidy_and_fund_stay(voted):
    settlement = settle(voted.proposal, "418800.00")
    assert (settlement.subsidy, settlement.maintenance_fund) == (D("150000.00"), D("120000.00"))
    assert settlement.self_funded == voted.proposal.self_funded - D("1200.00")
    lines = settlement.lines()
    assert sum(line.final for line in lines) == settlement.self_funded
    assert sum(line.change for line in lines) == D("-1200.00")


class TestRecomputation(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.unit, cls.households, cls.proposal = make_voted_unit(["agree"] * 7)

    @settings(max_examples=25, deadline=None)
    @given(st.integers(min_value=0, max_value=80_000_000))
    def test_shares_add_up_to_the_cent_and_differences_to_the_change_in_cost(self, final_cents):
        final = D(final_cents) / 100
        parts = Settlement(proposal=self.proposal)
        parts.set_final_cost(final)
        lines = reallocate(self.proposal, parts.self_funded)
        assert sum(line.final for line in lines) == parts.self_funded
        assert parts.subsidy + parts.maintenance_fund + parts.self_funded == final
        assert sum(line.change for line in lines) == parts.self_funded - self.proposal.self_funded
        assert all(line.final >= 0 for line in lines)


def test_a_fixed_amount_rule_is_scaled_in_proportion_to_the_signed_amounts(db):
    _unit, _households, proposal = make_voted_unit(["agree"] * 3)
    Proposal.objects.filter(pk=proposal.pk).update(rule=Proposal.Rule.FIXED)
    proposal.refresh_from_db()
    lines = reallocate(proposal, proposal.self_funded * 2)
    assert [line.final for line in lines] == [line.planned * 2 for line in lines]


def test_publishing_writes_the_final_shares_once_and_freezes_the_settlement(voted):
    settlement = settle(voted.proposal, "420600.00")
    settlement.publish()
    assert settlement.shares.count() == len(voted.households)
    with pytest.raises(SettlementError):
        settlement.publish()
    settlement.final_cost = D("1.00")
    with pytest.raises(SettlementError):
        settlement.save()


def test_the_secretary_enters_and_publishes_and_a_refund_goes_through_the_ledger(voted):
    household = voted.households[0]
    share = voted.proposal.shares.get(household=household).amount
    Entry.objects.record(
        household=household, by=make_user(), amount=share, paid_on=date(2026, 5, 1), method="cash"
    )
    url = reverse("money:settlement", args=[voted.unit.pk])
    assert voted.worker.post(url, {"final_cost": "400000.00"}).status_code == 403
    assert voted.secretary.post(url, {"final_cost": "-1"}).status_code == 422
    assert voted.secretary.post(url, {"final_cost": "418800.00"}).status_code == 302
    page = voted.worker.get(url).content.decode()
    assert "应退 / 应补" in page and "退" in page
    publish = reverse("money:publish_settlement", args=[voted.unit.pk])
    assert voted.secretary.post(publish).status_code == 302
    settled = Settlement.objects.get().shares.get(household=household)
    refund = share - settled.amount
    assert refund > 0
    response = voted.secretary.post(
        reverse("money:record_entry", args=[household.pk]),
        {
            "kind": "refund",
            "paid_by": "household",
            "amount": str(refund),
            "paid_on": "2026-09-01",
            "method": "transfer",
        },
    )
    assert response.status_code == 302
    public = voted.worker.get(reverse("public_campaign", args=[voted.unit.building.campaign.slug]))
    text = public.content.decode()
    assert "¥418,800.00" in text and "¥420,000.00" in text  # quote and final, side by side


@needs_poppler
def test_the_cost_sheet_shows_the_settled_share(voted, tmp_path):
    settle(voted.proposal, "418800.00").publish()
    household = voted.households[2]
    settled = Settlement.objects.get().shares.get(household=household)
    sheet = voted.worker.get(reverse("consultations:cost_sheet", args=[household.pk])).content
    _fonts, text = read_pdf(sheet, tmp_path)
    assert "决算" in text and f"¥{settled.amount:,.2f}" in text and "¥418,800.00" in text
