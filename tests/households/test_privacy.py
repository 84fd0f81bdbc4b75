"""Masking personal data (PIPL): 138****1234 for phones, 张* for names."""

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from households.privacy import mask_name, mask_phone

digit_strings = st.text(alphabet="0123456789", min_size=0, max_size=20)
mobiles = st.text(alphabet="0123456789", min_size=10, max_size=10).map(lambda rest: "1" + rest)
separators = st.sampled_from(["", " ", "-"])
phone_like = st.text(alphabet="0123456789 -+()", max_size=25)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812341234", "138****1234"),
        ("138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("027-8765432", "******5432"),
        ("+86 138 1234 5678", "*********5678"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_phone_numbers_are_masked(phone, masked):
    assert mask_phone(phone) == masked


def test_a_missing_phone_number_masks_to_nothing():
    assert mask_phone(None) == ""


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("欧阳娜娜", "欧***"),
        ("王", "王*"),
        ("  李四 ", "李*"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_names_are_masked(name, masked):
    assert mask_name(name) == masked


def test_a_missing_name_masks_to_nothing():
    assert mask_name(None) == ""


@given(mobiles)
def test_a_mobile_number_shows_only_its_first_three_and_last_four_digits(mobile):
    masked = mask_phone(mobile)
    assert masked == mobile[:3] + "****" + mobile[-4:]


@given(mobiles, separators)
def test_spaces_and_dashes_in_a_mobile_number_do_not_change_its_mask(mobile, sep):
    spaced = sep.join([mobile[:3], mobile[3:7], mobile[7:]])
    assert mask_phone(spaced) == mask_phone(mobile)


@given(phone_like)
def test_a_masked_phone_never_shows_five_digits_in_a_row(phone):
    assert not re.search(r"[0-9]{5}", mask_phone(phone))


@given(phone_like)
def test_a_masked_phone_has_one_character_per_digit_and_keeps_at_most_the_last_four(phone):
    digits = re.sub(r"\D", "", phone)
    masked = mask_phone(phone)
    assert len(masked) == len(digits)
    if len(digits) > 4:
        assert masked.endswith(digits[-4:])
    else:
        assert set(masked) <= {"*"}


@given(digit_strings.filter(lambda d: len(d) != 11))
def test_a_number_that_is_not_a_mobile_reveals_no_more_than_four_digits(digits):
    assert sum(c.isdigit() for c in mask_phone(digits)) <= 4


@given(st.text(max_size=30))
def test_a_masked_name_keeps_only_its_first_character(name):
    stripped = name.strip()
    masked = mask_name(name)
    if not stripped:
        assert masked == ""
    else:
        assert masked[0] == stripped[0]
        assert set(masked[1:]) == {"*"}
        assert len(masked) == max(2, len(stripped))


@given(st.text(min_size=2, max_size=30))
def test_a_masked_name_never_shows_the_second_character(name):
    stripped = name.strip()
    assume(len(stripped) >= 2 and stripped[1] not in {stripped[0], "*"})
    assert stripped[1] not in mask_name(name)
