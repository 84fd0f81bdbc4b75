from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Role
from tests.factories import (
    make_assignment,
    make_consent,
    make_elevator,
    make_household,
    make_proposal,
    make_visit,
)

pytestmark = pytest.mark.django_db


def unit_with_votes(decisions: list[str | None], rule: str = "majority"):
    """A worker's unit with one household per decision (None: has not signed)."""
    assignment = make_assignment()
    unit = assignment.unit
    Campaign.objects.filter(pk=unit.building.campaign_id).update(consent_rule=rule)
    proposal = make_proposal(elevator=make_elevator(unit=unit), status="published")
    households = []
    for i, decision in enumerate(decisions):
        household = make_household(
            unit=unit, floor=i % 10 + 1, room=f"{i % 10 + 1}{i:02d}", area=Decimal(60 + i)
        )
        if decision:
            make_consent(household=household, proposal=proposal, decision=decision)
        households.append(household)
    return assignment.user, unit, households


def page(client, user, unit):
    client.force_login(user)
    return client.get(reverse("consultations:unit_consent", args=[unit.pk]))


def test_the_unit_page_shows_the_rule_with_its_legal_basis_and_the_tally(client):
    user, unit, _ = unit_with_votes(["agree", "agree", "disagree", None])
    response = page(client, user, unit)
    assert response.status_code == 200
    assert "民法典" in response.text and "第二百七十八条" in response.text
    [result] = response.context["vote"].results
    tally = result.tally
    assert tally.participation_count == Fraction(3, 4)
    assert tally.quorum_met
    assert tally.agree_count == Fraction(2, 3)
    assert tally.passed


def test_what_it_still_takes_lists_the_doors_that_would_tip_it(client):
    user, unit, _households = unit_with_votes(["agree", "disagree", None, None, None, None])
    response = page(client, user, unit)
    [result] = response.context["vote"].results
    assert not result.passed
    assert len(result.tipping) == result.needed > 0
    assert all(head.decision != "agree" for head in result.tipping)
    for head in result.tipping:
        [household] = head.households
        assert household.get_absolute_url() in response.text


def test_the_tipping_list_shows_each_households_concerns(client):
    user, unit, households = unit_with_votes(["agree", None])
    visit = make_visit(household=households[1], attitude="undecided")
    visit.concerns.create(concern="cost")
    response = page(client, user, unit)
    [head] = response.context["vote"].results[0].tipping
    assert [h.pk for h in head.households] == [households[1].pk]
    assert head.households[0].concerns == ["费用分摊"]


def test_a_unanimous_campaign_says_so(client):
    user, unit, _ = unit_with_votes(["agree", "agree", "abstain"], rule="unanimous")
    response = page(client, user, unit)
    assert not response.context["vote"].passed
    assert response.context["vote"].needed == 1
    assert "全体同意" in response.text


def test_a_stranger_gets_404_and_the_secretary_sees_the_unit(client):
    _user, unit, _ = unit_with_votes(["agree"])
    client.force_login(make_assignment().user)
    assert client.get(reverse("consultations:unit_consent", args=[unit.pk])).status_code == 404
    community = unit.building.campaign.community
    secretary = make_assignment(role=Role.SECRETARY, community=community).user
    assert page(client, secretary, unit).status_code == 200


@pytest.mark.parametrize("size", [4, 40])
def test_the_unit_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    user, unit, _ = unit_with_votes(["agree", None] * (size // 2))
    client.force_login(user)
    with django_assert_max_num_queries(12):
        client.get(reverse("consultations:unit_consent", args=[unit.pk]))
