# ruff: noqa: F811 (the fixtures imported from tests.works.schedule_people)
"""Each elevator's schedule in the database: made from the template, with a responsible party
per step, marked, moved with the opening date, and held at the gate."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from campaigns.models import PartyKind
from tests.factories import make_party, make_site
from tests.works.schedule_people import (  # noqa: F401
    OPENING,
    campaign,
    elevator,
    parties,
    secretary,
    unit,
    voted,
)
from works import gate, scheduling
from works.models import (
    START_STEP,
    ActionItem,
    Review,
    ReviewPacket,
    StandUp,
    StepKind,
    WorksContract,
)
from works.schedule import TEMPLATE

pytestmark = pytest.mark.django_db
TODAY = date(2027, 3, 1)


def step(site, kind):
    return site.steps.get(kind=kind)


def test_a_schedule_has_the_template_steps_counted_back_from_the_opening_date(
    elevator, parties, secretary
):
    site = scheduling.create_schedule(elevator, OPENING, secretary)
    steps = list(site.steps.order_by("order"))
    assert [s.kind for s in steps] == StepKind.values
    assert steps[-1].planned_end == OPENING == site.target_open_date
    assert [(s.planned_end - s.planned_start).days + 1 for s in steps] == [d for _k, d in TEMPLATE]


def test_each_step_gets_the_party_of_its_kind(elevator, parties, secretary):
    site = scheduling.create_schedule(elevator, OPENING, secretary)
    assert step(site, StepKind.INSTALL).responsible == parties[PartyKind.CONTRACTOR]
    assert step(site, StepKind.DEMOLISH).responsible == parties[PartyKind.CONTRACTOR]
    assert step(site, StepKind.COMMISSION).responsible == parties[PartyKind.ELEVATOR_COMPANY]
    assert step(site, StepKind.OPENING).responsible == parties[PartyKind.PROPERTY_MANAGER]


def test_the_sites_own_party_wins_over_the_campaigns(elevator, parties, secretary, campaign):
    ours = make_party(campaign=campaign, kind=PartyKind.CONTRACTOR, name="本梯施工队")
    site = make_site(elevator=elevator)
    site.parties.add(ours)
    scheduling.create_schedule(elevator, OPENING, secretary)
    assert step(site, StepKind.INSTALL).responsible == ours


def test_a_kind_with_two_parties_and_none_on_the_site_is_left_to_the_secretary(
    elevator, parties, secretary, campaign
):
    make_party(campaign=campaign, kind=PartyKind.CONTRACTOR, name="另一施工队")
    site = scheduling.create_schedule(elevator, OPENING, secretary)
    assert step(site, StepKind.INSTALL).responsible is None


def test_making_a_schedule_twice_keeps_the_first(elevator, secretary):
    site = scheduling.create_schedule(elevator, OPENING, secretary)
    again = scheduling.create_schedule(elevator, OPENING + timedelta(days=30), secretary)
    assert again == site and again.steps.count() == len(TEMPLATE)
    assert step(again, StepKind.OPENING).planned_end == OPENING


def test_moving_the_opening_date_moves_open_steps_and_keeps_done_ones(elevator, secretary):
    site = scheduling.create_schedule(elevator, OPENING, secretary)
    survey = step(site, StepKind.SURVEY_DESIGN)
    scheduling.mark(survey, survey.planned_start, survey.planned_end, secretary, OPENING)
    before = {s.kind: (s.planned_start, s.planned_end) for s in site.steps.all()}
    moved = scheduling.move_opening(site, OPENING + timedelta(days=14), secretary)
    assert moved == len(TEMPLATE) - 1
    for s in site.steps.all():
        start, end = before[s.kind]
        shift = timedelta(0) if s.kind == StepKind.SURVEY_DESIGN else timedelta(days=14)
        assert (s.planned_start, s.planned_end) == (start + shift, end + shift)
    site.refresh_from_db()
    assert site.target_open_date == OPENING + timedelta(days=14)


def test_marks_in_the_future_or_out_of_order_are_refused(elevator, secretary):
    site = scheduling.create_schedule(elevator, OPENING, secretary)
    survey = step(site, StepKind.SURVEY_DESIGN)
    with pytest.raises(ValueError, match="future"):
        scheduling.mark(survey, TODAY + timedelta(days=1), None, secretary, TODAY)
    with pytest.raises(ValueError, match="end_before_start"):
        scheduling.mark(survey, TODAY, TODAY - timedelta(days=1), secretary, TODAY)


def open_gate(site, unit, proposal, user, *, without=""):
    """Meet every condition of the gate for ``site`` but ``without`` (the vote is the unit's:
    a unit whose vote passed or not)."""
    if without != "packet":
        packet = ReviewPacket.objects.create(
            unit=unit,
            proposal=proposal,
            file=ContentFile(b"%PDF-1.4", name="p.pdf"),
            sha256="0" * 64,
            frozen_by=user,
        )
        for kind, condition in (
            (Review.Kind.LAWYER, "lawyer"),
            (Review.Kind.SUBDISTRICT, "subdistrict"),
        ):
            if without != condition:
                Review.objects.create(
                    unit=unit,
                    packet=packet,
                    kind=kind,
                    outcome=Review.Outcome.APPROVED,
                    reviewer="审核人",
                    reviewed_on=TODAY,
                    recorded_by=user,
                )
    if without != "contract":
        WorksContract.objects.create(
            site=site,
            contractor=make_party(campaign=unit.building.campaign),
            signed_on=TODAY,
            amount=Decimal("400000.00"),
            recorded_by=user,
        )


def test_the_start_step_may_be_marked_once_the_gate_is_open(voted, elevator, secretary):
    unit, _households, proposal = voted
    site = scheduling.create_schedule(elevator, OPENING, secretary)
    open_gate(site, unit, proposal, secretary)
    assert gate.missing(site) == []
    start = scheduling.mark(step(site, START_STEP), TODAY, None, secretary, TODAY)
    assert start.actual_start == TODAY


def test_the_start_step_is_refused_while_the_gate_is_closed(elevator, secretary):
    site = scheduling.create_schedule(elevator, OPENING, secretary)
    with pytest.raises(gate.GateClosed) as closed:
        scheduling.mark(step(site, START_STEP), TODAY, None, secretary, TODAY)
    assert {c.code for c in closed.value.conditions} == {
        "packet",
        "lawyer",
        "subdistrict",
        "contract",
    }
    assert step(site, START_STEP).actual_start is None


def test_other_steps_do_not_wait_for_the_gate(elevator, secretary):
    site = scheduling.create_schedule(elevator, OPENING, secretary)
    survey = scheduling.mark(step(site, StepKind.SURVEY_DESIGN), TODAY, None, secretary, TODAY)
    assert survey.actual_start == TODAY


def test_late_steps_are_those_past_their_planned_end_and_not_done(elevator, secretary, campaign):
    site = scheduling.create_schedule(elevator, OPENING, secretary)
    survey = step(site, StepKind.SURVEY_DESIGN)
    today = survey.planned_end + timedelta(days=1)
    assert [s.kind for s in scheduling.late_steps(campaign, today)] == [StepKind.SURVEY_DESIGN]
    scheduling.mark(survey, survey.planned_start, survey.planned_end, secretary, today)
    assert scheduling.late_steps(campaign, today) == []


def test_overdue_actions_are_the_open_ones_past_their_due_date(campaign, secretary):
    stand_up = StandUp.objects.create(campaign=campaign, held_on=TODAY, recorded_by=secretary)
    late = ActionItem.objects.create(stand_up=stand_up, text="围挡加固", due_on=TODAY)
    ActionItem.objects.create(stand_up=stand_up, text="明天的事", due_on=TODAY + timedelta(days=1))
    ActionItem.objects.create(
        stand_up=stand_up, text="已办", due_on=TODAY, closed_on=TODAY, closed_by=secretary
    )
    assert scheduling.overdue_actions(campaign, TODAY + timedelta(days=1)) == [late]


def test_the_public_timeline_names_parties_not_people(elevator, parties, secretary, campaign):
    scheduling.create_schedule(elevator, OPENING, secretary)
    [site] = scheduling.public_timeline(campaign, TODAY)
    assert site.name == str(elevator.unit)
    assert site.steps[0].name == "勘察设计"
    assert {s.party for s in site.steps} == {p.name for p in parties.values()}
    assert site.current.name == "勘察设计"
    assert "王工" not in repr(site)  # the parties' contact person


def test_the_start_step_is_not_marked_done_while_the_gate_is_closed_even_once_started(
    elevator, secretary
):
    site = scheduling.create_schedule(elevator, OPENING, secretary)
    start = step(site, START_STEP)
    start.actual_start = TODAY  # started while the gate was open; a review returned since
    start.save()
    with pytest.raises(gate.GateClosed):
        scheduling.mark(start, TODAY, TODAY, secretary, TODAY)
    cleared = scheduling.mark(start, None, None, secretary, TODAY)  # a mistake may be undone
    assert cleared.actual_start is None
