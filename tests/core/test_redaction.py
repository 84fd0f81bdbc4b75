"""The Redactor hides names and numbers however they are spelled, and leaves the rest of the
text as it was written."""

from datetime import date
from decimal import Decimal

import opencc
from hypothesis import given
from hypothesis import strategies as st

from core.redaction import HIDDEN, Redactor, search_key

NAMES = ["张建国", "欧阳秀英", "刘丽华", "陈志刚"]
redact = Redactor(NAMES)
# Words around a secret: no digit, no separator, no character of a name.
AROUND = st.text(alphabet="的是我家请联系谢好吗，。：", max_size=6)
SEPARATORS = [
    "",
    " ",
    "-",
    ".",
    "·",
    "\u200b",
    "\u200c",
    "\u2060",
    "\ufeff",
    "\u3000",
    "－",
    "．",
    " - ",
]
traditional = opencc.OpenCC("s2t").convert


def test_a_phone_with_dots_is_hidden():
    assert redact("电话139.0027.1000。") == "电话***。"


def test_a_phone_with_its_prefix_in_brackets_is_hidden():
    assert redact("电话(139)0027-1000") == "电话***"
    assert redact("电话（139）0027-1000") == "电话***"


def test_a_phone_with_a_space_between_every_digit_is_hidden():
    assert redact("电话 1 3 9 0 0 2 7 1 0 0 0 找我") == "电话 *** 找我"


def test_a_bank_card_in_groups_of_four_is_hidden():
    assert redact("卡号 6222 0212 3456 7890 123，") == "卡号 ***，"


def test_an_id_number_in_groups_of_four_with_its_x_is_hidden():
    assert redact("身份证 4201 0619 8001 0112 3X 谢谢") == "身份证 *** 谢谢"


def test_a_name_with_a_space_inside_is_hidden():
    assert redact("张 建国来了") == "***来了"


def test_a_name_with_a_zero_width_space_inside_is_hidden():
    assert redact("张\u200b建国来了") == "***来了"


def test_a_name_in_traditional_characters_is_hidden():
    assert redact("張建國說") == "***說"


def test_a_name_stored_in_traditional_characters_is_hidden_in_simplified_text():
    assert Redactor(["張建國"])("张建国说") == "***说"


def test_the_text_around_a_secret_stays_as_it_was_written():
    text = "１２號樓的張建國說：２０２６年開工"
    assert redact(text) == "１２號樓的***說：２０２６年開工"


def test_dates_side_by_side_and_amounts_next_to_brackets_stay():
    text = "2026-12-01 2026-12-05 交 ¥8,123.45（398000.00 元），2026.12.01 房号 1201"
    assert redact(text) == text


def spelled(digits: str, draw) -> str:
    """The digits as someone might type them: full-width or not, with separators between."""
    out = []
    for i, digit in enumerate(digits):
        if i:
            out.append(draw(st.sampled_from(SEPARATORS)))
        wide = digit.isdigit() and draw(st.booleans())
        out.append(chr(0xFF10 + int(digit)) if wide else digit)
    return "".join(out)


@st.composite
def secret_numbers(draw) -> str:
    kind = draw(st.sampled_from(["phone", "id", "card"]))
    if kind == "phone":
        digits = (
            "1"
            + draw(st.sampled_from("3456789"))
            + draw(st.text("0123456789", min_size=9, max_size=9))
        )
    elif kind == "id":
        digits = draw(st.text("0123456789", min_size=17, max_size=17)) + draw(
            st.sampled_from("0123456789Xx")
        )
    else:
        digits = draw(st.text("0123456789", min_size=16, max_size=19))
    return spelled(digits, draw)


@given(before=AROUND, number=secret_numbers(), after=AROUND)
def test_a_phone_id_or_card_number_is_hidden_however_it_is_spelled(before, number, after):
    assert redact(f"{before}{number}{after}") == f"{before}{HIDDEN}{after}"


@st.composite
def spelled_names(draw) -> str:
    name = draw(st.sampled_from(NAMES))
    chars = [traditional(c) if draw(st.booleans()) else c for c in name]
    separators = ["", " ", "\u200b", "\u200d", "\u3000", "·", "\ufeff"]
    return chars[0] + "".join(draw(st.sampled_from(separators)) + c for c in chars[1:])


@given(before=AROUND, name=spelled_names(), after=AROUND)
def test_an_owner_name_is_hidden_however_it_is_spelled(before, name, after):
    assert redact(f"{before}{name}{after}") == f"{before}{HIDDEN}{after}"


@given(
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)),
    other=st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)),
    separator=st.sampled_from("-/."),
    amount=st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2),
    room=st.integers(min_value=101, max_value=3399),
)
def test_dates_amounts_and_room_numbers_stay_as_written(day, other, separator, amount, room):
    dates = f"{day:%Y{separator}%m{separator}%d} {other:%Y{separator}%m{separator}%d}"
    text = f"{dates} 开工，{room} 室出资 {amount} 元，合计 ¥{amount:,}"
    assert redact(text) == text


def test_the_search_key_ignores_spacing_width_and_traditional_forms():
    assert search_key("一 樓 Ｂ座") == search_key("一楼b座") == "一楼b座"
