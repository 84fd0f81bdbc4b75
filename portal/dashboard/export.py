"""The household register with where each door stands, as Excel (.xlsx) and CSV.

The first columns are the import's own (households.register.HEADERS), so an exported file
imports again unchanged; the rest say where each household stands, from the same
stored columns and ``door_status`` the dashboard counts with. Phones are masked. A control
character stored before the forms refused them is left out, so Excel still opens the file.
"""

import csv
import io
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.doors import door_status
from consultations.models import Consent, Decision, Proposal, Visit
from core.text import without_control_characters
from households.models import OwnerTrace
from households.register import FORMULA_STARTS, HEADERS
from households.register.columns import NEED_FLAGS, NEEDS
from portal.dashboard.figures import GRID_STATE

STATUS_HEADERS = [
    "看板状态",
    "当前状态",
    "签字意见",
    "签字方案版本",
    "各事项意见",
    "走访次数",
    "最近走访",
    "最近态度",
    "产权人联系情况",
]


def headers() -> list[str]:
    return [*HEADERS.values(), *STATUS_HEADERS, *NEEDS.values()]


def needs_cells(household) -> list[str]:
    """The needs recorded at the door as the import reads them: 是 or 否, the urgency's
    label (blank: not known yet), the note."""
    flags = ["是" if getattr(household, name) else "否" for name in NEED_FLAGS]  # as headers
    return [*flags, household.get_urgency_display(), household.needs_note]


def answers_text(answers: dict[str, str]) -> str:
    """A consent's answer to each matter, by the matter's number: "1 同意；2 不同意"."""
    ordered = sorted(answers.items(), key=lambda item: int(item[0]))
    return "；".join(f"{number} {Decision(decision).label}" for number, decision in ordered)


def register_rows(households, campaign) -> Iterator[list]:
    """One row per household, in register order, in four queries."""
    versions = dict(
        Proposal.objects.published()
        .filter(elevator__unit__building__campaign=campaign)
        .values_list("elevator__unit", "version")
    )
    answers = dict(
        Consent.objects.in_force()
        .filter(household__in=households)
        .values_list("household", "answers")
    )
    rows = (
        households.select_related("unit__building")
        .prefetch_related("owners")
        .order_by(
            "unit__building__sort_order", "unit__building__name", "unit__name", "floor", "room"
        )
    )
    for household in rows:
        owners = list(household.owners.all())
        status = door_status(household)
        yield [
            household.unit.building.name,
            household.unit.name,
            household.floor,
            household.room,
            household.area,
            "、".join(owner.name for owner in owners),
            "、".join(owner.masked_phone for owner in owners),
            household.get_occupancy_display(),
            str(GRID_STATE[status].label),
            str(status.label),
            str(Decision(household.decision).label) if household.decision else "",
            versions.get(household.unit_id, "") if household.decision else "",
            answers_text(answers.get(household.pk) or {}),
            household.visit_count,
            timezone.localtime(household.last_visit_at).strftime("%Y-%m-%d")
            if household.last_visit_at
            else "",
            str(Visit.Attitude(household.last_attitude).label) if household.last_attitude else "",
            str(OwnerTrace(household.owner_trace).label) if household.owner_lives_elsewhere else "",
            *needs_cells(household),
        ]


def printable(value):
    """The value as a spreadsheet can hold it: text without control characters."""
    return without_control_characters(value) if isinstance(value, str) else value


def neutralised(value) -> str:
    text = "" if value is None else printable(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_csv(rows) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese as Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers())
    for row in rows:
        writer.writerow([neutralised(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(rows, title: str) -> bytes:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(_("住户台账"))
    sheet.freeze_panes = "A2"
    for column, width in zip(
        "ABCDEFGHIJKLMNOPQRSTUV",
        (10, 10, 6, 8, 12, 18, 16, 10, 14, 18, 12, 8, 8, 12, 8, 16, 9, 9, 6, 10, 10, 30),
        strict=True,
    ):
        sheet.column_dimensions[column].width = width
    header_cells = [WriteOnlyCell(sheet, value=header) for header in headers()]
    for cell in header_cells:
        cell.font = Font(bold=True)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in map(printable, row):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)
    book.properties.title = printable(title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
