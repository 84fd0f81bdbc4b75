"""The works pages point the staff to the residents of the unit who need help while its lift
is out (consultations:outage_help); the parties' people, who see no household, get no link."""

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Role
from tests.factories import make_assignment, make_site

pytestmark = pytest.mark.django_db


def page(user, url) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.text


@pytest.fixture
def site():
    return make_site()


def outage_link(site) -> str:
    campaign = site.elevator.unit.building.campaign
    return (
        f"{reverse('consultations:outage_help', args=[campaign.slug])}#unit-{site.elevator.unit_id}"
    )


def test_the_site_schedule_links_the_secretary_to_the_units_residents_needing_help(site):
    campaign = site.elevator.unit.building.campaign
    secretary = make_assignment(role=Role.SECRETARY, community=campaign.community).user
    url = reverse("works:site_schedule", args=[campaign.slug, site.pk])
    assert outage_link(site) in page(secretary, url)


def test_the_site_inspection_page_links_the_grid_worker_to_them(site):
    worker = make_assignment(role=Role.GRID_WORKER, unit=site.elevator.unit).user
    url = reverse("works:site_inspections", args=[site.pk])
    assert outage_link(site) in page(worker, url)
