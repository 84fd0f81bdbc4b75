from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Role
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_household,
    make_unit,
    make_user,
    make_visit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    """Two workers in one community, with visits today and earlier."""
    first = make_assignment(user=make_user("worker-a", first_name="小王"))
    community = first.community
    second = make_assignment(user=make_user("worker-b", first_name="小陈"), unit=first.unit)
    households = [make_household(unit=first.unit, floor=n, room=f"{n}01") for n in range(1, 4)]
    now = timezone.now()
    make_visit(household=households[0], visitor=first.user, visited_at=now)
    make_visit(household=households[1], visitor=first.user, visited_at=now)
    make_visit(household=households[2], visitor=second.user, visited_at=now - timedelta(days=3))
    secretary = make_assignment(role=Role.SECRETARY, community=community).user
    return first.user, second.user, secretary


def test_a_worker_sees_what_they_logged_today_and_not_the_team_table(client, team):
    first, _second, _secretary = team
    client.force_login(first)
    context = client.get(reverse("consultations:activity")).context
    assert len(context["mine_today"]) == 2
    assert context["team"] is None


def test_the_secretary_sees_visits_per_worker_per_day(client, team, django_assert_max_num_queries):
    _first, _second, secretary = team
    client.force_login(secretary)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("consultations:activity"))
    table = response.context["team"]
    rows = {row["name"]: row for row in table["rows"]}
    assert rows["小王"]["cells"][0] == 2  # today
    assert rows["小王"]["total"] == 2
    assert rows["小陈"]["cells"][3] == 1  # three days ago
    assert len(table["days"]) == 14


def test_a_worker_here_who_is_secretary_elsewhere_sees_only_the_team_of_their_community(
    client, team
):
    first, _second, _secretary = team
    elsewhere = make_assignment(first, Role.SECRETARY).community
    theirs = make_assignment(
        unit=make_unit(building=make_building(campaign=make_campaign(community=elsewhere)))
    ).unit
    make_visit(household=make_household(unit=theirs), visitor=make_user(first_name="小李"))
    client.force_login(first)
    context = client.get(reverse("consultations:activity")).context
    assert len(context["mine_today"]) == 2  # their own doors here
    assert {row["name"] for row in context["team"]["rows"]} == {"小李"}
