"""The household register (住户台账) as a spreadsheet: read it, check every row, write it whole.

``read_table`` turns an uploaded .xlsx or .csv (recognised by content, not by name) into rows of
cell values; ``check`` compares them with the campaign's buildings, units and households and
lists every row's problems; ``commit`` writes a clean check inside one transaction. Nothing is
written while any row has a problem.

Choices (see README, "Importing the register"):
- A room is known by building + unit + room. A room already in the campaign is updated (floor,
  area, occupancy, owners) and the preview says exactly what changes; the same room twice in one
  file is a problem on each of its rows. Households missing from the file are left alone.
- Buildings and units the file names that the campaign lacks are created (a new unit gets the
  highest floor the file gives it); the preview lists them first, so a typo shows before commit.
- Phones in the exported register are masked; a masked phone is accepted only where it matches
  the owner of that name already on record, and then the stored number is kept.
- Formulas are never evaluated: any formula cell (or text starting with "=") is a problem.
"""

from households.register.checking import Check, Row, check
from households.register.columns import HEADERS, REQUIRED
from households.register.reading import (
    FORMULA_STARTS,
    MAX_BYTES,
    MAX_ROWS,
    Formula,
    RegisterError,
    read_table,
)
from households.register.writing import commit

__all__ = [
    "FORMULA_STARTS",
    "HEADERS",
    "MAX_BYTES",
    "MAX_ROWS",
    "REQUIRED",
    "Check",
    "Formula",
    "RegisterError",
    "Row",
    "check",
    "commit",
    "read_table",
]
