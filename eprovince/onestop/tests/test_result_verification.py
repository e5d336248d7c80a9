"""The result of a procedure generated from its template when the leader issues it without a signed file: a PDF
with the number, the date, the signer, the filled-in text and a QR code to a public verification page that shows
the document's essentials and nothing more personal; templates are checked when saved."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from eprovince.core.models import AuditEvent
from eprovince.core.services.accounts import position_assign
from eprovince.onestop.constants import DossierStatus, FileKind, FormFieldType
from eprovince.onestop.models import Dossier, DossierFile, FormField, Procedure, ResultDocument, ResultTemplate
from eprovince.onestop.result_templates import fill, parse, template_problems
from eprovince.onestop.services.catalogue import procedure_part_save
from eprovince.onestop.services.dossiers import Upload
from eprovince.onestop.services.online import dossier_online_submit
from eprovince.onestop.services.results import result_template_save

from .factories import SITE, World, act, at, complete_draft, pdf, receive, sign_up
from .test_applicant_receipt import qr_pixels
from .test_documents import client_for, pdf_text

pytestmark = pytest.mark.django_db

BODY = (
    "Căn cứ hồ sơ {dossier_code} tiếp nhận ngày {received_on};\n"
    "Cấp cho: {applicant_name}, địa chỉ {applicant_address}.\n"
    "Tên doanh nghiệp trên tờ khai: {field:ten_doanh_nghiep}; loại hình: {field:loai_hinh}.\n"
    "Giấy phép số {document_number} có giá trị kể từ ngày {issued_on}. Ký hiệu {{mẫu}}."
)
TITLE = "GIẤY PHÉP BƯU CHÍNH"
ID_NUMBER = "089085000123"


def with_template(world: World, **overrides: str) -> ResultTemplate:
    fields = {"title": TITLE, "body": BODY, **overrides}
    return result_template_save(procedure=world.procedure, acting_user=world.admin, **fields)


def at_leader(world: World, **overrides: Any) -> Dossier:
    fields = {"applicant_address": "15 Trần Hưng Đạo, phường Long Xuyên", "applicant_id_number": ID_NUMBER, **overrides}
    d = receive(world, now=at(2026, 3, 9, 9), **fields)
    return act(act(d, "forward", world.specialist, now=at(2026, 3, 10, 9)), "forward", world.head, now=at(2026, 3, 11, 9))


def issue(world: World, d: Dossier, **kwargs: Any) -> Dossier:
    return act(d, "issue_result", world.leader, now=at(2026, 3, 12, 10), site_url="http://testserver/", **kwargs)


# --- Generating the result -------------------------------------------------------------------------------------------


def test_issuing_without_a_file_generates_the_result_from_the_template(world: World) -> None:
    position_assign(user=world.leader, organisation=world.dept, title="Giám đốc", acting_user=None)
    with_template(world)
    d = issue(world, at_leader(world))
    assert d.status == "result_ready"
    doc = ResultDocument.objects.get(dossier=d)
    assert (doc.number, doc.title, doc.holder_name, doc.signer_position) == ("01/GP-SKHCN", TITLE, "Nguyễn Văn Đông", "Giám đốc")
    assert doc.file.kind == FileKind.RESULT and doc.file.event == doc.event and doc.event.action == "issue_result"
    assert len(doc.token) >= 32
    response = client_for(world.clerk).get(f"/can-bo/mot-cua/tep/{doc.file.pk}/")
    text, reader = pdf_text(response)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 01/GP-SKHCN",
        "Thử Nghiệm, ngày 12 tháng 03 năm 2026", TITLE, f"Căn cứ hồ sơ {d.code} tiếp nhận ngày 09/03/2026;",
        "Cấp cho: Nguyễn Văn Đông, địa chỉ 15 Trần Hưng Đạo, phường Long Xuyên.",
        "Tên doanh nghiệp trên tờ khai: Công ty Bưu chính Mê Kông; loại hình: Trong nước.",
        "Giấy phép số 01/GP-SKHCN có giá trị kể từ ngày 12/03/2026. Ký hiệu {mẫu}.", "GIÁM ĐỐC", "lanhdao", "Nơi nhận:",
    ]:  # fmt: skip
        assert expected in text, expected
    verify_url = f"http://testserver/tra-cuu/xac-thuc/{doc.token}/"
    assert reader.pages[0].images[0].image.convert("1").tobytes() == qr_pixels(verify_url)
    assert AuditEvent.objects.filter(content_type__model="resultdocument", object_id=str(doc.pk)).exists()


def test_numbers_run_per_agency_and_year_and_an_uploaded_file_is_kept_as_is(world: World) -> None:
    with_template(world, symbol="")
    first, second, signed = at_leader(world), at_leader(world), at_leader(world)
    issue(world, first)
    issue(world, second)
    assert list(ResultDocument.objects.order_by("pk").values_list("number", flat=True)) == ["01/GP-SKHCN", "02/GP-SKHCN"]
    issue(world, signed, uploads=[Upload(file=pdf("da-ky.pdf"))])
    assert ResultDocument.objects.get(dossier=signed).number == "03/GP-SKHCN"  # a signed upload is numbered too
    assert list(DossierFile.objects.filter(dossier=signed, kind=FileKind.RESULT).values_list("original_name", flat=True)) == [
        "da-ky.pdf"
    ]


def test_without_a_template_the_signed_file_is_still_required(world: World) -> None:
    d = at_leader(world)
    with pytest.raises(ValidationError, match="cần đính kèm"):
        issue(world, d)
    assert Dossier.objects.get(pk=d.pk).status == "waiting_approval" and not ResultDocument.objects.exists()


def test_the_officer_form_offers_issuing_without_a_file(world: World) -> None:
    with_template(world)
    d = at_leader(world)
    leader = client_for(world.leader)
    page = leader.get(f"/can-bo/mot-cua/ho-so/{d.pk}/").content.decode()
    assert "hệ thống tạo văn bản kết quả từ mẫu" in page
    response = leader.post(
        f"/can-bo/mot-cua/ho-so/{d.pk}/thao-tac/", {"panel-action": "issue_result", "panel-version": d.version}
    )
    assert response.status_code == 302
    doc = ResultDocument.objects.get(dossier=d)
    page = leader.get(f"/can-bo/mot-cua/ho-so/{d.pk}/").content.decode()
    assert f"/tra-cuu/xac-thuc/{doc.token}/" in page and "01/GP-SKHCN" in page


# --- The verification page -------------------------------------------------------------------------------------------


def test_the_verification_page_shows_the_essentials_and_nothing_personal(world: World) -> None:
    with_template(world)
    d = issue(world, at_leader(world))
    doc = ResultDocument.objects.get(dossier=d)
    response = Client().get(f"/tra-cuu/xac-thuc/{doc.token}/")
    assert response.status_code == 200
    page = response.content.decode()
    for expected in [
        TITLE, "01/GP-SKHCN", "12/03/2026", "Sở Khoa học và Công nghệ", "Nguyễn Văn Đông", "Cấp giấy phép bưu chính", d.code,
        "Còn hiệu lực", doc.file.sha256,
    ]:  # fmt: skip
        assert expected in page, expected
    for secret in [ID_NUMBER, "0912 345 678", "0912345678", "dong@example.vn", "Trần Hưng Đạo", "Công ty Bưu chính Mê Kông"]:
        assert secret not in page, secret
    assert 'name="robots" content="noindex' in page


def test_a_withdrawn_dossier_s_result_is_no_longer_valid(world: World) -> None:
    with_template(world)
    d = issue(world, at_leader(world))
    # Withdrawn after its result under the earlier rule (since issue 12 the engine no longer offers it:
    # test_officer_action_panel.py): such a result stays shown as no longer valid.
    Dossier.objects.filter(pk=d.pk).update(status=DossierStatus.WITHDRAWN)
    page = Client().get(f"/tra-cuu/xac-thuc/{ResultDocument.objects.get().token}/").content.decode()
    assert "Không còn hiệu lực" in page and "Còn hiệu lực</span>" not in page


@pytest.mark.parametrize("token", ["x", "a" * 32, "A" * 80, "-" * 30, "..%2F..%2Fetc"])
def test_forged_tokens_are_404(world: World, token: str) -> None:
    with_template(world)
    issue(world, at_leader(world))
    assert Client().get(f"/tra-cuu/xac-thuc/{token}/").status_code == 404


def test_the_applicant_downloads_the_generated_result(world: World) -> None:
    with_template(world)
    business = sign_up()
    d = dossier_online_submit(dossier=complete_draft(world, business), acting_user=business, site_url=SITE, now=at(2026, 3, 9, 9))
    d = act(d, "accept", world.clerk, now=at(2026, 3, 9, 10))
    d = act(act(d, "forward", world.specialist), "forward", world.head)
    d = issue(world, d)
    doc = ResultDocument.objects.get(dossier=d)
    page = client_for(business).get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert f"/ho-so-cua-toi/tep/{doc.file.pk}/" in page and f"/tra-cuu/xac-thuc/{doc.token}/" in page
    text, _reader = pdf_text(client_for(business).get(f"/ho-so-cua-toi/tep/{doc.file.pk}/"))
    assert "Cấp cho: Công ty TNHH Truyền thông Mê Kông" in text
    assert client_for(world.outsider).get(f"/can-bo/mot-cua/tep/{doc.file.pk}/").status_code == 404
    stranger = sign_up(email="khac@example.vn", business_name="Công ty Khác", tax_code="0399999999")
    assert client_for(stranger).get(f"/ho-so-cua-toi/tep/{doc.file.pk}/").status_code == 404


# --- Template validation ---------------------------------------------------------------------------------------------

INVALID = [
    ("{ten_sai}", "Không có trường thay thế “{ten_sai}”"),
    ("Cấp cho {Applicant_Name}", "Không có trường thay thế “{Applicant_Name}”"),
    ("{field:khong_co}", "không có trường mã “khong_co”"),
    ("{field:}", "thiếu mã trường tờ khai"),
    ("{}", "cặp ngoặc nhọn “{}” trống"),
    ("Cấp cho {applicant_name", "chưa được đóng"),
    ("Cấp cho applicant_name}", "không có dấu “{” mở"),
    ("{applicant_{name}}", "chưa được đóng"),
    ("{field:ban_ve}", "là tệp đính kèm"),
    ("   ", "Vui lòng nhập nội dung"),
    ("x" * 10_001, "Nội dung quá dài (tối đa 10.000 ký tự)"),
]


@pytest.mark.parametrize(("body", "message"), INVALID)
def test_bad_templates_are_refused_with_a_clear_message_and_nothing_saved(world: World, body: str, message: str) -> None:
    procedure_part_save(procedure=world.procedure, model=FormField, acting_user=None, key="ban_ve", label="Bản vẽ",
                        field_type=FormFieldType.FILE, required=False, order=9)  # fmt: skip
    with pytest.raises(ValidationError) as info:
        with_template(world, body=body)
    assert any(message in m for m in info.value.message_dict["body"]), info.value.message_dict
    assert not ResultTemplate.objects.exists()


def test_the_title_is_checked_too_and_every_problem_is_named(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        with_template(world, title="GIẤY PHÉP {loai}", body="{a} {b} {a}")
    errors = info.value.message_dict
    assert "{loai}" in errors["title"][0]
    assert len(errors["body"]) == 2  # {a} once, {b} once
    with pytest.raises(ValidationError, match="tên văn bản kết quả"):
        with_template(world, title="  ")


def test_changing_a_template_is_audited_and_the_admin_screen_explains_errors(world: World) -> None:
    template = with_template(world)
    result_template_save(procedure=world.procedure, acting_user=world.admin, title="GIẤY PHÉP {field:loai_hinh}", body=BODY)
    template.refresh_from_db()
    assert template.title == "GIẤY PHÉP {field:loai_hinh}"
    assert AuditEvent.objects.filter(content_type__model="resulttemplate", object_id=str(template.pk)).count() == 2
    admin = client_for(world.admin)
    url = f"/can-bo/mot-cua/thu-tuc/{world.procedure.pk}/mau-ket-qua/"
    page = admin.get(url).content.decode()
    assert "{field:ten_doanh_nghiep}" in page and "{applicant_name}" in page
    response = admin.post(url, {"title": TITLE, "symbol": "GP", "body": "Cấp cho {ten_nguoi}."})
    assert response.status_code == 200 and "Không có trường thay thế “{ten_nguoi}”" in response.content.decode()
    template.refresh_from_db()
    assert template.body == BODY
    assert admin.post(url, {"title": TITLE, "symbol": "GP", "body": "Cấp cho {applicant_name}."}).status_code == 302
    assert "Mẫu kết quả giải quyết" in admin.get(f"/can-bo/mot-cua/thu-tuc/{world.procedure.pk}/").content.decode()
    assert client_for(world.clerk).get(url).status_code == 403


def test_unanswered_or_deleted_fields_never_block_the_result(world: World) -> None:
    with_template(world, body="Số máy in: {field:so_may}. Loại hình: {field:loai_hinh}.")
    d = at_leader(world)  # "so_may" is optional and not answered
    FormField.objects.filter(procedure=world.procedure, key="loai_hinh").delete()  # the answer stays in the dossier
    d = issue(world, d)
    text, _reader = pdf_text(client_for(world.clerk).get(f"/can-bo/mot-cua/tep/{ResultDocument.objects.get(dossier=d).file.pk}/"))
    assert "Số máy in: . Loại hình: Trong nước." in text


# --- Laws of the placeholder syntax ----------------------------------------------------------------------------------


@given(st.text(max_size=200))
def test_escaped_text_comes_back_unchanged(text: str) -> None:
    escaped = text.replace("{", "{{").replace("}", "}}")
    pieces, problems = parse(escaped)
    assert problems == [] and not any(p.placeholder for p in pieces)
    assert fill(escaped, {}, lambda key: "") == text


@given(
    st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=60), st.sampled_from(["applicant_name", "dossier_code"])
)
def test_known_placeholders_are_replaced_and_nothing_else(prefix: str, name: str) -> None:
    template = f"{prefix}{{{name}}}{prefix}"
    assert template_problems(template, {}) == []
    assert fill(template, {name: "<X>"}, lambda key: "") == f"{prefix}<X>{prefix}"
    assert re.sub(r"\{[a-z_]+\}", "", template) == prefix * 2


# --- Demo data -------------------------------------------------------------------------------------------------------


def test_the_demo_procedures_have_valid_templates_and_some_generated_results() -> None:
    import io

    from eprovince.core import demo_data as core_demo
    from eprovince.onestop import demo_data

    out = io.StringIO()
    core_demo.load(out)
    demo_data.load(out)
    procedures = list(Procedure.objects.all())
    assert ResultTemplate.objects.count() == len(procedures) >= 6
    for template in ResultTemplate.objects.select_related("procedure"):
        template.full_clean()  # every placeholder is one the procedure's form has
    generated = list(ResultDocument.objects.select_related("file"))
    assert generated and all(doc.file.kind == FileKind.RESULT for doc in generated)
    counts = (ResultTemplate.objects.count(), ResultDocument.objects.count(), AuditEvent.objects.count())
    demo_data.load(out)
    assert (ResultTemplate.objects.count(), ResultDocument.objects.count(), AuditEvent.objects.count()) == counts
