"""The matters a proposal puts to the owners: each with its Art. 278 item and a rule no weaker
than the law's, fixed once published."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from campaigns.models import ConsentRule
from consultations.models import Item, Matter
from consultations.models.matters import LEGAL_RULE, STRICTNESS, at_least_as_strict
from consultations.models.proposals import ProposalLocked
from tests.factories import (
    make_building,
    make_campaign,
    make_elevator,
    make_household,
    make_matter,
    make_proposal,
    make_unit,
)

pytestmark = pytest.mark.django_db


def a_proposal_with_a_household():
    proposal = make_proposal()
    make_household(unit=proposal.elevator.unit)
    return proposal


RULES = [rule.value for rule in ConsentRule]


@given(item=st.sampled_from(list(Item)), rule=st.sampled_from(RULES))
def test_a_rule_is_allowed_exactly_when_it_is_at_least_the_law_s(item, rule):
    stricter = STRICTNESS.index(ConsentRule(rule)) >= STRICTNESS.index(LEGAL_RULE[item])
    assert at_least_as_strict(rule, item) is stricter


def test_the_law_asks_three_quarters_for_items_6_to_8_and_a_majority_for_5_and_9():
    assert {item: LEGAL_RULE[item] for item in Item} == {
        Item.USE_FUND: "majority",
        Item.RAISE_FUND: "three_quarters",
        Item.ALTER: "three_quarters",
        Item.CHANGE_USE: "three_quarters",
        Item.OTHER: "majority",
    }


def test_a_matter_may_not_ask_less_than_its_item_needs():
    matter = Matter(proposal=make_proposal(), number=1, item=Item.ALTER, rule="majority", title="x")
    with pytest.raises(ValidationError) as refused:
        matter.clean()
    assert "rule" in refused.value.message_dict


def test_the_campaign_may_demand_unanimity_for_a_matter_the_law_lets_pass_by_majority():
    matter = Matter(proposal=make_proposal(), number=1, item=Item.USE_FUND, rule="unanimous")
    matter.clean()  # no error


def test_a_draft_that_names_no_matter_asks_one_under_the_campaign_s_rule():
    campaign = make_campaign(consent_rule="three_quarters")
    unit = make_unit(building=make_building(campaign=campaign))
    proposal = make_proposal(elevator=make_elevator(unit=unit))
    (matter,) = proposal.ballot()
    assert (matter.pk, matter.number, matter.item, matter.rule) == (
        None,
        1,
        Item.ALTER,
        "three_quarters",
    )


def test_a_majority_campaign_s_default_matter_is_using_the_fund_which_a_majority_may_pass():
    proposal = make_proposal()  # the factory's campaign decides by majority
    (matter,) = proposal.ballot()
    assert (matter.item, matter.rule) == (Item.USE_FUND, "majority")
    matter.clean()


def test_publishing_stores_the_default_matter_so_what_was_asked_never_changes():
    proposal = a_proposal_with_a_household()
    proposal.publish()
    proposal.elevator.unit.building.campaign.consent_rule = "unanimous"
    proposal.elevator.unit.building.campaign.save()
    assert [(m.number, m.rule) for m in proposal.matters.all()] == [(1, "majority")]


def test_a_published_proposal_s_matters_can_be_neither_changed_nor_removed_nor_added():
    proposal = a_proposal_with_a_household()
    matter = make_matter(proposal, 1, Item.USE_FUND, "majority")
    proposal.publish()
    matter.title = "changed"
    with pytest.raises(ProposalLocked):
        matter.save()
    with pytest.raises(ProposalLocked):
        matter.delete()
    with pytest.raises(ProposalLocked):
        make_matter(proposal, 2, Item.ALTER, "unanimous")


def test_a_new_draft_asks_what_the_last_version_asked():
    proposal = a_proposal_with_a_household()
    make_matter(proposal, 1, Item.USE_FUND, "majority", "使用维修资金")
    make_matter(proposal, 2, Item.ALTER, "unanimous", "费用分摊方案")
    proposal.publish()
    draft = type(proposal).new_draft(proposal.elevator, by=proposal.created_by)
    assert [m.content() for m in draft.ballot()] == [m.content() for m in proposal.ballot()]


def test_a_matter_prints_its_item_and_what_it_takes_to_pass():
    matter = Matter(number=1, item=Item.USE_FUND, rule="majority", title="使用维修资金")
    assert "第五项" in matter.legal_basis
    assert "过半数" in matter.legal_basis
