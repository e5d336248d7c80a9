"""One-stop API (mounted at /api/v1/onestop): the procedure catalogue, dossiers and their actions, public tracking.

Procedures and tracking are public. Dossiers need a signed-in user or a token and are scoped like the officers'
pages: a dossier outside the caller's scope answers 404, as a missing one does. One schema per audience: an officer
reads a dossier as the officer's page shows it, its applicant as the applicant's page does (api_schemas.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Form, Query, Router, Schema
from ninja.responses import Status

from eprovince.core.api import ApiError, Id, api_user, paginated, require_auth
from eprovince.core.http import client_ip

from . import selectors
from .api_schemas import (
    ActionIn,
    ApologyIn,
    CounterIn,
    DossierDetailOut,
    DossierForCaller,
    DossierOut,
    FieldOut,
    ProcedureDetailOut,
    ProcedureOut,
    TrackingIn,
    TrackingOut,
)
from .errors import OneStopError
from .models import Procedure, RequiredDocument
from .services.dossiers import Upload, dossier_act, dossier_issue_apology, dossier_receive_at_counter
from .throttle import tracking_attempt_allowed

router = Router(tags=["onestop"])


def _conflict(exc: OneStopError) -> ApiError:
    return ApiError(409, exc.code, exc.message)


# --- Catalogue -------------------------------------------------------------------------------------------------------


class ProcedureFilters(Schema):
    q: str = ""
    field: str = ""
    agency: Id | None = None


@router.get("/procedures", response=list[ProcedureOut], summary="Thủ tục hành chính đang áp dụng")
@paginated
def list_procedures(request: HttpRequest, filters: Query[ProcedureFilters]) -> Any:
    """`q`: tìm không dấu theo tên, lĩnh vực, cơ quan, mã thủ tục hoặc tên kết quả (mọi từ, không kể thứ tự; khớp
    tên trước); `field`: mã lĩnh vực; `agency`: cơ quan tiếp nhận hoặc giải quyết."""
    return selectors.public_procedures(q=filters.q, field=filters.field, agency=filters.agency)


@router.get("/fields", response=list[FieldOut], summary="Lĩnh vực có thủ tục đang áp dụng")
def list_fields(request: HttpRequest) -> Any:
    return selectors.catalogue_fields()


@router.get("/procedures/{code}", response=ProcedureDetailOut, summary="Một thủ tục: giấy tờ, tờ khai, quy trình")
def get_procedure(request: HttpRequest, code: str) -> Any:
    procedure = selectors.public_procedure(code)
    if procedure is None:
        raise Http404
    return procedure


# --- Dossiers --------------------------------------------------------------------------------------------------------


class DossierFiltersIn(Schema):
    queue: str = "all"
    q: str = ""
    code: str = ""
    procedure: str = ""
    status: str = ""
    channel: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None


@router.get("/dossiers", response=list[DossierOut], auth=require_auth, summary="Hồ sơ trong phạm vi của người gọi")
@paginated
def list_dossiers(request: HttpRequest, filters: Query[DossierFiltersIn]) -> Any:
    """Hàng đợi của cán bộ. `queue`: new (chờ tôi xử lý), due_soon, overdue, waiting (chờ bổ sung) hoặc all; `q`: tìm
    không dấu theo mã, tên người nộp; `procedure`: mã thủ tục. Người nộp xem hồ sơ của mình tại /dossiers/{id}."""
    if filters.queue not in selectors.QUEUES:
        raise ValidationError({"queue": _("Hàng đợi không hợp lệ.")})
    procedure_id = None
    if filters.procedure:
        procedure_id = Procedure.objects.filter(national_code=filters.procedure).values_list("pk", flat=True).first() or -1
    f = selectors.DossierFilters(
        q=filters.q, code=filters.code, procedure=procedure_id, status=filters.status, channel=filters.channel,
        received_from=filters.received_from, received_to=filters.received_to,
    )  # fmt: skip
    return selectors.dossier_queue(api_user(request), filters.queue, f)


@router.get(
    "/dossiers/{dossier_id}", response=DossierForCaller, auth=require_auth, summary="Một hồ sơ, lịch sử và thao tác được phép"
)
def get_dossier(request: HttpRequest, dossier_id: Id) -> Any:
    """Cán bộ nhận hồ sơ như trang cán bộ (`audience` = officer: lịch sử đầy đủ, tệp dành cho đơn vị mình, thao tác
    được phép); người nộp nhận hồ sơ của chính mình đúng như trang "Hồ sơ của tôi" (`audience` = applicant: không có
    ý kiến nội bộ, tên cán bộ hay tệp nội bộ)."""
    user = api_user(request)
    dossier = selectors.officer_dossier_or_none(user, dossier_id)
    if dossier is not None:
        return dossier
    return selectors.applicant_view(selectors.applicant_dossier_by_id(user, dossier_id))


def _uploads_for(request: HttpRequest, procedure: Procedure) -> list[Upload]:
    documents = {f"document_{d.pk}": d for d in RequiredDocument.objects.filter(procedure=procedure)}
    uploads: list[Upload] = []
    for name in request.FILES:
        items = request.FILES.getlist(name)
        if name in documents:
            uploads.extend(Upload(file=f, document=documents[name]) for f in items)
        elif name.startswith("field_"):
            uploads.extend(Upload(file=f, field_key=name.removeprefix("field_")) for f in items)
        else:
            raise ValidationError({name: _("Phần tệp không hợp lệ: dùng document_<mã giấy tờ> hoặc field_<mã trường>.")})
    return uploads


@router.post("/dossiers", response={201: DossierDetailOut}, auth=require_auth, summary="Tiếp nhận hồ sơ tại bộ phận một cửa")
def create_dossier(request: HttpRequest, payload: Form[CounterIn]) -> Any:
    """Gửi dạng multipart/form-data. Tệp của từng thành phần hồ sơ gửi trong phần `document_<id>` (id trong chi tiết thủ
    tục), tệp của trường tờ khai kiểu tệp trong phần `field_<mã trường>`; `form_data` là đối tượng JSON."""
    procedure = get_object_or_404(
        Procedure.objects.select_related("receiving_agency", "handling_agency"), national_code=payload.procedure
    )
    try:
        form_data = json.loads(payload.form_data or "{}")
    except json.JSONDecodeError:
        raise ValidationError({"form_data": _("Nội dung tờ khai phải là một đối tượng JSON.")}) from None
    if not isinstance(form_data, dict):
        raise ValidationError({"form_data": _("Nội dung tờ khai phải là một đối tượng JSON.")})
    dossier = dossier_receive_at_counter(
        acting_user=api_user(request), procedure=procedure, form_data=form_data, uploads=_uploads_for(request, procedure),
        channel=payload.channel, applicant_name=payload.applicant_name, applicant_phone=payload.applicant_phone,
        applicant_email=payload.applicant_email, applicant_id_number=payload.applicant_id_number,
        applicant_address=payload.applicant_address,
    )  # fmt: skip
    return Status(201, selectors.dossier_for_user(api_user(request), dossier.pk))


@router.post(
    "/dossiers/{dossier_id}/actions", response=DossierDetailOut, auth=require_auth, summary="Thực hiện một thao tác xử lý"
)
def act_on_dossier(request: HttpRequest, dossier_id: Id, payload: Form[ActionIn]) -> Any:
    """Gửi dạng multipart/form-data (tệp đính kèm trong các phần `files`). 409 `stale_version` nếu hồ sơ đã đổi phiên
    bản, 409 `action_not_allowed` nếu thao tác không có ở bước hiện tại, 403 nếu không có vai trò."""
    user = api_user(request)
    dossier = selectors.dossier_for_user(user, dossier_id)
    try:
        updated = dossier_act(
            dossier=dossier, action_code=payload.action, acting_user=user, reason=payload.reason,
            uploads=[Upload(file=f) for f in request.FILES.getlist("files")], expected_version=payload.expected_version,
            site_url=request.build_absolute_uri("/"),
        )  # fmt: skip
    except OneStopError as exc:
        raise _conflict(exc) from None
    return selectors.dossier_for_user(user, updated.pk)


@router.post(
    "/dossiers/{dossier_id}/apology", response=DossierDetailOut, auth=require_auth, summary="Xin lỗi và hẹn lại ngày trả"
)
def apologise(request: HttpRequest, dossier_id: Id, payload: ApologyIn) -> Any:
    user = api_user(request)
    dossier = selectors.dossier_for_user(user, dossier_id)
    try:
        dossier_issue_apology(
            dossier=dossier, acting_user=user, reason=payload.reason, new_due_date=payload.new_due_date,
            expected_version=payload.expected_version,
        )  # fmt: skip
    except OneStopError as exc:
        raise _conflict(exc) from None
    return selectors.dossier_for_user(user, dossier.pk)


# --- Public tracking -------------------------------------------------------------------------------------------------


@router.post("/tracking", response=TrackingOut, summary="Tra cứu hồ sơ bằng mã và số điện thoại hoặc thư điện tử")
def track(request: HttpRequest, payload: TrackingIn) -> Any:
    """Không cần tài khoản. Mã sai và mã đúng nhưng thông tin liên hệ sai đều trả về 404 như nhau; số lần tra cứu
    từ một địa chỉ bị giới hạn (429)."""
    if not tracking_attempt_allowed(client_ip(request)):
        raise ApiError(429, "throttled", _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút."))
    dossier = selectors.track_dossier(payload.code, payload.contact)
    if dossier is None:
        raise ApiError(404, "not_found", _("Không tìm thấy hồ sơ với mã và thông tin liên hệ đã nhập."))
    return {
        "code": dossier.code, "procedure_name": dossier.procedure.name, "status": dossier.status,
        "status_label": str(dossier.get_status_display()), "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at, "appointment_at": dossier.appointment_at, "finished_at": dossier.finished_at,
        "events": [
            {"at": e.created_at, "label": e.label, "status": e.to_status, "reason": e.reason} for e in selectors.public_events(dossier)
        ],
    }  # fmt: skip
