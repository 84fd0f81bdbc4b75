"""Ids in URLs: any id a database can hold matches; a larger one matches no URL at all."""

import pytest
from django.urls import Resolver404, resolve
from hypothesis import given
from hypothesis import strategies as st

from core.converters import LARGEST_ID, IdConverter


@given(st.integers(min_value=0, max_value=LARGEST_ID))
def test_an_id_a_database_can_hold_comes_back_as_the_same_number(number):
    converter = IdConverter()
    assert converter.to_python(converter.to_url(number)) == number


@given(st.integers(min_value=LARGEST_ID + 1, max_value=10**40))
def test_an_id_past_the_largest_64_bit_integer_is_refused(number):
    with pytest.raises(ValueError):
        IdConverter().to_python(str(number))


def test_a_url_with_an_id_past_the_largest_64_bit_integer_matches_nothing():
    assert resolve(f"/units/{LARGEST_ID}/walk-sheet.pdf").kwargs == {"pk": LARGEST_ID}
    with pytest.raises(Resolver404):
        resolve(f"/units/{LARGEST_ID + 1}/walk-sheet.pdf")
