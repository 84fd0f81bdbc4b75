import re
from fractions import Fraction

import pytest
from django.urls import reverse

from campaigns.models import Role
from consultations.models import Visit, VisitConcern
from consultations.standing import unit_standing
from portal.dashboard.figures import GridState, room_column
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_household,
    make_households,
    make_unit,
    make_visit,
)

pytestmark = pytest.mark.django_db


def dashboard(client, user, campaign, name="dashboard:campaign", **params):
    client.force_login(user)
    return client.get(reverse(name, args=[campaign.slug]), params)


def test_the_vote_of_each_unit_matches_the_hand_computed_tally(client, hand_counted):
    context = dashboard(client, hand_counted.secretary, hand_counted.campaign).context
    [unit] = context["units"]
    [result] = unit.vote.results
    assert result.tally.participation_area == Fraction(1, 2)
    assert result.tally.participation_count == Fraction(3, 7)
    assert result.tally.agree_area == Fraction(3, 5)
    assert result.tally.agree_count == Fraction(2, 3)
    assert not result.tally.quorum_met
    assert not result.tally.passed
    assert result.tally.needed == 2
    assert unit.proposal.version == 2
    assert [m.percent for m in result.measures] == ["50.0", "42.9", "60.0", "66.7"]


def test_the_dashboard_figures_are_the_consent_pages_figures(client, hand_counted):
    context = dashboard(client, hand_counted.secretary, hand_counted.campaign).context
    assert context["units"][0].vote.tallies == unit_standing(hand_counted.unit)["vote"].tallies


def test_the_bars_show_each_share_against_its_threshold(client, hand_counted):
    text = dashboard(client, hand_counted.secretary, hand_counted.campaign).text
    assert "50.0% / ≥66.7%" in text  # participation by area against the 2/3 quorum
    assert "66.7% / &gt;50.0%" in text  # agreement by headcount against more than half
    assert 'x1="66.7"' in text
    assert "还差 2 位业主同意" in text
    assert "方案第 2 版" in text


def test_the_funnel_counts_households_reached_supportive_and_signed(client, hand_counted):
    context = dashboard(client, hand_counted.secretary, hand_counted.campaign).context
    funnel = context["funnel"]
    assert (funnel.total, funnel.reached, funnel.supportive, funnel.signed) == (7, 5, 3, 2)
    assert (funnel.against, funnel.untraced) == (1, 1)
    [(unit, row)] = context["unit_funnels"]
    assert unit == hand_counted.unit
    assert [step[1] for step in row.steps] == [7, 5, 3, 2]


def test_the_funnel_and_the_grid_legend_count_the_same_doors(client, hand_counted):
    unit = hand_counted.unit
    tenant_supports = make_household(unit=unit, floor=5, room="501", occupancy="rented")
    make_visit(household=tenant_supports, reached="tenant", attitude="support")
    out_now = make_household(unit=unit, floor=5, room="502")
    make_visit(household=out_now, attitude="undecided")
    make_visit(household=out_now, reached="nobody", attitude="")
    slug = hand_counted.campaign.slug
    client.force_login(hand_counted.secretary)
    funnel = client.get(reverse("dashboard:campaign", args=[slug])).context["funnel"]
    legend = dict(client.get(reverse("dashboard:grid", args=[slug])).context["grids"][0].counts)
    assert (
        legend[GridState.OWNER_UNTRACED] == funnel.untraced == 2
    )  # the owner votes, not the tenant
    assert legend[GridState.NOT_REACHED] == 2  # 401, and 502 nobody home this time
    assert funnel.reached == 7  # 502 was reached once: it counts as reached, as on My doors
    signed = legend[GridState.SIGNED_AGREE] + legend[GridState.AGREE_NOT_PAYING]
    assert funnel.signed == signed
    assert funnel.supportive == signed + legend[GridState.SUPPORTIVE] == 3
    assert funnel.against == legend[GridState.AGAINST]
    assert funnel.total == sum(legend.values()) == 9


def test_concerns_are_ranked_by_how_many_households_raised_them(client, hand_counted):
    concerns = dashboard(client, hand_counted.secretary, hand_counted.campaign).context["concerns"]
    assert [(c["concern"], c["households"], c["unconvinced"]) for c in concerns] == [
        ("cost", 3, 2),  # 101 has since signed its agreement; 201 and 301 have not
        ("noise", 1, 1),
    ]


def test_a_concern_raised_twice_by_one_household_counts_once(client, hand_counted):
    again = make_visit(
        household=hand_counted.households["301"],
        visitor=hand_counted.workers[0],
        visited_at=Visit.objects.first().visited_at,
        channel="phone",
        reached="owner",
        attitude="undecided",
    )
    VisitConcern.objects.create(visit=again, concern="noise")
    concerns = dashboard(client, hand_counted.secretary, hand_counted.campaign).context["concerns"]
    assert {c["concern"]: c["households"] for c in concerns} == {"cost": 3, "noise": 1}


def test_follow_ups_are_counted_by_the_worker_who_set_them(client, hand_counted):
    context = dashboard(client, hand_counted.secretary, hand_counted.campaign).context
    rows = {row["name"]: (row["due"], row["overdue"]) for row in context["follow_ups"]}
    assert rows == {"小王": (0, 1), "小陈": (1, 0)}
    assert context["follow_ups_total"] == {"due": 1, "overdue": 1}


def test_untraced_absentee_owners_are_listed(client, hand_counted):
    context = dashboard(client, hand_counted.secretary, hand_counted.campaign).context
    assert [h.room for h in context["untraced"]] == ["302"]
    assert context["untraced_total"] == 1


def test_the_work_table_is_the_activity_pages_visits_per_worker(client, hand_counted):
    response = dashboard(client, hand_counted.secretary, hand_counted.campaign)
    assert "近14天每人每日走访户次" in response.text
    team = response.context["team"]
    assert {row["name"]: row["total"] for row in team["rows"]} == {"小王": 3, "小陈": 2}


def test_a_grid_worker_sees_only_their_own_assignment(client, hand_counted):
    other = make_unit(building=hand_counted.unit.building, name="2单元")
    make_households(other, 5)
    worker = make_assignment(unit=other).user
    context = dashboard(client, worker, hand_counted.campaign).context
    assert [unit.pk for unit in context["units"]] == [other.pk]
    assert context["funnel"].total == 5
    assert context["concerns"] == []
    assert context["untraced"] == []
    assert not context["may_manage"]
    secretary = dashboard(client, hand_counted.secretary, hand_counted.campaign).context
    assert secretary["funnel"].total == 12


def test_another_communitys_dashboard_is_not_found(client, hand_counted):
    stranger = make_assignment(role=Role.SECRETARY).user
    assert dashboard(client, stranger, hand_counted.campaign).status_code == 404
    assert dashboard(client, stranger, hand_counted.campaign, "dashboard:grid").status_code == 404


def test_the_dashboard_needs_a_login(client, hand_counted):
    response = client.get(reverse("dashboard:campaign", args=[hand_counted.campaign.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_index_goes_straight_to_the_only_campaign(client, hand_counted):
    client.force_login(hand_counted.secretary)
    response = client.get(reverse("dashboard:index"))
    assert response["Location"] == reverse("dashboard:campaign", args=[hand_counted.campaign.slug])


# The building grid (楼盘表).


def test_the_grid_draws_each_state_with_a_legend(client, hand_counted):
    response = dashboard(client, hand_counted.secretary, hand_counted.campaign, "dashboard:grid")
    [grid] = response.context["grids"]
    states = {h.room: h.state for _floor, cells in grid.floors for h in cells if h}
    assert states == {
        "101": GridState.SIGNED_AGREE,
        "102": GridState.AGREE_NOT_PAYING,
        "201": GridState.AGAINST,
        "202": GridState.SUPPORTIVE,
        "301": GridState.UNDECIDED,
        "302": GridState.OWNER_UNTRACED,
        "401": GridState.NOT_REACHED,
    }
    assert dict(grid.counts) == dict.fromkeys(GridState, 1)
    for state in GridState:
        assert f'class="cell {state}"' in response.text
        assert str(state.label) in response.text
    household = hand_counted.households["201"]
    assert f'href="{household.get_absolute_url()}" data-state="against"' in response.text


def words_by_room(html: str, row: str, word: str) -> dict[str, str]:
    """Each room's state words on a page: ``row`` opens a room's markup, ``word`` the words."""
    found = re.findall(
        rf'{row}.*?class="(?:cell-)?room">([^<]+)<.*?{word}[^>]*>([^<]+)<', html, re.S
    )
    return dict(found)


def test_the_grid_and_the_door_list_use_the_same_words_for_each_door(client, hand_counted):
    nobody_home = make_household(unit=hand_counted.unit, floor=8, room="802")
    make_visit(household=nobody_home, reached="nobody", attitude="")
    grid = dashboard(client, hand_counted.secretary, hand_counted.campaign, "dashboard:grid")
    doors = client.get(reverse("consultations:my_doors"))
    on_the_grid = words_by_room(grid.text, '<a class="cell ', 'class="cell-state"')
    on_the_list = words_by_room(doors.text, '<li id="door-', 'class="status ')
    assert on_the_grid == on_the_list
    assert on_the_grid["802"] == "已走访：无人在家"
    assert on_the_grid["302"] == "产权人未联系上"


def test_the_grid_puts_the_top_floor_first_and_rooms_in_columns(client, hand_counted):
    grid = dashboard(
        client, hand_counted.secretary, hand_counted.campaign, "dashboard:grid"
    ).context["grids"][0]
    assert grid.columns == ["01", "02"]
    assert [floor for floor, _cells in grid.floors] == list(range(10, 0, -1))
    top_drawn = dict(grid.floors)[4]
    assert [h.room if h else None for h in top_drawn] == ["401", None]


@pytest.mark.parametrize(
    ("room", "floor", "column"),
    [("1203", 12, "03"), ("101", 1, "01"), ("A-3", 3, "A-3"), ("3", 3, "3"), ("301", 30, "301")],
)
def test_a_room_stands_in_the_column_after_its_floor(room, floor, column):
    assert room_column(room, floor) == column


def test_the_grid_can_show_one_building_and_htmx_swaps_only_the_grid(client, hand_counted):
    other = make_building(campaign=hand_counted.campaign, name="2栋")
    make_households(make_unit(building=other, name="1单元"), 3)
    client.force_login(hand_counted.secretary)
    url = reverse("dashboard:grid", args=[hand_counted.campaign.slug])
    response = client.get(url, {"building": other.pk}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="grid"')
    assert "<html" not in response.text
    assert "HX-Request" in response["Vary"]
    assert f'id="unit-{hand_counted.unit.pk}"' not in response.text
    _grid, links = response.text.split('<nav id="grid-filters"')
    assert 'hx-swap-oob="true"' in links  # the building links sit outside the grid
    one = client.get(url, {"building": other.pk}).context["grids"]
    assert [g.unit.building for g in one] == [other]
    for nonsense in ("not-a-building", "²", "-1", "9" * 40):
        assert len(client.get(url, {"building": nonsense}).context["grids"]) == 2


# A fixed number of queries, however big the campaign.


@pytest.mark.parametrize("size", [20, 2000])
@pytest.mark.parametrize("name", ["dashboard:campaign", "dashboard:grid"])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, campaign_of, size, name
):
    campaign, secretary = campaign_of(size)
    client.force_login(secretary)
    # the overview 17: the votes add matters, owner keys and consents to the proposals; one
    # more counts the needs recorded at the door per unit; 2 for the works' late schedule steps
    # and overdue stand-up actions, and 1 to find the works sites (overdue issues, missed days)
    with django_assert_max_num_queries(21 if name == "dashboard:campaign" else 9):
        response = client.get(reverse(name, args=[campaign.slug]))
    assert response.status_code == 200
    if name == "dashboard:campaign":
        assert response.context["funnel"].total == size


def overview_part(response) -> str:
    return response.text.split('<main id="main">')[1].split("</main>")[0]


def test_a_dashboard_is_gone_at_once_when_its_campaign_changes_address(client, hand_counted):
    campaign = hand_counted.campaign
    old = reverse("dashboard:campaign", args=[campaign.slug])
    dashboard(client, hand_counted.secretary, campaign)
    campaign.slug = "renamed"
    campaign.save()
    assert client.get(old).status_code == 404
    assert dashboard(client, hand_counted.secretary, campaign).status_code == 200


def test_the_dashboard_shows_a_new_consent_rule_at_once(client, hand_counted):
    dashboard(client, hand_counted.secretary, hand_counted.campaign)
    hand_counted.campaign.consent_rule = "unanimous"
    hand_counted.campaign.save()
    text = dashboard(client, hand_counted.secretary, hand_counted.campaign).text
    assert "全体同意" in text


def test_the_work_table_counts_only_this_campaigns_visits(client, hand_counted):
    elsewhere = make_campaign(community=hand_counted.campaign.community)
    unit = make_unit(building=make_building(campaign=elsewhere))
    wang = Visit.objects.filter(visitor__username="wang").first().visitor
    make_visit(household=make_household(unit=unit), visitor=wang)
    team = dashboard(client, hand_counted.secretary, hand_counted.campaign).context["team"]
    assert {row["name"]: row["total"] for row in team["rows"]} == {"小王": 3, "小陈": 2}


def test_a_unit_without_households_still_shows(client):
    campaign = make_campaign()
    make_unit(building=make_building(campaign=campaign))
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    response = dashboard(client, secretary, campaign)
    assert response.status_code == 200
    assert "没有住户" in response.text
    grid = dashboard(client, secretary, campaign, "dashboard:grid")
    assert "这个单元还没有录入住户。" in grid.text


def test_a_household_page_is_one_tap_from_the_grid(client, hand_counted):
    household = make_household(unit=hand_counted.unit, floor=5, room="501")
    text = dashboard(client, hand_counted.secretary, hand_counted.campaign, "dashboard:grid").text
    assert f'<a class="cell not_reached" href="{household.get_absolute_url()}"' in text


def test_two_rooms_read_as_one_column_are_both_drawn(client, hand_counted):
    make_household(unit=hand_counted.unit, floor=1, room="01")  # column 01, like 101
    grid = dashboard(
        client, hand_counted.secretary, hand_counted.campaign, "dashboard:grid"
    ).context["grids"][0]
    first_floor = [h.room for h in dict(grid.floors)[1] if h]
    assert sorted(first_floor) == ["01", "101", "102"]
