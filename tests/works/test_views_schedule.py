# ruff: noqa: F811 (the fixtures imported from tests.works.schedule_people)
"""The schedule pages: the secretary starts, plans and marks a site's schedule and moves its
opening date; the gate refuses the start step with its reasons; grid workers and leads read
their sites' schedules; the timeline draws every elevator on the page and in print."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from campaigns.models import PartyKind
from tests.factories import make_elevator, make_unit, make_voted_unit
from tests.works.schedule_people import (  # noqa: F401
    building_lead,
    campaign,
    elevator,
    grid_worker,
    parties,
    secretary,
    unit,
    voted,
    worker_elsewhere,
)
from tests.works.test_scheduling import open_gate
from works import gate, scheduling
from works.models import START_STEP, StepKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def site(elevator, secretary, parties, today):
    """A schedule opening in 200 days: nothing late yet."""
    return scheduling.create_schedule(elevator, today + timedelta(days=200), secretary)


def url(name, campaign, pk=None):
    return reverse(f"works:{name}", args=[campaign.slug] + ([pk] if pk else []))


def mark(client, campaign, step, start="", end="", **headers):
    data = {f"step-{step.pk}-actual_start": start, f"step-{step.pk}-actual_end": end}
    return client.post(url("mark_step", campaign, step.pk), data, headers=headers)


def test_the_secretary_starts_a_schedule_counted_back_from_the_opening_date(
    client, campaign, elevator, secretary, today
):
    client.force_login(secretary)
    opening = today + timedelta(days=150)
    data = {"elevator": elevator.pk, "target_open_date": opening.isoformat()}
    response = client.post(url("start_schedule", campaign), data)
    site = elevator.site
    assert response.status_code == 302
    assert response["Location"] == url("site_schedule", campaign, site.pk)
    assert site.steps.get(kind=StepKind.OPENING).planned_end == opening


def test_starting_without_a_date_says_so(client, campaign, elevator, secretary):
    client.force_login(secretary)
    response = client.post(url("start_schedule", campaign), {"elevator": elevator.pk})
    assert response.status_code == 422
    assert "请填写目标开通日期。" in response.content.decode()


def test_an_elevator_of_another_campaign_cannot_be_scheduled(client, campaign, secretary, today):
    client.force_login(secretary)
    data = {"elevator": make_elevator().pk, "target_open_date": today.isoformat()}
    response = client.post(url("start_schedule", campaign), data)
    assert response.status_code == 422


def test_the_secretary_marks_a_step_started_and_done(client, campaign, site, secretary, today):
    client.force_login(secretary)
    survey = site.steps.get(kind=StepKind.SURVEY_DESIGN)
    day = today - timedelta(days=2)
    response = mark(client, campaign, survey, day.isoformat(), today.isoformat())
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.actual_start, survey.actual_end, survey.marked_by) == (day, today, secretary)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (1, None, "实际日期不能晚于今天。"),
        (0, 1, "实际日期不能晚于今天。"),
        (None, 0, "请先填写实际开始日期。"),
        (0, -1, "实际完成日期不能早于实际开始日期。"),
    ],
)
def test_a_mark_in_the_future_or_out_of_order_is_refused_with_a_reason(
    client, campaign, site, secretary, today, start, end, message
):
    client.force_login(secretary)
    survey = site.steps.get(kind=StepKind.SURVEY_DESIGN)

    def day(n):
        return "" if n is None else (today + timedelta(days=n)).isoformat()

    response = mark(client, campaign, survey, day(start), day(end))
    assert response.status_code == 422
    assert message in response.content.decode()
    survey.refresh_from_db()
    assert survey.actual_start is None


def test_marking_with_htmx_swaps_the_step_alone(client, campaign, site, secretary, today):
    client.force_login(secretary)
    survey = site.steps.get(kind=StepKind.SURVEY_DESIGN)
    response = mark(client, campaign, survey, today.isoformat(), HX_Request="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<li id="step-{survey.pk}"') and "<html" not in body
    assert "进行中" in body


@pytest.mark.parametrize(
    "condition", [gate.VOTE, gate.PACKET, gate.LAWYER, gate.SUBDISTRICT, gate.CONTRACT]
)
def test_the_start_step_is_refused_with_each_missing_conditions_message(
    client, voted, campaign, site, secretary, today, condition
):
    unit, _households, proposal = voted
    if condition == gate.VOTE:  # another unit of the campaign, where most disagree
        unit, _households, proposal = make_voted_unit(
            ["disagree", "disagree", None], campaign=campaign
        )
        site = scheduling.create_schedule(proposal.elevator, site.target_open_date, secretary)
    open_gate(site, unit, proposal, secretary, without=condition.code)
    assert condition in gate.missing(site)
    client.force_login(secretary)
    start = site.steps.get(kind=START_STEP)
    response = mark(client, campaign, start, today.isoformat())
    assert response.status_code == 422
    assert str(condition.message) in response.content.decode()
    start.refresh_from_db()
    assert start.actual_start is None


def test_every_missing_condition_is_shown_at_once_also_with_htmx(
    client, campaign, site, secretary, today
):
    client.force_login(secretary)
    start = site.steps.get(kind=START_STEP)
    response = mark(
        client, campaign, start, today.isoformat(), today.isoformat(), HX_Request="true"
    )
    body = response.content.decode()
    assert response.status_code == 422
    for condition in gate.missing(site):
        assert str(condition.message) in body


def test_the_start_step_is_marked_once_the_gate_is_open(
    client, voted, campaign, site, secretary, today
):
    unit, _households, proposal = voted
    open_gate(site, unit, proposal, secretary)
    client.force_login(secretary)
    start = site.steps.get(kind=START_STEP)
    assert mark(client, campaign, start, today.isoformat()).status_code == 302
    start.refresh_from_db()
    assert start.actual_start == today


def test_the_schedule_page_says_why_the_works_may_not_start_yet(client, campaign, site, secretary):
    client.force_login(secretary)
    body = client.get(url("site_schedule", campaign, site.pk)).content.decode()
    assert "尚不能进场施工" in body and str(gate.CONTRACT.message) in body


def test_moving_the_opening_date_says_how_many_steps_moved(
    client, campaign, site, secretary, today
):
    client.force_login(secretary)
    survey = site.steps.get(kind=StepKind.SURVEY_DESIGN)
    mark(client, campaign, survey, today.isoformat(), today.isoformat())
    new = site.target_open_date + timedelta(days=7)
    response = client.post(
        url("move_opening", campaign, site.pk), {"target_open_date": new.isoformat()}, follow=True
    )
    assert "8 个未完成的步骤随之调整" in response.content.decode()
    assert site.steps.get(kind=StepKind.OPENING).planned_end == new


def test_the_secretary_changes_a_steps_plan_and_responsible_party(
    client, campaign, site, secretary, parties
):
    client.force_login(secretary)
    install = site.steps.get(kind=StepKind.INSTALL)
    other = parties[PartyKind.ELEVATOR_COMPANY]
    data = {
        "planned_start": install.planned_start.isoformat(),
        "planned_end": (install.planned_end + timedelta(days=3)).isoformat(),
        "responsible": other.pk,
        "note": "导轨到货晚三天",
    }
    assert client.post(url("edit_step", campaign, install.pk), data).status_code == 302
    install.refresh_from_db()
    assert install.responsible == other and install.note == "导轨到货晚三天"


def test_a_plan_ending_before_it_starts_is_refused(client, campaign, site, secretary):
    client.force_login(secretary)
    install = site.steps.get(kind=StepKind.INSTALL)
    data = {
        "planned_start": install.planned_end.isoformat(),
        "planned_end": install.planned_start.isoformat(),
    }
    response = client.post(url("edit_step", campaign, install.pk), data)
    assert response.status_code == 422
    assert "计划完成日期不能早于计划开始日期。" in response.content.decode()


def test_grid_workers_and_leads_of_the_unit_read_its_schedule_without_changing_it(
    client, campaign, site, grid_worker, building_lead
):
    start = site.steps.get(kind=START_STEP)
    for user in (grid_worker, building_lead):
        client.force_login(user)
        response = client.get(url("site_schedule", campaign, site.pk))
        assert response.status_code == 200
        assert "保存实际日期" not in response.content.decode()
        assert mark(client, campaign, start).status_code == 403
        assert client.get(url("edit_step", campaign, start.pk)).status_code == 403


def test_a_grid_worker_of_another_unit_does_not_see_the_schedule(
    client, campaign, site, worker_elsewhere
):
    client.force_login(worker_elsewhere)
    assert client.get(url("site_schedule", campaign, site.pk)).status_code == 404
    body = client.get(url("schedules", campaign)).content.decode()
    assert str(site) not in body


def test_the_timeline_marks_a_late_step_in_words_and_draws_today(
    client, campaign, elevator, secretary, today
):
    scheduling.create_schedule(elevator, today + timedelta(days=20), secretary)
    client.force_login(secretary)
    body = client.get(url("schedules", campaign)).content.decode()
    assert '<svg class="works-timeline"' in body
    assert '<title id="timeline-title">' in body and '<desc id="timeline-desc">' in body
    assert "逾期</text>" not in body  # the label carries the step's name
    assert "逾期：勘察设计" in body
    assert "url(#late-hatch)" in body
    assert "今天" in body
    assert "各电梯工期明细" in body  # the text alternative


def test_the_printable_timeline_is_the_secretarys(client, campaign, site, secretary, grid_worker):
    client.force_login(secretary)
    response = client.get(url("timeline_print", campaign))
    assert response.status_code == 200 and "<svg" in response.content.decode()
    client.force_login(grid_worker)
    assert client.get(url("timeline_print", campaign)).status_code == 403


def schedules_for(campaign, count, secretary, today):
    for _n in range(count):
        elevator = make_elevator(unit=make_unit(building=campaign.buildings.first()))
        scheduling.create_schedule(elevator, today + timedelta(days=40), secretary)


# The page's queries whatever the number of sites: the session and the user, the
# user's assignments, the campaign, the sites, their steps (one prefetch) and, on the page,
# the elevators not scheduled yet (the start form).
TIMELINE_QUERIES = {"schedules": 7, "timeline_print": 6}


@pytest.mark.parametrize("name", ["schedules", "timeline_print"])
@pytest.mark.parametrize("size", [3, 30])
def test_the_timeline_costs_the_same_queries_for_3_or_30_sites(
    client, campaign, secretary, today, django_assert_num_queries, name, size
):
    schedules_for(campaign, size, secretary, today)
    client.force_login(secretary)
    with django_assert_num_queries(TIMELINE_QUERIES[name]):
        response = client.get(url(name, campaign))
    assert response.content.decode().count('class="timeline-row"') == size


def test_the_public_partial_shows_planned_against_actual_without_people(
    campaign, site, secretary, today, parties
):
    survey = site.steps.get(kind=StepKind.SURVEY_DESIGN)
    scheduling.mark(survey, today - timedelta(days=1), None, secretary, today)
    html = render_to_string(
        "works/public/_timeline.html",
        {"works_timeline": scheduling.public_timeline(campaign, today), "today": today},
    )
    assert str(site) in html and "勘察设计" in html and "进行中" in html
    assert parties[PartyKind.CONTRACTOR].name in html
    assert secretary.username not in html and "王工" not in html


def test_the_public_page_shows_each_elevators_schedule(client, campaign, site):
    campaign.is_public = True
    campaign.save(update_fields=["is_public"])
    body = client.get(campaign.get_absolute_url()).content.decode()
    assert "各电梯施工进度" in body and str(site) in body and "勘察设计" in body


def test_a_late_step_shows_on_the_dashboard_and_the_daily_summary(
    client, campaign, elevator, secretary, today
):
    scheduling.create_schedule(elevator, today + timedelta(days=20), secretary)
    client.force_login(secretary)
    for page in (
        reverse("dashboard:campaign", args=[campaign.slug]),
        reverse("daily_summary", args=[campaign.slug]),
    ):
        body = client.get(page).content.decode()
        assert "个工期步骤已逾期" in body and "勘察设计" in body
