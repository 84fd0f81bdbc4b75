from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Role
from consultations.doors import DoorStatus, door_counts, door_counts_by_unit
from consultations.views.doors import DOORS_PER_PAGE
from households.models import Household, OwnerTrace
from tests.factories import (
    listed_doors,
    make_assignment,
    make_building,
    make_campaign,
    make_consent,
    make_elevator,
    make_household,
    make_owner,
    make_proposal,
    make_share,
    make_unit,
    make_visit,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


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


def doors_page(client, user, show=""):
    client.force_login(user)
    return client.get(reverse("consultations:my_doors"), {"show": show} if show else {})


def test_my_doors_lists_only_the_households_in_my_assignment(client):
    me, mine = worker_with_doors(3)
    _other, theirs = worker_with_doors(2)
    text = doors_page(client, me).text
    for household in mine:
        assert household.get_absolute_url() in text
    for household in theirs:
        assert household.get_absolute_url() not in text


def door_list(response) -> str:
    """The list part of the page (the rest carries a CSRF token masked anew each time)."""
    return response.text.split('id="door-counts"')[1].split("</main>")[0]


@pytest.mark.parametrize("size", [2, 40])
def test_my_doors_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    me, _ = worker_with_doors(size)
    client.force_login(me)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("consultations:my_doors"))
    assert response.status_code == 200
    assert len(door_list(response)) >= size


def test_my_doors_counts_who_was_reached_and_who_is_still_to_go(client):
    assignment = make_assignment()
    unit = assignment.unit
    reached = make_household(unit=unit, floor=1, room="101")
    make_visit(household=reached)
    nobody = make_household(unit=unit, floor=1, room="102")
    make_visit(household=nobody, reached="nobody", attitude="")
    make_household(unit=unit, floor=2, room="201")
    text = doors_page(client, assignment.user).text
    assert "3 户：已接触 1 户，还差 2 户" in text


def status_of(client, user, household) -> str:
    client.force_login(user)
    return client.get(household.get_absolute_url()).context["status"]


def test_each_door_shows_where_it_stands(client):
    assignment = make_assignment()
    unit = assignment.unit
    proposal = make_proposal(elevator=make_elevator(unit=unit), status="published")
    fresh = make_household(unit=unit, floor=1, room="101")
    nobody = make_household(unit=unit, floor=1, room="102")
    make_visit(household=nobody, reached="nobody", attitude="")
    undecided = make_household(unit=unit, floor=2, room="201")
    make_visit(household=undecided, attitude="undecided")
    silent = make_household(unit=unit, floor=1, room="103")
    make_visit(household=silent, attitude="no_stance")
    signed = make_household(unit=unit, floor=2, room="202")
    make_visit(household=signed, attitude="oppose")
    make_consent(household=signed, proposal=proposal, decision="agree_not_paying")
    absent = make_household(unit=unit, floor=3, room="301", occupancy="absentee")
    make_visit(household=absent, reached="tenant", attitude="support")
    user = assignment.user
    assert status_of(client, user, fresh) == DoorStatus.NOT_VISITED
    assert status_of(client, user, nobody) == DoorStatus.NOBODY_HOME
    assert status_of(client, user, undecided) == DoorStatus.UNDECIDED
    assert status_of(client, user, silent) == DoorStatus.NO_STANCE
    assert status_of(client, user, signed) == DoorStatus.SIGNED_NOT_PAYING
    assert status_of(client, user, absent) == DoorStatus.OWNER_UNTRACED
    Household.objects.filter(pk=absent.pk).update(owner_trace=OwnerTrace.REACHED)
    assert status_of(client, user, absent) == DoorStatus.SUPPORT


@pytest.fixture
def mixed_doors():
    """One household for each filter, in one worker's unit."""
    assignment = make_assignment()
    unit = assignment.unit
    doors = {
        "unvisited": make_household(unit=unit, floor=1, room="101"),
        "overdue": make_household(unit=unit, floor=1, room="102"),
        "due_today": make_household(unit=unit, floor=2, room="201"),
        "later": make_household(unit=unit, floor=2, room="202"),
        "against": make_household(unit=unit, floor=3, room="301"),
        "absentee": make_household(unit=unit, floor=3, room="302", occupancy="absentee"),
        "elderly": make_household(unit=unit, floor=4, room="401", elderly=True),
        "silent": make_household(unit=unit, floor=4, room="402"),
    }
    make_visit(
        household=doors["overdue"],
        attitude="undecided",
        next_step_on=TODAY() - timedelta(days=2),
    )
    make_visit(household=doors["due_today"], attitude="support", next_step_on=TODAY())
    make_visit(
        household=doors["later"], attitude="support", next_step_on=TODAY() + timedelta(days=3)
    )
    make_visit(household=doors["against"], attitude="oppose")
    make_visit(household=doors["elderly"], attitude="support")
    make_visit(household=doors["silent"], attitude="no_stance")
    return assignment.user, doors


EVERY_DOOR = {
    "unvisited",
    "overdue",
    "due_today",
    "later",
    "against",
    "absentee",
    "elderly",
    "silent",
}


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("unvisited", {"unvisited", "absentee"}),
        ("follow_up", {"overdue", "due_today"}),
        ("undecided", {"overdue", "silent"}),
        ("against", {"against"}),
        ("owner_untraced", {"absentee"}),
        ("vulnerable", {"elderly"}),
        ("", EVERY_DOOR),
        (
            "no-such-filter",
            EVERY_DOOR,
        ),
    ],
)
def test_the_door_filters_pick_the_right_households(client, mixed_doors, show, expected):
    user, doors = mixed_doors
    listed = listed_doors(doors_page(client, user, show))
    assert listed == {doors[name].pk for name in expected}


def test_an_htmx_filter_swaps_only_the_list(client, mixed_doors):
    user, _doors = mixed_doors
    client.force_login(user)
    response = client.get(
        reverse("consultations:my_doors"), {"show": "unvisited"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="door-list"')
    assert "<html" not in response.text
    assert "HX-Request" in response["Vary"]
    assert 'id="door-search"' not in response.text  # what is being typed stays put


def test_an_htmx_filter_redraws_the_filter_links_outside_the_list(client, mixed_doors):
    user, _doors = mixed_doors
    client.force_login(user)
    url = reverse("consultations:my_doors")
    response = client.get(url, {"show": "unvisited"}, headers={"HX-Request": "true"})
    _results, links = response.text.split('<nav id="door-filters"')
    assert 'hx-swap-oob="true"' in links
    current = links.split('aria-current="true"')[0].rsplit("<a ", 1)[1]
    assert 'href="?show=unvisited"' in current
    full = client.get(url).text
    assert full.index('id="door-filters"') < full.index('id="door-list"')


def test_the_follow_up_queue_lists_overdue_and_due_today_only(client, mixed_doors):
    user, doors = mixed_doors
    client.force_login(user)
    context = client.get(reverse("consultations:follow_ups")).context
    assert [h.pk for h in context["overdue"]] == [doors["overdue"].pk]
    assert [h.pk for h in context["due_today"]] == [doors["due_today"].pk]


def test_a_grid_worker_of_another_building_gets_404_for_my_household(client):
    _me, mine = worker_with_doors(1)
    stranger = make_assignment(building=make_building()).user
    client.force_login(stranger)
    assert client.get(mine[0].get_absolute_url()).status_code == 404


def test_the_assigned_worker_may_reveal_the_number_and_others_see_it_masked(client):
    """The full number is never in the page itself: the assigned worker taps to show it
    (tests/consultations/test_personal_data.py), and that look is recorded."""
    me, mine = worker_with_doors(1)
    client.force_login(me)
    text = client.get(mine[0].get_absolute_url()).text
    owner = mine[0].owners.get()
    assert reverse("consultations:owner_phone", args=[mine[0].pk, owner.pk]) in text
    assert "138****8000" in text and "13800138000" not in text
    community = mine[0].unit.building.campaign.community
    secretary = make_assignment(role=Role.SECRETARY, community=community).user
    client.force_login(secretary)
    text = client.get(mine[0].get_absolute_url()).text
    assert "138****8000" in text
    assert "13800138000" not in text


def test_the_household_page_shows_its_share_once_a_proposal_is_published(client):
    me, mine = worker_with_doors(1)
    share = make_share(
        household=mine[0],
        proposal=make_proposal(elevator=make_elevator(unit=mine[0].unit)),
        amount="8123.45",
    )
    client.force_login(me)
    assert "8,123.45" not in client.get(mine[0].get_absolute_url()).text  # still a draft
    share.proposal.status = "published"
    share.proposal.published_at = timezone.now()
    share.proposal.save()
    assert "¥8,123.45" in client.get(mine[0].get_absolute_url()).text


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
    with django_assert_max_num_queries(13):  # the door status is the household's own columns
        response = client.get(mine[0].get_absolute_url())
    assert response.status_code == 200


def test_a_user_with_assignments_can_be_deleted():
    assignment = make_assignment()
    assignment.user.delete()
    assert not type(assignment).objects.filter(pk=assignment.pk).exists()


def test_htmx_restoring_history_gets_the_whole_page_not_a_fragment(client):
    """htmx asks again for a page it had swapped in when its history cache misses: that
    answer replaces the whole body, so it must be the whole page."""
    me, _mine = worker_with_doors(1)
    client.force_login(me)
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get(reverse("consultations:my_doors") + "?show=unvisited", headers=headers)
    assert "<html" in response.text
    fragment = client.get(reverse("consultations:my_doors"), headers={"HX-Request": "true"})
    assert "<html" not in fragment.text


def row_of(response, household) -> str:
    return response.text.split(f'id="door-{household.pk}"')[1].split("</li>")[0]


def test_a_kept_list_shows_a_visit_as_soon_as_it_is_saved(client):
    assignment = make_assignment()
    household = make_household(unit=assignment.unit)
    assert "未走访" in row_of(doors_page(client, assignment.user), household)
    make_visit(household=household, attitude="oppose")
    assert "已走访：反对" in row_of(doors_page(client, assignment.user), household)


def test_a_kept_list_shows_a_renamed_building_at_once(client):
    assignment = make_assignment()
    make_household(unit=assignment.unit)
    doors_page(client, assignment.user)
    building = assignment.unit.building
    building.name = "新楼"
    building.save()
    assert "新楼" in doors_page(client, assignment.user).text


def test_two_workers_of_one_unit_each_get_their_own_list(client):
    assignment = make_assignment()
    household = make_household(unit=assignment.unit)
    doors_page(client, assignment.user)
    lead = make_assignment(role=Role.BUILDING_LEAD, building=assignment.unit.building).user
    make_household(unit=make_unit(building=assignment.unit.building))
    listed = listed_doors(doors_page(client, lead))
    assert household.pk in listed
    assert len(listed) == 2


def building_with_three_units():
    """A lead's building: one unit with visits and a signature, one untouched, one empty."""
    assignment = make_assignment(role=Role.BUILDING_LEAD)
    busy, quiet, empty = (make_unit(building=assignment.building) for _ in range(3))
    proposal = make_proposal(elevator=make_elevator(unit=busy), status="published")
    for i, reached in enumerate(["owner", "nobody", "family"]):
        household = make_household(unit=busy, floor=1, room=f"10{i}")
        make_visit(
            household=household, reached=reached, attitude="" if reached == "nobody" else "support"
        )
    signed = make_household(unit=busy, floor=2, room="201")
    make_consent(household=signed, proposal=proposal)
    for i in range(2):
        make_household(unit=quiet, floor=1, room=f"10{i}")
    return assignment.user, busy, quiet, empty


def test_counts_per_unit_add_up_to_the_counts_of_the_whole_list():
    user, busy, quiet, empty = building_with_three_units()
    counted = door_counts(Household.objects.for_user(user))
    by_unit = door_counts_by_unit(Household.objects.for_user(user))
    assert counted == {"total": 6, "reached": 3, "signed": 1, "to_go": 3}
    assert sum(figures["total"] for figures in by_unit.values()) == counted["total"]
    assert by_unit[busy.pk]["reached"] == 3 and by_unit[quiet.pk]["reached"] == 0
    assert empty.pk not in by_unit


def secretary_of_a_big_community(rooms_per_unit: int = 35):
    """Two buildings of two units each, every door visited, one secretary."""
    secretary = make_assignment(role=Role.SECRETARY)
    campaign = make_campaign(community=secretary.community)
    buildings = []
    for b in range(2):
        building = make_building(campaign=campaign, name=f"{b + 1}栋")
        for u in range(2):
            unit = make_unit(building=building, name=f"{u + 1}单元", floors=20)
            for i in range(rooms_per_unit):
                floor = i % 20 + 1
                make_household(unit=unit, floor=floor, room=f"{floor}{i // 20 + 1:02d}")
        buildings.append(building)
    return secretary.user, buildings


def listed_rooms(response) -> list[str]:
    return [h.room for h in response.context["households"]]


def test_a_secretarys_door_list_shows_one_page_at_a_time(client):
    secretary, _ = secretary_of_a_big_community()
    client.force_login(secretary)
    first = client.get(reverse("consultations:my_doors"))
    assert len(listed_rooms(first)) == DOORS_PER_PAGE
    assert first.context["page"].paginator.count == 140
    last = client.get(reverse("consultations:my_doors"), {"page": 3})
    assert len(listed_rooms(last)) == 140 - 2 * DOORS_PER_PAGE
    assert "第 3 / 3 页，共 140 户" in last.text
    assert client.get(reverse("consultations:my_doors"), {"page": "9999"}).status_code == 200


def test_the_door_list_narrows_to_one_building_and_a_room(client):
    secretary, buildings = secretary_of_a_big_community()
    client.force_login(secretary)
    one = client.get(reverse("consultations:my_doors"), {"building": buildings[1].pk})
    assert one.context["page"].paginator.count == 70
    assert {h.unit.building for h in one.context["households"]} == {buildings[1]}
    found = client.get(reverse("consultations:my_doors"), {"room": "1001"})
    assert sorted(listed_rooms(found)) == ["1001"] * 4
    both = client.get(
        reverse("consultations:my_doors"), {"building": buildings[0].pk, "room": "1001"}
    )
    assert listed_rooms(both) == ["1001", "1001"]


def test_a_building_outside_my_scope_is_ignored_not_shown(client):
    me, mine = worker_with_doors(3)
    _other, theirs = worker_with_doors(2)
    client.force_login(me)
    response = client.get(
        reverse("consultations:my_doors"), {"building": theirs[0].unit.building_id}
    )
    assert sorted(listed_rooms(response)) == sorted(h.room for h in mine)


def test_a_room_search_finds_only_my_own_doors(client):
    me, mine = worker_with_doors(3)
    _other, theirs = worker_with_doors(3)  # the same room numbers, in another unit
    client.force_login(me)
    response = client.get(reverse("consultations:my_doors"), {"room": mine[1].room})
    assert [h.pk for h in response.context["households"]] == [mine[1].pk]
    assert theirs[1].get_absolute_url() not in response.text


def test_a_room_search_keeps_what_was_typed_and_says_when_nothing_matches(client):
    me, _mine = worker_with_doors(3)
    client.force_login(me)
    response = client.get(reverse("consultations:my_doors"), {"room": "9999"})
    assert 'name="room" value="9999"' in response.text
    assert "没有符合这个筛选条件的住户" in response.text


@pytest.mark.parametrize("rooms", [3, 35])
def test_a_room_search_runs_a_fixed_number_of_queries(client, django_assert_num_queries, rooms):
    secretary, _buildings = secretary_of_a_big_community(rooms_per_unit=rooms)
    client.force_login(secretary)
    with django_assert_num_queries(9):  # as many for 6 households as for 70
        response = client.get(
            reverse("consultations:my_doors"), {"room": "1"}, headers={"HX-Request": "true"}
        )
    assert response.status_code == 200


def test_the_filter_links_keep_the_building_and_room_chosen(client):
    secretary, buildings = secretary_of_a_big_community(rooms_per_unit=3)
    client.force_login(secretary)
    response = client.get(
        reverse("consultations:my_doors"), {"building": buildings[0].pk, "room": "1"}
    )
    assert f'href="?building={buildings[0].pk}&amp;room=1&amp;show=unvisited"' in response.text


@pytest.mark.parametrize("rooms", [3, 35])
def test_a_secretarys_paginated_list_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, rooms
):
    secretary, buildings = secretary_of_a_big_community(rooms_per_unit=rooms)
    client.force_login(secretary)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("consultations:my_doors"), {"building": buildings[0].pk})
    assert response.status_code == 200


def sign_url(household) -> str:
    return reverse("consultations:sign", args=[household.pk])


@pytest.fixture
def unit_with_a_published_proposal():
    """A grid worker's unit whose proposal is published: one door still to sign, one signed."""
    assignment = make_assignment()
    proposal = make_proposal(elevator=make_elevator(unit=assignment.unit), status="published")
    to_sign = make_household(unit=assignment.unit, floor=1, room="101")
    signed = make_household(unit=assignment.unit, floor=1, room="102")
    make_consent(household=signed, proposal=proposal)
    return assignment, to_sign, signed


def test_a_door_still_to_sign_links_straight_to_the_sign_page(
    client, unit_with_a_published_proposal
):
    assignment, to_sign, signed = unit_with_a_published_proposal
    text = doors_page(client, assignment.user).text
    assert sign_url(to_sign) in text
    assert sign_url(signed) not in text  # a change of mind goes through the household page


def test_a_door_has_no_sign_link_before_a_proposal_is_published(client):
    assignment = make_assignment()
    make_proposal(elevator=make_elevator(unit=assignment.unit))  # a draft
    household = make_household(unit=assignment.unit)
    assert sign_url(household) not in doors_page(client, assignment.user).text


def test_a_building_lead_who_may_not_take_signatures_gets_no_sign_link(client):
    lead = make_assignment(role=Role.BUILDING_LEAD)
    unit = make_unit(building=lead.building)
    make_proposal(elevator=make_elevator(unit=unit), status="published")
    household = make_household(unit=unit)
    text = doors_page(client, lead.user).text
    assert household.get_absolute_url() in text
    assert sign_url(household) not in text


def test_a_visit_saved_from_the_list_offers_the_signature_next(
    client, unit_with_a_published_proposal
):
    assignment, to_sign, _signed = unit_with_a_published_proposal
    client.force_login(assignment.user)
    data = {
        "idempotency_key": "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
        "channel": "door",
        "reached": "family",
        "attitude": "support",
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "return_to": "list",
    }
    url = reverse("consultations:log_visit", args=[to_sign.pk])
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert "已保存" in response.text
    assert sign_url(to_sign) in response.text
