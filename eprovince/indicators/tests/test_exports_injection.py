"""Text in the indicators' Excel files is text: the pivot export and the pre-filled report template write names,
units and comments starting with =, +, -, @, tab or CR as the same text, a string cell, never a formula; and a
template carrying such a comment comes back through the upload unchanged."""

from __future__ import annotations

import io

import openpyxl
import pytest

from eprovince.core.models import Organisation

from .. import excel
from ..models import DataElement, DataValue, Submission
from ..pivot import INDICATOR, PERIOD, Member, PivotRow, PivotTable
from ..services.values import ValueEntry, values_save
from ..views_pivot import workbook
from . import factories as f
from .test_excel import client_for, download, rows, to_bytes, upload
from .test_pivot import EXPORT, committee_history, query

pytestmark = pytest.mark.django_db

PREFIXES = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")']


def test_the_pivot_workbook_writes_every_label_as_text() -> None:
    table = PivotTable(
        rows_dim=INDICATOR,
        cols_dim=PERIOD,
        group_dim=None,
        columns=[Member("2024", PREFIXES[0], note=PREFIXES[1])],
    )
    for value in PREFIXES:
        table.rows.append(PivotRow(group=None, member=Member(value, value, note=value), cells=[None], decimals=[0]))
    ws = openpyxl.load_workbook(workbook(table), data_only=False).active
    assert (ws.cell(1, 3).value, ws.cell(1, 3).data_type) == ("=1+1 (+1)", "s")
    for number, value in enumerate(PREFIXES, start=2):
        name, unit = ws.cell(number, 1), ws.cell(number, 2)
        assert (name.value, name.data_type) == (value, "s")
        assert (unit.value, unit.data_type) == (value, "s")


def test_the_pivot_download_keeps_a_formula_named_unit_as_text(world: f.World) -> None:
    committee_history(world)
    Organisation.objects.filter(pk=world.tanchau.pk).update(name='=HYPERLINK("http://x","y")')
    response = client_for(world.leader).get(EXPORT, query(world))
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content), data_only=False).active
    found = [c for row in ws.iter_rows() for c in row if "HYPERLINK" in str(c.value or "")]
    # The unit's own cell, and the filter line above the table that names it: text, never a formula.
    assert all(c.data_type == "s" for c in found)
    assert any(c.value.startswith("=HYPERLINK") for c in found)


@pytest.fixture
def sub(world: f.World) -> Submission:
    return f.submission(f.open_round(world, world.enterprise_form, "2024S1"), world.vnpt)


@pytest.mark.parametrize("value", PREFIXES)
def test_the_template_writes_names_and_comments_as_text(world: f.World, sub: Submission, value: str) -> None:
    DataElement.objects.filter(pk=world.elements["BTS"].pk).update(name=value, unit=value)
    Organisation.objects.filter(pk=world.vnpt.pk).update(name=value)
    sub.organisation.refresh_from_db()
    values_save(
        acting_user=world.officer_vnpt,
        submission=sub,
        entries=[ValueEntry(element=world.elements["REVENUE"], raw="252,1", comment=value, key="REVENUE")],
    )
    wb = openpyxl.load_workbook(io.BytesIO(excel.template_bytes(sub)), data_only=False)
    ws, where = wb[excel.SHEET], rows(wb)
    stored = DataValue.objects.get(submission=sub, element=world.elements["REVENUE"]).comment
    for cell in (ws[f"B{where['BTS']}"], ws[f"C{where['BTS']}"], ws[f"G{where['REVENUE']}"], ws["B2"]):
        assert cell.data_type == "s", cell.coordinate
        assert cell.value in (value, stored), cell.coordinate
    assert ws["B2"].value == value and ws[f"B{where['BTS']}"].value == value


def test_a_formula_like_comment_survives_the_download_and_upload_unchanged(world: f.World, sub: Submission) -> None:
    hyperlink = '=HYPERLINK("http://x","y")'
    values_save(
        acting_user=world.officer_vnpt,
        submission=sub,
        entries=[ValueEntry(element=world.elements["REVENUE"], raw="252,1", comment=hyperlink, key="REVENUE")],
    )
    officer = client_for(world.officer_vnpt)
    wb = download(officer, sub)
    cell = wb[excel.SHEET][f"G{rows(wb)['REVENUE']}"]
    assert (cell.value, cell.data_type) == (hyperlink, "s")
    messages = upload(officer, sub, to_bytes(wb))
    assert "0 giá trị sửa" in messages[0]
    assert DataValue.objects.get(submission=sub, element=world.elements["REVENUE"]).comment == hyperlink
