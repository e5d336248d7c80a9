"""Schemas of the one-stop API (see api.py).

One schema per audience: an officer reads a dossier through DossierDetailOut (the whole dossier as the officer's
page shows it, with the files meant for the officer), the applicant reads their own through ApplicantDossierOut,
exactly what the applicant's page "Hồ sơ của tôi" shows (selectors.applicant_view: public events with the reasons
meant for the applicant, no officers' names, no internal notes or files). `audience` tells them apart in the
OpenAPI schema (one of the two)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import Discriminator, Tag

from eprovince.core.api import api_user

from . import deadlines
from .documents import form_of
from .models import Dossier, DossierEvent, DossierFile, Procedure, ResultDocument
from .selectors import ApplicantView, OfficerView, officer_view
from .services.payments import payment_info, payment_of
from .workflow import available_actions


class FieldOut(Schema):
    code: str
    name: str


class AgencyRef(Schema):
    id: int
    name: str
    electronic_code: str


class ProcedureOut(Schema):
    national_code: str
    name: str
    field: FieldOut
    receiving_agency: AgencyRef
    handling_agency: AgencyRef
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


def _officer_view(obj: Dossier, context: dict[str, Any]) -> OfficerView:
    """The officer's view of `obj` (events and files meant for the caller), read once per response."""
    request = context["request"]
    memo = request.__dict__.setdefault("_onestop_officer_view", {})
    if obj.pk not in memo:
        memo[obj.pk] = officer_view(api_user(request), obj)
    view: OfficerView = memo[obj.pk]
    return view


class DossierDetailOut(DossierOut):
    audience: Literal["officer"] = Field("officer", description="officer: hồ sơ như cán bộ xem (trang cán bộ).")
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
    def resolve_events(obj: Dossier, context: dict[str, Any]) -> list[DossierEvent]:
        return _officer_view(obj, context).events

    @staticmethod
    def resolve_files(obj: Dossier, context: dict[str, Any]) -> list[DossierFile]:
        return _officer_view(obj, context).files

    @staticmethod
    def resolve_allowed_actions(obj: Dossier, context: dict[str, Any]) -> list[Any]:
        return available_actions(obj, api_user(context["request"]))


# --- The applicant's own dossier ---------------------------------------------------------------------------------


class ApplicantAgencyOut(Schema):
    name: str
    phone: str


class ApplicantEventOut(Schema):
    at: dt.datetime
    label: str
    organisation_name: str | None = Field(description="Cơ quan, đơn vị nơi hồ sơ đến sau sự kiện.")
    status: str = Field(description="Trạng thái hồ sơ sau sự kiện.")
    status_label: str
    reason: str = Field(
        description="Nội dung gửi người nộp (yêu cầu bổ sung, từ chối, rút hồ sơ, xin lỗi); rỗng với các sự kiện khác."
    )
    form_url: str | None = Field(description="Phiếu của sự kiện (mẫu 02, 03 hoặc 04, PDF), nếu có.")

    @staticmethod
    def resolve_at(obj: DossierEvent) -> dt.datetime:
        return obj.created_at

    @staticmethod
    def resolve_organisation_name(obj: DossierEvent) -> str | None:
        return obj.organisation.name if obj.organisation else None

    @staticmethod
    def resolve_status(obj: DossierEvent) -> str:
        return obj.to_status

    @staticmethod
    def resolve_status_label(obj: DossierEvent) -> str:
        return str(obj.get_to_status_display())

    @staticmethod
    def resolve_form_url(obj: DossierEvent) -> str | None:
        if form_of(obj) is None:
            return None
        return reverse("onestop:my_form", args=[obj.dossier.code, obj.pk])


class ApplicantFileOut(Schema):
    id: int
    kind: str = Field(description="application: thành phần hồ sơ; supplement: hồ sơ bổ sung; result: kết quả.")
    original_name: str
    document_name: str | None = Field(description="Thành phần hồ sơ của tệp, nếu có.")
    size: int
    url: str

    @staticmethod
    def resolve_document_name(obj: DossierFile) -> str | None:
        return obj.document.name if obj.document else None

    @staticmethod
    def resolve_url(obj: DossierFile) -> str:
        return reverse("onestop:my_file", args=[obj.pk])


class ApplicantResultDocumentOut(Schema):
    number: str
    verify_url: str = Field(description="Trang xác thực công khai của văn bản kết quả.")

    @staticmethod
    def resolve_verify_url(obj: ResultDocument) -> str:
        return reverse("onestop:verify_result", args=[obj.token])


class ApplicantSupplementOut(Schema):
    requested_at: dt.datetime
    reason: str = Field(description="Nội dung cần bổ sung.")

    @staticmethod
    def resolve_requested_at(obj: DossierEvent) -> dt.datetime:
        return obj.created_at


class ApplicantAccountOut(Schema):
    bank_name: str
    account_number: str
    account_name: str


class ApplicantPaymentOut(Schema):
    amount: int = Field(description="Phí, lệ phí phải nộp (đồng).")
    description: str
    status: str = Field(description="pending: chưa nộp; confirmed: cơ quan đã xác nhận thu.")
    status_label: str
    reference: str = Field(description="Nội dung chuyển khoản (chứa mã hồ sơ), khi còn phải nộp qua tài khoản; rỗng nếu không.")
    method_label: str
    confirmed_at: dt.datetime | None
    account: ApplicantAccountOut | None = Field(description="Tài khoản nhận chuyển khoản, khi còn phải nộp.")
    vietqr_payload: str = Field(description="Nội dung mã VietQR (NAPAS 247), khi còn phải nộp; rỗng nếu không.")

    @staticmethod
    def resolve_amount(obj: Any) -> int:
        return int(obj.payment.amount)

    @staticmethod
    def resolve_description(obj: Any) -> str:
        return str(obj.payment.description)

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj.payment.status)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.payment.get_status_display())

    @staticmethod
    def resolve_reference(obj: Any) -> str:
        return str(obj.payment.reference) if obj.is_due and obj.account else ""

    @staticmethod
    def resolve_method_label(obj: Any) -> str:
        return str(obj.payment.get_method_display()) if obj.payment.method else ""

    @staticmethod
    def resolve_confirmed_at(obj: Any) -> dt.datetime | None:
        confirmed: dt.datetime | None = obj.payment.confirmed_at
        return confirmed

    @staticmethod
    def resolve_account(obj: Any) -> Any:
        return obj.account if obj.is_due and obj.account else None

    @staticmethod
    def resolve_vietqr_payload(obj: Any) -> str:
        return str(obj.payload) if obj.is_due and obj.account else ""


class ApplicantScoreOut(Schema):
    criterion: str
    score: int


class ApplicantRatingOut(Schema):
    scores: list[ApplicantScoreOut]
    average: float
    comment: str
    created_at: dt.datetime

    @staticmethod
    def resolve_scores(obj: Any) -> list[dict[str, Any]]:
        return [{"criterion": str(label), "score": score} for label, score in obj.scores()]


class ApplicantDossierOut(Schema):
    """The applicant's own dossier: what the page "Hồ sơ của tôi" shows, nothing more."""

    audience: Literal["applicant"] = Field(description="applicant: hồ sơ của chính người nộp (trang Hồ sơ của tôi).")
    id: int
    code: str
    procedure_code: str
    procedure_name: str
    status: str
    status_label: str
    receiving_agency: ApplicantAgencyOut
    applicant_name: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    finished_at: dt.datetime | None
    paused: bool = Field(description="Đang tạm dừng, chờ người nộp bổ sung hồ sơ.")
    expected_return_at: dt.datetime | None = Field(
        description="Ngày hẹn trả kết quả (dự kiến khi chưa tiếp nhận); null khi đã kết thúc hoặc đang tạm dừng."
    )
    apology_due_at: dt.datetime | None = Field(description="Ngày hẹn trả mới sau thư xin lỗi.")
    apology_reason: str
    supplement_request: ApplicantSupplementOut | None = Field(description="Yêu cầu bổ sung đang chờ người nộp.")
    events: list[ApplicantEventOut]
    files: list[ApplicantFileOut] = Field(description="Tệp người nộp đã nộp (thành phần hồ sơ, hồ sơ bổ sung).")
    results: list[ApplicantFileOut] = Field(description="Tệp kết quả, khi đã có kết quả.")
    result_documents: list[ApplicantResultDocumentOut]
    payment: ApplicantPaymentOut | None = Field(description="Phí, lệ phí; null nếu không thu phí.")
    rating: ApplicantRatingOut | None = Field(description="Đánh giá của người nộp, nếu đã đánh giá.")
    receipt_url: str = Field(description="Giấy tiếp nhận và hẹn trả kết quả (PDF).")

    @staticmethod
    def resolve_id(obj: ApplicantView) -> int:
        return int(obj.dossier.pk)

    @staticmethod
    def resolve_code(obj: ApplicantView) -> str:
        return obj.dossier.code

    @staticmethod
    def resolve_procedure_code(obj: ApplicantView) -> str:
        return obj.dossier.procedure.national_code

    @staticmethod
    def resolve_procedure_name(obj: ApplicantView) -> str:
        return obj.dossier.procedure.name

    @staticmethod
    def resolve_status(obj: ApplicantView) -> str:
        return obj.dossier.status

    @staticmethod
    def resolve_status_label(obj: ApplicantView) -> str:
        return str(obj.dossier.get_status_display())

    @staticmethod
    def resolve_receiving_agency(obj: ApplicantView) -> dict[str, str]:
        agency = obj.dossier.receiving_agency
        return {"name": agency.name, "phone": agency.phone}

    @staticmethod
    def resolve_applicant_name(obj: ApplicantView) -> str:
        return obj.dossier.applicant_name

    @staticmethod
    def resolve_submitted_at(obj: ApplicantView) -> dt.datetime | None:
        return obj.dossier.submitted_at

    @staticmethod
    def resolve_received_at(obj: ApplicantView) -> dt.datetime | None:
        return obj.dossier.received_at

    @staticmethod
    def resolve_finished_at(obj: ApplicantView) -> dt.datetime | None:
        return obj.dossier.finished_at

    @staticmethod
    def resolve_paused(obj: ApplicantView) -> bool:
        return obj.dossier.is_paused

    @staticmethod
    def resolve_expected_return_at(obj: ApplicantView) -> dt.datetime | None:
        return None if obj.dossier.is_final or obj.dossier.is_paused else obj.expected

    @staticmethod
    def resolve_apology_due_at(obj: ApplicantView) -> dt.datetime | None:
        return obj.dossier.apology_due_at

    @staticmethod
    def resolve_apology_reason(obj: ApplicantView) -> str:
        return obj.dossier.apology_reason

    @staticmethod
    def resolve_files(obj: ApplicantView) -> list[DossierFile]:
        return obj.own_files

    @staticmethod
    def resolve_result_documents(obj: ApplicantView) -> list[ResultDocument]:
        return list(ResultDocument.objects.filter(dossier_id=obj.dossier.pk).order_by("issued_at", "pk"))

    @staticmethod
    def resolve_payment(obj: ApplicantView) -> Any:
        return payment_info(obj.dossier)

    @staticmethod
    def resolve_receipt_url(obj: ApplicantView) -> str:
        return reverse("onestop:my_receipt", args=[obj.dossier.code])


def _audience(value: Any) -> str:
    """Which of the two schemas a value is for: an ApplicantView (or its schema) says "applicant", a Dossier none."""
    if isinstance(value, dict):
        return str(value.get("audience", "officer"))
    return str(getattr(value, "audience", "officer"))


# GET /dossiers/{id}: the officer's schema for an officer, the applicant's for the dossier's own applicant.
DossierForCaller = Annotated[
    Annotated[DossierDetailOut, Tag("officer")] | Annotated[ApplicantDossierOut, Tag("applicant")],
    Discriminator(_audience),
]


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
