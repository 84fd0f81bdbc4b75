"""consultations.thresholds.heads: flats become heads as the SPC interpretation counts them
(one buyer of several flats once, co-owners once, the developer's unsold flats once)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultations.thresholds import (
    ABSTAIN,
    AGREE,
    DECISIONS,
    DISAGREE,
    MAJORITY,
    THREE_QUARTERS,
    heads,
    tally,
)

D = Decimal


def test_one_owner_of_three_of_five_flats_is_one_head_and_the_majority_fails():
    """The issue's example: A owns 3 of 5 equal flats and agrees, B and C disagree."""
    flats = [(D("80"), "A", AGREE)] * 3 + [(D("80"), "B", DISAGREE), (D("80"), "C", DISAGREE)]
    counted = heads(flats)
    assert counted == [(D("240"), AGREE), (D("80"), DISAGREE), (D("80"), DISAGREE)]
    result = tally(counted, MAJORITY)
    assert result.quorum_met and result.agree_area == D(3) / 5
    assert not result.passed  # 1 of 3 heads agrees, though 3/5 of the area does
    assert tally([(area, decision) for area, _, decision in flats], MAJORITY).passed


def test_flats_without_an_owner_key_are_each_a_head_of_their_own():
    flats = [(D("50.5"), None, AGREE), (D("60"), None, AGREE), (D("70"), None, None)]
    assert heads(flats) == [(D("50.5"), AGREE), (D("60"), AGREE), (D("70"), None)]


def test_co_owners_count_once_by_the_frozenset_of_their_ids():
    couple = frozenset({7, 8})
    flats = [(D("88.2"), couple, None), (D("66"), frozenset({8, 7}), ABSTAIN)]
    assert heads(flats) == [(D("154.2"), ABSTAIN)]


def test_heads_keep_the_order_in_which_each_first_appears():
    flats = [(D(1), "b", None), (D(2), None, None), (D(3), "a", None), (D(4), "b", None)]
    assert heads(flats) == [(D(5), None), (D(2), None), (D(3), None)]


def test_a_merged_head_takes_the_one_decision_given_among_its_flats():
    flats = [(D(1), "dev", None), (D(2), "dev", AGREE), (D(3), "dev", AGREE)]
    assert heads(flats) == [(D(6), AGREE)]


def test_two_different_decisions_from_one_owner_are_refused():
    with pytest.raises(ValueError, match="two decisions"):
        heads([(D(1), "A", AGREE), (D(2), "A", DISAGREE)])


def test_areas_are_summed_exactly_however_many_digits_they_carry():
    tiny, huge = D("0.000000000000000000000000000001"), D("12345678901234567890123456789")
    exact = D("12345678901234567890123456789.000000000000000000000000000001")
    assert huge + tiny != exact  # the default context would round
    assert heads([(huge, "A", None), (tiny, "A", None)]) == [(exact, None)]


@pytest.mark.parametrize("area", [D(0), D("-1"), D("NaN"), D("Infinity")])
def test_an_area_of_zero_or_less_or_not_a_number_is_refused_as_by_tally(area):
    with pytest.raises(ValueError, match="more than zero"):
        heads([(area, None, None)])


def test_a_float_area_is_a_type_error_as_in_tally():
    with pytest.raises(TypeError, match="not a float"):
        heads([(80.5, None, AGREE)])


def test_an_unknown_decision_is_refused():
    with pytest.raises(ValueError, match="unknown decision"):
        heads([(D(1), None, "maybe")])


def test_flats_may_be_any_iterable_such_as_a_generator():
    assert heads((D(n), n % 2, None) for n in (1, 2, 3)) == [(D(4), None), (D(2), None)]


# --- against a brute-force reference ---------------------------------------------------------

areas = st.decimals(min_value=D("0.01"), max_value=D("500"), places=2)
keys = st.one_of(
    st.none(), st.sampled_from(["A", "B", "C", "dev"]), st.frozensets(st.integers(1, 3), min_size=1)
)
decisions = st.one_of(st.none(), st.sampled_from(DECISIONS))
flat_lists = st.lists(st.tuples(areas, keys, decisions), max_size=12)


def reference(flats):
    """Each distinct key once (and each keyless flat alone), by brute force over all flats."""
    seen, result = [], []
    for i, (_, key, _) in enumerate(flats):
        if key is not None and key in seen:
            continue
        group = [f for j, f in enumerate(flats) if (f[1] == key if key is not None else j == i)]
        given_decisions = {d for _, _, d in group if d is not None}
        if len(given_decisions) > 1:
            return ValueError
        result.append((sum(a for a, _, _ in group), next(iter(given_decisions), None)))
        if key is not None:
            seen.append(key)
    return result


@given(flat_lists)
def test_heads_agree_with_the_brute_force_reference(flats):
    expected = reference(flats)
    if expected is ValueError:
        with pytest.raises(ValueError):
            heads(flats)
    else:
        assert heads(flats) == expected


@given(flat_lists)
def test_heads_keep_the_whole_area_and_count_each_owner_once(flats):
    try:
        counted = heads(flats)
    except ValueError:
        return
    assert sum(a for a, _ in counted) == sum(a for a, _, _ in flats)
    owners = {key for _, key, _ in flats if key is not None}
    keyless = sum(1 for _, key, _ in flats if key is None)
    assert len(counted) == len(owners) + keyless


@given(
    st.lists(st.tuples(areas, decisions), max_size=12), st.sampled_from([MAJORITY, THREE_QUARTERS])
)
def test_without_shared_owners_heads_leave_the_tally_as_it_was(units, rule):
    flats = [(area, None, decision) for area, decision in units]
    assert tally(heads(flats), rule) == tally(units, rule)
