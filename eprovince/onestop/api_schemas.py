"""Schemas of the one-stop API (see api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from ninja import Field, Schema

from eprovince.core.api import api_user

from . import deadlines
from .models import Dossier, DossierEvent, DossierFile, Procedure
from .selectors import dossier_events, dossier_files
from .services.payments import payment_of
from .workflow import available_actions


class FieldOut(Schema):
    code: str
    name: str


class OrganisationRef(Schema):
    id: int
    name: str
    electronic_code: str


class ProcedureOut(Schema):
    national_code: str
    name: str
    field: FieldOut
    receiving_agency: OrganisationRef
    handling_agency: OrganisationRef
    online_level: str = Field(description="full (toàn trình) hoặc partial (một phần).")
    legacy_level: int | None = Field(description="Mức độ 1-4 theo quy định cũ.")
    fee: int = Field(description="Phí, lệ phí (đồng).")
    fee_description: str
    processing_days: int = Field(description="Thời hạn giải quyết (ngày làm việc).")
    result_type: str
    result_name: str
    expected_return_at: dt.datetime = Field(description="Ngày hẹn trả nếu hồ sơ đầy đủ được tiếp nhận lúc này.")

    @staticmethod
    def resolve_expected_return_at(obj: Procedure, context: dict[str, Any]) -> dt.datetime:
        # One calendar read and one computation per processing time for the whole response.
        request = context["request"]
        memo = request.__dict__.setdefault("_onestop_expected", {})
        if "cal" not in memo:
            memo["cal"] = deadlines.calendar()
            memo["now"] = dt.datetime.now(dt.UTC)
        if obj.processing_days not in memo:
            memo[obj.processing_days] = deadlines.expected_return(memo["now"], obj.processing_days, cal=memo["cal"])
        return memo[obj.processing_days]


class DocumentOut(Schema):
    id: int
    name: str
    is_required: bool
    copies: int
    note: str
    template_url: str | None

    @staticmethod
    def resolve_template_url(obj: Any) -> str | None:
        return obj.template.url if obj.template else None


class FormFieldOut(Schema):
    key: str
    label: str
    field_type: str
    required: bool
    choices: list[str]
    help_text: str
    group: str


class StepOut(Schema):
    order: int
    code: str
    name: str
    kind: str
    role: str
    organisation_id: int | None
    duration_days: int


class ActionOut(Schema):
    code: str
    label: str
    from_step: str | None
    to_step: str | None
    final_status: str
    allowed_role: str
    requires_reason: bool
    requires_file: bool
    starts_clock: bool
    pauses_clock: bool
    resumes_clock: bool

    @staticmethod
    def resolve_from_step(obj: Any) -> str | None:
        return obj.from_step.code if obj.from_step else None

    @staticmethod
    def resolve_to_step(obj: Any) -> str | None:
        return obj.to_step.code if obj.to_step else None


class ProcedureDetailOut(ProcedureOut):
    legal_basis: str
    description: str
    documents: list[DocumentOut]
    form_fields: list[FormFieldOut]
    steps: list[StepOut]
    actions: list[ActionOut]

    @staticmethod
    def resolve_documents(obj: Procedure) -> list[Any]:
        return list(obj.documents.all())

    @staticmethod
    def resolve_form_fields(obj: Procedure) -> list[Any]:
        return list(obj.form_fields.all())

    @staticmethod
    def resolve_steps(obj: Procedure) -> list[Any]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_actions(obj: Procedure) -> list[Any]:
        return list(obj.actions.all())


class DossierOut(Schema):
    id: int
    code: str
    procedure_code: str
    procedure_name: str
    status: str
    status_label: str
    channel: str
    applicant_name: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    appointment_at: dt.datetime | None = Field(description="Ngày hẹn trả đã báo cho người nộp (sau thư xin lỗi: ngày hẹn mới).")
    finished_at: dt.datetime | None
    current_step: str | None
    current_role: str
    current_organisation_id: int | None
    version: int = Field(description="Gửi lại trong expected_version khi thao tác, để không ghi đè thao tác của người khác.")

    @staticmethod
    def resolve_procedure_code(obj: Dossier) -> str:
        return obj.procedure.national_code

    @staticmethod
    def resolve_procedure_name(obj: Dossier) -> str:
        return obj.procedure.name

    @staticmethod
    def resolve_status_label(obj: Dossier) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_current_step(obj: Dossier) -> str | None:
        return obj.current_step.name if obj.current_step else None


class EventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    actor_name: str
    from_status: str
    to_status: str
    from_step_name: str
    to_step_name: str
    reason: str
    file_ids: list[int]

    @staticmethod
    def resolve_at(obj: DossierEvent) -> dt.datetime:
        return obj.created_at

    @staticmethod
    def resolve_file_ids(obj: DossierEvent) -> list[int]:
        return [f.pk for f in obj.files.all()]


class FileOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj: DossierFile) -> str:
        return reverse("onestop:file_download", args=[obj.pk])


class AllowedActionOut(Schema):
    code: str
    label: str
    requires_reason: bool
    requires_file: bool


class PaymentOut(Schema):
    amount: int = Field(description="Phí, lệ phí phải nộp (đồng), theo thủ tục lúc nộp hồ sơ.")
    status: str = Field(description="pending: chưa nộp; confirmed: cán bộ đã xác nhận thu.")
    status_label: str
    reference: str = Field(description="Nội dung chuyển khoản (chứa mã hồ sơ).")
    method: str
    transaction_reference: str
    confirmed_at: dt.datetime | None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class DossierDetailOut(DossierOut):
    applicant_phone: str
    applicant_email: str
    applicant_id_number: str
    applicant_address: str
    form_data: dict[str, Any]
    apology_at: dt.datetime | None
    apology_reason: str
    apology_due_at: dt.datetime | None
    events: list[EventOut]
    files: list[FileOut]
    allowed_actions: list[AllowedActionOut] = Field(description="Thao tác người gọi được thực hiện lúc này.")
    payment: PaymentOut | None = Field(None, description="Phí, lệ phí của hồ sơ; null nếu không thu phí.")

    @staticmethod
    def resolve_payment(obj: Dossier) -> Any:
        return payment_of(obj)

    @staticmethod
    def resolve_events(obj: Dossier) -> list[DossierEvent]:
        return dossier_events(obj)

    @staticmethod
    def resolve_files(obj: Dossier) -> list[DossierFile]:
        return dossier_files(obj)

    @staticmethod
    def resolve_allowed_actions(obj: Dossier, context: dict[str, Any]) -> list[Any]:
        return available_actions(obj, api_user(context["request"]))


class ActionIn(Schema):
    action: str = Field(description="Mã thao tác, trong allowed_actions của hồ sơ.")
    reason: str = ""
    expected_version: int | None = Field(None, description="Phiên bản hồ sơ đã đọc; khác phiên bản hiện tại → 409.")


class ApologyIn(Schema):
    reason: str
    new_due_date: dt.date
    expected_version: int | None = None


class CounterIn(Schema):
    procedure: str = Field(description="Mã thủ tục.")
    applicant_name: str
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_id_number: str = ""
    applicant_address: str = ""
    channel: str = "counter"
    form_data: str = Field("{}", description="Nội dung tờ khai: một đối tượng JSON {mã trường: giá trị}.")


class TrackingIn(Schema):
    code: str = Field(max_length=60)
    contact: str = Field(max_length=254, description="Số điện thoại hoặc thư điện tử đã khai khi nộp hồ sơ.")


class TrackingEventOut(Schema):
    at: dt.datetime
    label: str
    status: str
    reason: str


class TrackingOut(Schema):
    code: str
    procedure_name: str
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    appointment_at: dt.datetime | None
    finished_at: dt.datetime | None
    events: list[TrackingEventOut]
