"""seed_scale: the load benchmark's synthetic district, at a small size."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client

from campaigns.models import Assignment, Building, Campaign, Community, Elevator, Role, Unit
from consultations.models import Consent, Proposal, Share, Visit
from households.models import Household, Owner
from portal.management.commands import seed_scale
from portal.management.commands.seed_scale import BENCH_PASSWORD, community_sizes
from tests.factories import listed_doors

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_communities(monkeypatch):
    """Communities of 60 households, so a small district still has several."""
    monkeypatch.setattr(seed_scale, "HOUSEHOLDS_PER_COMMUNITY", 60)


def seed(households: int = 150, **options) -> str:
    out = StringIO()
    call_command("seed_scale", households=households, stdout=out, **options)
    return out.getvalue()


def test_communities_split_the_households_evenly():
    assert community_sizes(20000) == [2000] * 10
    assert community_sizes(4100) == [1367, 1367, 1366]
    assert community_sizes(5) == [5]


def test_seed_scale_builds_a_district_of_the_size_asked(small_communities):
    out = seed(150)
    assert "150 households" in out
    assert Household.objects.count() == 150
    assert Community.objects.count() == 3
    assert Campaign.objects.filter(slug__startswith="scale-", is_public=True).count() == 3
    assert Building.objects.count() >= 3
    units = list(Unit.objects.all())
    assert all(1 <= unit.floors <= 18 for unit in units)  # each community's last unit is short
    assert sum(unit.floors >= 10 for unit in units) >= len(units) - 3
    assert Elevator.objects.count() == len(units)
    assert Owner.objects.filter(is_primary=True).exclude(phone="").count() == 150
    for household in Household.objects.select_related("unit"):
        assert 1 <= household.floor <= household.unit.floors
    visited = Household.objects.filter(visits__isnull=False).distinct().count()
    assert 0 < visited < 150
    assert Visit.objects.count() > visited  # several visits for many households


def test_each_unit_has_a_published_proposal_whose_shares_add_up(small_communities):
    seed(150)
    published = Proposal.objects.published()
    assert published.count() == Unit.objects.count()
    for proposal in published:
        shares = Share.objects.filter(proposal=proposal)
        assert shares.count() == Household.objects.filter(unit=proposal.elevator.unit).count()
        assert sum(s.amount for s in shares) == proposal.self_funded
    consents = Consent.objects.all()
    assert 0 < consents.count() < 150
    assert all(consent.hash_matches() for consent in consents)


def test_seed_scale_refuses_a_database_already_seeded(small_communities):
    seed(150)
    with pytest.raises(CommandError, match="already holds a synthetic district"):
        seed(150)
    assert Household.objects.count() == 150


def test_seed_scale_is_deterministic_for_a_seed(small_communities):
    def snapshot():
        return list(
            Household.objects.values_list(
                "unit__building__campaign__slug",
                "unit__building__name",
                "unit__name",
                "room",
                "occupancy",
                "elderly",
                "area",
            ).order_by(
                "unit__building__campaign__slug", "unit__building__name", "unit__name", "room"
            )
        ), sorted(Consent.objects.values_list("signer_name", "decision", "share_amount"))

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        seed(150, seed=7)
        first = snapshot()
        raise Rollback
    seed(150, seed=7)
    assert snapshot() == first


def test_bench_grid_worker_logs_in_and_sees_only_their_building(small_communities):
    seed(150)
    client = Client()
    login = {"username": "bench-grid", "password": BENCH_PASSWORD}
    assert client.post("/accounts/login/", login).status_code == 302
    assignment = Assignment.objects.get(user__username="bench-grid")
    assert assignment.role == Role.GRID_WORKER
    building = assignment.building
    assert building.campaign.slug == "scale-01"
    response = client.get("/doors/")
    assert response.status_code == 200
    shown = listed_doors(response)
    assert shown == set(
        Household.objects.filter(unit__building=building).values_list("pk", flat=True)
    )
    elsewhere = Household.objects.exclude(unit__building=building).first()
    assert client.get(elsewhere.get_absolute_url()).status_code == 404


def test_bench_secretary_logs_in_and_sees_only_the_first_community(small_communities):
    seed(150)
    client = Client()
    login = {"username": "bench-secretary", "password": BENCH_PASSWORD}
    assert client.post("/accounts/login/", login).status_code == 302
    secretary = Assignment.objects.get(user__username="bench-secretary")
    assert secretary.role == Role.SECRETARY
    assert secretary.community.campaigns.get().slug == "scale-01"
    assert Household.objects.for_user(secretary.user).count() == 50
    response = client.get("/secretary/")
    assert response.status_code == 200
    assert [campaign.slug for campaign, _ in response.context["sections"]] == ["scale-01"]
