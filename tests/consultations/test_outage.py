"""Who needs help while the lift is out: a staff page per campaign, by unit, the most urgent
first, with the primary owner's phone masked; each role sees only its own households."""

import pytest
from django.urls import reverse

from campaigns.models import Role
from households.models import Household, Urgency
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_household,
    make_households,
    make_owner,
    make_unit,
)

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


def outage_url(campaign) -> str:
    return reverse("consultations:outage_help", args=[campaign.slug])


@pytest.fixture
def campaign():
    """A campaign of two buildings; in each, a household needing help and one that does not."""
    campaign = make_campaign()
    rooms = {}
    for name in ("1栋", "2栋"):
        unit = make_unit(building=make_building(campaign=campaign, name=name), floors=9)
        rooms[name] = make_household(
            unit=unit, room="702", floor=7, needs_outage_help=True, lives_alone=True
        )
        make_owner(household=rooms[name], name="王秀英", phone=PHONE)
        make_household(unit=unit, room="101", floor=1, elderly=True)
    return campaign, rooms


def test_the_secretary_sees_everyone_who_needs_help_with_masked_phones(client, campaign):
    campaign, _rooms = campaign
    client.force_login(make_assignment(role=Role.SECRETARY, community=campaign.community).user)
    response = client.get(outage_url(campaign))
    assert response.status_code == 200
    html = response.text
    assert "1栋" in html and "2栋" in html and html.count(">702<") == 2
    assert ">101<" not in html  # over 70, but no help asked for during the works
    assert PHONE not in html and "138****5678" in html and "王*" in html and "独居" in html


def test_a_grid_worker_sees_only_the_households_of_their_unit(client, campaign):
    campaign, rooms = campaign
    worker = make_assignment(unit=rooms["1栋"].unit)
    client.force_login(worker.user)
    html = client.get(outage_url(campaign)).text
    assert rooms["1栋"].get_absolute_url() in html
    assert rooms["2栋"].get_absolute_url() not in html


def test_a_stranger_and_a_visitor_cannot_see_the_list(client, campaign):
    campaign, _rooms = campaign
    assert client.get(outage_url(campaign)).status_code == 302  # to the login page
    client.force_login(make_assignment().user)  # a worker of another campaign
    assert client.get(outage_url(campaign)).status_code == 404


def test_the_most_urgent_come_first_within_a_unit(client, campaign):
    campaign, rooms = campaign
    unit = rooms["1栋"].unit
    make_household(unit=unit, room="302", floor=3, needs_outage_help=True, urgency=Urgency.URGENT)
    client.force_login(make_assignment(unit=unit).user)
    html = client.get(outage_url(campaign)).text
    assert html.index(">302<") < html.index(">702<")


def test_the_list_prints_as_a_pdf(client, campaign):
    campaign, rooms = campaign
    client.force_login(make_assignment(unit=rooms["1栋"].unit).user)
    response = client.get(reverse("consultations:outage_help_pdf", args=[campaign.slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("size", [10, 300])
def test_the_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    campaign = make_campaign()
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    for _ in range(3):
        unit = make_unit(building=make_building(campaign=campaign), floors=30)
        households = make_households(unit, size // 3, per_floor=10)
        Household.objects.filter(pk__in=[h.pk for h in households]).update(needs_outage_help=True)
        for household in households[::2]:
            make_owner(household=household, phone=PHONE)
    client.force_login(secretary)
    with django_assert_max_num_queries(8):
        response = client.get(outage_url(campaign))
    assert response.status_code == 200


def test_the_dashboard_counts_the_needs_per_unit(client, campaign):
    campaign, _rooms = campaign
    client.force_login(make_assignment(role=Role.SECRETARY, community=campaign.community).user)
    html = client.get(reverse("dashboard:campaign", args=[campaign.slug])).text
    needs = html.split('id="needs"')[1].split("</section>")[0]
    assert outage_url(campaign) in needs
    total = needs.split("<tfoot>")[1]
    # over 70, mobility, alone, help, urgent, urgency not known
    cells = [c.split("<")[0] for c in total.split('<td class="num">')[1:]]
    assert cells == ["2", "0", "2", "2", "0", "4"]
