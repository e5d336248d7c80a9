"""The Excel template of a unit's report: downloading it (header block, hidden metadata, last period's values,
Excel's own cell checks, a Vietnamese file name), filling it and uploading it back (values saved and audited,
validation results at once), and every bad file refused with its sheet, row and column, nothing saved."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from eprovince.core.models import AuditEvent

from .. import excel
from ..models import DataValue, DataValueAudit, Submission
from ..services import rounds
from . import factories as f

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def round_(world: f.World):
    return f.open_round(world, world.enterprise_form, "2024S1")


@pytest.fixture
def sub(world: f.World, round_) -> Submission:
    # Last period (2023S2) approved, so the template has reference values.
    f.approved(
        world, world.enterprise_form, "2023S2", world.vnpt, {"REVENUE": "240,5", "BTS": "118", "SUB_MOBILE.VNPT": "290000"}
    )
    return f.submission(round_, world.vnpt)


@pytest.fixture
def officer(world: f.World) -> Client:
    return client_for(world.officer_vnpt)


def download(client: Client, submission: Submission) -> Workbook:
    response = client.get(reverse("indicators:submission_excel", args=[submission.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def rows(wb: Workbook) -> dict[str, int]:
    """{"REVENUE": 9, "SUB_MOBILE.VNPT": 13, …}: the template's row keys from its hidden sheet."""
    meta = wb[excel.META_SHEET]
    found = {}
    for number, key in meta.iter_rows(min_row=len(excel._META_KEYS) + 3, max_col=2, values_only=True):
        found[key] = number
    return found


def fill(wb: Workbook, values: dict[str, Any], *, comments: dict[str, str] | None = None) -> Workbook:
    ws, where = wb[excel.SHEET], rows(wb)
    for key, value in values.items():
        ws[f"F{where[key]}"] = value
    for key, text in (comments or {}).items():
        ws[f"G{where[key]}"] = text
    return wb


def upload(client: Client, submission: Submission, data: bytes, name: str = "Báo cáo VNPT.xlsx") -> list[str]:
    response = client.post(
        reverse("indicators:submission_excel_upload", args=[submission.pk]),
        {"file": SimpleUploadedFile(name, data, content_type=excel.XLSX_CONTENT_TYPE)},
        follow=True,
    )
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


GOOD = {
    "REVENUE": 252.1,
    "SUB_PHONE": 410000,
    "SUB_INTERNET": "4.521",
    "SUB_BROADBAND": 4020,
    "SUB_MOBILE.VNPT": 300000,
    "BTS": 120,
}


# Download --------------------------------------------------------------------------------------------------------


def test_the_template_has_the_header_block_the_table_and_hidden_metadata(
    world: f.World, sub: Submission, officer: Client
) -> None:
    response = officer.get(reverse("indicators:submission_excel", args=[sub.pk]))
    assert response["Content-Type"] == excel.XLSX_CONTENT_TYPE
    name = "Mẫu nhập DN_VT - VNPT An Giang - 6 tháng đầu năm 2024.xlsx"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"Mau nhap DN_VT - VNPT An Giang - 6 thang dau nam 2024.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == [excel.SHEET, excel.META_SHEET]
    assert wb[excel.META_SHEET].sheet_state == "veryHidden"
    ws = wb[excel.SHEET]
    assert ws["A1"].value == "Báo cáo của doanh nghiệp viễn thông"
    assert ws["B2"].value == "VNPT An Giang"
    assert ws["B3"].value.startswith("6 tháng đầu năm 2024 (15/12/2023 – 14/06/2024)")
    assert ws["B4"].value == f"{sub.round.deadline:%d/%m/%Y}"
    assert "6 tháng cuối năm 2023" in ws["B5"].value
    assert [c.value for c in ws[excel.HEADER_ROW]] == [
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Nhóm phân tổ",
        "Kỳ trước (tham khảo)",
        "Giá trị kỳ này",
        "Ghi chú, giải trình",
    ]
    where = rows(wb)
    assert list(where) == [
        "REVENUE",
        "SUB_PHONE",
        "SUB_INTERNET",
        "SUB_BROADBAND",
        "SUB_MOBILE.VNPT",
        "SUB_MOBILE.VIETTEL",
        "SUB_MOBILE.MOBIFONE",
        "SUB_MOBILE.OTHER",
        "BTS",
    ]
    revenue, vnpt = where["REVENUE"], where["SUB_MOBILE.VNPT"]
    assert [ws[f"{c}{revenue}"].value for c in "ACDE"] == ["REVENUE", "tỷ đồng", None, 240.5]
    assert ws[f"D{vnpt}"].value == "VNPT" and ws[f"E{vnpt}"].value == 290000
    assert ws[f"F{revenue}"].value is None
    meta = {k: v for k, v in wb[excel.META_SHEET].iter_rows(max_row=len(excel._META_KEYS), max_col=2, values_only=True)}
    assert meta["form"] == "DN_VT" and meta["organisation"] == str(world.vnpt.pk) and meta["period"] == "2024S1"
    assert meta["submission"] == str(sub.pk)
    checks = {str(dv.sqref): (dv.type, dv.operator, dv.formula1) for dv in ws.data_validations.dataValidation}
    assert (f"F{where['BTS']}" in " ".join(checks)) and ("whole", "greaterThanOrEqual", "0") in checks.values()
    assert ("decimal", "greaterThanOrEqual", "0") in checks.values()
    assert ws.protection.sheet and not ws[f"F{revenue}"].protection.locked and ws[f"A{revenue}"].protection.locked


def test_the_template_is_prefilled_with_the_values_already_entered(world: f.World, sub: Submission, officer: Client) -> None:
    f.save(world, sub, world.officer_vnpt, {"REVENUE": "252,1", "BTS": "120"})
    where = rows(wb := download(officer, sub))
    assert wb[excel.SHEET][f"F{where['REVENUE']}"].value == 252.1
    assert wb[excel.SHEET][f"F{where['BTS']}"].value == 120


def test_another_units_report_answers_404(world: f.World, sub: Submission, round_) -> None:
    other = f.submission(round_, world.viettel)
    officer = client_for(world.officer_vnpt)
    assert officer.get(reverse("indicators:submission_excel", args=[other.pk])).status_code == 404
    data = excel.template_bytes(other)
    response = officer.post(
        reverse("indicators:submission_excel_upload", args=[other.pk]), {"file": SimpleUploadedFile("x.xlsx", data)}
    )
    assert response.status_code == 404
    assert client_for(world.officer_tanchau).get(reverse("indicators:submission_excel", args=[sub.pk])).status_code == 404


def test_a_reviewer_may_download_but_not_upload(world: f.World, sub: Submission) -> None:
    reviewer = client_for(world.reviewer)
    wb = fill(download(reviewer, sub), GOOD)
    before = DataValue.objects.count()
    assert "Bạn không sửa được báo cáo này." in upload(reviewer, sub, to_bytes(wb))
    assert DataValue.objects.count() == before


# Upload ----------------------------------------------------------------------------------------------------------


def test_round_trip_saves_every_value_audits_it_and_shows_validation_at_once(
    world: f.World, sub: Submission, officer: Client
) -> None:
    wb = fill(download(officer, sub), {**GOOD, "SUB_BROADBAND": 5000}, comments={"REVENUE": "Theo báo cáo tài chính"})
    before = DataValue.objects.count()
    messages = upload(officer, sub, to_bytes(wb))
    assert messages[0].startswith("Đã nhập tệp “Báo cáo VNPT.xlsx”: 6 giá trị mới")
    assert any("còn lỗi kiểm tra" in m for m in messages)
    assert DataValue.objects.count() == before + 6
    stored = {v.element.code: v for v in DataValue.objects.filter(submission=sub).select_related("element")}
    assert stored["REVENUE"].value == Decimal("252.1") and stored["REVENUE"].comment == "Theo báo cáo tài chính"
    assert stored["SUB_INTERNET"].value == 4521 and stored["SUB_MOBILE"].category_option.code == "VNPT"
    history = DataValueAudit.objects.filter(submission=sub)
    assert history.count() == 6
    assert {h.reason for h in history} == {"Nhập từ tệp Excel “Báo cáo VNPT.xlsx”"}
    assert {h.actor_id for h in history} == {world.officer_vnpt.pk}
    assert AuditEvent.objects.filter(object_id=str(sub.pk), reason__contains="Excel").exists()
    page = officer.get(reverse("indicators:submission", args=[sub.pk])).content.decode()
    assert "252,1" in page and "4.521" in page
    assert "Thuê bao băng rộng cố định không được lớn hơn tổng số thuê bao Internet." in page  # 5.000 > 4.521
    # The same file again changes nothing; a fixed file updates one value.
    assert upload(officer, sub, to_bytes(wb))[0].endswith("0 giá trị mới, 0 giá trị sửa, 6 giá trị không đổi.")
    fixed = fill(download(officer, sub), {"SUB_BROADBAND": 4020})
    assert "1 giá trị sửa" in upload(officer, sub, to_bytes(fixed))[0]
    assert DataValueAudit.objects.filter(submission=sub).count() == 7


def test_numbers_typed_as_text_the_vietnamese_way_and_options_by_name(world: f.World, sub: Submission) -> None:
    wb = download(client_for(world.officer_vnpt), sub)
    ws, where = wb[excel.SHEET], rows(wb)
    ws[f"F{where['REVENUE']}"] = "252,1"
    ws[f"F{where['SUB_MOBILE.VIETTEL']}"] = "1.200.000"
    result = excel.excel_import(acting_user=world.officer_vnpt, submission=sub, data=to_bytes(wb), filename="a.xlsx")
    assert result.created == 2
    assert DataValue.objects.get(element__code="SUB_MOBILE", category_option__code="VIETTEL", submission=sub).value == 1200000


def _set(key: str, column: str, value: Any) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb[excel.SHEET][f"{column}{rows(wb)[key]}"] = value

    return change


def _meta(row: int, value: Any) -> Callable[[Workbook], None]:
    def change(wb: Workbook) -> None:
        wb[excel.META_SHEET][f"B{row}"] = value

    return change


def _duplicate(wb: Workbook) -> None:
    _set("SUB_MOBILE.VIETTEL", "D", "VNPT")(wb)
    _set("SUB_MOBILE.VIETTEL", "F", 5)(wb)


def _insert_column(wb: Workbook) -> None:
    wb[excel.SHEET].insert_cols(3)


ROW = {"REVENUE": 9, "SUB_INTERNET": 11, "BTS": 17}  # the template's rows (checked below)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_set("REVENUE", "F", "abc"), "Trang 'Số liệu', dòng 9, cột F: giá trị “abc” không phải là số."),
        (_set("BTS", "F", -5), "Trang 'Số liệu', dòng 17, cột F: số lượng không được âm."),
        (_set("SUB_INTERNET", "F", 12.5), "Trang 'Số liệu', dòng 11, cột F: phải là số nguyên (không có phần thập phân)."),
        (_set("BTS", "A", "KHONG_CO"), "Trang 'Số liệu', dòng 17, cột A: không có chỉ tiêu mã “KHONG_CO”."),
        (_set("BTS", "A", "POPULATION"), "Trang 'Số liệu', dòng 17, cột A: chỉ tiêu POPULATION không thuộc biểu mẫu"),
        (_set("REVENUE", "C", "triệu đồng"), "Trang 'Số liệu', dòng 9, cột C: đơn vị tính “triệu đồng” không phải đơn vị"),
        (
            _set("SUB_MOBILE.VNPT", "D", "Gmobile"),
            "Trang 'Số liệu', dòng 13, cột D: chỉ tiêu SUB_MOBILE không có nhóm “Gmobile”.",
        ),
        (_duplicate, "Trang 'Số liệu', dòng 14, cột A: chỉ tiêu SUB_MOBILE.VNPT đã có ở dòng 13."),
        (_insert_column, "Trang 'Số liệu', dòng 8, cột C: tiêu đề phải là “Đơn vị tính” nhưng là “(trống)”"),
        (
            _meta(3, "UBND_HUYEN"),
            "Trang '_meta', dòng 3, cột B: tệp là mẫu của biểu mẫu “UBND_HUYEN”, không phải của biểu mẫu “DN_VT”",
        ),
        (_meta(5, "2024S2"), "Trang '_meta', dòng 5, cột B: tệp là mẫu của kỳ “2024S2”, không phải của kỳ 6 tháng đầu năm 2024"),
        (_meta(1, "something else"), "Trang '_meta', dòng 1, cột B: tệp không phải là mẫu Excel báo cáo số liệu của e-Province."),
    ],
)
def test_a_bad_cell_is_named_by_sheet_row_and_column_and_nothing_is_saved(
    world: f.World, sub: Submission, officer: Client, change: Callable[[Workbook], None], expected: str
) -> None:
    wb = fill(download(officer, sub), GOOD)
    assert {k: rows(wb)[k] for k in ROW} == ROW
    change(wb)
    before, history = DataValue.objects.count(), DataValueAudit.objects.count()
    messages = upload(officer, sub, to_bytes(wb))
    assert messages[0].startswith("Chưa nhập được tệp “Báo cáo VNPT.xlsx”")
    assert any(m.startswith(expected) for m in messages), messages
    assert DataValue.objects.count() == before and DataValueAudit.objects.count() == history


def test_every_bad_cell_of_a_file_is_reported_at_once(world: f.World, sub: Submission) -> None:
    wb = fill(download(client_for(world.officer_vnpt), sub), {**GOOD, "REVENUE": "abc", "BTS": -1})
    with pytest.raises(excel.ExcelImportError) as caught:
        excel.excel_import(acting_user=world.officer_vnpt, submission=sub, data=to_bytes(wb))
    assert [(e.sheet, e.row, e.column) for e in caught.value.cell_errors] == [("Số liệu", 9, "F"), ("Số liệu", 17, "F")]
    assert not DataValue.objects.filter(submission=sub).exists()


def test_a_file_of_another_organisation_or_a_unit_not_expected_in_the_round(
    world: f.World, sub: Submission, round_, officer: Client
) -> None:
    other = fill(load_workbook(io.BytesIO(excel.template_bytes(f.submission(round_, world.viettel)))), GOOD)
    messages = upload(officer, sub, to_bytes(other))
    assert "Trang '_meta', dòng 4, cột B: tệp là mẫu của đơn vị “Viettel An Giang”, không phải của VNPT An Giang." in messages
    stranger = fill(download(officer, sub), GOOD)
    stranger[excel.META_SHEET]["B4"] = str(world.tanchau.pk)
    messages = upload(officer, sub, to_bytes(stranger))
    assert any(
        m.startswith(
            "Trang '_meta', dòng 4, cột B: đơn vị “Ủy ban nhân dân thị xã Tân Châu” không thuộc danh sách đơn vị báo cáo của đợt"
        )
        for m in messages
    ), messages
    assert not DataValue.objects.filter(submission=sub).exists()


def test_a_file_of_another_form_is_refused(world: f.World, sub: Submission, officer: Client) -> None:
    committee = f.submission(f.open_round(world, world.committee_form, "2024"), world.tanchau)
    messages = upload(officer, sub, excel.template_bytes(committee))
    assert any("tệp là mẫu của biểu mẫu “UBND_HUYEN”" in m for m in messages)
    assert any("tệp là mẫu của kỳ “2024”" in m for m in messages)


def test_a_locked_report_refuses_the_file_and_says_how_to_reopen(world: f.World, sub: Submission, officer: Client) -> None:
    wb = fill(download(officer, sub), GOOD)
    f.save(world, sub, None, {"REVENUE": "1"})
    rounds.submission_submit(acting_user=None, submission=sub)
    rounds.submission_approve(acting_user=world.reviewer, submission=sub)
    before = DataValue.objects.count()
    messages = upload(officer, sub, to_bytes(wb))
    assert any("đã được Lê Thị Hạnh phê duyệt" in m and "Đề nghị mở lại" in m for m in messages), messages
    assert DataValue.objects.count() == before


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"dataElement,value\nREVENUE,1\n", "không phải là tệp Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "không phải là tệp Excel .xlsx"),  # an old .xls
        (None, "không phải là tệp Excel .xlsx"),  # a zip without xl/workbook.xml (an .ods, a .docx)
        (b"PK\x03\x04" + b"x" * (excel.MAX_BYTES + 1), "vượt giới hạn 5 MB"),
    ],
)
def test_a_file_that_is_not_an_xlsx_or_is_too_big_is_refused(
    world: f.World, sub: Submission, officer: Client, data: bytes | None, expected: str
) -> None:
    if data is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        data = buffer.getvalue()
    messages = upload(officer, sub, data, name="so-lieu.xlsx")
    assert any(expected in m for m in messages), messages
    assert not DataValue.objects.filter(submission=sub).exists()


def test_a_file_without_values_or_without_a_file(world: f.World, sub: Submission, officer: Client) -> None:
    messages = upload(officer, sub, to_bytes(download(officer, sub)))
    assert "Trang 'Số liệu': không có giá trị nào để nhập: hãy điền cột F." in messages
    response = officer.post(reverse("indicators:submission_excel_upload", args=[sub.pk]), {}, follow=True)
    assert "Hãy chọn tệp Excel (.xlsx) đã điền để tải lên." in [str(m) for m in response.context["messages"]]


def test_the_submission_page_offers_the_download_and_the_upload(world: f.World, sub: Submission, officer: Client) -> None:
    page = officer.get(reverse("indicators:submission", args=[sub.pk])).content.decode()
    assert reverse("indicators:submission_excel", args=[sub.pk]) in page
    assert reverse("indicators:submission_excel_upload", args=[sub.pk]) in page
    reviewer_page = client_for(world.reviewer).get(reverse("indicators:submission", args=[sub.pk])).content.decode()
    assert reverse("indicators:submission_excel", args=[sub.pk]) in reviewer_page
    assert reverse("indicators:submission_excel_upload", args=[sub.pk]) not in reviewer_page


def test_download_and_upload_use_a_fixed_number_of_queries(
    world: f.World, sub: Submission, officer: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(11):
        wb = download(officer, sub)
    data = to_bytes(fill(wb, {**GOOD, "SUB_MOBILE.VIETTEL": 1, "SUB_MOBILE.MOBIFONE": 2, "SUB_MOBILE.OTHER": 3}))
    with django_assert_max_num_queries(22):  # constant: no query per row
        result = excel.excel_import(acting_user=world.officer_vnpt, submission=sub, data=data, filename="a.xlsx")
    assert result.created == 9
