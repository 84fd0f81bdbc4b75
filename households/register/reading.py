"""Reading an uploaded register: the first sheet of an .xlsx, or a CSV, recognised by content.

Limits: 5 MB, 5,000 rows, 100 MB unpacked. Of a workbook, only the columns its header names are
read, whatever size the sheet declares, and no row past the limit. Formulas are never evaluated:
a formula cell (or a CSV cell starting with "=") comes back as ``Formula`` for the check to
report.
"""

import csv
import io
import zipfile
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _

from households.register.columns import HEADER_ROWS, find_header

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_SHEET_ROWS = MAX_ROWS + 100  # a title, the header and blank rows above and between
MAX_UNZIPPED = 100 * 1024 * 1024
# A spreadsheet runs a cell starting with these as a formula (CSV injection): the export puts
# an apostrophe before such a cell, and reading takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPED = tuple("'" + start for start in FORMULA_STARTS)


class RegisterError(Exception):
    """The file as a whole cannot be read: not a spreadsheet, too big, columns missing."""


class Formula:
    """A cell holding a formula: never evaluated, always reported."""


def read_table(data: bytes) -> list[list]:
    """The rows of the first sheet of an .xlsx or the rows of a CSV file, as cell values."""
    if len(data) > MAX_BYTES:
        raise RegisterError(_("文件超过 5 MB，请拆分后分批导入。"))
    if not data.strip():
        raise RegisterError(_("文件是空的。"))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RegisterError(_("这是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV 后再上传。"))
    if b"\x00" in data[:4096] or data.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8")):
        raise RegisterError(_("这不是表格文件，请上传 Excel（.xlsx）或 CSV 文件。"))
    return _read_csv(data)


def _too_many_rows() -> RegisterError:
    return RegisterError(_("文件超过 %(max)s 行，请拆分后分批导入。") % {"max": f"{MAX_ROWS:,}"})


def _read_xlsx(data: bytes) -> list[list]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = RegisterError(_("无法读取这个 Excel 文件，请确认它是 .xlsx 格式且没有损坏。"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise RegisterError(_("这个 Excel 文件解压后过大，请只保留台账一张表。"))
        # Values as stored (data_only: a formula's cached result, never evaluated) and, in
        # step, the cells as written, to report every formula.
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        written = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheets = values.worksheets[0], written.worksheets[0]
        for sheet in sheets:
            # The size a sheet declares (<dimension ref="A1:XFD5000"/>) may be anything: read
            # the cells there are, never the declared width.
            sheet.reset_dimensions()
        top = _rows_of(sheets, max_row=HEADER_ROWS)
        header = find_header(top)
        if header is None or header.missing:
            return top  # the check says which columns are missing
        # Below the header, only the columns it names: a cell far to the right costs nothing.
        rows = top[: header.index + 1]
        rows += _rows_of(sheets, min_row=header.number + 1, max_col=header.width)
    # openpyxl raises many kinds of error on a damaged or foreign file; each means "unreadable".
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        ParseError,
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        OSError,
    ) as error:
        raise unreadable from error
    return rows


def _rows_of(sheets, *, min_row: int = 1, max_row: int | None = None, max_col=None) -> list:
    """The sheet's rows as values, a formula as ``Formula``. Blank rows after the last written
    one are not kept; a written row past row MAX_SHEET_ROWS refuses the file."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    values, written = (
        sheet.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col, values_only=True)
        for sheet in sheets
    )
    rows: list[list] = []
    blanks = 0
    for row_values, row_written in zip(values, written, strict=False):
        if not any(cell not in (None, "") for cell in row_written):
            blanks += 1  # the same empty row, again and again: counted, not kept
            continue
        if min_row + len(rows) + blanks > MAX_SHEET_ROWS:
            raise _too_many_rows()
        rows += [[]] * blanks
        blanks = 0
        rows.append(
            [
                Formula()
                if isinstance(raw, ArrayFormula | DataTableFormula)
                or (isinstance(raw, str) and raw.startswith("="))
                else value
                for value, raw in zip(row_values, row_written, strict=False)
            ]
        )
    return rows


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly anything
        raise RegisterError(_("无法识别文件的文字编码，请保存为 UTF-8 的 CSV。"))
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = []
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) > MAX_SHEET_ROWS:
                raise _too_many_rows()
            rows.append([_unescape(cell) for cell in cells])
    except csv.Error as error:
        raise RegisterError(_("CSV 文件格式有误：%(error)s") % {"error": error}) from error
    return rows


def _unescape(cell: str):
    """Undo the export's guard against formula injection; report any other formula."""
    if cell.startswith(ESCAPED):
        return cell[1:]
    return Formula() if cell.startswith("=") else cell
