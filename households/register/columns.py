"""A register as offices keep it: where its header is, what its columns are called, and its
cells written the way people write them. Pure functions over plain values.

- The header is the first of the top rows that names every needed column; the rows above it
  (a title, often merged across the columns) are not read as households.
- Each column is known by the names offices give it (``SYNONYMS``); spacing, full-width
  brackets and a unit in brackets do not matter (``建筑面积(㎡)`` is ``建筑面积``). Other
  columns (序号, 备注, …) are ignored, and said to be.
- Full-width digits and letters read as their ASCII selves (``６４．８０`` is ``64.80``); a dash,
  a slash or 无 stands for an empty cell; a row that opens with 合计 (or 总计, 小计…) is a
  totals row, not a household.
"""

import re
from dataclasses import dataclass, field

HEADER_ROWS = 10  # the header is looked for among this many rows at the top
MAX_COLUMNS = 100  # a header cell beyond this column is never read

# The file format the export writes: the same Chinese headers in every language, in this order.
HEADERS = {
    "building": "楼栋",
    "unit": "单元",
    "floor": "楼层",
    "room": "房号",
    "area": "建筑面积（㎡）",
    "owners": "产权人",
    "phones": "电话",
    "occupancy": "居住情况",
}
# Read when a register has it, never written by the export: where each area comes from.
OPTIONAL = {"area_source": "面积依据"}
# The needs recorded at the door: read when a register has them (a blank cell keeps what is on
# record), and written by the export after its status columns, so they import again.
NEEDS = {
    "elderly": "70岁以上",
    "mobility_impaired": "行动不便",
    "lives_alone": "独居",
    "needs_outage_help": "停梯需帮助",
    "urgency": "紧迫程度",
    "needs_note": "需求备注",
}
NEED_FLAGS = ("elderly", "mobility_impaired", "lives_alone", "needs_outage_help")
LABELS = {**HEADERS, **OPTIONAL, **NEEDS}  # every column's name in problems
REQUIRED = ("building", "unit", "floor", "room", "area", "owners")
SYNONYMS = {
    "building": ("楼栋", "楼栋号", "栋", "栋号", "楼号", "幢", "幢号", "楼宇", "楼宇名称"),
    "unit": ("单元", "单元号"),
    "floor": ("楼层", "层", "层号", "所在楼层", "所在层"),
    "room": ("房号", "房间号", "室号", "门牌号", "户号", "房屋号", "房号(室)"),
    "area": ("建筑面积", "面积", "房屋面积", "产权面积", "建面"),
    "owners": ("产权人", "业主", "业主姓名", "产权人姓名", "姓名", "户主", "房主", "所有权人"),
    "phones": ("电话", "联系电话", "手机", "手机号", "手机号码", "电话号码", "联系方式"),
    "occupancy": ("居住情况", "居住状态", "居住性质"),
    "area_source": ("面积依据", "面积来源", "面积数据来源", "面积出处"),
    "elderly": ("70岁以上", "70岁以上老人", "有70岁以上老人", "高龄", "高龄老人"),
    "mobility_impaired": ("行动不便", "行动不便（含轮椅）", "有行动不便者", "轮椅"),
    "lives_alone": ("独居", "独居老人", "是否独居"),
    "needs_outage_help": ("停梯需帮助", "停梯期间需要帮助", "停梯需要帮助", "施工期间需帮助"),
    "urgency": ("紧迫程度", "紧急程度", "需求紧迫程度"),
    "needs_note": ("需求备注", "需求说明", "特殊需求"),
}

# Full-width ASCII (U+FF01–FF5E) and the ideographic space, as ASCII.
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: " "}
PLACEHOLDERS = frozenset(
    ["-", "--", "---", "—", "——", "–", "―", "/", "\\", "无", "暂无", "空", "n/a", "na", "none"]
)
TOTALS = re.compile(r"(合计|总计|小计|共计|汇总|总数)")
BRACKETED_TAIL = re.compile(r"[(\[【].*?[)\]】]$")


def half_width(text: str) -> str:
    """Full-width digits, letters, brackets and spaces as ASCII; everything else as it is."""
    return text.translate(FULL_WIDTH)


def header_key(value) -> str:
    """How a header cell is compared: no spaces, full-width as ASCII, no bracketed unit, no
    mark of a required column."""
    text = re.sub(r"\s+", "", half_width(str(value if value is not None else "")))
    return BRACKETED_TAIL.sub("", text.strip("*:：")).strip("*:：")


COLUMN_OF = {
    header_key(spelling): name for name, spellings in SYNONYMS.items() for spelling in spellings
} | {header_key(header): name for name, header in LABELS.items()}


def is_placeholder(text: str) -> bool:
    """A dash, a slash or 无 written where there is nothing to write."""
    return text.strip().lower() in PLACEHOLDERS


def is_totals(texts: list[str]) -> bool:
    """A totals row: one of its first written cells says 合计 (or 总计, 小计…), spaces aside."""
    written = [re.sub(r"\s+", "", text) for text in texts if text and text.strip()]
    return any(TOTALS.match(text) for text in written[:3])


@dataclass
class Header:
    index: int  # the header's row, counted from 0
    columns: dict[int, str]  # cell index → column name
    ignored: list[str] = field(default_factory=list)  # header texts of columns not read

    @property
    def number(self) -> int:
        """The header's row as the spreadsheet numbers it."""
        return self.index + 1

    @property
    def missing(self) -> list[str]:
        return [name for name in REQUIRED if name not in self.columns.values()]

    @property
    def width(self) -> int:
        """How many cells of each row to read: up to the last column the header names."""
        return max(self.columns) + 1 if self.columns else 0


def header_of(cells) -> Header:
    """The columns one row names, if it is the header."""
    columns: dict[int, str] = {}
    ignored = []
    for index, cell in enumerate(list(cells)[:MAX_COLUMNS]):
        if not isinstance(cell, str | int):
            continue
        name = COLUMN_OF.get(header_key(cell))
        if name and name not in columns.values():
            columns[index] = name
        elif header_key(cell):
            ignored.append(re.sub(r"\s+", " ", str(cell)).strip())
    return Header(0, columns, ignored)


def find_header(rows: list) -> Header | None:
    """The first of the top rows naming every needed column; else the top row naming the most
    of them (at least two), so the refusal can say what is missing; else None."""
    best = None
    for index, cells in enumerate(rows[:HEADER_ROWS]):
        header = header_of(cells)
        header.index = index
        if not header.missing:
            return header
        if len(header.columns) >= 2 and (best is None or len(header.columns) > len(best.columns)):
            best = header
    return best
