import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Assignment
from consultations.views.household import OFFLINE_REPLAY
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


def test_an_attempt_sent_again_with_its_key_is_recorded_once(client, absentee):
    household, _worker = absentee
    key = str(uuid.uuid4())
    for htmx in (False, True, True):
        response = trace(
            client, household, htmx=htmx, method="phone", result="reached", idempotency_key=key
        )
        assert response.status_code in (200, 302)
    attempt = TraceAttempt.objects.get()
    assert str(attempt.idempotency_key) == key


def test_an_attempt_saved_offline_keeps_when_it_was_made_and_when_it_arrived(client, absentee):
    household, _worker = absentee
    made = timezone.now() - timedelta(hours=3)
    trace(client, household, method="phone", result="reached", attempted_at=made.isoformat())
    attempt = TraceAttempt.objects.get()
    assert attempt.attempted_at == made
    assert attempt.received_at > made + timedelta(hours=2)


def test_an_attempt_dated_in_the_future_is_refused_and_saves_nothing(client, absentee):
    household, _worker = absentee
    later = timezone.now() + timedelta(hours=1)
    response = trace(client, household, method="phone", result="reached", attempted_at=later)
    assert response.status_code == 422
    assert "时间不能晚于现在" in response.text
    assert not TraceAttempt.objects.exists()


def test_an_offline_attempt_for_a_household_no_longer_in_scope_is_refused_in_words(
    client, absentee
):
    household, worker = absentee
    Assignment.objects.filter(user=worker).delete()  # the assignment ended meanwhile
    url = reverse("consultations:log_trace", args=[household.pk])
    data = {"method": "phone", "result": "reached"}
    response = client.post(url, data, headers={"HX-Request": "true", OFFLINE_REPLAY: "1"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")
    assert "已不在您负责的范围内" in response.text
    assert not TraceAttempt.objects.exists()
