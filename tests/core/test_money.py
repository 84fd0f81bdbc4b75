from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import yuan


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("8123.45"), "¥8,123.45"),
        (Decimal("150000"), "¥150,000.00"),
        (Decimal("0"), "¥0.00"),
        ("12.5", "¥12.50"),
        (None, ""),
        ("not money", ""),
    ],
)
def test_amounts_are_shown_in_yuan_with_separators_and_two_decimals(amount, shown):
    assert yuan(amount) == shown


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_the_shown_amount_reads_back_as_the_same_number(amount):
    assert Decimal(yuan(amount)[1:].replace(",", "")) == amount
