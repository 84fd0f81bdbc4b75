"""The campaign closes when every elevator is in service and every settlement is published,
whichever comes last; its public page then says it is the project's record."""

from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from money.closing import close_if_complete
from money.models import Settlement
from tests.factories import make_in_service, make_site, make_user

pytestmark = pytest.mark.django_db


def settle(proposal) -> Settlement:
    settlement = Settlement(proposal=proposal, entered_by=make_user())
    settlement.set_final_cost(proposal.total_cost - Decimal("100.00"))
    settlement.save()
    return settlement


def campaign_of(voted) -> Campaign:
    return Campaign.objects.get(pk=voted.unit.building.campaign_id)


def test_an_elevator_in_service_without_a_published_settlement_leaves_the_campaign_open(voted):
    make_in_service(make_site(elevator=voted.proposal.elevator))
    settle(voted.proposal)  # entered, not published
    assert not close_if_complete(campaign_of(voted))
    assert campaign_of(voted).status != Campaign.Status.COMPLETED


def test_a_published_settlement_before_the_opening_leaves_it_open_until_the_opening(voted):
    settle(voted.proposal).publish()
    assert campaign_of(voted).status != Campaign.Status.COMPLETED
    make_in_service(make_site(elevator=voted.proposal.elevator))  # the opening closes it
    assert campaign_of(voted).status == Campaign.Status.COMPLETED


def test_the_settlement_published_last_closes_the_campaign(voted, client):
    make_in_service(make_site(elevator=voted.proposal.elevator))
    assert campaign_of(voted).status != Campaign.Status.COMPLETED
    settle(voted.proposal).publish()
    campaign = campaign_of(voted)
    assert campaign.status == Campaign.Status.COMPLETED
    page = client.get(reverse("public_campaign", args=[campaign.slug])).text
    assert "本项目已完工" in page and "保留为项目的档案" in page


def test_a_campaign_with_an_elevator_not_yet_in_service_stays_open(voted):
    make_site(elevator=voted.proposal.elevator)
    settle(voted.proposal).publish()
    assert not close_if_complete(campaign_of(voted))
