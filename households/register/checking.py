"""Checking a register's rows against the campaign: every problem of every row, and what
would change, before anything is written."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from campaigns.models import Campaign, Unit
from core.text import has_control_characters
from households.models import AreaSource, Household, Owner, Urgency, phone_validator
from households.privacy import mask_phone
from households.register.columns import (
    HEADER_ROWS,
    HEADERS,
    LABELS,
    NEED_FLAGS,
    NEEDS,
    Header,
    find_header,
    half_width,
    header_of,
    is_placeholder,
    is_totals,
)
from households.register.reading import MAX_ROWS, Formula, RegisterError

MAX_FLOOR = 200
NOTE_LIMIT = 500
AS_WRITTEN = ("owners", "needs_note")  # read as written: full-width punctuation is Chinese
PHONE_LENGTH = Owner._meta.get_field("phone").max_length
SEPARATORS = re.compile(r"[、,，;；/]")
AREA_UNIT = re.compile(r"\s*(㎡|m²|m2|平方米|平米|平方)$", re.IGNORECASE)
FLOOR_UNIT = re.compile(r"(层|楼|F)$", re.IGNORECASE)


@dataclass
class Row:
    number: int
    building: str = ""
    unit: str = ""
    room: str = ""
    floor: int | None = None
    area: Decimal | None = None
    occupancy: str = ""
    area_source: str = ""  # blank: not given (kept as on record) or not recorded
    needs: dict = field(default_factory=dict)  # the needs the file gives (blank cells: none)
    owners: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    household: Household | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.building, self.unit, self.room)

    @property
    def place(self) -> str:
        return f"{self.building}{self.unit} {self.room}".strip()


@dataclass
class Check:
    campaign: Campaign
    rows: list[Row]
    new_units: list[tuple[str, str, int]]
    header: Header | None = None
    blank_rows: list[int] = field(default_factory=list)  # row numbers, as the sheet counts
    totals_rows: list[int] = field(default_factory=list)
    repeated_headers: list[int] = field(default_factory=list)

    @property
    def title_rows(self) -> int:
        """How many rows above the header were not read (a title, a date, …)."""
        return self.header.index if self.header else 0

    @property
    def ignored_columns(self) -> list[str]:
        return self.header.ignored if self.header else []

    @property
    def blank_row_numbers(self) -> str:
        """The blank rows' numbers, the first twenty of them."""
        shown = "、".join(str(number) for number in self.blank_rows[:20])
        return shown + ("…" if len(self.blank_rows) > 20 else "")

    @property
    def rows_with_problems(self) -> list[Row]:
        return [row for row in self.rows if row.problems]

    @property
    def clean(self) -> bool:
        return not self.rows_with_problems

    @property
    def new(self) -> list[Row]:
        return [row for row in self.rows if row.household is None]

    @property
    def updated(self) -> list[Row]:
        return [row for row in self.rows if row.household is not None and row.changes]

    @property
    def unchanged(self) -> list[Row]:
        return [row for row in self.rows if row.household is not None and not row.changes]


def check(campaign: Campaign, table: list[list]) -> Check:
    """Every problem of every row, before anything is written; raises RegisterError when no
    row at the top names the columns the register needs."""
    if not table:
        raise RegisterError(_("文件是空的。"))
    header = _header(table)
    rows, blank_rows, totals_rows, repeated_headers = [], [], [], []
    for number, cells in enumerate(table[header.index + 1 :], start=header.number + 1):
        known = [cells[i] if i < len(cells) else None for i in header.columns]
        if all(cell is None or str(cell).strip() == "" for cell in known):
            blank_rows.append(number)  # blank, or only a 序号 or a 备注 written in it
        elif is_totals([cell if isinstance(cell, str) else "" for cell in cells]):
            totals_rows.append(number)
        elif header_of(cells).columns == header.columns:
            repeated_headers.append(number)  # pages pasted one below the other
        else:
            rows.append(_parse_row(number, cells, header.columns))
    if not rows:
        raise RegisterError(_("表里只有表头，没有住户。"))
    if len(rows) > MAX_ROWS:
        raise RegisterError(_("文件超过 %(max)s 行，请拆分后分批导入。") % {"max": f"{MAX_ROWS:,}"})
    _mark_duplicates(rows)
    named = header.columns.values()
    new_units = _match(
        campaign,
        rows,
        has_occupancy="occupancy" in named,
        has_area_source="area_source" in named,
    )
    return Check(campaign, rows, new_units, header, blank_rows, totals_rows, repeated_headers)


def _header(table: list[list]) -> Header:
    header = find_header(table)
    needed = "、".join(HEADERS.values())
    if header is None:
        raise RegisterError(
            _("前 %(rows)s 行里没有找到表头。表头需要这些列：%(needed)s。")
            % {"rows": HEADER_ROWS, "needed": needed}
        )
    if header.missing:
        raise RegisterError(
            _("第 %(row)s 行像是表头，但缺少这些列：%(missing)s。需要的列：%(needed)s。")
            % {
                "row": header.number,
                "missing": "、".join(HEADERS[name] for name in header.missing),
                "needed": needed,
            }
        )
    return header


def _text(value, label: str, problems: list[str], limit: int, *, as_written=False) -> str | None:
    """A cell as text: full-width digits and letters as ASCII (unless ``as_written``: names),
    spaces and line breaks as one space, a dash or 无 as nothing. None when the cell is a
    problem already reported (a formula, a date, a control character)."""
    if isinstance(value, Formula):
        problems.append(_("%(column)s是公式，请只填写数值或文字。") % {"column": label})
        return None
    if isinstance(value, datetime | date | time):
        problems.append(_("%(column)s被识别成了日期，请把单元格设为文本。") % {"column": label})
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value if value is not None else "")
    if has_control_characters(text.replace("\t", "").replace("\r", "").replace("\n", "")):
        problems.append(
            _("%(column)s含有不可见的控制字符，请在文件中删除后重新上传。") % {"column": label}
        )
        return None
    text = re.sub(r"\s+", " ", text if as_written else half_width(text)).strip()
    if is_placeholder(text):
        return ""
    if len(text) > limit:
        problems.append(
            _("%(column)s太长（最多 %(limit)s 个字）。") % {"column": label, "limit": limit}
        )
    return text


def _parse_row(number: int, cells: list, columns: dict[int, str]) -> Row:
    row = Row(number)
    raw = {name: cells[index] if index < len(cells) else None for index, name in columns.items()}
    text = {
        name: _text(raw.get(name), LABELS[name], row.problems, limit, as_written=name in AS_WRITTEN)
        for name, limit in (
            ("building", 50),
            ("unit", 50),
            ("room", 10),
            ("floor", 10),
            ("area", 20),
            ("owners", 200),
            ("phones", 200),
            ("occupancy", 20),
            ("area_source", 20),
            ("urgency", 20),
            ("needs_note", NOTE_LIMIT),
        )
    }
    for name in ("building", "unit", "room"):
        setattr(row, name, text[name] or "")
        if text[name] == "":
            row.problems.append(_("缺少%(column)s。") % {"column": HEADERS[name]})
    if text["floor"] is not None:
        row.floor = _floor(text["floor"], row.problems)
    if text["area"] is not None:
        row.area = _area(text["area"], row.problems)
    row.occupancy = _occupancy(text["occupancy"] or "", row.problems)
    row.area_source = _area_source(text["area_source"] or "", row.problems)
    row.owners = _owners(text["owners"] or "", text["phones"] or "", row.problems)
    row.needs = _needs(raw, text, row.problems)
    return row


YES = frozenset(["是", "有", "√", "✓", "✔", "☑", "y", "yes", "true", "1"])
NO = frozenset(["否", "×", "✗", "☐", "n", "no", "false", "0"])
UNKNOWN_URGENCY = frozenset(["尚未了解", "未了解", "不详", "未知"])


def _needs(raw: dict, text: dict, problems: list[str]) -> dict:
    """The needs a row gives: a flag written 是 or 否 (√, ×, a dash…), the urgency by its
    label, a note. A blank cell gives nothing: what is on record stays."""
    needs: dict = {}
    for name in NEED_FLAGS:
        value = raw.get(name)
        if isinstance(value, bool):
            needs[name] = value
            continue
        cell = _text(value, LABELS[name], problems, 10)
        if cell is None or (cell == "" and not is_placeholder(str(value or ""))):
            continue
        word = cell.lower()
        if word in YES:
            needs[name] = True
        elif word in NO or word == "":  # 否, or a dash or 无 written for "no"
            needs[name] = False
        else:
            problems.append(
                _("%(column)s“%(value)s”应为“是”或“否”，或留空。")
                % {"column": NEEDS[name], "value": cell}
            )
    urgency = text.get("urgency")
    if urgency:
        choices = {half_width(str(label)): value for value, label in Urgency.choices}
        choices |= {str(label): value for value, label in Urgency.choices}
        choices |= {value: value for value in Urgency.values}
        choices |= dict.fromkeys(UNKNOWN_URGENCY, "")
        if urgency in choices:
            needs["urgency"] = choices[urgency]
        else:
            problems.append(
                _("紧迫程度“%(value)s”应为：%(choices)s，或留空。")
                % {"value": urgency, "choices": "、".join(str(c) for c in Urgency.labels)}
            )
    if text.get("needs_note"):
        needs["needs_note"] = text["needs_note"]
    return needs


def _floor(text: str, problems: list[str]) -> int | None:
    if not text:
        problems.append(_("缺少楼层。"))
        return None
    number = FLOOR_UNIT.sub("", text).strip()
    if not number.isdecimal() or not 0 < int(number) <= MAX_FLOOR:
        problems.append(_("楼层“%(value)s”应为 1 到 200 之间的整数。") % {"value": text})
        return None
    return int(number)


def _area(text: str, problems: list[str]) -> Decimal | None:
    if not text:
        problems.append(_("缺少建筑面积。"))
        return None
    try:
        area = Decimal(AREA_UNIT.sub("", text).replace(",", ""))
    except InvalidOperation:
        area = None
    if area is None or not area.is_finite():
        problems.append(_("建筑面积“%(value)s”不是数字。") % {"value": text})
    elif not Decimal("0") < area < Decimal("1000000"):
        problems.append(_("建筑面积“%(value)s”应大于 0 且小于 1000000。") % {"value": text})
    elif area != area.quantize(Decimal("0.01")):
        problems.append(_("建筑面积“%(value)s”最多保留两位小数。") % {"value": text})
    else:
        return area.quantize(Decimal("0.01"))
    return None


def _occupancy(text: str, problems: list[str]) -> str:
    if not text:
        return ""
    choices = {str(label): value for value, label in Household.Occupancy.choices}
    choices |= {value: value for value in Household.Occupancy.values}
    if text not in choices:
        problems.append(
            _("居住情况“%(value)s”应为：%(choices)s。")
            % {
                "value": text,
                "choices": "、".join(str(label) for label in Household.Occupancy.labels),
            }
        )
        return ""
    return choices[text]


# How registers write where an area comes from, beyond the choices' own labels.
AREA_SOURCES = {
    "登记簿": AreaSource.REGISTER,
    "不动产登记": AreaSource.REGISTER,
    "不动产登记簿记载": AreaSource.REGISTER,
    "测绘": AreaSource.SURVEY,
    "房产测绘报告": AreaSource.SURVEY,
    "合同": AreaSource.CONTRACT,
    "商品房买卖合同": AreaSource.CONTRACT,
    "买卖合同": AreaSource.CONTRACT,
}


def _area_source(text: str, problems: list[str]) -> str:
    """Where the area comes from (SPC art. 8): the register, the survey report, the sales
    contract; blank when the register does not say."""
    if not text:
        return ""
    choices = {str(label): value for value, label in AreaSource.choices}
    choices |= {value: value for value in AreaSource.values} | AREA_SOURCES
    if text not in choices:
        problems.append(
            _("面积依据“%(value)s”应为：%(choices)s，或留空。")
            % {"value": text, "choices": "、".join(str(label) for label in AreaSource.labels)}
        )
        return ""
    return choices[text]


def _owners(names_text: str, phones_text: str, problems: list[str]) -> list[tuple[str, str]]:
    names = [name.strip() for name in SEPARATORS.split(names_text) if name.strip()]
    phones = [
        "" if is_placeholder(phone) else re.sub(r"\s+", "", phone)
        for phone in SEPARATORS.split(phones_text)
    ]
    phones = phones if any(phones) else []
    if len(phones) > len(names):
        problems.append(_("电话比产权人多：每个电话要对应一位产权人，用顿号分隔。"))
        return []
    for name in names:
        if len(name) > 50:
            problems.append(_("产权人姓名太长（最多 50 个字）。"))
    for phone in phones:
        if phone and "*" not in phone:
            try:
                phone_validator(phone)
                if len(phone) > PHONE_LENGTH:
                    raise ValidationError("too long")
            except ValidationError:
                problems.append(_("电话“%(value)s”不是有效的号码。") % {"value": phone})
    return [(name, phones[i] if i < len(phones) else "") for i, name in enumerate(names)]


def _mark_duplicates(rows: list[Row]) -> None:
    seen: dict[tuple, list[Row]] = {}
    for row in rows:
        if row.building and row.unit and row.room:
            seen.setdefault(row.key, []).append(row)
    for same in seen.values():
        if len(same) > 1:
            numbers = "、".join(str(row.number) for row in same)
            for row in same:
                row.problems.append(
                    _("第 %(rows)s 行是同一户（楼栋+单元+房号相同），只能保留一行。")
                    % {"rows": numbers}
                )


def _match(
    campaign: Campaign, rows: list[Row], *, has_occupancy: bool, has_area_source: bool = False
) -> list:
    """Find each row's household, list what would change, and the units to create."""
    # Names on record are compared as the file's are read (full-width as ASCII), and a row that
    # finds its unit or household takes the names on record.
    units = {
        _as_read(unit.building.name, unit.name): unit
        for unit in Unit.objects.filter(building__campaign=campaign).select_related("building")
    }
    households = {
        _as_read(h.unit.building.name, h.unit.name, h.room): h
        for h in Household.objects.in_campaign(campaign)
        .select_related("unit__building")
        # whether each owner is named as the signer of a consent (Consent.signer_owner, whose
        # reverse name is "consents"): such an entry is never deleted
        .prefetch_related(Prefetch("owners", Owner.objects.annotate(signed=Count("consents"))))
    }
    new_units: dict[tuple[str, str], int] = {}
    for row in rows:
        row.household = households.get(row.key)
        unit = units.get((row.building, row.unit))
        if unit is not None:
            row.building, row.unit = unit.building.name, unit.name
        if row.household is not None:
            row.room = row.household.room
        if unit is None and row.building and row.unit:
            new_units[(row.building, row.unit)] = max(
                new_units.get((row.building, row.unit), 0), row.floor or 0
            )
        elif unit is not None and row.floor and row.floor > unit.floors:
            row.problems.append(
                _("楼层 %(floor)s 超出 %(unit)s 的楼层数（%(floors)s 层）。")
                % {"floor": row.floor, "unit": unit, "floors": unit.floors}
            )
        if not has_occupancy or not row.occupancy:
            row.occupancy = (
                row.household.occupancy if row.household else Household.Occupancy.OWNER_OCCUPIED
            )
        if (not has_area_source or not row.area_source) and row.household is not None:
            row.area_source = row.household.area_source  # a blank cell keeps what is known
        row.owners = _resolve_phones(row)
        if row.household is not None:
            _refuse_dropping_a_signer(row)
        if row.household is not None and not row.problems:
            row.changes = _changes(row)
    return [(b, u, floors) for (b, u), floors in new_units.items()]


def _refuse_dropping_a_signer(row: Row) -> None:
    """An owner on record who signed a consent stays: the file must name them again."""
    named = {name for name, _phone in row.owners}
    for owner in row.household.owners.all():
        if owner.signed and owner.name not in named:
            row.problems.append(
                _(
                    "产权人%(name)s已签字，签字记录指向这一登记，不能从台账中去掉或改名；"
                    "请在文件中保留此人（姓名登记有误时，请在数据管理中更正）。"
                )
                % {"name": owner.name}
            )


def _as_read(*names: str) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", " ", half_width(name)).strip() for name in names)


def _resolve_phones(row: Row) -> list[tuple[str, str]]:
    """A masked phone stands for the number on record for that owner, and nothing else."""
    on_record = {o.name: o.phone for o in row.household.owners.all()} if row.household else {}
    resolved = []
    for name, phone in row.owners:
        if "*" in phone:
            if phone != mask_phone(on_record.get(name, "")) or not on_record.get(name):
                row.problems.append(
                    _(
                        "电话“%(phone)s”是打码号码，只能用于台账中已有的产权人%(name)s；请填写完整号码。"
                    )
                    % {"phone": phone, "name": name}
                )
            phone = on_record.get(name, "")
        resolved.append((name, phone))
    return resolved


def _changes(row: Row) -> list[str]:
    household = row.household
    changes = []
    if row.floor != household.floor:
        changes.append(_("楼层 %(old)s → %(new)s") % {"old": household.floor, "new": row.floor})
    if row.area != household.area:
        changes.append(_("面积 %(old)s → %(new)s") % {"old": household.area, "new": row.area})
    if row.area_source != household.area_source:
        changes.append(
            _("面积依据 %(old)s → %(new)s")
            % {
                "old": household.get_area_source_display() or "—",
                "new": AreaSource(row.area_source).label if row.area_source else "—",
            }
        )
    if row.occupancy != household.occupancy:
        changes.append(
            _("居住情况 %(old)s → %(new)s")
            % {
                "old": household.get_occupancy_display(),
                "new": Household.Occupancy(row.occupancy).label,
            }
        )
    needs = [NEEDS[name] for name, value in row.needs.items() if getattr(household, name) != value]
    if needs:
        changes.append(_("需求：%(columns)s") % {"columns": "、".join(needs)})
    if row.owners != [(o.name, o.phone) for o in household.owners.all()]:
        changes.append(
            _("产权人 %(old)s → %(new)s")
            % {
                "old": "、".join(o.name for o in household.owners.all()) or "—",
                "new": "、".join(name for name, _phone in row.owners) or "—",
            }
        )
    return changes
