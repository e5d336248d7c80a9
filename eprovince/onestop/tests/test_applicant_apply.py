"""Applying online through the pages: the task list and its states, sections saved and resumed, typed answers,
document uploads checked from their content, "check your answers", a refused unfinished submission that changes
nothing, the submission with its confirmation page (bookmarkable) and email."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from eprovince.core.models import AdminUnit
from eprovince.core.services.units import units_import
from eprovince.core.tests import units_testdata
from eprovince.onestop.constants import DossierStatus, FormFieldType, OnlineLevel
from eprovince.onestop.models import Dossier, DossierCounter, DossierEvent, DossierFile, FormField
from eprovince.onestop.services.catalogue import procedure_part_save, procedure_save

from .factories import APPLICANT, PDF_BYTES, PNG_BYTES, World, complete_draft, sign_up, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def business(world: World) -> Any:
    return sign_up()


@pytest.fixture
def client(business: Any) -> Client:
    c = Client()
    c.force_login(business)
    return c


@pytest.fixture
def grouped(world: World) -> World:
    """The licence procedure with a second group of typed questions: a date, an address, a file."""
    units_import(province_codes=None, source=units_testdata.source())
    p = world.procedure
    for key, label, kind, order, required in [
        ("ngay_bat_dau", "Ngày dự kiến bắt đầu", FormFieldType.DATE, 10, True),
        ("dia_chi", "Địa chỉ trụ sở", FormFieldType.ADDRESS, 11, True),
        ("so_do", "Sơ đồ mặt bằng", FormFieldType.FILE, 12, False),
    ]:
        procedure_part_save(procedure=p, model=FormField, acting_user=None, key=key, label=label, field_type=kind,
                            required=required, order=order, group="Hoạt động và trụ sở")  # fmt: skip
    return world


def draft_url(d: Dossier, rest: str = "") -> str:
    return f"/ho-so-cua-toi/nhap/{d.pk}/{rest}"


def start(client: Client, code: str = "1.000001") -> Dossier:
    response = client.post(f"/thu-tuc-hanh-chinh/{code}/nop-truc-tuyen/")
    assert response.status_code == 302
    draft = Dossier.objects.filter(status=DossierStatus.DRAFT).latest("pk")
    assert response["Location"] == draft_url(draft)
    return draft


def states(client: Client, d: Dossier) -> list[tuple[str, str]]:
    return [(s.key, s.state) for s in client.get(draft_url(d)).context["sections"]]


def test_only_procedures_taking_online_dossiers_offer_to_apply(world: World, client: Client) -> None:
    assert "Nộp hồ sơ trực tuyến</a>" in Client().get("/thu-tuc-hanh-chinh/1.000001/").content.decode()
    procedure_save(acting_user=None, instance=world.bts, online_level=OnlineLevel.PARTIAL, legacy_level=2)
    assert "Nộp hồ sơ trực tuyến</a>" not in Client().get("/thu-tuc-hanh-chinh/1.000002/").content.decode()
    assert client.get("/thu-tuc-hanh-chinh/1.000002/nop-truc-tuyen/").status_code == 404
    anonymous = Client().get("/thu-tuc-hanh-chinh/1.000001/nop-truc-tuyen/").content.decode()
    assert "Đăng ký tài khoản" in anonymous and "/dang-nhap/?next=/thu-tuc-hanh-chinh/1.000001/nop-truc-tuyen/" in anonymous


def test_a_new_draft_starts_from_the_account_with_every_section_not_started(world: World, client: Client) -> None:
    d = start(client)
    assert (d.applicant_name, d.applicant_id_number, d.applicant_email) == (
        "Công ty TNHH Truyền thông Mê Kông", "0312345678", "hoa@mekong.vn",
    )  # fmt: skip
    assert states(client, d) == [("nguoi-nop", "not_started"), ("to-khai-1", "not_started"), ("giay-to", "not_started")]
    page = client.get(draft_url(d)).content.decode()
    assert page.count("Chưa bắt đầu") == 3 and "Đã xong 0 trên 3 phần" in page


def test_sections_move_from_not_started_to_in_progress_to_done(world: World, client: Client) -> None:
    d = start(client)
    response = client.post(draft_url(d, "nguoi-nop/"), {**APPLICANT, "tiep-tuc": "1"})
    assert response.status_code == 302 and response["Location"] == draft_url(d)
    client.post(draft_url(d, "to-khai/1/"), {"f_ten_doanh_nghiep": "Công ty Mê Kông", "luu-nhap": "1"})
    assert states(client, d) == [("nguoi-nop", "done"), ("to-khai-1", "in_progress"), ("giay-to", "not_started")]
    client.post(draft_url(d, "to-khai/1/"), {"f_ten_doanh_nghiep": "Công ty Mê Kông", "f_loai_hinh": "Trong nước"})
    doc = world.procedure.documents.get(is_required=True)
    client.post(draft_url(d, f"giay-to/{doc.pk}/tai-len/"), {"attachments": upload("don.pdf", PDF_BYTES)})
    assert states(client, d)[2] == ("giay-to", "done")
    assert "Đã xong 3 trên 3 phần" in client.get(draft_url(d)).content.decode()


def test_save_and_come_back_later_keeps_partial_answers(world: World, client: Client) -> None:
    d = start(client)
    response = client.post(draft_url(d, "to-khai/1/"), {"f_so_may": "1.500", "luu-nhap": "1"})
    assert response.status_code == 302 and response["Location"] == "/ho-so-cua-toi/"
    listing = client.get("/ho-so-cua-toi/").content.decode()
    assert "Cấp giấy phép bưu chính" in listing and draft_url(d) in listing and "Làm tiếp" in listing
    page = client.get(draft_url(d, "to-khai/1/")).content.decode()
    assert 'value="1.500"' in page
    assert Dossier.objects.get(pk=d.pk).form_data == {"so_may": 1500}


def test_continue_with_a_missing_answer_is_refused_and_saves_nothing(world: World, client: Client) -> None:
    d = start(client)
    client.post(draft_url(d, "to-khai/1/"), {"f_so_may": "3", "luu-nhap": "1"})
    response = client.post(draft_url(d, "to-khai/1/"), {"f_so_may": "9", "tiep-tuc": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vui lòng nhập “Tên doanh nghiệp”." in page and "Vui lòng nhập “Loại hình”." in page
    assert Dossier.objects.get(pk=d.pk).form_data == {"so_may": 3}


def test_malformed_answers_are_refused_even_for_a_draft(grouped: World, client: Client) -> None:
    d = start(client)
    response = client.post(draft_url(d, "to-khai/2/"), {"f_ngay_bat_dau": "31/02/2026", "luu-nhap": "1"})
    assert response.status_code == 400 and "ngày hợp lệ" in response.content.decode().lower()
    response = client.post(draft_url(d, "nguoi-nop/"), {**APPLICANT, "applicant_phone": "0912", "luu-nhap": "1"})
    assert response.status_code == 400 and "Số điện thoại không hợp lệ" in response.content.decode()
    assert Dossier.objects.get(pk=d.pk).applicant_phone == "0912000111"  # from the account, unchanged


def test_groups_of_typed_questions_on_their_own_page(grouped: World, client: Client) -> None:
    d = start(client)
    assert [k for k, _s in states(client, d)] == ["nguoi-nop", "to-khai-1", "to-khai-2", "giay-to"]
    page = client.get(draft_url(d, "to-khai/2/")).content.decode()
    assert "Hoạt động và trụ sở" in page and 'placeholder="dd/mm/yyyy"' in page and "<optgroup" in page
    unit = AdminUnit.objects.current().get(code="20002")
    response = client.post(
        draft_url(d, "to-khai/2/"),
        {
            "f_ngay_bat_dau": "15/04/2026",
            "f_dia_chi": unit.pk,
            "f_dia_chi__street": "Ấp 3",
            "f_so_do": upload("so-do.png", PNG_BYTES),
        },
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.form_data["ngay_bat_dau"] == "2026-04-15"
    assert d.form_data["dia_chi"] == {"unit": unit.pk, "unit_name": "Xã Chợ Mới", "street": "Ấp 3"}
    assert d.files.get(field_key="so_do").original_name == "so-do.png"
    check = client.get(draft_url(d, "kiem-tra/")).content.decode()
    assert "15/04/2026" in check and "Ấp 3, Xã Chợ Mới" in check and "so-do.png" in check
    assert client.get(draft_url(d, "to-khai/3/")).status_code == 404


def test_a_tampered_file_is_refused_with_nothing_stored(world: World, client: Client, stored_files: Callable[[], int]) -> None:
    d = start(client)
    doc = world.procedure.documents.get(is_required=True)
    response = client.post(draft_url(d, f"giay-to/{doc.pk}/tai-len/"), {"attachments": upload("don.pdf", PNG_BYTES)})
    assert response.status_code == 400
    assert "có đuôi .pdf nhưng nội dung là ảnh PNG" in response.content.decode()
    assert (DossierFile.objects.count(), stored_files()) == (0, 0)


def test_an_oversized_file_is_refused(world: World, client: Client, settings: Any) -> None:
    settings.ONESTOP_MAX_UPLOAD_BYTES = 100
    d = start(client)
    doc = world.procedure.documents.get(is_required=True)
    response = client.post(draft_url(d, f"giay-to/{doc.pk}/tai-len/"), {"attachments": upload("don.pdf", PDF_BYTES + b"0" * 200)})
    assert response.status_code == 400 and "quá lớn" in response.content.decode()
    assert not DossierFile.objects.exists()


def test_a_file_can_be_removed_from_a_draft(
    world: World, client: Client, stored_files: Callable[[], int], django_capture_on_commit_callbacks: Any
) -> None:
    d = start(client)
    doc = world.procedure.documents.get(is_required=True)
    client.post(draft_url(d, f"giay-to/{doc.pk}/tai-len/"), {"attachments": upload("don.pdf", PDF_BYTES)})
    item = DossierFile.objects.get()
    client.post(draft_url(d, "giay-to/"), {"tiep-tuc": "1"})
    assert states(client, d)[2] == ("giay-to", "done")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(draft_url(d, f"tep/{item.pk}/xoa/")).status_code == 302
    assert not DossierFile.objects.exists() and stored_files() == 0
    assert states(client, d)[2] == ("giay-to", "in_progress")
    response = client.post(draft_url(d, "giay-to/"), {"tiep-tuc": "1"})
    assert response.status_code == 400 and "Chưa tải lên giấy tờ bắt buộc: Đơn đề nghị." in response.content.decode()


def test_check_your_answers_has_a_change_link_per_section(world: World, business: Any, client: Client) -> None:
    d = complete_draft(world, business)
    page = client.get(draft_url(d, "kiem-tra/")).content.decode()
    assert page.count(">Thay đổi<") == 3
    assert f'href="{draft_url(d, "nguoi-nop/")}?tiep=kiem-tra"' in page
    assert "Công ty Bưu chính Mê Kông" in page and "1.500.000 đồng" in page and "Chưa thể nộp" not in page
    response = client.post(draft_url(d, "nguoi-nop/"), {**APPLICANT, "applicant_name": "Công ty Mới", "tiep": "kiem-tra"})
    assert response["Location"] == draft_url(d, "kiem-tra/")


def test_an_unfinished_draft_is_refused_at_submission_and_nothing_changes(
    world: World, client: Client, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    d = start(client)
    client.post(draft_url(d, "nguoi-nop/"), {**APPLICANT, "luu-nhap": "1"})
    before = Dossier.objects.get(pk=d.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(draft_url(d, "kiem-tra/"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa thể nộp hồ sơ" in page and "Vui lòng nhập “Tên doanh nghiệp”." in page
    assert "Chưa tải lên giấy tờ bắt buộc: Đơn đề nghị." in page
    after = Dossier.objects.get(pk=d.pk)
    assert (after.status, after.code, after.version, after.submitted_at) == (before.status, "", before.version, None)
    assert not DossierEvent.objects.exists() and not DossierCounter.objects.exists() and mailoutbox == []


def test_submission_gives_a_code_a_bookmarkable_confirmation_and_an_email(
    world: World, business: Any, client: Client, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    d = complete_draft(world, business)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(draft_url(d, "kiem-tra/"))
    d.refresh_from_db()
    assert d.status == DossierStatus.NEW and d.code.startswith("000.20.00.H99-")
    assert response.status_code == 302 and response["Location"] == f"/ho-so-cua-toi/{d.code}/da-nop/"
    for _reload in range(2):
        page = client.get(response["Location"]).content.decode()
        assert d.code in page and "Điều gì xảy ra tiếp theo" in page and "Ngày hẹn trả kết quả dự kiến" in page
        assert f"/ho-so-cua-toi/{d.code}/giay-tiep-nhan.pdf" in page and f"/tra-cuu-ho-so/?ma={d.code}" in page
    [message] = mailoutbox
    assert message.to == ["hoa@mekong.vn"] and d.code in message.subject and d.code in message.body
    assert f"http://testserver/ho-so-cua-toi/{d.code}/da-nop/" in message.body
    assert client.get(draft_url(d)).status_code == 404  # no longer a draft
    assert client.post(draft_url(d, "kiem-tra/")).status_code == 404


def test_another_users_draft_is_not_found(world: World, business: Any, client: Client) -> None:
    d = complete_draft(world, business)
    item = d.files.first()
    other = Client()
    other.force_login(sign_up(kind="citizen", email="khac@example.vn"))
    urls = ["", "nguoi-nop/", "to-khai/1/", "giay-to/", "kiem-tra/"]
    for rest in urls:
        assert other.get(draft_url(d, rest)).status_code == 404
    assert other.post(draft_url(d, "kiem-tra/")).status_code == 404
    assert other.post(draft_url(d, f"tep/{item.pk}/xoa/")).status_code == 404
    assert other.get(f"/ho-so-cua-toi/tep/{item.pk}/").status_code == 404
    assert client.get("/ho-so-cua-toi/nhap/999999/").status_code == 404
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.DRAFT and d.files.exists()


def test_my_dossiers_costs_a_fixed_number_of_queries(
    world: World, business: Any, client: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        complete_draft(world, business)
    client.get("/ho-so-cua-toi/")
    with django_assert_max_num_queries(8):
        assert client.get("/ho-so-cua-toi/").status_code == 200


def test_upload_fields_keep_their_ids_once_ids_pass_a_thousand(world: World, client: Client) -> None:
    """Vietnamese number formatting writes 1356 as "1.356": ids in the page must never be formatted, or the label, the
    field and the link to the document stop matching (seen on PostgreSQL after a thousand documents)."""
    from eprovince.onestop.models import RequiredDocument

    doc = world.procedure.documents.get(is_required=True)
    RequiredDocument.objects.filter(pk=doc.pk).update(id=12345)
    d = start(client)
    html = client.get(draft_url(d, "giay-to/")).content.decode()
    assert 'id="tep-12345"' in html and 'for="tep-12345"' in html and 'id="tai-lieu-12345"' in html
    assert "12.345" not in html
    response = client.post(draft_url(d, "giay-to/12345/tai-len/"), {"attachments": upload("don.pdf", PDF_BYTES)})
    assert response.status_code == 302 and response["Location"].endswith("#tai-lieu-12345")
