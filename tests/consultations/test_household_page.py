"""The household page shows, for an owner linked to a person or body, the other flats they
hold (places only) and what the body is, and where the flat's area comes from."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Role
from households.models import Person
from tests.factories import (
    make_assignment,
    make_building,
    make_household,
    make_owner,
    make_unit,
    same_person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked():
    """张三 holds 1栋1单元 302 and 2栋1单元 502; the community's secretary."""
    campaign_building = make_building(name="1栋")
    unit = make_unit(building=campaign_building, name="1单元")
    elsewhere = make_unit(building=make_building(campaign=campaign_building.campaign, name="2栋"))
    here = make_owner(
        household=make_household(unit=unit, room="302", area_source="register"),
        id_tail="123X",
        phone="13812345678",
    )
    there = make_owner(
        household=make_household(unit=elsewhere, room="502"), name="张三", phone="13812345678"
    )
    community = unit.building.campaign.community
    secretary = make_assignment(role=Role.SECRETARY, community=community).user
    return here, there, secretary


def test_an_owner_linked_to_a_person_shows_the_other_flats_they_hold(client, linked):
    here, there, secretary = linked
    same_person(here, there)
    client.force_login(secretary)
    html = client.get(here.household.get_absolute_url()).text
    assert f"名下还有：{there.household.unit.building.name}{there.household.unit.name} 502" in html


def test_a_body_shows_what_it_is(client, linked):
    here, there, secretary = linked
    same_person(here, there, kind=Person.Kind.HOUSING_AUTHORITY)
    client.force_login(secretary)
    assert "直管公房（房管部门）" in client.get(here.household.get_absolute_url()).text


def test_the_area_shows_where_it_comes_from_or_that_it_is_not_recorded(client, linked):
    here, there, secretary = linked
    client.force_login(secretary)
    assert "依据：不动产登记簿" in client.get(here.household.get_absolute_url()).text
    assert "面积依据未记录" in client.get(there.household.get_absolute_url()).text


def test_an_unlinked_owner_shows_no_other_flats(client, linked):
    here, _there, secretary = linked
    client.force_login(secretary)
    assert "名下还有" not in client.get(here.household.get_absolute_url()).text


def test_a_worker_of_one_flat_sees_the_other_flats_place_and_nothing_more(client, linked):
    here, there, _secretary = linked
    other = make_owner(
        household=there.household, name="李四", phone="13900001111", is_primary=False
    )
    same_person(here, there)
    worker = make_assignment(unit=here.household.unit).user
    client.force_login(worker)
    html = client.get(here.household.get_absolute_url()).text
    assert "502" in html
    assert "李四" not in html and "李*" not in html and other.phone[-4:] not in html


def test_the_other_flats_cost_one_query_however_many_there_are(client, linked):
    here, there, secretary = linked
    person = same_person(here, there)
    client.force_login(secretary)
    url = here.household.get_absolute_url()
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    before = count()
    for room in ("601", "701", "801"):
        owner = make_owner(household=make_household(unit=there.household.unit, room=room))
        owner.person = person
        owner.save()
    assert count() == before


def test_the_secretary_sees_a_probable_same_owner_elsewhere_to_confirm_and_nothing_is_linked(
    client, linked
):
    here, there, secretary = linked  # same name and phone, not linked yet
    client.force_login(secretary)
    html = client.get(here.household.get_absolute_url()).text
    assert f"可能是同一人（尚未关联，不合并计数）：{there.household.unit} 502" in html
    assert "去产权人页确认" in html
    here.refresh_from_db()
    assert here.person is None


def test_a_grid_worker_is_not_shown_probable_matches(client, linked):
    here, _there, _secretary = linked
    client.force_login(make_assignment(unit=here.household.unit).user)
    assert "可能是同一人" not in client.get(here.household.get_absolute_url()).text


def test_an_owner_of_the_same_name_with_a_different_phone_and_no_id_is_not_proposed(client, linked):
    here, there, secretary = linked
    there.phone = "13700000000"
    there.save()
    client.force_login(secretary)
    assert "可能是同一人" not in client.get(here.household.get_absolute_url()).text
