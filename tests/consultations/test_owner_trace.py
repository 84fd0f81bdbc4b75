import pytest
from django.urls import reverse

from households.models import Household, OwnerTrace, TraceAttempt
from tests.factories import make_assignment, make_household

pytestmark = pytest.mark.django_db


@pytest.fixture
def absentee(client):
    assignment = make_assignment()
    household = make_household(unit=assignment.unit, occupancy="absentee", floor=5, room="502")
    client.force_login(assignment.user)
    return household, assignment.user


def trace(client, household, htmx=False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("consultations:log_trace", args=[household.pk])
    return client.post(url, data, headers=headers)


def test_an_absentee_household_starts_with_its_owner_untraced(client, absentee):
    household, _worker = absentee
    page = client.get(household.get_absolute_url())
    assert page.context["status"] == "owner_untraced"
    assert "寻找产权人" in page.text


def test_each_contact_attempt_is_kept_and_moves_the_trace_status(client, absentee):
    household, worker = absentee
    assert trace(client, household, method="tenant", result="contact_found", note="租户给了电话")
    response = trace(client, household, method="phone", result="reached")
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.owner_trace == OwnerTrace.REACHED
    attempts = TraceAttempt.objects.filter(household=household).order_by("attempted_at")
    assert [(a.method, a.result, a.worker) for a in attempts] == [
        ("tenant", "contact_found", worker),
        ("phone", "reached", worker),
    ]
    assert client.get(household.get_absolute_url()).context["status"] != "owner_untraced"


def test_an_htmx_attempt_returns_the_trace_panel(client, absentee):
    household, _worker = absentee
    response = trace(client, household, htmx=True, method="relative", result="refused")
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="trace"')
    assert "产权人拒绝沟通" in response.text


def test_a_bad_attempt_is_refused_with_a_message_and_changes_nothing(client, absentee):
    household, _worker = absentee
    for htmx in (False, True):
        response = trace(client, household, htmx=htmx, method="telepathy", result="reached")
        assert response.status_code == 422
        assert "telepathy" in response.text
    assert Household.objects.get(pk=household.pk).owner_trace == OwnerTrace.UNKNOWN
    assert not TraceAttempt.objects.exists()


def test_owners_of_another_unit_cannot_be_traced_from_here(client, absentee):
    stranger = make_household(occupancy="absentee")
    assert trace(client, stranger, method="phone", result="reached").status_code == 404
