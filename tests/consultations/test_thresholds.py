"""tally(units, rule) and tipping_households(units, rule): Civil Code Art. 278 thresholds."""

from decimal import Decimal
from fractions import Fraction
from itertools import combinations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from consultations.thresholds import (
    ABSTAIN,
    AGREE,
    AGREE_NOT_PAYING,
    DISAGREE,
    MAJORITY,
    RULES,
    THREE_QUARTERS,
    UNANIMOUS,
    tally,
    tipping_households,
)

D = Decimal

# Reference implementation: deliberately naive, straight from the wording of Art. 278.


def ref_passes(units, rule) -> bool:
    if not units:
        return False
    total_area = sum(Fraction(area) for area, _ in units)
    voters = [(Fraction(area), d) for area, d in units if d is not None]
    if rule == "unanimous":
        return all(d in ("agree", "agree_not_paying") for _, d in units)
    voted_area = sum(area for area, _ in voters)
    if voted_area * 3 < total_area * 2 or len(voters) * 3 < len(units) * 2:
        return False
    yes = [area for area, d in voters if d in ("agree", "agree_not_paying")]
    if rule == "majority":
        return sum(yes) * 2 > voted_area and len(yes) * 2 > len(voters)
    return sum(yes) * 4 >= voted_area * 3 and len(yes) * 4 >= len(voters) * 3


def ref_shares(units):
    total_area = sum(Fraction(area) for area, _ in units)
    voters = [(Fraction(area), d) for area, d in units if d is not None]
    voted_area = sum((area for area, _ in voters), Fraction(0))
    yes = [area for area, d in voters if d in ("agree", "agree_not_paying")]
    return {
        "participation_area": voted_area / total_area if units else Fraction(0),
        "participation_count": Fraction(len(voters), len(units)) if units else Fraction(0),
        "agree_area": sum(yes, Fraction(0)) / voted_area if voters else Fraction(0),
        "agree_count": Fraction(len(yes), len(voters)) if voters else Fraction(0),
        "quorum_met": bool(units)
        and voted_area / total_area >= Fraction(2, 3)
        and Fraction(len(voters), len(units)) >= Fraction(2, 3),
    }


def flipped(units, indices):
    chosen = set(indices)
    return [(area, "agree" if i in chosen else d) for i, (area, d) in enumerate(units)]


def not_agreeing(units):
    return [i for i, (_, d) in enumerate(units) if d not in ("agree", "agree_not_paying")]


def ref_needed(units, rule):
    candidates = not_agreeing(units)
    for size in range(len(candidates) + 1):
        if any(ref_passes(flipped(units, c), rule) for c in combinations(candidates, size)):
            return size
    return None


areas = st.decimals(min_value=D("0.01"), max_value=D(300), places=2)
decisions = st.sampled_from([AGREE, AGREE_NOT_PAYING, DISAGREE, ABSTAIN, None])
scopes = st.lists(st.tuples(areas, decisions), max_size=10)
rules = st.sampled_from(RULES)
fast = settings(max_examples=200, deadline=None)


# Examples


def test_a_stairwell_where_everyone_agrees_passes_every_rule():
    units = [(D("88.50"), AGREE)] * 4
    for rule in RULES:
        result = tally(units, rule)
        assert result.passed and result.quorum_met
        assert result.needed == 0
        assert tipping_households(units, rule) == []


def test_all_returned_shares_are_fractions():
    result = tally([(D("88.50"), AGREE), (D("70.25"), DISAGREE), (D("60"), None)], MAJORITY)
    assert result.participation_area == Fraction(15875, 21875)
    assert result.participation_count == Fraction(2, 3)
    assert result.agree_area == Fraction(8850, 15875)
    assert result.agree_count == Fraction(1, 2)
    for share in ("participation_area", "participation_count", "agree_area", "agree_count"):
        assert type(getattr(result, share)) is Fraction


def test_agreement_shares_are_zero_when_nobody_has_voted():
    result = tally([(D(80), None), (D(90), None)], MAJORITY)
    assert result.agree_area == result.agree_count == 0
    assert type(result.agree_area) is Fraction
    assert not result.quorum_met and not result.passed
    assert result.needed == 2


def test_units_may_be_any_iterable_such_as_a_generator():
    result = tally(((D(50), AGREE) for _ in range(3)), MAJORITY)
    assert result.passed


def test_an_empty_scope_never_passes_and_cannot_be_made_to():
    for rule in RULES:
        result = tally([], rule)
        assert not result.passed and not result.quorum_met
        assert result.needed is None
        assert result.participation_area == result.agree_area == 0
        assert tipping_households([], rule) is None


# Majority: more than half of the participating area and headcount


def test_majority_needs_more_than_half_of_the_participating_area():
    exactly_half = [(D(30), AGREE), (D(20), AGREE), (D(50), DISAGREE)]
    assert tally(exactly_half, MAJORITY).agree_area == Fraction(1, 2)
    assert tally(exactly_half, MAJORITY).agree_count == Fraction(2, 3)
    assert not tally(exactly_half, MAJORITY).passed
    just_above = [(D(30), AGREE), (D("20.01"), AGREE), (D(50), DISAGREE)]
    assert tally(just_above, MAJORITY).passed


def test_majority_needs_more_than_half_of_the_participating_headcount():
    exactly_half = [(D(80), AGREE), (D(10), DISAGREE)]
    assert tally(exactly_half, MAJORITY).agree_area > Fraction(1, 2)
    assert not tally(exactly_half, MAJORITY).passed
    just_above = [
        (D(80), AGREE),
        (D(1), AGREE),
        (D(10), DISAGREE),
        (D(10), DISAGREE),
        (D(1), AGREE),
    ]
    assert tally(just_above, MAJORITY).agree_count == Fraction(3, 5)
    assert tally(just_above, MAJORITY).passed


def test_majority_passes_on_headcount_but_fails_on_area_when_the_few_are_large():
    units = [(D(10), AGREE), (D(10), AGREE), (D(100), DISAGREE)]
    result = tally(units, MAJORITY)
    assert result.agree_count == Fraction(2, 3)
    assert not result.passed


def test_agree_but_not_paying_now_counts_as_agreement():
    units = [(D(50), AGREE_NOT_PAYING), (D(50), AGREE_NOT_PAYING), (D(50), DISAGREE)]
    result = tally(units, MAJORITY)
    assert result.agree_count == Fraction(2, 3)
    assert result.passed


def test_an_abstention_takes_part_but_does_not_agree():
    units = [(D(50), AGREE), (D(50), ABSTAIN)]
    result = tally(units, MAJORITY)
    assert result.participation_count == 1 and result.quorum_met
    assert result.agree_count == Fraction(1, 2)
    assert not result.passed
    assert result.needed == 1
    assert tipping_households(units, MAJORITY) == [1]


# Quorum: 2/3 of the area and 2/3 of the households take part


def test_exactly_two_thirds_of_area_and_households_taking_part_is_a_quorum():
    units = [(D(100), AGREE), (D(100), AGREE), (D(100), None)]
    result = tally(units, MAJORITY)
    assert result.participation_area == result.participation_count == Fraction(2, 3)
    assert result.quorum_met and result.passed


def test_just_below_two_thirds_of_the_area_is_no_quorum_even_with_enough_households():
    units = [(D(100), AGREE), (D(100), AGREE), (D("100.01"), None)]
    result = tally(units, MAJORITY)
    assert result.participation_count == Fraction(2, 3)
    assert result.participation_area < Fraction(2, 3)
    assert not result.quorum_met and not result.passed
    assert result.needed == 1


def test_just_below_two_thirds_of_the_households_is_no_quorum_even_with_enough_area():
    units = [(D(100), AGREE), (D(100), AGREE), (D(1), None), (D(1), None)]
    result = tally(units, MAJORITY)
    assert result.participation_area > Fraction(2, 3)
    assert result.participation_count == Fraction(1, 2)
    assert not result.quorum_met and not result.passed


def test_a_vote_with_overwhelming_agreement_fails_without_a_quorum():
    units = [(D(90), AGREE)] + [(D(90), None)] * 2
    for rule in (MAJORITY, THREE_QUARTERS):
        assert tally(units, rule).agree_count == 1
        assert not tally(units, rule).passed


# Three quarters: at least 3/4 of the participating area and headcount


def test_exactly_three_quarters_of_area_and_headcount_passes_three_quarters():
    units = [(D(70), AGREE), (D(2), AGREE), (D(3), AGREE), (D(25), DISAGREE)]
    result = tally(units, THREE_QUARTERS)
    assert result.agree_area == result.agree_count == Fraction(3, 4)
    assert result.passed


def test_three_quarters_fails_just_below_three_quarters_of_the_area():
    units = [(D(70), AGREE), (D(2), AGREE), (D("2.99"), AGREE), (D(25), DISAGREE)]
    result = tally(units, THREE_QUARTERS)
    assert result.agree_count == Fraction(3, 4)
    assert not result.passed


def test_three_quarters_fails_below_three_quarters_of_the_headcount_despite_the_area():
    units = [(D(97), AGREE), (D(1), AGREE), (D(1), DISAGREE), (D(1), ABSTAIN)]
    result = tally(units, THREE_QUARTERS)
    assert result.agree_area == Fraction(98, 100)
    assert not result.passed
    assert tally(units, MAJORITY).agree_count == Fraction(1, 2)


def test_two_thirds_agreement_is_a_majority_but_not_three_quarters():
    units = [(D(60), AGREE), (D(60), AGREE), (D(60), DISAGREE)]
    assert tally(units, MAJORITY).passed
    assert not tally(units, THREE_QUARTERS).passed
    assert tally(units, THREE_QUARTERS).needed == 1


# Unanimous


def test_unanimous_fails_with_a_single_abstention():
    units = [(D(80), AGREE)] * 9 + [(D(80), ABSTAIN)]
    result = tally(units, UNANIMOUS)
    assert not result.passed
    assert result.needed == 1
    assert tipping_households(units, UNANIMOUS) == [9]


def test_unanimous_needs_every_household_in_scope_including_those_who_have_not_voted():
    units = [(D(80), AGREE), (D(80), AGREE_NOT_PAYING), (D(70), None), (D(60), DISAGREE)]
    result = tally(units, UNANIMOUS)
    assert not result.passed
    assert result.needed == 2
    assert tipping_households(units, UNANIMOUS) == [2, 3]


# Who would tip it


def test_the_largest_household_first_is_not_always_the_fastest_way_to_pass():
    # Quorum by headcount is short: only winning a non-voter helps, however small.
    units = [
        (D(50), AGREE),
        (D(50), AGREE),
        (D(100), DISAGREE),
        (D(10), None),
        (D(10), None),
        (D(10), None),
    ]
    assert tally(units, MAJORITY).needed == 1
    assert tipping_households(units, MAJORITY) == [3]
    largest_first = [2, 3]  # the 100 m² dissenter alone leaves the quorum short
    assert not tally(flipped(units, largest_first[:1]), MAJORITY).passed


def test_winning_a_dissenter_can_beat_winning_a_larger_non_voter():
    # Quorum is met; agreement is short. A non-voter joins the denominator as well.
    units = [
        (D(20), AGREE),
        (D(20), AGREE),
        (D(15), DISAGREE),
        (D(45), DISAGREE),
        (D(20), None),
    ]
    assert tally(units, MAJORITY).quorum_met
    assert tally(units, MAJORITY).needed == 1
    assert tipping_households(units, MAJORITY) == [3]
    assert tally(flipped(units, [2]), MAJORITY).passed  # 15 m² dissenter: 55/100
    assert not tally(flipped(units, [4]), MAJORITY).passed  # 20 m² non-voter: 60/120


def test_tipping_households_are_listed_largest_area_first():
    units = [(D(10), None), (D(30), None), (D(20), None)]
    assert tipping_households(units, UNANIMOUS) == [1, 2, 0]


def test_needed_is_fast_for_a_large_stairwell():
    units = [(D(60) + i, [None, DISAGREE, ABSTAIN, AGREE][i % 4]) for i in range(200)]
    result = tally(units, THREE_QUARTERS)
    assert result.needed == len(tipping_households(units, THREE_QUARTERS))
    assert tally(flipped(units, tipping_households(units, THREE_QUARTERS)), THREE_QUARTERS).passed


# Bad input


@pytest.mark.parametrize("area", [D(0), D("-0.01"), D(-80)])
def test_an_area_of_zero_or_less_is_refused(area):
    with pytest.raises(ValueError, match="area"):
        tally([(D(80), AGREE), (area, AGREE)], MAJORITY)
    with pytest.raises(ValueError, match="area"):
        tipping_households([(area, None)], MAJORITY)


def test_an_unknown_decision_is_refused():
    with pytest.raises(ValueError, match="decision"):
        tally([(D(80), "maybe")], MAJORITY)


def test_an_unknown_rule_is_refused_even_for_an_empty_scope():
    with pytest.raises(ValueError, match="rule"):
        tally([], "two_thirds")
    with pytest.raises(ValueError, match="rule"):
        tipping_households([(D(80), AGREE)], "two_thirds")


def test_a_float_area_is_refused():
    with pytest.raises(TypeError, match="float"):
        tally([(88.5, AGREE)], MAJORITY)


# Properties against the reference


@fast
@given(scopes, rules)
def test_tally_matches_the_reference_field_by_field(units, rule):
    result = tally(units, rule)
    expected = ref_shares(units)
    assert result.rule == rule
    assert result.participation_area == expected["participation_area"]
    assert result.participation_count == expected["participation_count"]
    assert result.agree_area == expected["agree_area"]
    assert result.agree_count == expected["agree_count"]
    assert result.quorum_met == expected["quorum_met"]
    assert result.passed == ref_passes(units, rule)
    for share in ("participation_area", "participation_count", "agree_area", "agree_count"):
        assert type(getattr(result, share)) is Fraction


@fast
@given(scopes, rules)
def test_needed_is_the_smallest_number_found_by_trying_every_subset(units, rule):
    result = tally(units, rule)
    tipping = tipping_households(units, rule)
    assert result.needed == ref_needed(units, rule)
    assert result.needed == (None if tipping is None else len(tipping))
    assert (result.needed == 0) == result.passed
    assert (result.needed is None) == (not units)


@fast
@given(scopes, rules)
def test_winning_the_tipping_households_makes_the_vote_pass(units, rule):
    tipping = tipping_households(units, rule)
    assume(tipping is not None)
    assert len(set(tipping)) == len(tipping)
    assert set(tipping) <= set(not_agreeing(units))
    assert ref_passes(flipped(units, tipping), rule)


@fast
@given(scopes, rules, st.data())
def test_swapping_a_won_household_for_a_larger_one_of_the_same_group_never_hurts(units, rule, data):
    # The reasoning behind the search: within one group (non-voters, or those who disagreed or
    # abstained) a larger area is never worse, given how many are won from each group.
    groups = [
        [i for i, (_, d) in enumerate(units) if d is None],
        [i for i, (_, d) in enumerate(units) if d in (DISAGREE, ABSTAIN)],
    ]
    group = data.draw(st.sampled_from(groups))
    assume(len(group) >= 2)
    smaller, larger = sorted(data.draw(st.permutations(group))[:2], key=lambda i: units[i][0])
    others = [i for i in not_agreeing(units) if i not in (smaller, larger)]
    won = data.draw(st.lists(st.sampled_from(others), unique=True)) if others else []
    if ref_passes(flipped(units, [*won, smaller]), rule):
        assert ref_passes(flipped(units, [*won, larger]), rule)


@fast
@given(scopes, rules, st.data())
def test_winning_one_more_household_never_turns_a_pass_into_a_fail(units, rule, data):
    candidates = not_agreeing(units)
    assume(candidates)
    won = data.draw(st.lists(st.sampled_from(candidates), unique=True))
    extra = data.draw(st.sampled_from(candidates))
    if ref_passes(flipped(units, won), rule):
        assert ref_passes(flipped(units, [*won, extra]), rule)
