"""Writes of dossiers: reception at the counter, drafts and online submission, process actions, apologies.

Each service is keyword-only, runs in one transaction, writes the dossier's history (DossierEvent) and the core
audit trail in it. Uploaded files are checked from their content before anything is written, so a refused file
leaves nothing behind. `now` exists for imports and demo data; interface code never passes it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import User
from eprovince.core.services.audit import audit_record
from eprovince.core.text import fold

from .. import deadlines, notifications, numbering, outbox, workflow
from ..constants import Channel, DossierStatus, FileKind
from ..errors import StaleDossier
from ..models import Dossier, DossierEvent, DossierFile, FormField, Procedure, RequiredDocument
from ..permissions import can_issue_apology, can_receive_at_counter
from ..validators import CheckedFile, check_upload, normalise_phone, validate_form_data
from .payments import payment_open
from .results import has_result_template, result_generate, result_record_signed

_AUDIT_FIELDS = ("code", "status", "current_step_id", "received_at", "due_at", "finished_at", "version")
_APPLICANT_FIELDS = ("applicant_name", "applicant_phone", "applicant_email", "applicant_id_number", "applicant_address")


@dataclass(frozen=True)
class Upload:
    """A file sent with a dossier: for a required document, for a file field of the form, or for an action."""

    file: UploadedFile
    document: RequiredDocument | None = None
    field_key: str = ""


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _state(dossier: Dossier) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "status": dossier.status,
        "current_step_id": dossier.current_step_id,
        "received_at": dossier.received_at.isoformat() if dossier.received_at else None,
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
        "finished_at": dossier.finished_at.isoformat() if dossier.finished_at else None,
        "version": dossier.version,
    }


def _check_uploads(uploads: Sequence[Upload]) -> list[tuple[Upload, CheckedFile]]:
    """Every file checked before anything is written; all the problems reported at once."""
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload.file)))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"files": errors})
    return checked


def _store(
    dossier: Dossier, checked: list[tuple[Upload, CheckedFile]], *, kind: str, event: DossierEvent | None, user: User | None
) -> list[DossierFile]:
    stored = []
    for upload, info in checked:
        item = DossierFile(
            dossier=dossier, event=event, kind=kind, document=upload.document, field_key=upload.field_key,
            original_name=(upload.file.name or "")[-255:], content_type=info.content_type, size=info.size,
            sha256=info.sha256, uploaded_by=user,
        )  # fmt: skip
        item.file.save(upload.file.name or "tep", upload.file, save=False)
        item.save()
        stored.append(item)
    return stored


def _record(
    dossier: Dossier,
    *,
    actor: User | None,
    action: str,
    label: str,
    transition: workflow.Transition | None,
    reason: str = "",
    now: dt.datetime,
    portal: bool = True,
) -> DossierEvent:
    """The dossier's history row and (unless `portal` is False: the caller then calls outbox.record itself, once the
    dossier has its code) the national portal's event, in the caller's transaction."""
    event = DossierEvent(
        dossier=dossier, created_at=now, actor=actor if actor and actor.is_authenticated else None,
        actor_name=str(actor) if actor and actor.is_authenticated else "", action=action, label=label[:200],
        organisation_id=dossier.current_organisation_id or dossier.receiving_agency_id, reason=reason, due_at=dossier.due_at,
    )  # fmt: skip
    if transition is not None:
        event.from_status, event.to_status = transition.from_status, transition.to_status
        event.from_step, event.to_step = transition.from_step, transition.to_step
        event.from_step_name = transition.from_step.name if transition.from_step else ""
        event.to_step_name = transition.to_step.name if transition.to_step else ""
    else:
        event.from_status = event.to_status = dossier.status
    event.save()
    if portal:
        outbox.record(dossier, event)  # the national portal's event, in this same transaction
    return event


def _search_text(dossier: Dossier) -> str:
    phone = normalise_phone(dossier.applicant_phone)
    return fold(f"{dossier.code} {dossier.applicant_name} {dossier.applicant_id_number} {phone}")[:400]


def _missing_documents(
    procedure: Procedure, documents: set[int], required: Sequence[RequiredDocument] | None = None
) -> list[str]:
    return [
        _("Thiếu thành phần hồ sơ bắt buộc: %(name)s.") % {"name": doc.name}
        for doc in (procedure.documents.all() if required is None else required)
        if doc.is_required and doc.pk not in documents
    ]


def _validate_application(
    procedure: Procedure,
    form_data: dict[str, Any] | None,
    uploads: Sequence[Upload],
    *,
    existing: Sequence[DossierFile] = (),
    fields: Sequence[FormField] | None = None,
    documents: Sequence[RequiredDocument] | None = None,
) -> dict[str, Any]:
    """The checked answers; raises one ValidationError listing every problem (form fields, documents). `fields` and
    `documents`, the procedure's form fields and required documents when the caller has already read them."""
    errors: dict[str, list[str]] = {}
    file_keys = {u.field_key for u in uploads if u.field_key} | {f.field_key for f in existing if f.field_key}
    cleaned: dict[str, Any] = {}
    try:
        cleaned = validate_form_data(procedure.form_fields.all() if fields is None else fields, form_data, file_keys=file_keys)
    except ValidationError as exc:
        errors.update({f"form_data.{k}": v for k, v in exc.message_dict.items()})
    present = {u.document.pk for u in uploads if u.document} | {f.document_id for f in existing if f.document_id}
    if missing := _missing_documents(procedure, present, documents):
        errors["documents"] = missing
    foreign = [u.document.name for u in uploads if u.document and u.document.procedure_id != procedure.pk]
    if foreign:
        errors.setdefault("documents", []).append(_("Giấy tờ không thuộc thủ tục này."))
    if errors:
        raise ValidationError(errors)
    return cleaned


_LOCK_RELATED = ("procedure", "current_step", "current_organisation", "receiving_agency", "handling_agency")


def _locked(dossier: Dossier, related: Sequence[str] = _LOCK_RELATED) -> Dossier:
    """The dossier read again and locked (SELECT … FOR UPDATE of its row only) with the relations `related` names
    (select_related paths; by default its procedure, its step and organisation, its agencies)."""
    return Dossier.objects.select_for_update(of=("self",)).select_related(*related).get(pk=dossier.pk)


def _check_version(locked: Dossier, expected_version: int | None) -> None:
    if expected_version is not None and locked.version != expected_version:
        raise StaleDossier(
            _("Hồ sơ %(code)s vừa được người khác cập nhật (trạng thái hiện tại: %(status)s). Thao tác của bạn chưa được "
              "thực hiện; vui lòng tải lại trang để xem tình trạng mới nhất.")
            % {"code": locked.code, "status": locked.get_status_display()}
        )  # fmt: skip


# Foreign keys are set from loaded objects and JSON fields by the services themselves: not validated again (each
# would cost a query); the code's uniqueness is guaranteed by the counter and enforced by the database.
_NOT_CLEANED = (
    "form_data", "pauses", "procedure", "receiving_agency", "handling_agency", "applicant", "current_step",
    "current_organisation", "apology_by", "created_by",
)  # fmt: skip


def _finish_save(dossier: Dossier) -> None:
    dossier.search_text = _search_text(dossier)
    dossier.full_clean(exclude=_NOT_CLEANED, validate_unique=False, validate_constraints=False)
    dossier.save()


# What a draft's submission may change (the rest of the row is as the applicant saved it, and the row is locked).
_SUBMISSION_FIELDS = (
    "code", "search_text", "form_data", "submitted_at", "status", "version", "current_step", "current_role",
    "current_organisation", "step_entered_at", "step_due_at", "received_at", "due_at",
)  # fmt: skip


def _provisional_code() -> str:
    return f"~{uuid.uuid4().hex}"


def _assign_code(dossier: Dossier, now: dt.datetime) -> None:
    """The dossier's real code, drawn as the last write before the audit row: the agency's counter row stays locked
    (SELECT … FOR UPDATE) from here to the commit only, so concurrent submissions wait for each other briefly."""
    dossier.code = numbering.next_code(dossier.receiving_agency, timezone.localdate(now))
    dossier.search_text = _search_text(dossier)
    Dossier.objects.filter(pk=dossier.pk).update(code=dossier.code, search_text=dossier.search_text)
    outbox.code_assigned(dossier)


# --- Reception at the counter ----------------------------------------------------------------------------------------


@transaction.atomic
def dossier_receive_at_counter(
    *,
    acting_user: User,
    procedure: Procedure,
    applicant_name: str,
    applicant_phone: str = "",
    applicant_email: str = "",
    applicant_id_number: str = "",
    applicant_address: str = "",
    form_data: dict[str, Any] | None = None,
    uploads: Sequence[Upload] = (),
    channel: str = Channel.COUNTER,
    applicant: User | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """A clerk registers a complete dossier brought to the counter (or received by post): it gets its code, is
    received now (the deadline starts) and, if the first step has an action that receives dossiers which the clerk
    may do, is passed on through it straight away."""
    if not can_receive_at_counter(acting_user, procedure):
        raise PermissionDenied(_("Chỉ cán bộ một cửa của cơ quan tiếp nhận mới được tiếp nhận hồ sơ của thủ tục này."))
    if not procedure.is_active:
        raise ValidationError(_("Thủ tục này đã ngừng áp dụng."))
    if channel not in (Channel.COUNTER, Channel.POST):
        raise ValidationError({"channel": _("Hồ sơ tiếp nhận tại bộ phận một cửa phải nộp trực tiếp hoặc qua bưu chính.")})
    now = _now(now)
    cleaned = _validate_application(procedure, form_data, uploads)
    checked = _check_uploads(uploads)
    dossier = Dossier(
        procedure=procedure, receiving_agency=procedure.receiving_agency, handling_agency=procedure.handling_agency,
        applicant=applicant, applicant_name=applicant_name.strip(), applicant_phone=applicant_phone.strip(),
        applicant_email=applicant_email.strip(), applicant_id_number=applicant_id_number.strip(),
        applicant_address=applicant_address.strip(), channel=channel, form_data=cleaned, created_by=acting_user,
    )  # fmt: skip
    dossier.code = _provisional_code()
    transition = workflow.enter_process(dossier, now=now, received=True)
    _finish_save(dossier)
    event = _record(dossier, actor=acting_user, action="receive", label=_("Tiếp nhận hồ sơ tại bộ phận một cửa"),
                    transition=transition, now=now)  # fmt: skip
    _store(dossier, checked, kind=FileKind.APPLICATION, event=event, user=acting_user)
    onward = [
        a for a in workflow.available_actions(dossier, acting_user) if a.starts_clock and not workflow.payment_blocked(dossier, a)
    ]
    if len(onward) == 1:
        action = onward[0]
        transition = workflow.apply(dossier, action, now=now)
        dossier.version += 1
        _finish_save(dossier)
        _record(dossier, actor=acting_user, action=action.code, label=action.label, transition=transition, now=now)
    _assign_code(dossier, now)
    payment_open(dossier=dossier, acting_user=acting_user)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=dossier, after=_state(dossier))
    return dossier


# --- Online: drafts and submission -----------------------------------------------------------------------------------


def _require_applicant(dossier: Dossier, user: User) -> None:
    if dossier.applicant_id is None or dossier.applicant_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Chỉ người nộp mới được sửa hồ sơ này."))


@transaction.atomic
def dossier_draft_create(
    *, acting_user: User, procedure: Procedure, form_data: dict[str, Any] | None = None, **applicant: str
) -> Dossier:
    """A draft of an online application by a signed-in citizen or business; answers may be incomplete."""
    unknown = set(applicant) - set(_APPLICANT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown applicant fields: {sorted(unknown)}")
    if not getattr(acting_user, "is_authenticated", False):
        raise PermissionDenied(_("Vui lòng đăng nhập để nộp hồ sơ trực tuyến."))
    if not procedure.is_active or not procedure.accepts_online:
        raise ValidationError(_("Thủ tục này không nhận hồ sơ trực tuyến."))
    cleaned = validate_form_data(procedure.form_fields.all(), form_data, partial=True)
    dossier = Dossier(
        procedure=procedure, receiving_agency=procedure.receiving_agency, handling_agency=procedure.handling_agency,
        applicant=acting_user, channel=Channel.ONLINE, status=DossierStatus.DRAFT, form_data=cleaned, created_by=acting_user,
        **{k: v.strip() for k, v in applicant.items()},
    )  # fmt: skip
    if not dossier.applicant_name:
        dossier.applicant_name = str(acting_user)
    if not dossier.applicant_email:
        dossier.applicant_email = acting_user.email
    _finish_save(dossier)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=dossier, after=_state(dossier))
    return dossier


@transaction.atomic
def dossier_file_add(*, dossier: Dossier, acting_user: User, upload: Upload) -> DossierFile:
    """Attach a file to the applicant's own draft."""
    locked = _locked(dossier)
    _require_applicant(locked, acting_user)
    if locked.status != DossierStatus.DRAFT:
        raise ValidationError(_("Hồ sơ đã nộp, không thể thêm tệp vào thành phần hồ sơ."))
    if upload.document is not None and upload.document.procedure_id != locked.procedure_id:
        raise ValidationError(_("Giấy tờ không thuộc thủ tục này."))
    checked = _check_uploads([upload])
    return _store(locked, checked, kind=FileKind.APPLICATION, event=None, user=acting_user)[0]


@transaction.atomic
def dossier_submit_online(*, dossier: Dossier, acting_user: User, now: dt.datetime | None = None) -> Dossier:
    """Submit the applicant's draft: every answer and required document checked, a code given; the dossier then
    waits at the first step for a clerk to receive it (the deadline starts then)."""
    return _submit_draft(_locked(dossier), acting_user=acting_user, now=now)


def _submit_draft(
    locked: Dossier,
    *,
    acting_user: User,
    now: dt.datetime | None,
    files: Sequence[DossierFile] | None = None,
    fields: Sequence[FormField] | None = None,
    documents: Sequence[RequiredDocument] | None = None,
) -> Dossier:
    """dossier_submit_online on a draft already locked in the caller's transaction; the caller may pass the draft's
    files and the procedure's form fields and required documents it has just read (each otherwise costs a query)."""
    _require_applicant(locked, acting_user)
    if locked.status != DossierStatus.DRAFT:
        raise ValidationError(_("Hồ sơ đã được nộp."))
    if not locked.procedure.is_active or not locked.procedure.accepts_online:
        raise ValidationError(_("Thủ tục này không nhận hồ sơ trực tuyến."))
    now = _now(now)
    existing = list(locked.files.all()) if files is None else files
    locked.form_data = _validate_application(
        locked.procedure, locked.form_data, (), existing=existing, fields=fields, documents=documents
    )
    locked.submitted_at = now
    transition = workflow.enter_process(locked, now=now, received=False)
    locked.version += 1
    locked.full_clean(exclude=(*_NOT_CLEANED, "code"), validate_unique=False, validate_constraints=False)
    # The history row carries no code: written before the number is drawn.
    event = _record(
        locked, actor=acting_user, action="submit", label=_("Nộp hồ sơ trực tuyến"), transition=transition, now=now,
        portal=False,
    )  # fmt: skip
    # The code, drawn as late as possible: the agency's counter row stays locked from here to the commit, so only the
    # writes that carry the code follow (the dossier, written once, the portal's event, the fee, the audit row).
    locked.code = numbering.next_code(locked.receiving_agency, timezone.localdate(now))
    locked.search_text = _search_text(locked)
    locked.save(update_fields=_SUBMISSION_FIELDS)
    outbox.record(locked, event)
    payment_open(dossier=locked, acting_user=acting_user)
    audit_record(actor=acting_user, action=AuditAction.TRANSITION, obj=locked, after=_state(locked))
    return locked


# --- Process actions --------------------------------------------------------------------------------------------------


@transaction.atomic
def dossier_act(
    *,
    dossier: Dossier,
    action_code: str,
    acting_user: User,
    reason: str = "",
    uploads: Sequence[Upload] = (),
    expected_version: int | None = None,
    now: dt.datetime | None = None,
    site_url: str = "",
) -> Dossier:
    """Carry out the process action `action_code` on the dossier as `acting_user`.

    Issuing the result with no file attached generates it from the procedure's result template when it has one
    (services/results.py; `site_url` is the address its verification QR code points to).

    Raises StaleDossier if `expected_version` is given and another action came first, ActionNotAllowed if the action
    is not available in the dossier's current step and state, PermissionDenied if the user lacks the action's role
    where the dossier stands, ValidationError for a missing reason or file, or a refused file."""
    checked = _check_uploads(uploads)
    locked = _locked(dossier)
    _check_version(locked, expected_version)
    action = workflow.find_action(locked, action_code, acting_user)
    reason = reason.strip()
    if action.requires_reason and not reason:
        raise ValidationError(
            {"reason": _("Vui lòng nêu lý do hoặc nội dung cho thao tác “%(label)s”.") % {"label": action.label}}
        )
    generate = action.code == "issue_result" and not checked and has_result_template(locked.procedure_id)
    if action.requires_file and not checked and not generate:
        raise ValidationError({"files": _("Thao tác “%(label)s” cần đính kèm ít nhất một tệp.") % {"label": action.label}})
    now = _now(now)
    before = _state(locked)
    previous_status = locked.status
    transition = workflow.apply(locked, action, now=now)
    locked.version += 1
    _finish_save(locked)
    event = _record(
        locked, actor=acting_user, action=action.code, label=action.label, transition=transition, reason=reason, now=now
    )
    kind = FileKind.RESULT if action.code == "issue_result" else FileKind.SUPPLEMENT if action.resumes_clock else FileKind.OPINION
    stored = _store(locked, checked, kind=kind, event=event, user=acting_user)
    if generate:
        result_generate(dossier=locked, event=event, acting_user=acting_user, now=now, site_url=site_url)
    elif action.code == "issue_result" and stored:  # the signed file uploaded: its verification record
        result_record_signed(dossier=locked, event=event, file=stored[0], acting_user=acting_user, now=now)
    audit_record(actor=acting_user, action=AuditAction.TRANSITION, obj=locked, before=before, after=_state(locked), reason=reason)
    notifications.status_changed(locked, previous_status=previous_status, reason=reason, site_url=site_url)
    return locked


def apology_refusal(dossier: Dossier, *, now: dt.datetime | None = None) -> str | None:
    """Why the apology and new appointment (form 04) cannot be issued for `dossier` now; None when it can: the
    dossier is in process with a running deadline, due soon (within the configured working days) or overdue
    (Decree 61/2018, art. 19: the apology comes before the deadline passes, or once it has), and has had none yet.
    Who may issue it: permissions.can_issue_apology (the handling agency)."""
    now = _now(now)
    if dossier.is_final or dossier.status == DossierStatus.DRAFT:
        return _("Hồ sơ không còn trong quá trình giải quyết.")
    if dossier.apology_at is not None:
        return _("Hồ sơ này đã được hẹn lại ngày trả kết quả một lần; chỉ được hẹn lại một lần.")
    if dossier.due_at is None:
        return _("Hồ sơ chưa có hạn giải quyết (chưa tiếp nhận hoặc đang chờ bổ sung).")
    if dossier.due_at > deadlines.due_soon_limit(now):
        return _("Hồ sơ chưa sắp đến hạn (hạn giải quyết %(due)s): chỉ xin lỗi và hẹn lại khi hồ sơ sắp đến hạn hoặc đã "
                 "quá hạn.") % {"due": timezone.localtime(dossier.due_at).strftime("%d/%m/%Y")}  # fmt: skip
    return None


def may_issue_apology(user: Any, dossier: Dossier, *, now: dt.datetime | None = None) -> bool:
    """Offer the apology to `user` on this dossier now? The service's own rule (permission, then state)."""
    return can_issue_apology(user, dossier) and apology_refusal(dossier, now=now) is None


@transaction.atomic
def dossier_issue_apology(
    *,
    dossier: Dossier,
    acting_user: User,
    reason: str,
    new_due_date: dt.date,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The apology and new appointment (form 04), by the handling agency, once per dossier, when it is due soon or
    overdue (apology_refusal), with a reason and a later working day; the dossier is then due at the close of that
    day (the legal due date is kept for the statistics). Page and API both come here."""
    locked = _locked(dossier)
    _check_version(locked, expected_version)
    if not can_issue_apology(acting_user, locked):
        raise PermissionDenied(_("Chỉ cơ quan giải quyết hồ sơ mới được gửi thư xin lỗi và hẹn lại ngày trả kết quả."))
    now = _now(now)
    errors: dict[str, str] = {}
    if (refusal := apology_refusal(locked, now=now)) is not None:
        raise ValidationError(refusal)
    assert locked.due_at is not None  # apology_refusal checked it
    if not reason.strip():
        errors["reason"] = _("Vui lòng nêu lý do chậm trả kết quả.")
    new_due = deadlines.close_of_working_day(new_due_date)
    if new_due is None:
        errors["new_due_date"] = _("Ngày hẹn mới phải là một ngày làm việc.")
    elif new_due <= max(locked.due_at, now):
        errors["new_due_date"] = _("Ngày hẹn mới phải sau hạn giải quyết hiện tại (%(due)s).") % {
            "due": timezone.localtime(locked.due_at).strftime("%d/%m/%Y")
        }  # fmt: skip
    if errors or new_due is None:
        raise ValidationError(errors)
    before = _state(locked)
    locked.apology_at, locked.apology_by, locked.apology_reason = now, acting_user, reason.strip()
    locked.apology_due_at = new_due
    locked.version += 1
    _finish_save(locked)
    label = _("Xin lỗi và hẹn lại ngày trả kết quả: %(date)s") % {"date": new_due_date.strftime("%d/%m/%Y")}
    _record(locked, actor=acting_user, action="apology", label=label, transition=None, reason=reason.strip(), now=now)
    audit_record(actor=acting_user, action=AuditAction.UPDATE, obj=locked, before=before,
                 after={**_state(locked), "apology_due_at": new_due.isoformat()}, reason=reason.strip())  # fmt: skip
    notifications.apology_issued(locked)
    return locked
