"""The reverse schedule's arithmetic, for any target date, template and marks."""

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from works import schedule
from works.models import ScheduleStep, StepKind, StepState
from works.schedule import TEMPLATE, Planned, mark_problem, plan, reschedule, scale_for, state

targets = st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31))
templates = st.lists(
    st.tuples(st.sampled_from(StepKind.values), st.integers(min_value=1, max_value=120)),
    min_size=1,
    max_size=12,
).map(tuple)
moves = st.integers(min_value=-400, max_value=400).map(lambda n: timedelta(days=n))
optional_dates = st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


def test_the_template_has_every_step_kind_in_order_each_at_least_a_day():
    assert [kind for kind, _days in TEMPLATE] == StepKind.values
    assert all(days >= 1 for _kind, days in TEMPLATE)


@given(targets, templates)
def test_the_steps_tile_back_from_the_target_without_gaps_or_overlaps(target, template):
    steps = plan(target, template)
    assert [s.kind for s in steps] == [kind for kind, _days in template]
    assert steps[-1].end == target
    for before, after in pairwise(steps):
        assert after.start == before.end + timedelta(days=1)


@given(targets, templates)
def test_each_step_lasts_its_template_length(target, template):
    steps = plan(target, template)
    assert [s.days for s in steps] == [days for _kind, days in template]
    assert steps[0].start == target - timedelta(days=sum(d for _k, d in template) - 1)


def marked(steps, done_flags):
    return [
        Planned(s.kind, s.start, s.end, s.start, s.end) if done else s
        for s, done in zip(steps, done_flags, strict=False)
    ]


@given(targets, moves, st.lists(st.booleans(), min_size=9, max_size=9))
def test_moving_the_date_shifts_every_open_step_by_the_move_and_no_done_step(
    target, move, done_flags
):
    steps = marked(plan(target), done_flags)
    after = reschedule(steps, target, target + move)
    for old, new in zip(steps, after, strict=True):
        if old.done:
            assert new == old
        else:
            assert (new.start - old.start, new.end - old.end) == (move, move)
            assert (new.actual_start, new.actual_end) == (old.actual_start, old.actual_end)
    expected = 0 if not move else sum(not done for done in done_flags)
    assert schedule.moved(steps, after) == expected


@given(targets, moves)
def test_moving_an_untouched_plan_is_planning_from_the_new_date(target, move):
    assert reschedule(plan(target), target, target + move) == plan(target + move)


@given(targets, moves)
def test_moving_there_and_back_restores_the_plan(target, move):
    steps = plan(target)
    assert reschedule(reschedule(steps, target, target + move), target + move, target) == steps


@given(targets, optional_dates, optional_dates, targets)
def test_the_pure_state_agrees_with_the_model(planned_end, started, ended, today):
    if ended is not None and (started is None or ended < started):
        started = ended
    step = ScheduleStep(planned_end=planned_end, actual_start=started, actual_end=ended)
    assert StepState(state(planned_end, started, ended, today)) == step.state_on(today)


@given(targets, st.integers(min_value=0, max_value=30))
def test_a_finished_step_is_done_however_late_it_finished(planned_end, days_late):
    finished = planned_end + timedelta(days=days_late)
    today = finished + timedelta(days=400)
    assert state(planned_end, planned_end, finished, today) == schedule.DONE


@given(targets, st.integers(min_value=1, max_value=400))
def test_an_unfinished_step_past_its_planned_end_is_late_even_if_started(planned_end, days):
    today = planned_end + timedelta(days=days)
    assert state(planned_end, planned_end, None, today) == schedule.LATE
    assert state(planned_end, None, None, today) == schedule.LATE


@given(optional_dates, optional_dates, targets)
def test_marks_in_the_future_or_out_of_order_are_refused(started, ended, today):
    problem = mark_problem(started, ended, today)
    future = any(d is not None and d > today for d in (started, ended))
    disorder = ended is not None and (started is None or ended < started)
    assert (problem is None) == (not future and not disorder)
    if future:
        assert problem == "future"


@given(targets, templates)
def test_every_bar_of_a_plan_lies_inside_its_scale_and_bars_touch(target, template):
    steps = plan(target, template)
    scale = scale_for([steps[0].start, target], left=100, width=600)
    spans = [scale.span(s.start, s.end) for s in steps]
    for x, width in spans:
        assert x >= 100 and x + width <= 700.5 and width > 0
    for (x1, w1), (x2, _w2) in pairwise(spans):
        assert abs(x1 + w1 - x2) < 0.2  # no gap, no overlap, up to rounding


def test_months_of_a_scale_are_the_firsts_inside_it():
    scale = scale_for([date(2026, 1, 20), date(2026, 4, 2)], left=0, width=100)
    assert scale.months() == [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]
