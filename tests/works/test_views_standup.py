# ruff: noqa: F811 (the fixtures imported from tests.works.schedule_people)
"""The daily stand-up: recorded on a phone by the secretary or a grid worker, with actions
that carry over until someone closes them, and the overdue ones in sight."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import PartyKind
from tests.factories import make_party
from tests.works.schedule_people import (  # noqa: F401
    building_lead,
    campaign,
    grid_worker,
    parties,
    secretary,
    unit,
    voted,
)
from works.models import ActionItem, StandUp

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def url(name, campaign, pk=None):
    return reverse(f"works:{name}", args=[campaign.slug] + ([pk] if pk else []))


def stand_up_data(day, attendees=(), actions=(), **fields):
    data = {
        "held_on": day.isoformat(),
        "attendees": [p.pk for p in attendees],
        "done_yesterday": "围挡搭好",
        "plan_today": "拆除轿厢",
        "blockers": "",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "10",
    }
    for n, (text, owner, due) in enumerate(actions):
        data |= {
            f"actions-{n}-text": text,
            f"actions-{n}-owner": owner.pk if owner else "",
            f"actions-{n}-due_on": due.isoformat(),
        }
    return data | fields


def test_a_grid_worker_records_a_stand_up_with_its_actions(
    client, campaign, grid_worker, parties, today
):
    client.force_login(grid_worker)
    contractor = parties[PartyKind.CONTRACTOR]
    data = stand_up_data(
        today,
        attendees=parties.values(),
        actions=[("清运建筑垃圾", contractor, today), ("张贴停梯通知", None, today + timedelta(1))],
    )
    response = client.post(url("new_standup", campaign), data)
    stand_up = StandUp.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("standup", campaign, stand_up.pk)
    assert set(stand_up.attendees.all()) == set(parties.values())
    assert stand_up.recorded_by == grid_worker
    assert [(a.text, a.owner) for a in stand_up.actions.order_by("pk")] == [
        ("清运建筑垃圾", contractor),
        ("张贴停梯通知", None),
    ]


def test_a_stand_up_in_the_future_or_twice_on_a_day_is_refused(client, campaign, secretary, today):
    client.force_login(secretary)
    response = client.post(url("new_standup", campaign), stand_up_data(today + timedelta(1)))
    assert response.status_code == 422
    assert "碰头会日期不能晚于今天。" in response.content.decode()
    assert client.post(url("new_standup", campaign), stand_up_data(today)).status_code == 302
    response = client.post(url("new_standup", campaign), stand_up_data(today))
    assert response.status_code == 422
    assert "这一天的碰头会已经记录过了。" in response.content.decode()


def test_a_party_of_another_campaign_cannot_attend_or_own_an_action(
    client, campaign, secretary, today
):
    client.force_login(secretary)
    stranger = make_party()
    data = stand_up_data(today, attendees=[stranger], actions=[("事", stranger, today)])
    response = client.post(url("new_standup", campaign), data)
    assert response.status_code == 422
    assert not StandUp.objects.exists()


def test_an_action_without_a_due_date_is_refused_with_the_typed_text_kept(
    client, campaign, secretary, today
):
    client.force_login(secretary)
    data = stand_up_data(today, actions=[("修补草坪", None, today)])
    data["actions-0-due_on"] = ""
    response = client.post(url("new_standup", campaign), data)
    body = response.content.decode()
    assert response.status_code == 422
    assert "请填写完成期限。" in body and "修补草坪" in body


@pytest.fixture
def carried(campaign, secretary, today, parties):
    """Yesterday's stand-up with an open action due yesterday (overdue) and a closed one."""
    yesterday = today - timedelta(days=1)
    stand_up = StandUp.objects.create(campaign=campaign, held_on=yesterday, recorded_by=secretary)
    overdue = ActionItem.objects.create(
        stand_up=stand_up, text="加固围挡", owner=parties[PartyKind.CONTRACTOR], due_on=yesterday
    )
    ActionItem.objects.create(
        stand_up=stand_up,
        text="已完成的事",
        due_on=yesterday,
        closed_on=yesterday,
        closed_by=secretary,
        closing_note="好了",
    )
    return overdue


def test_the_next_stand_up_lists_every_open_action_to_close(client, campaign, grid_worker, carried):
    client.force_login(grid_worker)
    body = client.get(url("new_standup", campaign)).content.decode()
    assert "加固围挡" in body and "已逾期" in body
    assert "已完成的事" not in body
    assert url("close_action", campaign, carried.pk) in body


def test_closing_an_action_records_who_when_and_how(client, campaign, grid_worker, carried, today):
    client.force_login(grid_worker)
    data = {
        f"close-{carried.pk}-closed_on": today.isoformat(),
        f"close-{carried.pk}-closing_note": "已加固",
    }
    response = client.post(url("close_action", campaign, carried.pk), data)
    assert response.status_code == 302
    carried.refresh_from_db()
    assert (carried.closed_on, carried.closed_by, carried.closing_note) == (
        today,
        grid_worker,
        "已加固",
    )
    page = client.get(url("new_standup", campaign)).content.decode()
    assert url("close_action", campaign, carried.pk) not in page


@pytest.mark.parametrize(
    ("days", "note", "message"),
    [
        (0, "", "请写一句完成情况。"),
        (1, "好了", "完成日期不能晚于今天。"),
        (-5, "好了", "完成日期不能早于布置这项工作的碰头会。"),
    ],
)
def test_closing_an_action_needs_a_note_and_a_sensible_date(
    client, campaign, secretary, carried, today, days, note, message
):
    client.force_login(secretary)
    day = (today + timedelta(days=days)).isoformat()
    data = {f"close-{carried.pk}-closed_on": day, f"close-{carried.pk}-closing_note": note}
    response = client.post(url("close_action", campaign, carried.pk), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    carried.refresh_from_db()
    assert carried.closed_on is None


def test_closing_with_htmx_swaps_the_action_alone(client, campaign, secretary, carried, today):
    client.force_login(secretary)
    data = {
        f"close-{carried.pk}-closed_on": today.isoformat(),
        f"close-{carried.pk}-closing_note": "已加固",
    }
    response = client.post(
        url("close_action", campaign, carried.pk), data, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<li id="action-{carried.pk}"') and "已完成" in body


def test_the_secretary_sees_what_is_overdue_on_the_list_and_the_dashboard(
    client, campaign, secretary, carried
):
    client.force_login(secretary)
    overdue = client.get(url("standups", campaign)).content.decode()
    assert "逾期未完成的事项" in overdue and "加固围挡" in overdue
    dashboard = client.get(reverse("dashboard:campaign", args=[campaign.slug])).content.decode()
    assert "碰头会布置的 1 项工作已逾期" in dashboard and "加固围挡" in dashboard


def test_building_leads_do_not_record_stand_ups(client, campaign, building_lead, carried, today):
    client.force_login(building_lead)
    assert client.get(url("standups", campaign)).status_code == 403
    assert client.post(url("new_standup", campaign), stand_up_data(today)).status_code == 403
    assert client.post(url("close_action", campaign, carried.pk)).status_code == 403
