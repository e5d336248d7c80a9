"""User text in spreadsheets is text, never a formula (formula or "CSV injection", OWASP).

Every Excel and CSV export of the platform writes its cells through this module, so a dossier field such as
`=HYPERLINK("http://…","Bấm vào đây")` shows in the register as those characters and never runs.

- Excel (.xlsx, openpyxl). A string is written as a string cell (`data_type` "s", an inline string in the file),
  whatever it starts with: left to itself openpyxl turns a string starting with "=" into a formula and "#REF!" into
  an error cell. Excel and LibreOffice never evaluate a string cell read from a file. A string that would become a
  formula if someone retyped it (starting with =, +, -, @, tab or CR) also gets the cell's "quote prefix" (what
  Excel records when one types '=…), so editing the cell keeps it text. The text itself is not changed: what the
  applicant wrote is what the file shows, except characters an XML file cannot hold (control characters other than
  tab, line feed and carriage return; lone surrogates), which become U+FFFD instead of failing the whole export,
  and text beyond Excel's 32.767 characters per cell, which is cut.
- CSV. A CSV file has no types: a spreadsheet program evaluates any field that looks like a formula. A string
  starting with one of those characters (or their full-width forms) is therefore written with a leading apostrophe
  ('=1+1), which every spreadsheet program shows as text; the apostrophe is the visible price of safety.

Numbers, Decimals, dates and booleans stay numbers, dates and booleans (their number formats, such as the
Vietnamese "#,##0" grouping, are the caller's); a number that is not finite (NaN, infinity) is left blank, as Excel
has no such value.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

from django.utils.functional import Promise
from openpyxl.cell.cell import Cell

__all__ = [
    "FORMULA_PREFIXES",
    "MAX_CELL_TEXT",
    "append",
    "cell_value",
    "csv_field",
    "csv_writer",
    "looks_like_formula",
    "new_cell",
    "put",
    "set_value",
    "text",
]

# What makes Excel, LibreOffice or Google Sheets read a typed or imported field as a formula (OWASP: =, +, -, @,
# tab, carriage return; a line feed as well, and the full-width forms some East Asian input methods produce).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
# Characters XML 1.0 (and so an .xlsx) cannot hold: openpyxl refuses the control characters with
# IllegalCharacterError, and a lone surrogate (from a badly decoded file) fails the whole save.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_AS_IS = (bool, int, dt.datetime, dt.date, dt.time, dt.timedelta)


class _Writer(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


def text(value: object) -> str:
    """`value` as text a cell can hold: unchanged but for characters XML cannot carry and Excel's length limit."""
    value = str(value)
    if _ILLEGAL.search(value) is not None:
        value = _ILLEGAL.sub("\ufffd", value)
    return value if len(value) <= MAX_CELL_TEXT else value[:MAX_CELL_TEXT]


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_PREFIXES)


def cell_value(value: Any) -> Any:
    """What a cell receives: numbers, dates and booleans as they are (non-finite numbers blank), anything else as
    text (see `text`). `set_value` also marks the cell as text; use it rather than assigning this yourself."""
    if value is None or isinstance(value, _AS_IS):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return text(value)


def set_value(cell: Cell, value: Any) -> Cell:
    """Writes `value` into an openpyxl cell (of a normal or a write-only sheet): a string is a string cell, never a
    formula or an error value, with the quote prefix when it starts like a formula."""
    value = cell_value(value)
    if isinstance(value, str):
        # Set directly: openpyxl's setter would check the text again (done by `text`) and then call it a formula.
        cell._value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def new_cell(ws: Any, value: Any) -> Cell:
    """A cell for `ws.append([...])` (a write-only sheet takes only such cells to style them)."""
    return set_value(Cell(ws, row=1, column=1), value)


def put(ws: Any, row: int, column: int, value: Any) -> Cell:
    """`ws.cell(row, column)` holding `value`, written as `set_value` writes it."""
    return set_value(ws.cell(row=row, column=column), value)


def append(ws: Any, values: Iterable[Any]) -> None:
    """`ws.append(values)`, each value written as `set_value` writes it (cells already made are kept as they are)."""
    ws.append([v if isinstance(v, Cell) else new_cell(ws, v) for v in values])


# CSV -------------------------------------------------------------------------------------------------------------


def csv_field(value: Any) -> Any:
    """A CSV field: a string (or lazy translation) that starts like a formula gets a leading apostrophe; numbers and
    dates as they are; None as an empty field."""
    if value is None:
        return ""
    if isinstance(value, (str, Promise)):
        value = str(value)
        return "'" + value if looks_like_formula(value) else value
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if isinstance(value, Decimal) and not value.is_finite():
        return ""
    if isinstance(value, _AS_IS) or isinstance(value, (float, Decimal)):
        return value
    return csv_field(str(value))


class _NeutralWriter:
    """csv.writer whose every field goes through `csv_field`."""

    def __init__(self, writer: _Writer) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_field(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: Any, **kwargs: Any) -> _NeutralWriter:
    """`csv.writer(stream, **kwargs)` for an export: every string field is neutralised by `csv_field`."""
    return _NeutralWriter(csv.writer(stream, **kwargs))
