"""The reverse-scheduled timeline: milestones planned N days before the target opening date."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from campaigns.models import Milestone, Role
from tests.factories import (
    make_assignment,
    make_building,
    make_campaign,
    make_milestone,
    make_unit,
)

pytestmark = pytest.mark.django_db

OPENING = date(2027, 4, 8)


@pytest.fixture
def campaign():
    return make_campaign(target_open_date=OPENING)


def add(client, campaign, **fields):
    data = {"title": "旧电梯拆除", "lead_days": "", "planned_on": "", "done_on": "", "notes": ""}
    return client.post(reverse("campaigns:add_milestone", args=[campaign.slug]), data | fields)


def test_a_milestone_planned_days_before_opening_gets_its_date(client, campaign, secretary):
    client.force_login(secretary)
    assert add(client, campaign, lead_days="80").status_code == 302
    assert Milestone.objects.get().planned_on == OPENING - timedelta(days=80)


def test_a_milestone_may_have_a_plain_date_instead(client, campaign, secretary):
    client.force_login(secretary)
    add(client, campaign, planned_on="2027-01-15")
    milestone = Milestone.objects.get()
    assert (milestone.planned_on, milestone.lead_days) == (date(2027, 1, 15), None)


def test_a_milestone_needs_a_date_or_days_before_opening(client, campaign, secretary):
    client.force_login(secretary)
    response = add(client, campaign, title="律师审核合同")
    assert response.status_code == 422
    assert "请填写计划日期，或填写启用前天数" in response.text
    assert "律师审核合同" in response.text
    assert not Milestone.objects.exists()


def test_days_before_opening_need_a_target_date(client, secretary):
    campaign = make_campaign(community=secretary.assignments.get().community)
    client.force_login(secretary)
    response = add(client, campaign, lead_days="30")
    assert response.status_code == 422 and "还没有设定目标启用日期" in response.text


def test_two_milestones_may_not_share_a_name(client, campaign, secretary):
    make_milestone(campaign=campaign, title="旧电梯拆除")
    client.force_login(secretary)
    response = add(client, campaign, planned_on="2027-01-15")
    assert response.status_code == 422 and "同名" in response.text


def test_moving_the_target_date_moves_every_reverse_scheduled_milestone(
    client, campaign, secretary
):
    counted = make_milestone(campaign=campaign, lead_days=30, planned_on=OPENING)
    fixed = make_milestone(campaign=campaign, planned_on=date(2027, 1, 1))
    client.force_login(secretary)
    response = client.post(
        reverse("campaigns:set_target", args=[campaign.slug]), {"target_open_date": "2027-05-01"}
    )
    assert response.status_code == 302
    counted.refresh_from_db()
    fixed.refresh_from_db()
    assert counted.planned_on == date(2027, 4, 1)
    assert fixed.planned_on == date(2027, 1, 1)


def test_a_bad_target_date_is_refused_with_a_message(client, campaign, secretary):
    client.force_login(secretary)
    url = reverse("campaigns:set_target", args=[campaign.slug])
    response = client.post(url, {"target_open_date": "2027-02-30"})
    assert response.status_code == 422
    campaign.refresh_from_db()
    assert campaign.target_open_date == OPENING


@pytest.mark.parametrize("days", ["3651", "800000", "99999999999999"])
def test_days_before_opening_beyond_ten_years_are_refused_with_a_message(
    client, campaign, secretary, days
):
    client.force_login(secretary)
    response = add(client, campaign, lead_days=days)
    assert response.status_code == 422 and "3650" in response.text
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-02", "1999-12-31", "2101-01-01"])
def test_a_target_date_out_of_any_real_schedule_is_refused_with_a_message(
    client, campaign, secretary, day
):
    make_milestone(campaign=campaign, lead_days=30, planned_on=OPENING)
    client.force_login(secretary)
    url = reverse("campaigns:set_target", args=[campaign.slug])
    response = client.post(url, {"target_open_date": day})
    assert response.status_code == 422 and ("2000" in response.text or "2100" in response.text)
    campaign.refresh_from_db()
    assert campaign.target_open_date == OPENING


def test_a_grid_worker_marks_a_milestone_reached_but_cannot_move_the_target(client, campaign):
    worker = make_assignment(
        role=Role.GRID_WORKER, unit=make_unit(building=make_building(campaign=campaign))
    ).user
    milestone = make_milestone(campaign=campaign, title="入户走访", planned_on=date(2026, 11, 1))
    client.force_login(worker)
    url = reverse("campaigns:edit_milestone", args=[campaign.slug, milestone.pk])
    data = {"title": "入户走访", "planned_on": "2026-11-01", "done_on": "2026-11-03"}
    assert client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == date(2026, 11, 3) and milestone.days_late == 2
    target = reverse("campaigns:set_target", args=[campaign.slug])
    assert client.post(target, {"target_open_date": "2027-05-01"}).status_code == 403


def test_a_grid_worker_may_mark_a_milestone_reached_but_not_rewrite_it(
    client, campaign, grid_worker
):
    milestone = make_milestone(
        campaign=campaign, title="入户走访", planned_on=date(2026, 11, 1), notes="每户都要到"
    )
    client.force_login(grid_worker)
    url = reverse("campaigns:edit_milestone", args=[campaign.slug, milestone.pk])
    page = client.get(url).text
    assert 'name="done_on"' in page and 'name="title"' not in page and 'name="notes"' not in page
    rewritten = {"title": "改名", "planned_on": "2027-03-01", "notes": "不用去了"}
    assert client.post(url, {**rewritten, "done_on": "2026-11-03"}).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.planned_on, milestone.notes) == (
        "入户走访",
        date(2026, 11, 1),
        "每户都要到",
    )
    assert milestone.done_on == date(2026, 11, 3)


def test_the_secretary_keeps_full_edit_of_a_milestone(client, campaign, secretary):
    milestone = make_milestone(campaign=campaign, title="入户走访", planned_on=date(2026, 11, 1))
    client.force_login(secretary)
    url = reverse("campaigns:edit_milestone", args=[campaign.slug, milestone.pk])
    data = {"title": "入户走访（第二轮）", "lead_days": "", "planned_on": "2026-12-01"}
    assert client.post(url, {**data, "done_on": "", "notes": "补访"}).status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.planned_on, milestone.notes) == (
        "入户走访（第二轮）",
        date(2026, 12, 1),
        "补访",
    )


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
@pytest.mark.parametrize("field", ["planned_on", "done_on"])
def test_a_milestone_date_out_of_any_real_schedule_is_refused_with_a_message(
    client, campaign, secretary, field, day
):
    client.force_login(secretary)
    dates = {"planned_on": "2027-01-15", field: day}
    response = add(client, campaign, title="律师审核合同", **dates)
    assert response.status_code == 422
    assert "日期须在 2000-01-01 至 2100-12-31 之间" in response.text
    assert "律师审核合同" in response.text
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_grid_worker_cannot_mark_a_milestone_reached_out_of_any_real_schedule(
    client, campaign, grid_worker, day
):
    milestone = make_milestone(campaign=campaign, planned_on=date(2026, 11, 1))
    client.force_login(grid_worker)
    url = reverse("campaigns:edit_milestone", args=[campaign.slug, milestone.pk])
    response = client.post(url, {"done_on": day})
    assert response.status_code == 422
    assert "日期须在 2000-01-01 至 2100-12-31 之间" in response.text
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_the_public_timeline_shows_planned_and_actual_dates(client, campaign):
    make_milestone(
        campaign=campaign, title="入户走访", planned_on=date(2026, 11, 1), done_on=date(2026, 11, 3)
    )
    make_milestone(campaign=campaign, title="新电梯投入使用", planned_on=OPENING)
    text = client.get(campaign.get_absolute_url()).text
    assert "计划 2026-11-01" in text and "2026-11-03 已完成" in text and "晚了 2 天" in text
    assert "2027-04-08 新电梯投入使用" in text
    assert text.index("入户走访") < text.index("新电梯投入使用</strong>")


@pytest.mark.parametrize("size", [3, 30])
def test_the_milestone_page_runs_a_fixed_number_of_queries(
    client, campaign, secretary, django_assert_max_num_queries, size
):
    for n in range(size):
        make_milestone(campaign=campaign, lead_days=n)
    client.force_login(secretary)
    with django_assert_max_num_queries(8):
        client.get(reverse("campaigns:milestones", args=[campaign.slug]))


def test_the_timeline_shows_its_secretarys_forms_only_to_this_communitys_secretary(
    client, campaign, secretary, grid_worker
):
    """A grid worker here who is secretary of another community sees a grid worker's page."""
    make_assignment(grid_worker, Role.SECRETARY)  # of another community
    url = reverse("campaigns:milestones", args=[campaign.slug])
    add = reverse("campaigns:add_milestone", args=[campaign.slug])
    target = reverse("campaigns:set_target", args=[campaign.slug])
    client.force_login(grid_worker)
    page = client.get(url).text
    assert add not in page and target not in page
    client.force_login(secretary)
    page = client.get(url).text
    assert add in page and target in page
