"""Test state for the one-stop shop, built through the real services (core.testing for people and organisations)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from eprovince.core.constants import OrganisationKind, Role
from eprovince.core.models import Organisation, User
from eprovince.core.testing import TEST_PASSWORD, make_org, make_user
from eprovince.onestop import drafts
from eprovince.onestop.constants import FormFieldType, OnlineLevel, ResultType
from eprovince.onestop.models import Dossier, Field, FormField, Procedure, RequiredDocument
from eprovince.onestop.services.applicants import applicant_sign_up, applicant_verify_email, verification_token
from eprovince.onestop.services.catalogue import field_save, procedure_part_save, procedure_save
from eprovince.onestop.services.dossiers import (
    Upload,
    dossier_act,
    dossier_draft_create,
    dossier_file_add,
    dossier_receive_at_counter,
    dossier_submit_online,
)
from eprovince.onestop.services.online import dossier_draft_save, dossier_draft_start
from eprovince.onestop.services.presets import process_apply_standard

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args: int) -> dt.datetime:
    """A moment in Vietnam: at(2026, 3, 9, 9) is Monday 9 March 2026, 09:00."""
    return dt.datetime(*args, tzinfo=TZ)


# --- Files ----------------------------------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def docx_bytes(*, word: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml" if word else "xl/workbook.xml", "<document/>")
    return buffer.getvalue()


def pdf(name: str = "giay-to.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- The world ------------------------------------------------------------------------------------------------------


@dataclass
class World:
    dept: Organisation
    division: Organisation
    other_division: Organisation
    construction: Organisation
    other_dept: Organisation
    clerk: User
    specialist: User
    other_specialist: User
    head: User
    leader: User
    builder: User
    outsider: User
    admin: User
    citizen: User
    field: Field
    procedure: Procedure
    bts: Procedure

    def documents(self, procedure: Procedure | None = None) -> list[Upload]:
        p = procedure or self.procedure
        return [Upload(file=pdf(f"{d.pk}.pdf"), document=d) for d in p.documents.filter(is_required=True)]


def make_procedure(
    *,
    code: str,
    name: str,
    field: Field,
    agency: Organisation,
    division: Organisation,
    days: int = 7,
    consulted: Organisation | None = None,
    fee: int = 0,
    form: bool = True,
    online_level: str = OnlineLevel.FULL,
) -> Procedure:
    procedure = procedure_save(
        acting_user=None, national_code=code, name=name, field=field, receiving_agency=agency, handling_agency=agency,
        online_level=online_level, legacy_level=4, processing_days=days, fee=fee, result_type=ResultType.LICENCE,
    )  # fmt: skip
    procedure_part_save(
        procedure=procedure, model=RequiredDocument, acting_user=None, name="Đơn đề nghị", is_required=True, order=1
    )
    procedure_part_save(
        procedure=procedure, model=RequiredDocument, acting_user=None, name="Tài liệu khác", is_required=False, order=2
    )
    if form:
        procedure_part_save(procedure=procedure, model=FormField, acting_user=None, key="ten_doanh_nghiep",
                            label="Tên doanh nghiệp", field_type=FormFieldType.TEXT, order=1)  # fmt: skip
        procedure_part_save(procedure=procedure, model=FormField, acting_user=None, key="so_may", label="Số máy in",
                            field_type=FormFieldType.NUMBER, required=False, order=2)  # fmt: skip
        procedure_part_save(procedure=procedure, model=FormField, acting_user=None, key="loai_hinh", label="Loại hình",
                            field_type=FormFieldType.CHOICE, choices=["Trong nước", "Nước ngoài"], order=3)  # fmt: skip
    process_apply_standard(procedure=procedure, division=division, consulted=consulted, acting_user=None)
    return procedure


def make_world() -> World:
    province = make_org(
        "Ủy ban nhân dân tỉnh Thử Nghiệm", kind=OrganisationKind.PEOPLES_COMMITTEE, electronic_code="000.00.00.H99"
    )
    dept = make_org("Sở Khoa học và Công nghệ", parent=province, short_name="Sở KH&CN", electronic_code="000.20.00.H99")
    division = make_org(
        "Phòng Bưu chính, Viễn thông", parent=dept, kind=OrganisationKind.DIVISION, electronic_code="000.20.02.H99"
    )
    other_division = make_org("Phòng Công nghệ thông tin", parent=dept, kind=OrganisationKind.DIVISION)
    construction = make_org("Sở Xây dựng", parent=province, short_name="Sở XD", electronic_code="000.23.00.H99")
    other_dept = make_org("Sở Y tế", parent=province, electronic_code="000.30.00.H99")
    field = field_save(acting_user=None, code="buu-chinh", name="Bưu chính")
    return World(
        dept=dept, division=division, other_division=other_division, construction=construction, other_dept=other_dept,
        clerk=make_user("motcua", (Role.ONESTOP_CLERK, dept), full_name="Võ Thị Ngọc"),
        specialist=make_user("chuyenvien", (Role.SPECIALIST, division), full_name="Phạm Quốc Bảo"),
        other_specialist=make_user("chuyenvien2", (Role.SPECIALIST, other_division)),
        head=make_user("truongphong", (Role.DIVISION_HEAD, division)),
        leader=make_user("lanhdao", (Role.LEADER, dept)),
        builder=make_user("sxd", (Role.SPECIALIST, construction)),
        outsider=make_user("yte", (Role.ONESTOP_CLERK, other_dept), (Role.SPECIALIST, other_dept), (Role.LEADER, other_dept)),
        admin=make_user("quantri", Role.ADMIN),
        citizen=make_user("congdan", Role.CITIZEN, email="lan@example.vn", full_name="Nguyễn Thị Lan"),
        field=field,
        procedure=make_procedure(code="1.000001", name="Cấp giấy phép bưu chính", field=field, agency=dept, division=division,
                                 days=7, fee=1_500_000),
        bts=make_procedure(code="1.000002", name="Cấp phép lắp đặt trạm BTS", field=field, agency=dept, division=division,
                           days=12, consulted=construction, form=False),
    )  # fmt: skip


FORM = {"ten_doanh_nghiep": "Công ty Bưu chính Mê Kông", "loai_hinh": "Trong nước"}


def receive(world: World, *, procedure: Procedure | None = None, now: dt.datetime | None = None, **overrides: Any) -> Dossier:
    """A dossier received at the counter by the clerk (it is then at the appraisal step)."""
    procedure = procedure or world.procedure
    fields: dict[str, Any] = {
        "applicant_name": "Nguyễn Văn Đông", "applicant_phone": "0912 345 678", "applicant_email": "dong@example.vn",
        "form_data": dict(FORM) if procedure.form_fields.exists() else {}, "uploads": world.documents(procedure),
    }  # fmt: skip
    fields.update(overrides)
    return dossier_receive_at_counter(acting_user=world.clerk, procedure=procedure, now=now, **fields)


def submit_online(world: World, *, procedure: Procedure | None = None, now: dt.datetime | None = None) -> Dossier:
    """A dossier submitted online by the citizen (it then waits at reception, not yet received)."""
    procedure = procedure or world.procedure
    form = dict(FORM) if procedure.form_fields.exists() else {}
    draft = dossier_draft_create(acting_user=world.citizen, procedure=procedure, form_data=form, applicant_phone="0987654321")
    for item in world.documents(procedure):
        dossier_file_add(dossier=draft, acting_user=world.citizen, upload=item)
    return dossier_submit_online(dossier=draft, acting_user=world.citizen, now=now)


def act(dossier: Dossier, code: str, user: User, *, now: dt.datetime | None = None, reason: str = "", **kwargs: Any) -> Dossier:
    return dossier_act(dossier=dossier, action_code=code, acting_user=user, reason=reason, now=now, **kwargs)


# --- Applicants who sign up on the portal ----------------------------------------------------------------------------

SITE = "http://testserver"


def sign_up(*, kind: str = "business", email: str = "hoa@mekong.vn", verify: bool = True, **overrides: Any) -> User:
    """A portal account made through the sign-up service (verified unless told otherwise)."""
    fields: dict[str, Any] = {
        "kind": kind, "full_name": "Trần Thị Hoa", "email": email, "phone": "0912 000 111", "password": TEST_PASSWORD,
        "business_name": "Công ty TNHH Truyền thông Mê Kông" if kind == "business" else "",
        "tax_code": "0312345678" if kind == "business" else "", "site_url": SITE,
    }  # fmt: skip
    fields.update(overrides)
    user = applicant_sign_up(**fields)
    if verify:
        applicant_verify_email(token=verification_token(user))
    return user


APPLICANT = {
    "applicant_name": "Công ty TNHH Truyền thông Mê Kông", "applicant_id_number": "0312345678",
    "applicant_phone": "0912 000 111", "applicant_email": "hoa@mekong.vn",
    "applicant_address": "12 Nguyễn Huệ, phường Long Xuyên, tỉnh An Giang",
}  # fmt: skip


def complete_draft(
    world: World, user: User, *, procedure: Procedure | None = None, answers: dict[str, Any] | None = None
) -> Dossier:
    """A draft with every section saved and complete, through the online services."""
    procedure = procedure or world.procedure
    draft = dossier_draft_start(acting_user=user, procedure=procedure)
    layout = drafts.Layout.of(procedure)
    draft = dossier_draft_save(dossier=draft, acting_user=user, section=drafts.APPLICANT, applicant=APPLICANT, complete=True)
    for group in layout.groups:
        given = {k: v for k, v in {**FORM, **(answers or {})}.items() if k in group.keys}
        draft = dossier_draft_save(
            dossier=draft, acting_user=user, section=group.key, answers=given, answer_keys=group.keys, complete=True
        )
    uploads = [Upload(file=pdf(f"{d.pk}.pdf"), document=d) for d in layout.documents if d.is_required]
    return dossier_draft_save(dossier=draft, acting_user=user, section=drafts.DOCUMENTS, uploads=uploads, complete=True)
