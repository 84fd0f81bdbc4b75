"""The register's columns as offices write them: pure functions, tested without the database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from households.register.columns import (
    HEADER_ROWS,
    HEADERS,
    SYNONYMS,
    find_header,
    half_width,
    header_key,
    is_placeholder,
    is_totals,
)

SPELLINGS = [(name, spelling) for name, spellings in SYNONYMS.items() for spelling in spellings]


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E)))
def test_full_width_ascii_reads_as_ascii(text):
    assert half_width(full_width(text)) == text


@given(st.text(st.characters(blacklist_characters=[chr(c) for c in range(0xFF01, 0xFF5F)])))
def test_text_without_full_width_characters_is_left_as_it_is(text):
    assert half_width(text.replace("\u3000", "")) == text.replace("\u3000", "")


@pytest.mark.parametrize(("name", "spelling"), SPELLINGS)
def test_every_usual_spelling_of_a_column_is_known_with_spaces_brackets_and_units(name, spelling):
    for written in (
        spelling,
        f" {spelling} ",
        f"{spelling}（㎡）",
        f"{spelling}(m²)",
        f"*{spelling}",
    ):
        header = find_header([[written, *(h for n, h in HEADERS.items() if n != name)]])
        assert header.columns[0] == name, written


def test_the_exports_own_headers_are_known():
    header = find_header([list(HEADERS.values())])
    assert list(header.columns.values()) == list(HEADERS)
    assert header.ignored == []


@given(
    titles=st.lists(
        st.lists(st.sampled_from(["宁康园3栋住户台账", "", None, "2026年3月"]), max_size=3),
        max_size=HEADER_ROWS - 1,
    )
)
def test_the_header_is_found_below_any_title_rows(titles):
    header = find_header([*titles, ["序号", *HEADERS.values(), "备注"]])
    assert header.index == len(titles)
    assert header.columns == {i + 1: name for i, name in enumerate(HEADERS)}
    assert header.ignored == ["序号", "备注"]
    assert header.width == len(HEADERS) + 1


def test_a_header_below_the_top_rows_is_not_looked_for():
    assert find_header([[""]] * HEADER_ROWS + [list(HEADERS.values())]) is None


def test_a_header_missing_columns_says_which():
    header = find_header([["标题"], ["楼栋", "单元", "楼层", "房号", "电话"]])
    assert (header.number, header.missing) == (2, ["area", "owners"])


@pytest.mark.parametrize(
    "text", ["-", "—", "——", "－", "/", "无", "暂无", " 无 ", "N/A", "none", "--"]
)
def test_dashes_slashes_and_wu_stand_for_an_empty_cell(text):
    assert is_placeholder(half_width(text))


@pytest.mark.parametrize("text", ["无锡", "-3", "1栋", "张无忌", "138-1234-1234"])
def test_written_values_are_not_placeholders(text):
    assert not is_placeholder(text)


@pytest.mark.parametrize(
    "cells",
    [["合计", "", "", "", "1234.5"], ["", "合  计"], ["21", "总计：20户"], ["小计"]],
)
def test_a_row_opening_with_a_total_is_a_totals_row(cells):
    assert is_totals(cells)


@pytest.mark.parametrize(
    "cells", [["1栋", "1单元", "1", "101"], [], ["", ""], ["1", "2", "3", "合计"]]
)
def test_a_household_row_is_not_a_totals_row(cells):
    assert not is_totals(cells)


@given(st.text())
def test_any_header_cell_has_a_key(text):
    assert isinstance(header_key(text), str)
