"""seed_scale: the load benchmark's synthetic district, at a small size."""

import random
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Q
from django.test import Client

from campaigns.models import Assignment, Building, Campaign, Community, Elevator, Role, Unit
from consultations.models import Consent, Proposal, Share, Visit
from households.models import Household, Owner
from portal.management.commands import seed_scale
from portal.management.commands.seed_scale import BENCH_PASSWORD, community_sizes, grid_patches
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


def test_grid_patches_cover_every_unit_once_with_a_few_units_or_buildings_each():
    unit_buildings = [0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5]
    for seed in range(20):
        patches = grid_patches(unit_buildings, random.Random(seed))
        covered = [u for patch in patches for u in patch.covers]
        assert covered == list(range(len(unit_buildings)))
        for patch in patches:
            if patch.buildings:  # whole buildings: one or two, all their units
                assert 1 <= len(patch.buildings) <= 2 and not patch.units
                assert patch.covers == [
                    u for u, b in enumerate(unit_buildings) if b in patch.buildings
                ]
            else:  # three to six units in a row (fewer only at the end)
                assert patch.units == patch.covers
                assert len(patch.units) <= 6
                assert len(patch.units) >= 3 or patch.covers[-1] == len(unit_buildings) - 1
    kinds = {
        bool(p.buildings) for s in range(20) for p in grid_patches(unit_buildings, random.Random(s))
    }
    assert kinds == {True, False}


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


def test_each_community_has_its_staff_placed_by_assignments(
    small_communities,
):
    seed(150)
    staff = get_user_model().objects.filter(username__startswith="scale")
    for community in Community.objects.all():
        prefix = "scale" + community.campaigns.get().slug.removeprefix("scale-")
        people = staff.filter(username__startswith=prefix + "-")
        secretary = people.get(username=f"{prefix}-secretary")
        assert Household.objects.for_user(secretary).count() == 50
        assert people.filter(username__contains="-lead").exists()
        for user in people:
            places = Assignment.objects.filter(user=user)
            assert {a.community_id for a in places} == {community.pk}
            roles = set(places.values_list("role", flat=True))
            assert len(roles) == 1
            assert Household.objects.for_user(user).exists()
            assert check_password(BENCH_PASSWORD, user.password)
        # every unit has exactly one of the community's grid workers, by unit or building
        for unit in Unit.objects.filter(building__campaign__community=community):
            workers = people.filter(
                assignments__role=Role.GRID_WORKER,
            ).filter(Q(assignments__unit=unit) | Q(assignments__building=unit.building_id))
            assert workers.distinct().count() == 1
        assert people.filter(username__contains="-grid").exists()
    assert staff.count() == staff.filter(assignments__isnull=False).distinct().count()


def test_visits_and_signatures_are_by_the_grid_worker_of_the_household(small_communities):
    seed(150)
    for visit in Visit.objects.select_related("household", "visitor")[:200]:
        assert visit.visitor.username.startswith("scale")
        assert "-grid" in visit.visitor.username
        assert Household.objects.for_user(visit.visitor).filter(pk=visit.household_id).exists()
    for consent in Consent.objects.select_related("witness"):
        assert Household.objects.for_user(consent.witness).filter(pk=consent.household_id).exists()


def test_a_grid_worker_and_a_lead_log_in_and_see_their_doors(small_communities):
    seed(150)
    for username in ("scale01-grid01", "scale02-lead01"):
        client = Client()
        login = {"username": username, "password": BENCH_PASSWORD}
        assert client.post("/accounts/login/", login).status_code == 302
        user = get_user_model().objects.get(username=username)
        response = client.get("/doors/")
        assert response.status_code == 200
        assert listed_doors(response) == set(
            Household.objects.for_user(user).values_list("pk", flat=True)
        )
