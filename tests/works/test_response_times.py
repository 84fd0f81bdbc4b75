from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from works.response_times import in_words, median, response_times

durations = st.lists(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))


def test_the_median_of_nothing_is_none():
    assert median([]) is None


def test_the_median_of_an_even_count_is_the_mean_of_the_two_middle_values():
    assert median([timedelta(minutes=m) for m in (40, 10, 20, 30)]) == timedelta(minutes=25)


@given(durations.filter(bool))
def test_the_median_splits_the_values_in_half(values):
    middle = median(values)
    assert min(values) <= middle <= max(values)
    assert sum(v < middle for v in values) <= len(values) // 2
    assert sum(v > middle for v in values) <= len(values) // 2


@given(durations.filter(bool), st.randoms())
def test_the_median_does_not_depend_on_the_order(values, random):
    shuffled = list(values)
    random.shuffle(shuffled)
    assert median(shuffled) == median(values)


@given(durations.filter(bool), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9)))
def test_the_median_moves_with_every_value(values, shift):
    # to the microsecond: the mean of two middle values is rounded half to even
    moved = median([v + shift for v in values]) - (median(values) + shift)
    assert abs(moved) <= timedelta(microseconds=1)


@given(durations.filter(lambda v: len(v) % 2 == 1))
def test_the_median_of_an_odd_count_is_one_of_the_values(values):
    assert median(values) in values


START = datetime(2026, 9, 1, 8, 0)
faults = st.lists(
    st.tuples(
        st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
        st.one_of(st.none(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3))),
        st.one_of(st.none(), st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9))),
    )
)


@given(faults)
def test_counts_and_medians_follow_the_faults(rows):
    times = [
        (
            START + at,
            None if answer is None else START + at + answer,
            None if answer is None or fix is None else START + at + answer + fix,
        )
        for at, answer, fix in rows
    ]
    stats = response_times(times)
    assert stats.reported == len(rows)
    assert stats.fixed <= stats.answered <= stats.reported
    assert stats.open == stats.reported - stats.fixed
    answered = [a - r for r, a, _f in times if a is not None]
    assert stats.median_to_answer == median(answered)
    if stats.fixed:
        assert stats.median_to_fix >= timedelta(0)
    else:
        assert stats.median_to_fix is None


def test_durations_are_said_in_minutes_hours_or_days():
    assert in_words(None) == "—"
    assert in_words(timedelta(minutes=45)) == "45 分钟"
    assert in_words(timedelta(hours=5, minutes=20)) == "5 小时"
    assert in_words(timedelta(days=3, hours=2)) == "3 天"
