import pytest
from django.urls import reverse

from households.models import Role
from tests.factories import (
    make_assignment,
    make_building,
    make_household,
    make_owner,
    make_unit,
    make_visit,
)

pytestmark = pytest.mark.django_db


def worker_with_doors(count: int, **assignment):
    assignment = make_assignment(**assignment)
    unit = assignment.unit or make_unit(building=assignment.building)
    households = []
    for i in range(count):
        household = make_household(unit=unit, floor=i % 10 + 1, room=f"{i % 10 + 1}{i:02d}")
        make_owner(household=household, name="李桂兰", phone="13800138000")
        make_visit(household=household)
        households.append(household)
    return assignment.user, households


def test_my_doors_lists_only_the_households_in_my_assignment(client):
    me, mine = worker_with_doors(3)
    _other, theirs = worker_with_doors(2)
    client.force_login(me)
    text = client.get(reverse("households:my_doors")).text
    for household in mine:
        assert household.get_absolute_url() in text
    for household in theirs:
        assert household.get_absolute_url() not in text


@pytest.mark.parametrize("size", [2, 40])
def test_my_doors_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    me, _ = worker_with_doors(size)
    client.force_login(me)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("households:my_doors"))
    assert response.status_code == 200


def test_a_grid_worker_of_another_building_gets_404_for_my_household(client):
    _me, mine = worker_with_doors(1)
    stranger = make_assignment(building=make_building()).user
    client.force_login(stranger)
    assert client.get(mine[0].get_absolute_url()).status_code == 404


def test_the_household_page_masks_owner_phone_numbers(client):
    me, mine = worker_with_doors(1)
    client.force_login(me)
    text = client.get(mine[0].get_absolute_url()).text
    assert "138****8000" in text
    assert "13800138000" not in text


def test_a_building_lead_sees_every_unit_of_their_building(client):
    building = make_building()
    lead = make_assignment(role=Role.BUILDING_LEAD, building=building).user
    households = [make_household(unit=make_unit(building=building)) for _ in range(2)]
    client.force_login(lead)
    for household in households:
        assert client.get(household.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [1, 30])
def test_the_household_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, size
):
    me, mine = worker_with_doors(1)
    for _ in range(size):
        make_visit(household=mine[0])
    client.force_login(me)
    with django_assert_max_num_queries(7):
        response = client.get(mine[0].get_absolute_url())
    assert response.status_code == 200


def test_a_user_with_assignments_can_be_deleted():
    assignment = make_assignment()
    assignment.user.delete()
    assert not type(assignment).objects.filter(pk=assignment.pk).exists()
