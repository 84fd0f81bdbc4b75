"""The header shows each role the links to its own pages: the community's staff their
doors, dashboard and public record; the parties' people only theirs."""

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Role
from tests.factories import make_assignment, make_party

pytestmark = pytest.mark.django_db

STAFF_LINKS = ("dashboard:index", "consultations:my_doors", "consultations:activity")


def header_of(user) -> str:
    client = Client()
    client.force_login(user)
    page = client.get(reverse("works:my_tickets")).text  # a page every role may open
    return page.split("</header>")[0]


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.GRID_WORKER, Role.BUILDING_LEAD])
def test_the_communitys_staff_see_their_doors_and_the_dashboard(role):
    header = header_of(make_assignment(role=role).user)
    assert all(reverse(name) in header for name in STAFF_LINKS)


@pytest.mark.parametrize("role", [Role.LAWYER, Role.REVIEWER, Role.CONTRACTOR, Role.MAINTAINER])
def test_the_parties_people_see_no_door_or_dashboard_links(role):
    kw = {"party": make_party(kind="maintainer")} if role == Role.MAINTAINER else {}
    header = header_of(make_assignment(role=role, **kw).user)
    assert not any(reverse(name) in header for name in STAFF_LINKS)


def test_the_lawyer_and_the_reviewer_see_the_review_link():
    for role in (Role.LAWYER, Role.REVIEWER):
        assert reverse("works:review_home") in header_of(make_assignment(role=role).user)


def test_the_maintainer_sees_its_tickets_and_the_contractor_its_issues():
    maintainer = make_assignment(role=Role.MAINTAINER, party=make_party(kind="maintainer"))
    assert reverse("works:my_tickets") in header_of(maintainer.user)
    contractor = make_assignment(role=Role.CONTRACTOR)
    assert reverse("works:my_issues") in header_of(contractor.user)
