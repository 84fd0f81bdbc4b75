"""allocate(total, weights): shares to the cent, proportional, adding up exactly to the total."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultations.allocation import allocate

D = Decimal
CENT = D("0.01")

totals = st.integers(min_value=0, max_value=10**10).map(lambda cents: D(cents) * CENT)
weight = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False)
weights = st.lists(st.one_of(st.just(D(0)), weight), min_size=1, max_size=30).filter(any)


def exact_share(total: Decimal, weights: list[Decimal], i: int) -> Fraction:
    return Fraction(total) * Fraction(weights[i]) / sum(map(Fraction, weights))


# Examples


def test_three_equal_weights_split_a_hundred_yuan_with_the_spare_cent_going_first():
    assert allocate(D("100.00"), [1, 1, 1]) == [D("33.34"), D("33.33"), D("33.33")]


def test_leftover_cents_go_to_the_earlier_positions_when_remainders_tie():
    assert allocate(D("0.02"), [1, 1, 1]) == [D("0.01"), D("0.01"), D("0.00")]


def test_the_leftover_cent_goes_to_the_largest_remainder_not_the_first_position():
    # exact shares are 33⅓ and 66⅔ cents: the second remainder is the larger one
    assert allocate(D("1.00"), [1, 2]) == [D("0.33"), D("0.67")]


def test_areas_are_valid_weights():
    assert allocate(D("1000.00"), [D("88.50"), D("88.50"), D("177.00")]) == [
        D("250.00"),
        D("250.00"),
        D("500.00"),
    ]


def test_a_zero_weight_gets_exactly_zero_with_two_decimal_places():
    shares = allocate(D("10.00"), [0, 1, 0])
    assert shares == [D("0.00"), D("10.00"), D("0.00")]
    assert [str(s) for s in shares] == ["0.00", "10.00", "0.00"]


def test_a_whole_yuan_total_comes_back_with_two_decimal_places():
    assert [str(s) for s in allocate(D("5"), [1, 1])] == ["2.50", "2.50"]


def test_a_zero_total_is_shared_as_zeros_even_among_zero_weights():
    assert allocate(D("0.00"), [0, 0]) == [D("0.00"), D("0.00")]
    assert allocate(D("0.00"), []) == []


@pytest.mark.parametrize(
    ("total", "weights"),
    [
        pytest.param(D("-0.01"), [1, 1], id="negative total"),
        pytest.param(D("10.005"), [1, 1], id="total with a fraction of a cent"),
        pytest.param(D("10.00"), [1, -1, 2], id="negative weight"),
        pytest.param(D("10.00"), [0, 0, 0], id="all-zero weights"),
        pytest.param(D("10.00"), [], id="no weights"),
    ],
)
def test_invalid_input_is_refused(total, weights):
    with pytest.raises(ValueError):
        allocate(total, weights)


# Properties


@given(totals, weights)
def test_shares_always_add_up_exactly_to_the_total(total, weights):
    assert sum(allocate(total, weights), D("0.00")) == total


@given(totals, weights)
def test_there_is_one_share_per_weight_each_with_exactly_two_decimal_places(total, weights):
    shares = allocate(total, weights)
    assert len(shares) == len(weights)
    assert all(s.as_tuple().exponent == -2 for s in shares)
    assert all(s >= 0 for s in shares)


@given(totals, weights)
def test_each_share_is_within_one_cent_of_its_exact_proportional_value(total, weights):
    for i, share in enumerate(allocate(total, weights)):
        assert abs(Fraction(share) - exact_share(total, weights, i)) < Fraction(1, 100)


@given(totals, weights)
def test_zero_weights_always_get_exactly_zero(total, weights):
    for w, share in zip(weights, allocate(total, weights), strict=True):
        if w == 0:
            assert share == 0
            assert str(share) == "0.00"


@given(totals, weights)
def test_a_larger_weight_never_gets_a_smaller_share(total, weights):
    shares = allocate(total, weights)
    for i in range(len(weights)):
        for j in range(len(weights)):
            if weights[i] > weights[j]:
                assert shares[i] >= shares[j]


@given(totals, st.integers(min_value=1, max_value=30))
def test_equal_weights_differ_by_at_most_a_cent_and_the_earlier_never_pays_less(total, n):
    shares = allocate(total, [1] * n)
    assert max(shares) - min(shares) <= CENT
    assert shares == sorted(shares, reverse=True)


@given(totals, weights, st.sampled_from([D(2), D(7), D("0.5"), D("1000"), D("0.001")]))
def test_scaling_every_weight_by_the_same_factor_changes_nothing(total, weights, factor):
    assert allocate(total, [w * factor for w in weights]) == allocate(total, weights)
