from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from campaigns.models import Role, Unit
from consultations.models import Consent, Decision, Proposal
from households.models import Household

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("campaigns", "households", "consultations")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
    }


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_builds_the_ningkang_campaign_mid_way(demo):
    campaign = demo.campaign
    assert "老旧电梯更新" in campaign.title
    assert campaign.community.name == "宁康园社区"
    assert campaign.community.subdistrict == "沌口街道"
    assert "ready (" in demo.output and "ningkang-demo" in demo.output
    unit = Unit.objects.get(building__campaign=campaign, building__name="1栋", name="1单元")
    households = Household.objects.filter(unit=unit)
    assert households.count() == 20
    assert set(households.values_list("floor", flat=True)) == set(range(1, 11))
    assert all(60 <= h.area <= 120 for h in households)
    occupancies = set(households.values_list("occupancy", flat=True))
    assert occupancies == {"owner_occupied", "rented", "absentee", "vacant"}
    assert households.filter(occupancy="vacant").count() == 1
    assert households.filter(elderly=True).exists()
    assert households.filter(mobility_impaired=True).exists()
    assert Unit.objects.filter(building__campaign=campaign).exclude(pk=unit.pk).count() >= 2

    proposal = Proposal.objects.published().get(elevator__unit=unit)
    assert proposal.subsidy == 150000
    assert proposal.maintenance_fund > 0
    assert sum(proposal.shares.values_list("amount", flat=True)) == proposal.self_funded

    current = Consent.objects.current().filter(proposal=proposal)
    agreeing = current.filter(decision__in=[Decision.AGREE, Decision.AGREE_NOT_PAYING])
    assert 12 <= agreeing.count() <= 15  # about two thirds of 20
    assert current.filter(decision=Decision.DISAGREE).count() == 1
    unvisited = households.filter(visits__isnull=True)
    assert unvisited.exists()
    assert households.filter(visits__attitude="undecided").exclude(consents__isnull=False).exists()
    assert all(consent.hash_matches() for consent in Consent.objects.all())


def test_seed_demo_run_twice_adds_nothing_and_says_so(demo):
    before = row_counts()
    message = seed()
    assert row_counts() == before
    assert "already complete" in message


@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("secretary", Role.SECRETARY),
        ("grid1", Role.GRID_WORKER),
        ("grid2", Role.GRID_WORKER),
        ("lead1", Role.BUILDING_LEAD),
    ],
)
def test_the_four_demo_accounts_log_in_with_the_demo_password(demo, username, role):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": "ningkang-demo"})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert demo.users[username].assignments.filter(role=role).exists()
    assert client.get("/start/", follow=True).status_code == 200


def test_grid1_works_the_seed_unit_and_grid2_works_elsewhere(demo):
    grid1 = Household.objects.for_user(demo.users["grid1"])
    grid2 = Household.objects.for_user(demo.users["grid2"])
    lead1 = Household.objects.for_user(demo.users["lead1"])
    assert grid1.count() == 20
    assert set(grid1.values_list("unit__building__name", "unit__name").distinct()) == {
        ("1栋", "1单元")
    }
    assert not set(grid1) & set(grid2)
    assert set(grid1) <= set(lead1)
