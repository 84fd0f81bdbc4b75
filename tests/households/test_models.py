"""Households, owners and assignments: constraints, and who sees what."""

import uuid
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from campaigns.models import Assignment, Role
from households.models import Household, OwnerTrace, TraceAttempt
from tests.factories import (
    make_assignment,
    make_building,
    make_community,
    make_household,
    make_owner,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db


# Household and owner constraints


def test_database_rejects_a_second_household_with_the_same_room_in_a_unit():
    household = make_household(room="301")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_household(unit=household.unit, room="301")


def test_two_units_may_each_have_a_room_301():
    make_household(room="301")
    assert make_household(room="301").pk


def test_database_rejects_a_household_on_floor_zero():
    with pytest.raises(IntegrityError, match="household_floor_positive"), transaction.atomic():
        make_household(floor=0, room="001")


@pytest.mark.parametrize("area", [Decimal("0.00"), Decimal("-10.00")])
def test_database_rejects_a_household_without_a_positive_area(area):
    with pytest.raises(IntegrityError, match="household_area_positive"), transaction.atomic():
        make_household(area=area)


def test_household_validation_rejects_a_floor_above_the_units_top_floor():
    unit = make_unit(floors=6)
    household = Household(unit=unit, room="701", floor=7, area=Decimal("88.50"))
    with pytest.raises(ValidationError) as error:
        household.full_clean()
    assert "floor" in error.value.message_dict


def test_household_validation_accepts_the_units_top_floor():
    Household(unit=make_unit(floors=6), room="601", floor=6, area=Decimal("88.50")).full_clean()


def test_database_rejects_a_second_primary_owner_of_a_household():
    owner = make_owner(is_primary=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_owner(household=owner.household, is_primary=True, name="李四")


def test_a_household_may_have_one_primary_and_several_other_co_owners():
    owner = make_owner(is_primary=True)
    make_owner(household=owner.household, is_primary=False, name="李四")
    make_owner(household=owner.household, is_primary=False, name="王五")
    assert owner.household.owners.count() == 3


def test_database_rejects_more_than_four_characters_of_an_id_number():
    # SQLite enforces the named check; PostgreSQL's varchar(4) refuses the value even earlier.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        make_owner(id_tail="12345")


def test_owner_shows_a_masked_phone_and_name():
    owner = make_owner(name="张三", phone="138 1234 5678")
    assert owner.masked_phone == "138****5678"
    assert owner.masked_name == "张*"
    assert str(owner) == "张*"


# Assignment constraints


@pytest.mark.parametrize(
    ("role", "where"),
    [
        pytest.param(Role.SECRETARY, "building", id="secretary tied to a building"),
        pytest.param(Role.SECRETARY, "unit", id="secretary tied to a unit"),
        pytest.param(Role.BUILDING_LEAD, "unit", id="lead of a unit"),
        pytest.param(Role.BUILDING_LEAD, "nothing", id="lead of no building"),
        pytest.param(Role.GRID_WORKER, "both", id="worker on a building and a unit"),
        pytest.param(Role.GRID_WORKER, "nothing", id="worker on nothing"),
    ],
)
def test_database_rejects_an_assignment_whose_scope_does_not_fit_the_role(role, where):
    unit = make_unit()
    place = {
        "building": {"building": unit.building},
        "unit": {"unit": unit},
        "both": {"building": unit.building, "unit": unit},
        "nothing": {},
    }[where]
    community = unit.building.campaign.community
    with pytest.raises(IntegrityError, match="assignment_scope_fits_role"), transaction.atomic():
        Assignment.objects.create(user=make_user(), role=role, community=community, **place)


@pytest.mark.parametrize("where", ["unit", "building"])
def test_a_grid_worker_may_be_assigned_by_unit_or_by_building(where):
    unit = make_unit()
    place = {"unit": unit} if where == "unit" else {"building": unit.building}
    assert make_assignment(role=Role.GRID_WORKER, **place).pk


def test_database_rejects_a_secretary_assigned_twice_to_the_same_community():
    assignment = make_assignment(role=Role.SECRETARY)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_assignment(assignment.user, Role.SECRETARY, community=assignment.community)


def test_database_rejects_the_same_user_assigned_twice_to_a_building():
    assignment = make_assignment(role=Role.GRID_WORKER, building=make_building())
    with pytest.raises(IntegrityError), transaction.atomic():
        make_assignment(assignment.user, Role.BUILDING_LEAD, building=assignment.building)


def test_database_rejects_the_same_user_assigned_twice_to_a_unit():
    assignment = make_assignment(role=Role.GRID_WORKER)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_assignment(assignment.user, Role.GRID_WORKER, unit=assignment.unit)


def test_database_rejects_a_lead_of_two_buildings():
    assignment = make_assignment(role=Role.BUILDING_LEAD)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_assignment(assignment.user, Role.BUILDING_LEAD, building=make_building())


def test_a_grid_worker_may_cover_several_buildings_and_units():
    user = make_user()
    for place in (
        {"building": make_building()},
        {"building": make_building()},
        {"unit": make_unit()},
    ):
        make_assignment(user, Role.GRID_WORKER, **place)
    assert user.assignments.count() == 3


# Who sees which households


@pytest.fixture
def places():
    """Community A: building 1 (units 0 and 1) and building 2 (unit 2). Community B: unit 3."""
    building_1 = make_building()
    building_2 = make_building(campaign=building_1.campaign)
    units = [make_unit(building=b) for b in (building_1, building_1, building_2)] + [make_unit()]
    return SimpleNamespace(
        community=building_1.campaign.community,
        building_1=building_1,
        building_2=building_2,
        units=units,
        homes=[{make_household(unit=u).pk, make_household(unit=u).pk} for u in units],
    )


def visible(user) -> set[int]:
    return set(Household.objects.for_user(user).values_list("pk", flat=True))


def test_a_grid_worker_assigned_to_a_unit_sees_only_that_units_households(places):
    assignment = make_assignment(role=Role.GRID_WORKER, unit=places.units[0])
    assert visible(assignment.user) == places.homes[0]


def test_a_grid_worker_assigned_to_a_building_sees_every_unit_of_it(places):
    assignment = make_assignment(role=Role.GRID_WORKER, building=places.building_1)
    assert visible(assignment.user) == places.homes[0] | places.homes[1]


def test_a_grid_worker_with_several_assignments_sees_all_of_them(places):
    user = make_user()
    make_assignment(user, Role.GRID_WORKER, unit=places.units[1])
    make_assignment(user, Role.GRID_WORKER, building=places.building_2)
    assert visible(user) == places.homes[1] | places.homes[2]


def test_a_building_lead_sees_their_own_building(places):
    assignment = make_assignment(role=Role.BUILDING_LEAD, building=places.building_2)
    assert visible(assignment.user) == places.homes[2]


def test_a_secretary_sees_the_whole_community_but_not_another_one(places):
    assignment = make_assignment(role=Role.SECRETARY, community=places.community)
    assert visible(assignment.user) == places.homes[0] | places.homes[1] | places.homes[2]


def test_a_secretary_of_an_empty_community_sees_nothing(places):
    assert visible(make_assignment(role=Role.SECRETARY, community=make_community()).user) == set()


def test_a_user_without_assignment_sees_nothing(places):
    assert visible(make_user()) == set()


def test_an_anonymous_user_sees_nothing(places):
    assert visible(AnonymousUser()) == set()


def test_a_superuser_sees_every_household(places):
    superuser = get_user_model().objects.create_superuser("root", password="x")
    assert visible(superuser) == set().union(*places.homes)


# Assignments, read once per user


def test_a_users_assignments_are_read_once_and_forgotten_when_one_changes(
    django_assert_num_queries,
):
    from campaigns.models import roles_of, unit_ids_for

    first = make_assignment()
    user = first.user
    with django_assert_num_queries(2):  # the assignments, then their units
        assert roles_of(user) == {Role.GRID_WORKER}
        assert unit_ids_for(user) == [first.unit_id]
        assert roles_of(user) == {Role.GRID_WORKER}
    lead = make_assignment(user=user, role=Role.BUILDING_LEAD)
    assert roles_of(user) == {Role.GRID_WORKER, Role.BUILDING_LEAD}
    assert set(unit_ids_for(user)) == {
        first.unit_id,
        *lead.building.units.values_list("pk", flat=True),
    }
    first.delete()
    assert roles_of(user) == {Role.BUILDING_LEAD}


def test_a_user_without_assignments_works_on_no_units_and_costs_one_query(
    django_assert_num_queries,
):
    from campaigns.models import unit_ids_for

    idle = get_user_model().objects.create(username="idle")
    with django_assert_num_queries(1):  # the assignments: there are none, so no units query
        assert unit_ids_for(idle) == []


def test_the_admin_refuses_control_characters_in_a_room_a_note_or_an_owners_name():
    owner = make_owner(name="张三")
    household = owner.household
    owner.name = "张\x01三"
    household.room, household.needs_note = "10\x001", "腿脚不便\n\x1b"
    with pytest.raises(ValidationError) as refused:
        owner.full_clean()
    assert set(refused.value.message_dict) == {"name"}
    with pytest.raises(ValidationError) as refused:
        household.full_clean()
    assert set(refused.value.message_dict) == {"room", "needs_note"}


def test_a_needs_note_keeps_its_line_breaks():
    household = make_household(needs_note="第一行\r\n\t第二行")
    household.full_clean()


def test_a_trace_recorded_twice_with_one_key_is_one_attempt_and_the_replay_changes_nothing():
    household = make_household(occupancy="absentee")
    worker = make_user()
    key = uuid.uuid4()
    first = household.record_trace(worker, method="phone", result="contact_found", key=key)
    again = household.record_trace(worker, method="phone", result="reached", key=key)
    assert again.pk == first.pk
    assert TraceAttempt.objects.count() == 1
    assert Household.objects.get(pk=household.pk).owner_trace == OwnerTrace.CONTACT_FOUND


def test_each_trace_attempt_keeps_a_key_of_its_own_and_when_it_arrived():
    household = make_household(occupancy="absentee")
    worker = make_user()
    made = timezone.now() - timedelta(days=1)
    one = household.record_trace(worker, method="phone", result="contact_found", at=made)
    two = household.record_trace(worker, method="wechat", result="reached")
    assert one.idempotency_key != two.idempotency_key
    assert one.attempted_at == made
    assert one.received_at > made + timedelta(hours=23)
