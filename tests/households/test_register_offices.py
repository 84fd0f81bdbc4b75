"""Registers as offices really keep them: a title above the header, their own column names,
full-width digits, units, dashes for "no phone", blank rows and a totals row; control
characters; and a workbook that declares itself enormous."""

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from households.register import RegisterError, check, commit, read_table
from tests.factories import make_building, make_campaign, make_household, make_unit

pytestmark = pytest.mark.django_db
OFFICE_HEADER = [
    "序号",
    "楼栋号",
    "单元",
    "楼层",
    "房号",
    "建筑面积(㎡)",
    "业主姓名",
    "联系电话",
    "备注",
]


def office_workbook(*rows: list, header=OFFICE_HEADER) -> bytes:
    """A register the way a property office exports it: a merged title, a date line, then the
    header, then the rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["宁康园社区3栋住户信息登记表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(["填表日期：2026年3月2日"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def checked(data: bytes, campaign=None):
    return check(campaign or make_campaign(), read_table(data))


def test_a_typical_office_register_imports_with_what_was_skipped_said():
    campaign = make_campaign()
    data = office_workbook(
        [1, "3栋", "1单元", "３", "301", "６４．８０", "张建国", "138 1234 1234", ""],
        [2, "3栋", "1单元", 3, 302, "112.05㎡", "李秀英、王强", "—", "女儿代签"],
        [None] * 9,
        [3, "3栋", "1单元", 4, 401, 88.5, "王德福", "无", "独居老人"],
        [4, None, None, None, None, None, None, None, "待补"],
        ["合计", None, None, None, None, 265.35, "3户", None, None],
    )
    result = checked(data, campaign)
    assert result.clean, [(row.number, row.problems) for row in result.rows_with_problems]
    assert [(r.number, r.floor, r.room, r.area, r.owners) for r in result.rows] == [
        (4, 3, "301", Decimal("64.80"), [("张建国", "13812341234")]),
        (5, 3, "302", Decimal("112.05"), [("李秀英", ""), ("王强", "")]),
        (7, 4, "401", Decimal("88.50"), [("王德福", "")]),
    ]
    assert (result.header.number, result.title_rows) == (3, 2)
    assert result.ignored_columns == ["序号", "备注"]
    assert (result.blank_rows, result.totals_rows) == ([6, 8], [9])
    assert commit(result)["created"] == 3


def test_a_header_repeated_where_pages_were_pasted_together_is_skipped():
    row = [1, "3栋", "1单元", 3, "301", 90, "张三", "", ""]
    result = checked(office_workbook(row, OFFICE_HEADER, [2, *row[1:4], "302", *row[5:]]))
    assert result.clean and [r.room for r in result.rows] == ["301", "302"]
    assert result.repeated_headers == [5]


def test_names_on_record_in_full_width_match_the_same_names_in_ascii():
    campaign = make_campaign()
    unit = make_unit(building=make_building(campaign=campaign, name="Ａ座"), name="１单元")
    make_household(unit=unit, room="１０１", floor=1, area=Decimal("88.00"))
    result = checked(
        office_workbook(
            [1, "A座", "1单元", 1, "101", 88, "", "", ""],
            [2, "A座", "1单元", 2, "201", 90, "李四", "", ""],
        ),
        campaign,
    )
    assert result.new_units == []
    assert [(r.building, r.unit, r.room) for r in result.rows] == [
        ("Ａ座", "１单元", "１０１"),
        ("Ａ座", "１单元", "201"),
    ]
    assert len(result.unchanged) == 1
    commit(result)
    assert unit.households.count() == 2


def test_a_csv_with_the_usual_other_spellings_imports():
    data = "\n".join(
        [
            "3栋住户台账,,,,,,",
            "栋号,单元号,层,房间号,房屋面积（平方米）,业主,手机",
            '3栋,1单元,5F,501,"1,088.50 平方米",张三,139-1234-1234',
            "3栋,1单元,5,502,90,李四,-",
            "总计,,,,1178.5,,",
        ]
    ).encode("gb18030")
    result = checked(data)
    assert result.clean, [row.problems for row in result.rows_with_problems]
    assert [(r.floor, r.area, r.owners) for r in result.rows] == [
        (5, Decimal("1088.50"), [("张三", "139-1234-1234")]),
        (5, Decimal("90.00"), [("李四", "")]),
    ]
    assert result.totals_rows == [5]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ([1, "3栋", "1单元", 3, "301", "约90", "张三", "", ""], "建筑面积“约90”不是数字"),
        ([1, "3栋", "1单元", 3, "301", "=40+50", "张三", "", ""], "建筑面积（㎡）是公式"),
        ([1, "3栋", "1单元", 9, "901", 90, "张三", "", ""], "超出 3栋1单元 的楼层数"),
        ([1, "-", "1单元", 3, "301", 90, "张三", "", ""], "缺少楼栋"),
    ],
)
def test_what_remains_ambiguous_stays_a_problem_on_its_row_as_the_sheet_numbers_it(cells, message):
    campaign = make_campaign()
    make_unit(building=make_building(campaign=campaign, name="3栋"), name="1单元", floors=6)
    [row] = checked(office_workbook(cells), campaign).rows
    assert row.number == 4
    assert any(message in problem for problem in row.problems), row.problems


def test_the_same_room_twice_stays_a_problem_below_a_title():
    rows = [[n, "3栋", "1单元", 3, "301", 90, "张三", "", ""] for n in (1, 2)]
    problems = {row.number: row.problems for row in checked(office_workbook(*rows)).rows}
    assert set(problems) == {4, 5} and all(problems.values())


def test_a_register_whose_header_cannot_be_found_is_refused_with_the_columns_it_needs():
    with pytest.raises(RegisterError, match="前 10 行里没有找到表头。表头需要这些列：楼栋"):
        checked("住户,人数\n张三,3\n".encode())
    with pytest.raises(RegisterError, match="第 3 行像是表头，但缺少这些列：产权人"):
        checked(office_workbook(header=["楼栋", "单元", "楼层", "房号", "面积", "电话"]))


# Control characters: refused on their row, before anything is kept or written.


def test_a_control_character_in_a_csv_cell_is_a_problem_on_its_row():
    data = "楼栋,单元,楼层,房号,面积,产权人\n1栋,1单元,1,101,88,张\x01三\n1栋,1单元,1,102,88,李四\n"
    result = checked(data.encode())
    assert [(row.number, row.problems) for row in result.rows_with_problems] == [
        (2, ["产权人含有不可见的控制字符，请在文件中删除后重新上传。"])
    ]


def test_a_nul_after_the_first_four_kilobytes_is_a_problem_not_a_stored_name():
    rows = [f"1栋,1单元,{n % 20 + 1},{n},88,住户{n}" for n in range(1, 200)]
    data = "\n".join(["楼栋,单元,楼层,房号,面积,产权人", *rows, "1栋,1单元,1,9999,88,王\x00五"])
    assert data.index("\x00") > 4096
    result = checked(data.encode())
    assert [row.number for row in result.rows_with_problems] == [201]
    assert "控制字符" in result.rows_with_problems[0].problems[0]


def test_a_c1_control_character_in_a_workbook_cell_is_a_problem_on_its_row():
    data = office_workbook([1, "3栋", "1单元", 3, "301", 90, "张\x85三", "", ""])
    [row] = checked(data).rows
    assert row.problems == ["产权人含有不可见的控制字符，请在文件中删除后重新上传。"]


def test_a_line_break_inside_a_cell_reads_as_a_space():
    data = office_workbook([1, "3栋", "1单元", 3, "301", 90, "张三\n李四", "", ""])
    [row] = checked(data).rows
    assert not row.problems and row.owners == [("张三 李四", "")]


# A workbook that declares itself 16,384 columns wide.


def patched(data: bytes, change) -> bytes:
    """The same workbook, its first sheet's XML changed."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            copy.writestr(info, content)
    return out.getvalue()


def declaring(data: bytes, ref: str) -> bytes:
    """The same workbook, its first sheet declaring another size."""

    def change(content: bytes) -> bytes:
        content, count = re.subn(
            rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
        )
        assert count == 1
        return content

    return patched(data, change)


def test_a_workbook_declaring_every_column_reads_only_the_columns_its_header_names(monkeypatch):
    data = declaring(
        office_workbook([1, "3栋", "1单元", 3, "301", 90, "张三", "", "备注"]), "A1:XFD5000"
    )
    widths = []
    original = ReadOnlyWorksheet._cells_by_row

    def recording(self, min_col, min_row, max_col, max_row, values_only=False):
        for row in original(self, min_col, min_row, max_col, max_row, values_only):
            widths.append(len(row))
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", recording)
    [row] = checked(data).rows
    assert (row.number, row.room, row.owners, row.problems) == (4, "301", [("张三", "")], [])
    assert widths and max(widths) <= len(OFFICE_HEADER)
    assert len(widths) < 20  # the declared 5,000 rows are not made up either


def test_a_workbook_declaring_a_small_size_still_reads_every_row():
    rows = [[n, "3栋", "1单元", 3, str(300 + n), 90, "张三", "", ""] for n in range(1, 6)]
    assert len(checked(declaring(office_workbook(*rows), "A1:B2")).rows) == 5


# What held before still holds: XML bombs, external entities and zip bombs are refused.

ONE_ROW = [1, "3栋", "1单元", 3, "301", 90, "张三", "", ""]


def with_doctype(doctype: bytes, name: bytes):
    def change(content: bytes) -> bytes:
        content = re.sub(rb"^<\?xml[^>]*\?>", b"", content)
        return b'<?xml version="1.0"?>' + doctype + content.replace("张三".encode(), name)

    return change


def test_a_billion_laughs_workbook_is_refused():
    entities = b"".join(
        b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10 if i else b"ha") for i in range(10)
    )
    data = patched(
        office_workbook(ONE_ROW), with_doctype(b"<!DOCTYPE worksheet [" + entities + b"]>", b"&l9;")
    )
    with pytest.raises(RegisterError, match="无法读取这个 Excel 文件"):
        read_table(data)


def test_an_external_entity_is_never_read_into_the_register(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密")
    doctype = f'<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file://{secret}">]>'.encode()
    data = patched(office_workbook(ONE_ROW), with_doctype(doctype, b"&x;"))
    try:
        table = read_table(data)
    except RegisterError:
        return
    assert "机密" not in repr(table)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    def padded(content: bytes) -> bytes:
        return content.replace(b"</worksheet>", b" " * (120 * 1024 * 1024) + b"</worksheet>")

    with pytest.raises(RegisterError, match="解压后过大"):
        read_table(patched(office_workbook(ONE_ROW), padded))
