"""The catalogue as data: procedures, documents, form fields and processes added by an administrator without code;
the rules their data must follow; the administration pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from eprovince.core.constants import Role, UnitLevel
from eprovince.core.models import AdminUnit, AuditEvent
from eprovince.core.text import fold
from eprovince.onestop.constants import FormFieldType
from eprovince.onestop.models import FormField, Procedure, ProcessAction, ProcessStep
from eprovince.onestop.services.catalogue import procedure_part_delete, procedure_part_save
from eprovince.onestop.validators import validate_form_data

from .factories import World, act, receive

pytestmark = pytest.mark.django_db
ADMIN = "/can-bo/mot-cua/thu-tuc/"


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


# --- Rules of the data -----------------------------------------------------------------------------------------------


def test_a_procedure_is_searchable_by_its_folded_name_and_code(world: World) -> None:
    assert world.procedure.search_name == "cap giay phep buu chinh 1.000001"
    assert AuditEvent.objects.filter(content_type__model="procedure", object_id=str(world.procedure.pk), action="create").exists()


def test_an_action_either_moves_or_ends(world: World) -> None:
    step = world.procedure.steps.first()
    for fields in ({"to_step": None, "final_status": ""}, {"to_step": step, "final_status": "done"}):
        with pytest.raises(ValidationError, match="hoặc chuyển đến một bước"):
            procedure_part_save(procedure=world.procedure, model=ProcessAction, acting_user=None, from_step=step, code="approve",
                                label="Duyệt", allowed_role=Role.LEADER, **fields)  # fmt: skip
    with pytest.raises(ValidationError, match="vừa tạm dừng vừa tiếp tục"):
        procedure_part_save(procedure=world.procedure, model=ProcessAction, acting_user=None, from_step=step, to_step=step,
                            code="approve", label="x", allowed_role=Role.LEADER, pauses_clock=True, resumes_clock=True)  # fmt: skip


def test_an_action_cannot_point_at_another_procedures_step(world: World) -> None:
    foreign = world.bts.steps.first()
    with pytest.raises(ValidationError, match="thuộc quy trình"):
        procedure_part_save(procedure=world.procedure, model=ProcessAction, acting_user=None, from_step=world.procedure.steps.first(),
                            to_step=foreign, code="approve", label="x", allowed_role=Role.LEADER)  # fmt: skip


def test_choice_fields_need_choices_and_only_they_have_some(world: World) -> None:
    with pytest.raises(ValidationError, match="ít nhất một lựa chọn"):
        procedure_part_save(
            procedure=world.procedure, model=FormField, acting_user=None, key="kieu", label="Kiểu", field_type="choice"
        )
    with pytest.raises(ValidationError, match="Chỉ trường kiểu lựa chọn"):
        procedure_part_save(procedure=world.procedure, model=FormField, acting_user=None, key="ten", label="Tên", field_type="text",
                            choices=["a"])  # fmt: skip
    with pytest.raises(ValidationError):
        procedure_part_save(
            procedure=world.procedure, model=FormField, acting_user=None, key="Tên có dấu", label="x", field_type="text"
        )


def test_a_step_in_use_cannot_be_deleted(world: World) -> None:
    d = receive(world)
    with pytest.raises(ValidationError, match="Không thể xóa"):
        procedure_part_delete(instance=d.current_step, acting_user=world.admin)
    assert ProcessStep.objects.filter(pk=d.current_step_id).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()


# --- Answers of a form -----------------------------------------------------------------------------------------------


def _fields(world: World) -> list[FormField]:
    extra = [
        ("ngay", FormFieldType.DATE, False), ("dia_chi", FormFieldType.ADDRESS, False), ("giay_phep", FormFieldType.FILE, True),
    ]  # fmt: skip
    for order, (key, kind, required) in enumerate(extra, start=10):
        procedure_part_save(procedure=world.procedure, model=FormField, acting_user=None, key=key, label=key, field_type=kind,
                            required=required, order=order)  # fmt: skip
    return list(world.procedure.form_fields.all())


def test_answers_are_checked_and_normalised(world: World) -> None:
    commune = AdminUnit.objects.create(
        code="30280", name="Long Xuyên", kind="Phường", level=UnitLevel.COMMUNE, search_name=fold("Long Xuyên")
    )
    data = {"ten_doanh_nghiep": "  Mê Kông ", "so_may": "1.500.000", "loai_hinh": "Nước ngoài", "ngay": "05/03/2026",
            "dia_chi": {"unit": commune.pk, "street": "12 Trần Hưng Đạo"}}  # fmt: skip
    cleaned = validate_form_data(_fields(world), data, file_keys={"giay_phep"})
    assert cleaned == {
        "ten_doanh_nghiep": "Mê Kông", "so_may": 1500000, "loai_hinh": "Nước ngoài", "ngay": "2026-03-05",
        "dia_chi": {"unit": commune.pk, "unit_name": "Phường Long Xuyên", "street": "12 Trần Hưng Đạo"},
    }  # fmt: skip


@pytest.mark.parametrize(("raw", "number"), [("12,5", 12.5), ("1.500", 1500), ("12.5", 12.5), (7, 7), ("  42 ", 42), (2.0, 2)])
def test_numbers_in_vietnamese_writing(world: World, raw: object, number: float) -> None:
    assert validate_form_data(world.procedure.form_fields.all(), {"so_may": raw}, partial=True) == {"so_may": number}


def test_every_problem_of_the_answers_is_reported_at_once(world: World) -> None:
    data = {"so_may": "nhiều", "loai_hinh": "Khác", "ngay": "31/02/2026", "dia_chi": {"unit": 999999}, "la": "x"}
    with pytest.raises(ValidationError) as exc:
        validate_form_data(_fields(world), data)
    assert set(exc.value.message_dict) == {"ten_doanh_nghiep", "so_may", "loai_hinh", "ngay", "dia_chi", "giay_phep", "la"}
    assert exc.value.message_dict["giay_phep"] == ["Vui lòng đính kèm tệp cho mục “giay_phep”."]
    assert validate_form_data(world.procedure.form_fields.all(), {}, partial=True) == {}


def test_a_former_administrative_unit_is_refused(world: World) -> None:
    old = AdminUnit.objects.create(code="30281", name="Mỹ Bình", kind="Phường", level=UnitLevel.COMMUNE, search_name="my binh",
                                   valid_to=dt.date(2025, 6, 30))  # fmt: skip
    with pytest.raises(ValidationError, match="không còn hiệu lực"):
        validate_form_data(_fields(world), {"dia_chi": old.pk}, partial=True)


# --- Administration pages ---------------------------------------------------------------------------------------------


def test_only_administrators_open_the_catalogue_administration(world: World) -> None:
    for user in (world.clerk, world.leader, world.citizen):
        assert client_for(user).get(ADMIN).status_code == 403
    admin = client_for(world.admin)
    for url in (
        ADMIN,
        f"{ADMIN}them/",
        f"{ADMIN}{world.bts.pk}/",
        f"{ADMIN}{world.bts.pk}/sua/",
        "/can-bo/mot-cua/linh-vuc/",
        "/can-bo/mot-cua/ma-ho-so/",
        f"{ADMIN}{world.bts.pk}/thao-tac/them/",
        f"{ADMIN}{world.bts.pk}/buoc/them/",
    ):
        assert admin.get(url).status_code == 200, url
    assert admin.get(f"{ADMIN}{world.bts.pk}/khac/them/").status_code == 404


def test_an_administrator_builds_a_procedure_and_its_process_from_the_pages(world: World) -> None:
    admin = client_for(world.admin)
    response = admin.post(f"{ADMIN}them/", {
        "national_code": "1.009999", "name": "Cấp giấy xác nhận thông báo hoạt động bưu chính", "field": world.field.pk,
        "receiving_agency": world.dept.pk, "handling_agency": world.dept.pk, "online_level": "full", "legacy_level": "4",
        "processing_days": "1", "fee": "0", "result_type": "confirmation", "is_active": "on",
    })  # fmt: skip
    procedure = Procedure.objects.get(national_code="1.009999")
    assert response.status_code == 302
    base = f"{ADMIN}{procedure.pk}/"
    assert (
        admin.post(
            f"{base}tai-lieu/them/", {"name": "Văn bản thông báo", "is_required": "on", "copies": "1", "order": "1"}
        ).status_code
        == 302
    )
    assert admin.post(f"{base}truong/them/", {"key": "hinh_thuc", "label": "Hình thức", "field_type": "choice",
                                              "choices_text": "Nội tỉnh\nLiên tỉnh\n", "required": "on", "order": "1"}).status_code == 302  # fmt: skip
    assert procedure.form_fields.get().choices == ["Nội tỉnh", "Liên tỉnh"]
    for order, code, kind, role in ((1, "tiep-nhan", "reception", "onestop_clerk"), (2, "xu-ly", "handling", "specialist")):
        assert admin.post(f"{base}buoc/them/", {"order": order, "code": code, "name": code, "kind": kind, "role": role,
                                               "organisation": world.division.pk if code == "xu-ly" else "",
                                               "duration_days": order - 1}).status_code == 302  # fmt: skip
    first, second = procedure.steps.order_by("order")
    duplicate = admin.post(
        f"{base}buoc/them/",
        {"order": 1, "code": "tiep-nhan", "name": "x", "kind": "handling", "role": "specialist", "duration_days": 0},
    )
    assert duplicate.status_code == 200 and "đã có một bước với mã này" in duplicate.content.decode()
    both = admin.post(f"{base}thao-tac/them/", {"from_step": first.pk, "code": "accept", "label": "Tiếp nhận", "allowed_role": "onestop_clerk",
                                               "to_step": second.pk, "final_status": "done", "order": 1})  # fmt: skip
    assert both.status_code == 200 and "một trong hai" in both.content.decode()
    for data in ({"from_step": first.pk, "code": "accept", "label": "Tiếp nhận", "allowed_role": "onestop_clerk", "to_step": second.pk,
                  "starts_clock": "on", "order": 1},
                 {"from_step": second.pk, "code": "return_result", "label": "Trả kết quả", "allowed_role": "specialist",
                  "final_status": "done", "order": 2}):  # fmt: skip
        assert admin.post(f"{base}thao-tac/them/", data).status_code == 302
    assert "Cần xem lại quy trình" not in admin.get(base).content.decode()
    # The new procedure works at once, through the same engine.
    clerk = world.clerk
    from eprovince.onestop.services.dossiers import Upload, dossier_receive_at_counter

    from .factories import pdf

    d = dossier_receive_at_counter(acting_user=clerk, procedure=procedure, applicant_name="Bưu cục Chợ Mới",
                                   form_data={"hinh_thuc": "Liên tỉnh"}, uploads=[Upload(file=pdf(), document=procedure.documents.get())])  # fmt: skip
    assert d.current_step == second
    assert act(d, "return_result", world.specialist).status == "done"


def test_deleting_and_editing_parts_from_the_pages(world: World) -> None:
    admin = client_for(world.admin)
    d = receive(world)
    step = d.current_step
    response = admin.post(f"{ADMIN}{world.procedure.pk}/buoc/{step.pk}/xoa/", follow=True)
    assert "Không thể xóa" in response.content.decode() and ProcessStep.objects.filter(pk=step.pk).exists()
    optional = world.procedure.documents.get(is_required=False)
    assert admin.post(f"{ADMIN}{world.procedure.pk}/tai-lieu/{optional.pk}/xoa/").status_code == 302
    assert not world.procedure.documents.filter(pk=optional.pk).exists()
    assert admin.post(f"{ADMIN}{world.bts.pk}/tai-lieu/{world.procedure.documents.first().pk}/xoa/").status_code == 404
    edit = admin.post(f"{ADMIN}{world.procedure.pk}/sua/", {
        "national_code": "1.000001", "name": "Cấp giấy phép bưu chính (nội tỉnh)", "field": world.field.pk,
        "receiving_agency": world.dept.pk, "handling_agency": world.dept.pk, "online_level": "full", "processing_days": "7",
        "fee": "2000000", "result_type": "licence",
    })  # fmt: skip
    assert edit.status_code == 302
    changed = Procedure.objects.get(pk=world.procedure.pk)
    assert (changed.fee, changed.is_active, changed.search_name) == (
        2_000_000,
        False,
        "cap giay phep buu chinh (noi tinh) 1.000001",
    )


def test_numbering_from_the_page(world: World) -> None:
    admin = client_for(world.admin)
    bad = admin.post("/can-bo/mot-cua/ma-ho-so/", {"organisation": world.dept.pk, "pattern": "{code}-{seq}", "reset": "daily"})
    assert bad.status_code == 200 and "ngày đầy đủ" in bad.content.decode()
    ok = admin.post(
        "/can-bo/mot-cua/ma-ho-so/", {"organisation": world.dept.pk, "pattern": "{code}/{yyyy}/{seq:5}", "reset": "yearly"}
    )
    assert ok.status_code == 302
    assert receive(world).code.startswith("000.20.00.H99/") and receive(world).code.endswith("/00002")


def test_fields_from_the_page(world: World) -> None:
    admin = client_for(world.admin)
    assert (
        admin.post(
            "/can-bo/mot-cua/linh-vuc/", {"code": "vien-thong", "name": "Viễn thông", "order": 5, "is_active": "on"}
        ).status_code
        == 302
    )
    assert "Viễn thông" in admin.get("/can-bo/mot-cua/linh-vuc/").content.decode()
