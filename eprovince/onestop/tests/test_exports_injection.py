"""What applicants and administrators type never becomes a formula in the Excel downloads (form 06 register,
statistics): each cell comes back from the file as the same text, a string cell, not a formula."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from eprovince.onestop.exports import register_workbook, statistics_workbook
from eprovince.onestop.models import Procedure
from eprovince.onestop.statistics import StatsFilters, dossier_statistics

from .factories import World, at, receive
from .test_exports import download

pytestmark = pytest.mark.django_db

PREFIXES = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")']


def cells_holding(content: bytes, text: str) -> list[object]:
    """Every cell of every sheet whose value contains `text`, read with formulas kept (data_only=False)."""
    wb = load_workbook(io.BytesIO(content), data_only=False)
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if text in str(cell.value or "")]


def test_the_form_06_register_writes_an_applicants_formula_as_text(world: World) -> None:
    hyperlink = '=HYPERLINK("http://x","y")'
    receive(world, now=at(2026, 3, 9, 9), applicant_name=hyperlink, applicant_address="@SUM(A1)", applicant_phone="+84 912")
    _response, content = download(world.leader, "so-theo-doi.xlsx")
    (name,) = cells_holding(content, "HYPERLINK")
    assert name.value == hyperlink and name.data_type == "s"  # type: ignore[attr-defined]
    (contact,) = cells_holding(content, "@SUM(A1)")
    assert contact.value == "@SUM(A1) – +84 912" and contact.data_type == "s"  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", PREFIXES)
def test_every_formula_prefix_comes_back_as_the_same_text_in_the_register(world: World, value: str) -> None:
    dossier = receive(world, now=at(2026, 3, 9, 9))
    dossier.applicant_name = value  # as stored, whatever a form in front of the service strips
    dossier.applicant_address = value
    buffer = register_workbook([dossier], StatsFilters(start=at(2026, 3, 1, 0).date(), end=at(2026, 3, 31, 0).date()))
    ws = load_workbook(buffer, data_only=False).worksheets[0]
    name, contact = ws.cell(row=5, column=4), ws.cell(row=5, column=5)
    assert (name.value, name.data_type) == (value, "s")
    assert contact.value == f"{value} – 0912 345 678" and contact.data_type == "s"


@pytest.mark.parametrize("value", PREFIXES)
def test_the_statistics_workbook_writes_procedure_and_agency_names_as_text(world: World, value: str) -> None:
    receive(world, now=at(2026, 3, 9, 9))
    Procedure.objects.filter(pk=world.procedure.pk).update(name=value)
    stats = dossier_statistics(world.leader, StatsFilters(start=at(2026, 3, 1, 0).date(), end=at(2026, 3, 31, 0).date()))
    wb = load_workbook(statistics_workbook(stats), data_only=False)
    labels = [cell for row in wb.worksheets[0].iter_rows(min_row=5) for cell in row[1:2] if cell.value == value]
    assert labels and all(cell.data_type == "s" for cell in labels)


def test_the_statistics_download_keeps_a_formula_named_procedure_as_text(world: World) -> None:
    receive(world, now=at(2026, 3, 9, 9))
    Procedure.objects.filter(pk=world.procedure.pk).update(name="=1+1")
    _response, content = download(world.leader, "thong-ke.xlsx")
    cells = [c for c in cells_holding(content, "=1+1") if c.value == "=1+1"]  # type: ignore[attr-defined]
    assert cells and all(c.data_type == "s" for c in cells)  # type: ignore[attr-defined]
