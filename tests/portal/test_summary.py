"""The day's summary for the residents' group chat: published things and counts only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Role
from portal.summary import daily_summary
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_decision,
    make_elevator,
    make_household,
    make_meeting,
    make_milestone,
    make_owner,
    make_question,
    make_unit,
    make_update,
    make_user,
)
from works.scheduling import create_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    campaign = make_campaign(title="宁康园电梯更新")
    unit = make_unit(building=make_building(campaign=campaign, name="1栋"), name="1单元")
    for floor in (2, 3):
        household = make_household(unit=unit, floor=floor, elderly=True, needs_note="独居")
        make_owner(household=household, name=f"欧阳建{floor}", phone=f"1390000000{floor}")
    return campaign


def test_the_summary_has_todays_progress_decisions_answers_and_counts(campaign):
    yesterday = timezone.now() - timedelta(days=1)
    make_update(campaign=campaign, title="今天拆旧电梯", body="欧阳建2家门口已清理")
    make_update(campaign=campaign, title="昨天的事", published_at=yesterday)
    make_update(campaign=campaign, title="草稿的事", status="draft")
    meeting = make_meeting(campaign=campaign, held_at=timezone.now())
    make_decision(meeting=meeting, text="中午不施工", is_commitment=True)
    make_decision(meeting=make_meeting(campaign=campaign, published_at=None), text="内部决定")
    make_question(campaign=campaign, body="一楼出钱吗？", answer="免出资", status="published")
    make_question(campaign=campaign, body="没审核的", answer="还没审核", status="answered")
    make_milestone(campaign=campaign, title="旧电梯拆除", planned_on=timezone.localdate())
    text = daily_summary(campaign, timezone.localdate(), "https://portal.example/c/x/")
    assert text.startswith("【宁康园电梯更新】")
    for wanted in ("今天拆旧电梯", "中午不施工", "对居民的承诺", "问：一楼出钱吗？", "答：免出资"):
        assert wanted in text
    assert "1栋1单元：2 户，已签字 0 户（0%），同意 0 户" in text
    assert "下一个节点：旧电梯拆除" in text and "https://portal.example/c/x/" in text
    for absent in ("昨天的事", "草稿的事", "内部决定", "没审核的", "欧阳建", "13900000002", "独居"):
        assert absent not in text


def test_the_secretary_copies_the_summary_from_the_portal(client, campaign):
    client.force_login(make_assignment(role=Role.SECRETARY, community=campaign.community).user)
    url = reverse("daily_summary", args=[campaign.slug])
    page = client.get(url)
    assert page.status_code == 200 and "【宁康园电梯更新】" in page.text
    assert 'data-copy="#summary-text"' in page.text
    plain = client.get(url, {"format": "text"})
    assert plain["Content-Type"].startswith("text/plain")
    assert plain.content.decode().startswith("【宁康园电梯更新】")


def test_a_day_that_does_not_exist_falls_back_to_today(client, campaign):
    client.force_login(make_assignment(role=Role.SECRETARY, community=campaign.community).user)
    url = reverse("daily_summary", args=[campaign.slug])
    assert client.get(url, {"day": "2026-02-30"}).status_code == 200
    assert client.get(url, {"day": "nonsense"}).status_code == 200


def test_only_staff_of_the_campaign_see_the_summary(client, campaign):
    assert client.get(reverse("daily_summary", args=[campaign.slug])).status_code == 302
    client.force_login(make_assignment(role=Role.SECRETARY).user)
    assert client.get(reverse("daily_summary", args=[campaign.slug])).status_code == 404


@pytest.mark.parametrize("size", [3, 30])
def test_the_summary_takes_a_fixed_number_of_queries(campaign, django_assert_max_num_queries, size):
    for _ in range(size):
        make_update(campaign=campaign)
        make_question(campaign=campaign, status="published")
        make_decision(meeting=make_meeting(campaign=campaign, held_at=timezone.now()))
    # 11: the votes add the published proposals, their matters, owner keys and consents; the
    # works sites; the late schedule steps
    with django_assert_max_num_queries(11):
        daily_summary(campaign, timezone.localdate(), "/c/x/")


def test_the_summary_names_each_late_schedule_step_and_how_late_it_is(client, campaign):
    elevator = make_elevator(unit=make_unit(building=make_building(campaign=campaign)))
    today = timezone.localdate()
    site = create_schedule(elevator, today + timedelta(days=60), make_user())
    first = site.steps.order_by("order").first()
    first.planned_end = today - timedelta(days=3)
    first.planned_start = first.planned_end - timedelta(days=5)
    first.save()
    text = daily_summary(campaign, today, "http://example.org/")
    assert "■ 工期" in text
    assert f"{site}：{first.get_kind_display()} 已逾期 3 天" in text
