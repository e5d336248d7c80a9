"""The Excel upload reads each cell once and checks it once: on random files, exactly the bad cells are named (sheet,
row, column F) and nothing is saved, or every value is stored as check_entry reads its text; codes and options are
resolved as the API resolves them; the template's Excel checks and styles cover each value cell as before."""

from __future__ import annotations

import io
import random
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import excel
from ..models import DataValue, DataValueAudit, Submission
from ..services import catalogue
from ..services.values import ValueEntry, check_entry
from . import factories as f
from .test_excel import fill, rows, to_bytes

pytestmark = pytest.mark.django_db

TYPED = ("4.020", "252,1", "1.200.000", "abc", "-5", "12,5", "0", "1e3", "  7 ", "4,020.5", "100", "3.5")


@pytest.fixture
def sub(world: f.World) -> Submission:
    return f.submission(f.open_round(world, world.enterprise_form, "2024S1"), world.vnpt)


def template(sub: Submission) -> Any:
    return load_workbook(io.BytesIO(excel.template_bytes(sub)))


def _expected(world: f.World, key: str, raw: Any) -> tuple[Any, str | None]:
    """(the stored value, None) or (None, the message naming the cell), by check_entry as the services read a cell."""
    code, _sep, option_code = key.partition(".")
    element = world.elements[code]
    option = element.category_combo.options.get(code=option_code) if option_code else None
    try:
        return check_entry(ValueEntry(element=element, raw=raw, option=option), localized=True), None
    except ValidationError as exc:
        return None, excel._value_message(exc, raw)


@pytest.mark.parametrize("seed", range(12))
def test_random_cells_are_saved_as_read_or_every_bad_one_is_named(world: f.World, sub: Submission, seed: int) -> None:
    rng = random.Random(seed)
    wb = template(sub)
    where = rows(wb)
    chosen = rng.sample(sorted(where), rng.randint(1, len(where)))
    typed = {key: rng.choice((*TYPED, rng.randint(0, 10**6), rng.random() * 1000)) for key in chosen}
    expected = {key: _expected(world, key, excel._raw(value)) for key, value in typed.items()}
    bad = {where[key]: message for key, (_value, message) in expected.items() if message}
    data = to_bytes(fill(wb, typed))
    if bad:
        with pytest.raises(excel.ExcelImportError) as caught:
            excel.excel_import(acting_user=world.officer_vnpt, submission=sub, data=data)
        found = {e.row: e.message for e in caught.value.cell_errors}
        assert found == bad
        assert {(e.sheet, e.column) for e in caught.value.cell_errors} == {(excel.SHEET, "F")}
        assert not DataValue.objects.filter(submission=sub).exists() and not DataValueAudit.objects.exists()
        return
    result = excel.excel_import(acting_user=world.officer_vnpt, submission=sub, data=data, filename="a.xlsx")
    assert result.created == len(typed)
    stored = {
        (f"{v.element.code}.{v.category_option.code}" if v.category_option else v.element.code): v.value
        for v in DataValue.objects.filter(submission=sub).select_related("element", "category_option")
    }
    assert stored == {key: value for key, (value, _message) in expected.items()}


def test_an_unknown_code_is_named_first_as_for_the_api(world: f.World, sub: Submission) -> None:
    """Codes and options are resolved before the values are read (as datasets.resolve does for the API)."""
    wb = fill(template(sub), {"REVENUE": "abc", "BTS": 5, "SUB_MOBILE.VNPT": 7})
    ws, where = wb[excel.SHEET], rows(wb)
    ws[f"A{where['BTS']}"] = "KHONG_CO"
    ws[f"D{where['SUB_MOBILE.VNPT']}"] = "Gmobile"
    with pytest.raises(excel.ExcelImportError) as caught:
        excel.excel_import(acting_user=world.officer_vnpt, submission=sub, data=to_bytes(wb))
    assert [str(e) for e in caught.value.cell_errors] == [
        f"Trang 'Số liệu', dòng {where['SUB_MOBILE.VNPT']}, cột D: chỉ tiêu SUB_MOBILE không có nhóm “Gmobile”.",
        f"Trang 'Số liệu', dòng {where['BTS']}, cột A: không có chỉ tiêu mã “KHONG_CO”.",
    ]


def test_an_element_of_another_form_and_a_bad_value_are_named_together(world: f.World, sub: Submission) -> None:
    wb = fill(template(sub), {"REVENUE": "abc", "BTS": 5})
    wb[excel.SHEET][f"A{rows(wb)['BTS']}"] = "POPULATION"
    with pytest.raises(excel.ExcelImportError) as caught:
        excel.excel_import(acting_user=world.officer_vnpt, submission=sub, data=to_bytes(wb))
    assert [(e.row, e.column) for e in caught.value.cell_errors] == [(9, "F"), (17, "A")]
    assert "không thuộc biểu mẫu" in caught.value.cell_errors[1].message


def test_a_row_whose_option_was_cleared_takes_it_from_the_hidden_key(world: f.World, sub: Submission) -> None:
    wb = fill(template(sub), {"SUB_MOBILE.VIETTEL": 1200, "SUB_MOBILE.OTHER": 5})
    wb[excel.SHEET][f"D{rows(wb)['SUB_MOBILE.VIETTEL']}"] = None
    excel.excel_import(acting_user=world.officer_vnpt, submission=sub, data=to_bytes(wb))
    stored = dict(DataValue.objects.filter(submission=sub).values_list("category_option__code", "value"))
    assert stored == {"VIETTEL": 1200, "OTHER": 5}


def _covered(ws: Worksheet) -> dict[str, list[tuple[Any, ...]]]:
    """{cell: the (type, operator, formulas) of each Excel check covering it}."""
    covered: dict[str, list[tuple[Any, ...]]] = {}
    for dv in ws.data_validations.dataValidation:
        for cells in dv.sqref.ranges:
            for row in range(cells.min_row, cells.max_row + 1):
                for column in range(cells.min_col, cells.max_col + 1):
                    spec = (dv.type, dv.operator, dv.formula1, dv.formula2)
                    covered.setdefault(f"{get_column_letter(column)}{row}", []).append(spec)
    return covered


def test_each_value_cell_has_its_elements_excel_check_and_the_styles_of_its_column(world: f.World) -> None:
    boolean = catalogue.data_element_save(acting_user=None, code="HAS_PORTAL", name="Có cổng", unit="", value_type="boolean")
    balance = catalogue.data_element_save(
        acting_user=None, code="BALANCE", name="Chênh lệch", unit="tỷ", value_type="decimal", allow_negative=True, decimals=2
    )
    delta = catalogue.data_element_save(
        acting_user=None, code="DELTA", name="Thay đổi", unit="cái", value_type="integer", allow_negative=True
    )
    e = world.elements
    elements = [
        (e["REVENUE"], "Phần 1"), (e["SUB_MOBILE"], "Phần 1"), (e["EMAIL_OFFICIALS_PCT"], "Phần 2"), (boolean, "Phần 2"),
        (balance, ""), (delta, "Phần 3"), (e["BTS"], "Phần 3"),
    ]  # fmt: skip
    form = catalogue.report_form_save(
        acting_user=None, code="MIX", name="Biểu hỗn hợp", owner=world.division, period_type="year",
        convention="calendar", deadline_days=5, elements=elements, organisations=[world.vnpt],
    )  # fmt: skip
    wb = template(f.submission(f.open_round(world, form, "2024"), world.vnpt))
    ws: Worksheet = wb[excel.SHEET]
    covered = _covered(ws)
    by_code = {element.code: element for element, _section in elements}
    where = rows(wb)
    assert len(where) == 10
    for key, row in where.items():
        element = by_code[key.partition(".")[0]]
        _kind, spec = excel._validation_for(element)
        assert covered.pop(f"F{row}") == [(spec["type"], spec.get("operator"), spec["formula1"], spec.get("formula2"))]
        assert covered.pop(f"G{row}") == [("textLength", "lessThanOrEqual", str(excel.MAX_COMMENT), None)]
        value, comment, code, name = ws[f"F{row}"], ws[f"G{row}"], ws[f"A{row}"], ws[f"B{row}"]
        assert not value.protection.locked and not comment.protection.locked and code.protection.locked
        assert value.fill.fgColor.rgb == comment.fill.fgColor.rgb == "00FFF9DB" and code.fill.fill_type is None
        assert value.number_format == ws[f"E{row}"].number_format == excel._number_format(element)
        assert name.alignment.wrap_text and comment.alignment.wrap_text and not code.alignment.wrap_text
        assert all(ws[f"{c}{row}"].border.left.style == "thin" for c in "ABCDEFG")
    # the rest: the comment column of the section rows between the data rows, nothing else
    sections = [r for r in range(excel.FIRST_ROW, ws.max_row + 1) if ws[f"A{r}"].value is None]
    assert set(covered) == {f"G{r}" for r in sections}
    assert [ws[f"B{r}"].value for r in sections] == ["Phần 1", "Phần 2", "Phần 3"]
    assert all(ws[f"{c}{r}"].fill.fgColor.rgb == "00F2F4F5" for r in sections for c in "ABCDEFG")
