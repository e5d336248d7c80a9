"""User text written into Excel and CSV exports stays text: never a formula, never a crash (core.spreadsheets)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from eprovince.core import spreadsheets

# What a hostile or careless applicant may type at the start of a field (OWASP "CSV injection").
DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "+84 912 345 678",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "#REF!",
    "=",
]


def roundtrip(values: list[object], *, write_only: bool) -> list[tuple[object, str]]:
    """(value, data_type) of each cell of the first row, as openpyxl reads the saved file back (formulas kept)."""
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("Thử") if write_only else wb.active
    spreadsheets.append(ws, values)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    read = load_workbook(buffer, data_only=False)["Thử" if write_only else ws.title]
    return [(cell.value, cell.data_type) for cell in read[1]]


@pytest.mark.parametrize("write_only", [False, True])
def test_strings_that_look_like_formulas_come_back_as_the_same_text(write_only: bool) -> None:
    assert roundtrip(DANGEROUS, write_only=write_only) == [(value, "s") for value in DANGEROUS]


def test_a_formula_like_string_gets_the_quote_prefix_so_editing_keeps_it_text() -> None:
    wb = Workbook()
    cell = spreadsheets.put(wb.active, 1, 1, "=1+1")
    plain = spreadsheets.put(wb.active, 1, 2, "Nguyễn Văn A")
    assert cell.quotePrefix and not plain.quotePrefix
    assert cell.data_type == "s" and cell.value == "=1+1"


def test_numbers_and_dates_stay_numbers_and_dates() -> None:
    values = [4020, 252.1, Decimal("0.8654"), dt.date(2026, 3, 31), True, None]
    read = roundtrip(values, write_only=True)
    assert [kind for _value, kind in read[:5]] == ["n", "n", "n", "d", "b"]
    assert read[0][0] == 4020 and read[1][0] == 252.1 and read[3][0] == dt.datetime(2026, 3, 31)


def test_control_characters_and_non_finite_numbers_do_not_break_the_export() -> None:
    read = roundtrip(["Tên\x00có\x1bký tự lạ\ud800", float("nan"), Decimal("Infinity"), "x" * 40_000], write_only=False)
    assert read[0] == ("Tên\ufffdcó\ufffdký tự lạ\ufffd", "s")
    assert read[1][0] is None and read[2][0] is None
    assert read[3][0] == "x" * spreadsheets.MAX_CELL_TEXT


@given(st.text(st.characters(exclude_categories=[])))  # lone surrogates included
def test_any_text_is_written_as_text_and_read_back_unchanged(value: str) -> None:
    ((read, kind),) = roundtrip([value], write_only=True)
    expected = spreadsheets.text(value)
    assert kind == "s" if expected else read is None
    if expected:
        assert read == expected
    # only characters an XML file cannot hold are replaced: everything else is what the user wrote
    assert len(expected) == min(len(value), spreadsheets.MAX_CELL_TEXT)


@pytest.mark.parametrize("value", [v for v in DANGEROUS if v != "#REF!"] + ["\n=1", "＝1+1"])
def test_csv_fields_that_start_like_a_formula_are_neutralised(value: str) -> None:
    buffer = io.StringIO()
    spreadsheets.csv_writer(buffer).writerow([value, 4020, Decimal("252.1"), None])
    (row,) = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert row == ["'" + value, "4020", "252.1", ""]


@given(st.text())
def test_a_csv_field_never_starts_like_a_formula_and_keeps_the_text(value: str) -> None:
    field = spreadsheets.csv_field(value)
    assert not spreadsheets.looks_like_formula(field)
    assert field in (value, "'" + value)
