"""The direct sheet reader used by the Excel upload (excel._sheet_values) gives exactly what openpyxl's read-only
reader gives: numbers, text, booleans, dates and times from the cell styles, empty and far-away cells, rows
beyond a gap; a sheet declaring entities never reaches it."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from .. import excel


def _workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Dữ liệu"
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = 1, 2.5, "chữ có dấu", True
    ws["E1"], ws["F1"] = dt.date(2024, 1, 5), dt.datetime(2024, 1, 5, 10, 30)
    ws["A3"], ws["C3"], ws["AA3"] = "=1+2", 1e20, "xa"
    ws["B4"], ws["A5"], ws["G5"], ws["B7"] = dt.time(10, 5), -3, "  cách  ", dt.timedelta(hours=5)
    ws["A40"] = "sau một khoảng trống"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _both(data: bytes, min_row: int, max_row: int, max_col: int) -> tuple[list, list]:
    ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True)["Dữ liệu"]
    expected = [
        (number, row)
        for number, row in enumerate(ws.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col, values_only=True), min_row)
        if any(value is not None for value in row)
    ]
    found = [(n, row) for n, row in excel._sheet_values(ws, min_row=min_row, max_row=max_row, max_col=max_col) if any(row)]
    return expected, found


def test_same_values_as_openpyxl() -> None:
    data = _workbook()
    for min_row, max_row, max_col in ((1, 50, 7), (2, 6, 30), (3, 39, 2), (1, 1, 1)):
        expected, found = _both(data, min_row, max_row, max_col)
        assert repr(found) == repr(expected)  # repr: 1 and 1.0, dates and datetimes told apart


def test_sheet_with_entity_declarations_never_reaches_the_reader() -> None:
    """The reader uses the standard library's parser; a sheet declaring entities is refused before, when openpyxl
    opens the workbook with defusedxml (excel_import then says the file cannot be read), and the reader itself
    would hand such a sheet back to openpyxl."""
    source = io.BytesIO(_workbook())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(out, "w") as copy:
        for item in archive.infolist():
            content = archive.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = b'<!DOCTYPE worksheet [<!ENTITY x "y">]>' + content
            copy.writestr(item, content)
    with pytest.raises(ValueError, match="Unable to read workbook"):
        load_workbook(io.BytesIO(out.getvalue()), read_only=True, data_only=True)
