"""Staff record coordination meetings with attendees and decisions, and move each decision on."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Meeting, MeetingDecision, Role
from tests.factories import (
    make_assignment,
    make_building,
    make_decision,
    make_meeting,
    make_unit,
)

pytestmark = pytest.mark.django_db


def meeting_form(**overrides) -> dict:
    data = {
        "title": "施工协调会",
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": "架空层",
        "unit": "",
        "attendees": "物业、施工单位、居民代表6人",
        "summary": "商定施工安排。",
        "publish": "on",
        "decisions-TOTAL_FORMS": "3",
        "decisions-INITIAL_FORMS": "0",
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "20",
        "decisions-0-text": "中午12点到2点不施工",
        "decisions-0-is_commitment": "on",
        "decisions-0-status": "open",
        "decisions-1-text": "材料走北侧通道",
        "decisions-1-is_commitment": "on",
        "decisions-1-status": "in_progress",
        "decisions-2-text": "",
        "decisions-2-status": "open",
    }
    return {**data, **overrides}


def test_a_grid_worker_records_a_meeting_with_its_decisions(client, campaign, grid_worker):
    client.force_login(grid_worker)
    response = client.post(reverse("campaigns:new_meeting", args=[campaign.slug]), meeting_form())
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.attendees == "物业、施工单位、居民代表6人" and meeting.is_published
    decisions = list(meeting.decisions.values_list("text", "is_commitment", "status"))
    assert decisions == [
        ("中午12点到2点不施工", True, "open"),
        ("材料走北侧通道", True, "in_progress"),
    ]
    client.logout()
    text = client.get(campaign.get_absolute_url()).text
    assert "中午12点到2点不施工" in text and "落实中" in text
    assert "居民代表6人" not in text  # attendees are for staff


def test_a_meeting_kept_internal_is_not_on_the_project_page(client, campaign, grid_worker):
    client.force_login(grid_worker)
    client.post(
        reverse("campaigns:new_meeting", args=[campaign.slug]),
        meeting_form(publish="", **{"decisions-0-text": "内部讨论的事"}),
    )
    assert not Meeting.objects.get().is_published
    client.logout()
    assert "内部讨论的事" not in client.get(campaign.get_absolute_url()).text


def test_a_meeting_without_a_time_is_refused_and_keeps_what_was_typed(
    client, campaign, grid_worker
):
    client.force_login(grid_worker)
    response = client.post(
        reverse("campaigns:new_meeting", args=[campaign.slug]), meeting_form(held_at="")
    )
    assert response.status_code == 422
    assert "中午12点到2点不施工" in response.text and "架空层" in response.text
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "1999-12-31T07:59"])
def test_a_meeting_held_before_2000_is_refused_with_a_message(client, campaign, grid_worker, when):
    client.force_login(grid_worker)
    url = reverse("campaigns:new_meeting", args=[campaign.slug])
    response = client.post(url, meeting_form(held_at=when))
    assert response.status_code == 422 and "2000" in response.text
    assert not Meeting.objects.exists()


def test_a_unit_of_another_campaign_cannot_be_chosen(client, campaign, grid_worker):
    elsewhere = make_unit()
    client.force_login(grid_worker)
    response = client.post(
        reverse("campaigns:new_meeting", args=[campaign.slug]), meeting_form(unit=elsewhere.pk)
    )
    assert response.status_code == 422
    assert not Meeting.objects.exists()


def test_a_decision_moves_on_and_the_public_page_shows_its_status(client, campaign, grid_worker):
    decision = make_decision(meeting=make_meeting(campaign=campaign), text="恢复草坪")
    client.force_login(grid_worker)
    url = reverse("campaigns:decision_status", args=[campaign.slug, decision.pk])
    assert client.post(url, {"status": "done"}).status_code == 302
    decision.refresh_from_db()
    assert decision.status == MeetingDecision.Status.DONE
    response = client.post(url, {"status": "in_progress"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and f'id="decision-{decision.pk}"' in response.text
    assert "<html" not in response.text
    client.logout()
    assert "落实中" in client.get(campaign.get_absolute_url()).text


def test_an_unknown_status_changes_nothing(client, campaign, grid_worker):
    decision = make_decision(meeting=make_meeting(campaign=campaign))
    client.force_login(grid_worker)
    url = reverse("campaigns:decision_status", args=[campaign.slug, decision.pk])
    assert (
        client.post(url, {"status": "cancelled"}, headers={"HX-Request": "true"}).status_code == 422
    )
    decision.refresh_from_db()
    assert decision.status == MeetingDecision.Status.OPEN


def test_a_building_lead_may_read_meetings_but_not_record_them(client, campaign):
    lead = make_assignment(role=Role.BUILDING_LEAD, building=make_building(campaign=campaign))
    client.force_login(lead.user)
    assert client.get(reverse("campaigns:meetings", args=[campaign.slug])).status_code == 200
    url = reverse("campaigns:new_meeting", args=[campaign.slug])
    assert client.post(url, meeting_form()).status_code == 403


@pytest.mark.parametrize("size", [3, 30])
def test_the_meeting_list_runs_a_fixed_number_of_queries(
    client, campaign, grid_worker, django_assert_max_num_queries, size
):
    for _ in range(size):
        meeting = make_meeting(
            campaign=campaign, unit=make_unit(building=make_building(campaign=campaign))
        )
        make_decision(meeting=meeting)
        make_decision(meeting=meeting, is_commitment=True)
    client.force_login(grid_worker)
    with django_assert_max_num_queries(9):
        client.get(reverse("campaigns:meetings", args=[campaign.slug]))
