"""The admin's visit form moves a door's stored status as the domain methods do."""

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import Household
from tests.factories import make_user, make_visit

pytestmark = pytest.mark.django_db


def test_a_visit_corrected_in_the_admin_moves_the_door_status(client):
    visit = make_visit(attitude="support")
    client.force_login(make_user(is_staff=True, is_superuser=True))
    visited_at = timezone.localtime(visit.visited_at)
    response = client.post(
        reverse("admin:consultations_visit_change", args=[visit.pk]),
        {
            "household": visit.household_id,
            "visitor": visit.visitor_id,
            "visited_at_0": visited_at.strftime("%Y-%m-%d"),
            "visited_at_1": visited_at.strftime("%H:%M:%S"),
            "channel": "door",
            "reached": "owner",
            "attitude": "oppose",
            "notes": "",
            "next_step": "",
            "next_step_on": "",
            "concerns-TOTAL_FORMS": "0",
            "concerns-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Household.objects.get(pk=visit.household_id).last_attitude == "oppose"
