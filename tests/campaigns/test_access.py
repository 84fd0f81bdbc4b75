"""What a role may do, and where: ``may`` holds a role only in its own community, building or
unit; the roles' permissions are declared in code, not in Django groups."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from hypothesis import given
from hypothesis import strategies as st

from campaigns.access import Spot, covers, may
from campaigns.models import Place, Role
from campaigns.roles import (
    BUILDING_LEAD_PERMISSIONS,
    DOMAIN_APPS,
    GRID_WORKER_PERMISSIONS,
    domain_permissions,
    role_gives,
    role_permissions,
)
from households.models import Household
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_household,
    make_party,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db


def test_every_permission_a_role_names_is_a_real_permission_of_the_domain_apps():
    stored = Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS).values_list(
        "content_type__app_label", "codename"
    )
    assert domain_permissions() == {f"{app}.{codename}" for app, codename in stored}
    assert set(GRID_WORKER_PERMISSIONS) | set(BUILDING_LEAD_PERMISSIONS) <= domain_permissions()


def test_the_secretary_may_do_everything_but_delete_or_rewrite_what_was_signed_or_said():
    secretary = role_permissions()[Role.SECRETARY]
    assert {"households.export_household", "campaigns.publish_question"} <= secretary
    assert {"campaigns.change_campaign", "campaigns.add_milestone"} <= secretary
    refused = {
        "consultations.change_consent",
        "consultations.delete_consent",
        "consultations.delete_visit",
        "consultations.change_historicalvisit",
    }
    assert not refused & secretary
    assert "consultations.view_historicalvisit" in secretary


def test_workers_and_leads_have_exactly_the_permissions_their_roles_name():
    assert role_permissions()[Role.GRID_WORKER] == set(GRID_WORKER_PERMISSIONS)
    assert role_permissions()[Role.BUILDING_LEAD] == set(BUILDING_LEAD_PERMISSIONS)
    assert not role_gives(Role.GRID_WORKER, "households.export_household")
    assert not role_gives("no such role", "consultations.add_visit")


def test_no_role_is_a_django_group_any_more():
    make_assignment(role=Role.SECRETARY)
    make_assignment(role=Role.GRID_WORKER)
    assert not Group.objects.filter(name__in=Role.values).exists()


def test_a_grid_worker_may_log_visits_at_their_door_but_not_at_the_next_building():
    worker = make_assignment(role=Role.GRID_WORKER)
    mine = make_household(unit=worker.unit)
    next_door = make_household(
        unit=make_unit(building=make_building(campaign=mine.unit.building.campaign))
    )
    assert may(worker.user, "consultations.add_visit", mine)
    assert not may(worker.user, "consultations.add_visit", next_door)
    assert not may(worker.user, "consultations.delete_visit", mine)


def test_a_building_lead_may_log_visits_in_every_unit_of_their_building():
    lead = make_assignment(role=Role.BUILDING_LEAD)
    household = make_household(unit=make_unit(building=lead.building))
    assert may(lead.user, "consultations.add_visit", household)
    assert not may(lead.user, "households.add_traceattempt", household)


def test_a_worker_here_and_secretary_elsewhere_has_each_power_only_in_its_place():
    """The issue: a secretary of community 2 made a worker of community 1 a secretary of
    community 2, and the worker had secretary powers in community 1."""
    worker = make_assignment(role=Role.GRID_WORKER)
    household_here = make_household(unit=worker.unit)
    campaign_here = household_here.unit.building.campaign
    elsewhere = make_campaign()
    make_assignment(worker.user, Role.SECRETARY, community=elsewhere.community)
    household_there = make_household(unit=make_unit(building=make_building(campaign=elsewhere)))
    user = worker.user
    for secretarys in [
        "households.export_household",
        "households.erase_household",
        "campaigns.change_campaign",
        "campaigns.add_milestone",
        "campaigns.publish_question",
    ]:
        thing = household_here if secretarys.startswith("households") else campaign_here
        assert not may(user, secretarys, thing), secretarys
        there = household_there if secretarys.startswith("households") else elsewhere
        assert may(user, secretarys, there), secretarys
    assert may(user, "consultations.add_visit", household_here)
    assert may(user, "campaigns.add_progressupdate", campaign_here)


def test_nobody_may_do_anything_without_an_assignment_and_a_superuser_may_do_everything():
    household = make_household()
    assert not may(AnonymousUser(), "consultations.view_visit", household)
    assert not may(make_user(), "consultations.view_visit", household)
    root = make_user(is_superuser=True)
    assert may(root, "consultations.delete_consent", household)


def test_asking_may_about_a_household_read_with_its_campaign_costs_no_query(
    django_assert_num_queries,
):
    worker = make_assignment(role=Role.GRID_WORKER)
    household = make_household(unit=worker.unit)
    user = worker.user
    household = Household.objects.select_related("unit__building__campaign").get(pk=household.pk)
    may(user, "consultations.add_visit", household)  # the assignments, once per request
    with django_assert_num_queries(0):
        assert may(user, "consultations.add_visit", household)
        assert not may(user, "households.export_household", household)


ids = st.integers(min_value=1, max_value=4)


@given(
    role=st.sampled_from(list(Role)),
    place=st.tuples(ids, st.none() | ids, st.none() | ids),
    spot=st.tuples(ids, st.none() | ids, st.none() | ids),
)
def test_an_assignment_never_covers_a_spot_in_another_community(role, place, spot):
    community, building, unit = place
    assignment = Place(role, community, building, unit)
    where = Spot(*spot)
    if covers(assignment, where) and where.building is None and where.unit is None:
        assert where.community == community
    if role in (Role.SECRETARY, Role.LAWYER, Role.REVIEWER):  # their whole community
        assert covers(assignment, where) == (where.community == community)
    elif where.unit is not None:  # a worker's door: their unit, or a unit of their building
        expected = unit == where.unit or (building is not None and building == where.building)
        assert covers(assignment, where) == expected


@pytest.mark.django_db
def test_the_lawyer_reads_every_unit_of_their_community_but_no_household_and_nothing_elsewhere():
    here, elsewhere = make_household(), make_household()
    unit = here.unit
    lawyer = make_assignment(role=Role.LAWYER, community=unit.building.campaign.community).user
    assert may(lawyer, "works.view_reviewpacket", unit)
    assert may(lawyer, "works.add_review", unit)
    assert not may(lawyer, "households.view_household", here)
    assert not may(lawyer, "consultations.add_visit", here)
    assert not may(lawyer, "works.view_reviewpacket", elsewhere.unit)


@pytest.mark.django_db
def test_a_contractors_person_covers_no_unit_through_the_community():
    unit = make_household().unit
    campaign = unit.building.campaign
    person = make_assignment(role=Role.CONTRACTOR, party=make_party(campaign=campaign)).user
    assert not may(person, "works.view_site", unit)


def test_the_migration_deletes_the_role_groups_and_their_memberships_only():
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    migration = import_module("campaigns.migrations.0006_roles_are_no_longer_global_groups")
    user = make_user()
    secretary = Group.objects.create(name=Role.SECRETARY)
    secretary.permissions.add(Permission.objects.get(codename="export_household"))
    kept = Group.objects.create(name="审计员")
    user.groups.add(secretary, kept)
    migration.delete_role_groups(apps, SimpleNamespace(connection=connection))
    assert list(user.groups.all()) == [kept]
    assert not Group.objects.filter(name__in=Role.values).exists()
    assert not may(user, "households.export_household", make_household())
