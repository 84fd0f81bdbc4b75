import contextlib
import csv
import io
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import Building, Unit
from households.models import Household, Owner
from households.register import (
    MAX_ROWS,
    Formula,
    RegisterError,
    check,
    commit,
    read_table,
)
from tests.factories import (
    make_building,
    make_campaign,
    make_consent,
    make_household,
    make_owner,
    make_unit,
    make_voted_unit,
    same_person,
)

pytestmark = pytest.mark.django_db
HEADER = "楼栋,单元,楼层,房号,建筑面积（㎡）,产权人,电话,居住情况"


def csv_of(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return "\n".join([header, *rows]).encode(encoding)


def xlsx_of(*rows: list) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def checked(data: bytes, campaign=None):
    return check(campaign or make_campaign(), read_table(data))


def problems_of(data: bytes, campaign=None) -> dict[int, list[str]]:
    return {row.number: row.problems for row in checked(data, campaign).rows_with_problems}


def test_a_clean_register_creates_buildings_units_households_and_co_owners():
    campaign = make_campaign()
    result = checked(
        csv_of(
            "1栋,1单元,1,101,88.5,张建国、李秀英,13812341234、13912341234,自住",
            "1栋,1单元,2,201,102.30,王德福,,出租",
            "2栋,1单元,12,1201,95,刘桂兰,13712341234,",
        ),
        campaign,
    )
    assert result.clean
    assert result.new_units == [("1栋", "1单元", 2), ("2栋", "1单元", 12)]
    assert commit(result) == {"created": 3, "updated": 0, "unchanged": 0, "units": 2}
    assert list(Building.objects.filter(campaign=campaign).values_list("name", "sort_order")) == [
        ("1栋", 1),
        ("2栋", 2),
    ]
    household = Household.objects.get(unit__building__name="1栋", room="101")
    assert household.area == Decimal("88.50")
    assert household.floor == 1
    owners = list(household.owners.values_list("name", "phone", "is_primary"))
    assert owners == [("张建国", "13812341234", True), ("李秀英", "13912341234", False)]
    assert Household.objects.get(room="201").occupancy == "rented"
    assert Household.objects.get(room="1201").occupancy == "owner_occupied"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n1 0 obj", "这不是表格文件"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "这不是表格文件"),
        (b"\x00\x01\x02binary", "这不是表格文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "旧版 .xls"),
        (b"PK\x03\x04not really a zip", "无法读取这个 Excel 文件"),
        (b"", "文件是空的"),
        (b"   \n", "文件是空的"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_reason(data, message):
    with pytest.raises(RegisterError, match=message):
        read_table(data)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(RegisterError, match="无法读取这个 Excel 文件"):
        read_table(out.getvalue())


def test_missing_columns_are_named():
    with pytest.raises(RegisterError, match="缺少这些列：建筑面积（㎡）、产权人"):
        checked(csv_of("1栋,1单元,1,101", header="楼栋,单元,楼层,房号,电话"))


def test_headers_may_carry_other_units_and_extra_columns():
    data = csv_of(
        "1栋,1单元,1,101,88.5,张三,备注", header="楼栋,单元,楼层,房号,建筑面积(m²),产权人,备注"
    )
    assert checked(data).clean


def test_the_same_room_twice_is_a_problem_on_both_rows():
    problems = problems_of(
        csv_of(
            "1栋,1单元,1,101,88.5,张三,,",
            "1栋,1单元,1,102,88.5,李四,,",
            "1栋,1单元,1,101,90,王五,,",
        )
    )
    assert set(problems) == {2, 4}
    assert "第 2、4 行是同一户" in problems[2][0]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("1栋,1单元,1,101,八十八,张三,,", "建筑面积“八十八”不是数字"),
        ("1栋,1单元,1,101,0,张三,,", "应大于 0"),
        ("1栋,1单元,1,101,-5,张三,,", "应大于 0"),
        ("1栋,1单元,1,101,88.555,张三,,", "最多保留两位小数"),
        ("1栋,1单元,1,101,,张三,,", "缺少建筑面积"),
        ("1栋,1单元,一楼,101,88,张三,,", "楼层“一楼”应为 1 到 200 之间的整数"),
        ("1栋,1单元,0,101,88,张三,,", "应为 1 到 200"),
        (",1单元,1,101,88,张三,,", "缺少楼栋"),
        ("1栋,1单元,1,,88,张三,,", "缺少房号"),
        ("1栋,1单元,1,12345678901,88,张三,,", "房号太长"),
        ("1栋,1单元,1,101,88,张三,,租的", "居住情况“租的”应为：自住、出租、人户分离、空置"),
        ("1栋,1单元,1,101,88,张三,12ab,", "电话“12ab”不是有效的号码"),
        ("1栋,1单元,1,101,88,张三,+86 138-1234-1234-5678,", "不是有效的号码"),
        ("1栋,1单元,1,101,88,张三,13812341234、13912341234,", "电话比产权人多"),
        ("1栋,1单元,1,101,88,张三,138****1234,", "是打码号码"),
        ("1栋,1单元,1,101,=1+87,张三,,", "建筑面积（㎡）是公式"),
        ('=HYPERLINK("x"),1单元,1,101,88,张三,,', "楼栋是公式"),
    ],
)
def test_each_bad_cell_is_reported_on_its_row(cells, message):
    problems = problems_of(csv_of(cells))
    assert list(problems) == [2]
    assert any(message in problem for problem in problems[2]), problems


def test_every_row_is_reported_and_nothing_is_written_while_one_is_wrong():
    campaign = make_campaign()
    result = checked(
        csv_of(
            "1栋,1单元,1,101,88.5,张三,,", "1栋,1单元,1,102,abc,李四,,", "1栋,1单元,2,201,90,王五,,"
        ),
        campaign,
    )
    assert not result.clean
    assert [row.number for row in result.rows_with_problems] == [3]
    with pytest.raises(ValueError, match="never written"):
        commit(result)
    assert not Household.objects.exists()
    assert not Building.objects.exists()


def test_a_hundred_thousand_rows_are_refused_with_the_limit():
    rows = [f"1栋,1单元,{i % 30 + 1},{i},88.5,张三,," for i in range(100_000)]
    with pytest.raises(RegisterError, match=f"超过 {MAX_ROWS:,} 行"):
        read_table(csv_of(*rows))


def test_a_file_over_five_megabytes_is_refused():
    with pytest.raises(RegisterError, match="超过 5 MB"):
        read_table(csv_of("x" * (5 * 1024 * 1024)))


def test_excel_formulas_are_reported_and_never_used():
    data = xlsx_of(
        ["1栋", "1单元", 1, "101", "=40+48.5", "张三", "", "自住"],
        ["1栋", "1单元", 1, "102", 88.5, "=A2", "", "自住"],
        ["1栋", "1单元", 2, "201", 90, "王五", "", "自住"],
    )
    table = read_table(data)
    assert isinstance(table[1][4], Formula)
    problems = problems_of(data)
    assert set(problems) == {2, 3}
    assert "建筑面积（㎡）是公式" in problems[2][0]
    assert "产权人是公式" in problems[3][0]


def test_excel_numbers_and_dates_are_read_as_a_register_means_them():
    data = xlsx_of(
        ["1栋", "1单元", 3.0, 301, 88.5, "张三", 13812341234, "自住"],
        ["1栋", "1单元", 3, datetime(2026, 3, 2), 88.5, "李四", "", "自住"],
    )
    result = checked(data)
    first = result.rows[0]
    assert (first.floor, first.room, first.area) == (3, "301", Decimal("88.50"))
    assert first.owners == [("张三", "13812341234")]
    assert "房号被识别成了日期" in result.rows[1].problems[0]


def test_floors_and_areas_may_carry_their_units():
    [row] = checked(csv_of('1栋,1单元,12层,1201,"1,088.50㎡",张三,,')).rows
    assert (row.floor, row.area, row.problems) == (12, Decimal("1088.50"), [])
    [odd] = checked(csv_of("1栋,1单元,²,1201,88 平米,张三,,")).rows
    assert odd.area == Decimal("88.00")
    assert odd.problems == ["楼层“²”应为 1 到 200 之间的整数。"]


def test_a_csv_saved_by_chinese_excel_in_gbk_reads():
    assert checked(csv_of("1栋,1单元,1,101,88.5,张三,,自住", encoding="gbk")).clean


def test_a_room_already_on_record_is_updated_and_the_preview_says_how():
    campaign = make_campaign()
    unit = make_unit(building=make_building(campaign=campaign, name="1栋"), name="1单元")
    household = make_household(unit=unit, floor=1, room="101", area=Decimal("88.50"))
    make_owner(household=household, name="张三", phone="13812341234", id_tail="1234")
    same = make_household(unit=unit, floor=1, room="102", area=Decimal("70.00"))
    make_owner(household=same, name="李四", phone="13912341234")
    result = checked(
        csv_of(
            "1栋,1单元,1,101,90.00,张三、张小三,138****1234、13712341234,出租",
            "1栋,1单元,1,102,70,李四,139****1234,自住",
        ),
        campaign,
    )
    assert result.clean
    [updated] = result.updated
    assert updated.changes == [
        "面积 88.50 → 90.00",
        "居住情况 自住 → 出租",
        "产权人 张三 → 张三、张小三",
    ]
    assert [row.household for row in result.unchanged] == [same]
    assert commit(result) == {"created": 0, "updated": 1, "unchanged": 1, "units": 0}
    household.refresh_from_db()
    assert (household.area, household.occupancy) == (Decimal("90.00"), "rented")
    owners = list(household.owners.values_list("name", "phone", "id_tail", "is_primary"))
    assert owners == [
        ("张三", "13812341234", "1234", True),  # the masked number stands for the stored one
        ("张小三", "13712341234", "", False),
    ]
    assert Owner.objects.filter(household=same).get().phone == "13912341234"


def test_a_masked_phone_for_someone_else_is_refused():
    campaign = make_campaign()
    unit = make_unit(building=make_building(campaign=campaign, name="1栋"), name="1单元")
    make_owner(household=make_household(unit=unit, room="101", floor=1), name="张三")
    problems = problems_of(csv_of("1栋,1单元,1,101,88.5,王五,138****1234,"), campaign)
    assert "只能用于台账中已有的产权人王五" in problems[2][0]


def test_a_floor_above_the_units_floors_is_a_problem():
    campaign = make_campaign()
    make_unit(building=make_building(campaign=campaign, name="1栋"), name="1单元", floors=6)
    problems = problems_of(csv_of("1栋,1单元,7,701,88.5,张三,,"), campaign)
    assert "楼层 7 超出 1栋1单元 的楼层数（6 层）" in problems[2][0]


def test_households_missing_from_the_file_are_left_alone():
    campaign = make_campaign()
    unit = make_unit(building=make_building(campaign=campaign, name="1栋"), name="1单元")
    kept = make_household(unit=unit, room="901", floor=9)
    commit(checked(csv_of("1栋,1单元,1,101,88.5,张三,,"), campaign))
    assert Household.objects.filter(pk=kept.pk).exists()
    assert Unit.objects.filter(building__campaign=campaign).count() == 1


def test_only_a_header_is_a_problem():
    with pytest.raises(RegisterError, match="没有住户"):
        checked(csv_of())


def test_the_exports_apostrophe_before_a_formula_character_is_taken_off():
    [row] = checked(csv_of("1栋,1单元,1,101,88.5,张三,'+8613812341234,")).rows
    assert row.owners == [("张三", "+8613812341234")]
    assert not row.problems


def report_or_reason(data: bytes, campaign) -> None:
    """What a user can upload ends in a report or a reason, never in anything else."""
    with contextlib.suppress(RegisterError):
        check(campaign, read_table(data))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000))
def test_any_bytes_end_in_a_report_or_a_reason(data):
    report_or_reason(data, make_campaign())


CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "1", "0", "-3", "88.5", "1e400", "NaN", "²", "=1+1", "'=x", "1栋", "*"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(CELLS, min_size=0, max_size=10), max_size=8))
def test_any_register_shaped_csv_ends_in_a_report_or_a_reason(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER.split(","))
    writer.writerows(rows)
    report_or_reason(out.getvalue().encode(), make_campaign())


XLSX_CELLS = st.one_of(
    CELLS.filter(lambda text: text.isprintable()),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2100, 1, 1)),
    st.none(),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(XLSX_CELLS, max_size=9), min_size=1, max_size=5))
def test_any_register_shaped_workbook_ends_in_a_report_or_a_reason(rows):
    report_or_reason(xlsx_of(*rows), make_campaign())


# --- where each area comes from, and the owners linked as one person ---------------------------

SOURCED = HEADER + ",面积依据"


def test_the_area_source_column_is_read_and_blank_means_not_recorded():
    campaign = make_campaign()
    data = csv_of(
        "1栋,1单元,3,302,88.50,张三,,自住,不动产登记簿",
        "1栋,1单元,4,402,88.50,李四,,自住,测绘",
        "1栋,1单元,5,502,88.50,王五,,自住,",
        header=SOURCED,
    )
    commit(checked(data, campaign))
    sources = dict(Household.objects.values_list("room", "area_source"))
    assert sources == {"302": "register", "402": "survey", "502": ""}


def test_an_unknown_area_source_is_a_problem_that_names_the_choices():
    data = csv_of("1栋,1单元,3,302,88.50,张三,,自住,估算", header=SOURCED)
    [problem] = problems_of(data)[2]
    assert "估算" in problem and "不动产登记簿、测绘报告、购房合同" in problem


def test_a_register_without_the_column_or_with_a_blank_keeps_the_source_on_record():
    household = make_household(room="302", area_source="contract")
    make_owner(household=household, name="张三", phone="")
    unit = household.unit
    campaign = unit.building.campaign
    row = f"{unit.building.name},{unit.name},3,302,90.00,张三,,自住"
    result = checked(csv_of(row), campaign)
    assert result.updated[0].area_source == "contract"
    result = checked(csv_of(row + ",", header=SOURCED), campaign)
    assert result.updated[0].area_source == "contract"
    result = checked(
        csv_of(f"{unit.building.name},{unit.name},3,302,88.50,张三,,自住,测绘报告", header=SOURCED),
        campaign,
    )
    assert result.updated[0].changes == ["面积依据 购房合同 → 测绘报告"]
    commit(result)
    household.refresh_from_db()
    assert household.area_source == "survey"


def test_an_owner_kept_through_an_import_stays_linked_to_their_person():
    unit = make_unit()
    first = make_owner(household=make_household(unit=unit, room="302", floor=3), name="张三")
    second = make_owner(household=make_household(unit=unit, room="502", floor=5), name="张三")
    person = same_person(first, second)
    row = f"{unit.building.name},{unit.name},3,302,99.00,张三,13812341234,自住"
    commit(checked(csv_of(row), unit.building.campaign))
    assert set(person.titles.values_list("household__room", flat=True)) == {"302", "502"}


# --- owners on record are kept, not replaced ----------------------------------------------------


def signed_flat():
    """A flat whose owner signed as its registered owner (the consent names the entry)."""
    unit, [household], proposal = make_voted_unit([None])
    owner = household.owners.get()
    make_consent(
        household=household, proposal=proposal, signer_owner=owner, signer_capacity="owner"
    )
    return unit, household, owner


def row_of(unit, household, area="99.00", owners="", phones=""):
    return f"{unit.building.name},{unit.name},{household.floor},{household.room},{area},{owners},{phones},自住"


def test_a_signed_flat_whose_area_changes_imports_and_its_owner_entry_is_kept():
    unit, household, owner = signed_flat()
    commit(checked(csv_of(row_of(unit, household, owners=owner.name)), unit.building.campaign))
    household.refresh_from_db()
    assert household.area == Decimal("99.00")
    assert list(household.owners.all()) == [owner]
    assert household.consents.get().signer_owner == owner


def test_a_register_that_drops_an_owner_who_signed_is_refused_on_that_row():
    unit, household, owner = signed_flat()
    result = checked(csv_of(row_of(unit, household, owners="新业主")), unit.building.campaign)
    [problem] = result.rows_with_problems[0].problems
    assert owner.name in problem and "已签字" in problem


def test_co_owners_reordered_keep_their_entries_and_the_new_first_is_the_primary():
    household = make_household(room="302")
    first = make_owner(household=household, name="张三", phone="", id_tail="1234")
    second = make_owner(household=household, name="李四", phone="", is_primary=False)
    unit = household.unit
    data = csv_of(row_of(unit, household, area="88.50", owners="李四、王五", phones="13900001111"))
    commit(checked(data, unit.building.campaign))
    owners = {o.name: o for o in household.owners.all()}
    assert set(owners) == {"李四", "王五"}
    assert owners["李四"].pk == second.pk and owners["李四"].is_primary
    assert owners["李四"].phone == "13900001111" and not owners["王五"].is_primary
    assert not Owner.objects.filter(pk=first.pk).exists()


# --- the needs recorded at the door ---------------------------------------------------------

WITH_NEEDS = HEADER + ",70岁以上,行动不便（含轮椅）,独居,停梯需帮助,紧迫程度,需求备注"


def test_the_needs_columns_are_read_into_each_household():
    campaign = make_campaign()
    data = csv_of(
        "1栋,1单元,7,702,88.50,张三,,自住,是,√,是,是,紧急,住七楼，需要送餐",
        "1栋,1单元,4,402,88.50,李四,,自住,否,—,无,,无需求（年轻家庭）,",
        header=WITH_NEEDS,
    )
    commit(checked(data, campaign))
    first, second = Household.objects.get(room="702"), Household.objects.get(room="402")
    assert (first.elderly, first.mobility_impaired, first.lives_alone) == (True, True, True)
    assert first.needs_outage_help and first.urgency == "urgent"
    assert first.needs_note == "住七楼，需要送餐"  # Chinese punctuation kept as written
    assert not (second.elderly or second.mobility_impaired or second.lives_alone)
    assert not second.needs_outage_help and second.urgency == "none"


def test_a_blank_needs_cell_keeps_what_the_door_recorded():
    household = make_household(room="302", floor=3, area=Decimal("90.00"), lives_alone=True)
    household.urgency, household.needs_note = "high", "腿脚不便"
    household.save()
    make_owner(household=household, name="张三", phone="")
    unit = household.unit
    row = f"{unit.building.name},{unit.name},3,302,90.00,张三,,自住,,,,,,"
    result = checked(csv_of(row, header=WITH_NEEDS), unit.building.campaign)
    assert result.unchanged and not result.updated
    row = f"{unit.building.name},{unit.name},3,302,90.00,张三,,自住,是,,否,,,"
    result = checked(csv_of(row, header=WITH_NEEDS), unit.building.campaign)
    assert result.updated[0].changes == ["需求：70岁以上、独居"]
    commit(result)
    household.refresh_from_db()
    assert household.elderly and not household.lives_alone
    assert (household.urgency, household.needs_note) == ("high", "腿脚不便")


def test_a_needs_cell_that_is_not_yes_or_no_is_a_problem_that_says_so():
    data = csv_of("1栋,1单元,3,302,88.50,张三,,自住,也许,,,,很急,", header=WITH_NEEDS)
    problems = problems_of(data)[2]
    assert any("70岁以上“也许”应为“是”或“否”" in p for p in problems)
    assert any("紧迫程度“很急”" in p and "紧急、较急、一般" in p for p in problems)
