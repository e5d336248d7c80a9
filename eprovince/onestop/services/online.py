"""Writes of the applicant's online journey: a draft started from a procedure and saved section by section with its
files, the submission (with the confirmation email), the answer to a request to supplement (which resumes the
deadline clock through the process's own action), and the satisfaction rating.

Every service checks everything before it writes and runs in one transaction: a refused file, an unfinished
section or a missing document leaves the draft as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import User
from eprovince.core.services.audit import audit_record

from .. import drafts, workflow
from ..constants import RATEABLE_STATUSES, RATING_CRITERIA, ActionCode, DossierStatus, FileKind, FormFieldPrefill
from ..errors import ActionNotAllowed
from ..models import Dossier, DossierFile, Procedure, SatisfactionRating
from ..permissions import may_apply_online
from ..selectors import expected_return, tracking_url
from ..tasks import email_on_commit
from ..validators import APPLICANT_LABELS, applicant_problems, validate_form_data
from .applicants import applicant_prefill
from .dossiers import (
    _LOCK_RELATED,
    Upload,
    _check_uploads,
    _check_version,
    _finish_save,
    _locked,
    _record,
    _require_applicant,
    _state,
    _store,
    _submit_draft,
    dossier_draft_create,
)

# What the submission reads with the draft (a draft has no step nor organisation yet): the procedure, the receiving
# agency with its numbering (pattern, daily or yearly counter: no query for it when the code is drawn), the handling
# agency (the portal's DonViXuLy when the first step names no organisation).
_SUBMISSION_RELATED = ("procedure", "receiving_agency__dossier_numbering", "handling_agency")


def _require_may_apply(user: User) -> None:
    if not may_apply_online(user):
        raise PermissionDenied(_("Vui lòng xác nhận địa chỉ thư điện tử (mở liên kết trong thư đã gửi) trước khi nộp hồ sơ."))


def _draft(dossier: Dossier, user: User, related: Sequence[str] = _LOCK_RELATED) -> Dossier:
    locked = _locked(dossier, related)
    _require_applicant(locked, user)
    if locked.status != DossierStatus.DRAFT:
        raise ValidationError(_("Hồ sơ đã được nộp, không thể sửa."))
    return locked


def _delete_stored(items: list[DossierFile]) -> None:
    names = [item.file.name for item in items]
    storage = items[0].file.storage if items else None
    for item in items:
        item.delete()
    if storage is not None:

        def remove() -> None:
            for name in names:
                if name:
                    storage.delete(name)

        transaction.on_commit(remove, robust=True)


@transaction.atomic
def dossier_draft_start(*, acting_user: User, procedure: Procedure) -> Dossier:
    """A new online draft of `procedure`, the applicant's details filled in from the account."""
    _require_may_apply(acting_user)
    prefill = applicant_prefill(acting_user)
    return dossier_draft_create(
        acting_user=acting_user, procedure=procedure, applicant_name=prefill["applicant_name"],
        applicant_phone=prefill["applicant_phone"], applicant_email=prefill["applicant_email"],
        applicant_id_number=prefill.get("applicant_id_number", ""), form_data=_prefilled_answers(procedure, prefill),
    )  # fmt: skip


def _prefilled_answers(procedure: Procedure, prefill: dict[str, str]) -> dict[str, Any]:
    """The answers of the form fields marked "filled in from the account" (FormField.prefill): the business's name
    and tax code for a business, the person's name for a citizen. A value the field would refuse is left out."""
    sources: dict[str, str] = {FormFieldPrefill.NAME: "applicant_name", FormFieldPrefill.ID_NUMBER: "applicant_id_number"}
    fields = [f for f in procedure.form_fields.all() if f.prefill in sources]
    answers = {f.key: prefill.get(sources[f.prefill], "") for f in fields}
    answers = {key: value for key, value in answers.items() if value}
    try:
        validate_form_data(fields, answers, partial=True)
    except ValidationError as exc:
        answers = {key: value for key, value in answers.items() if key not in exc.message_dict}
    return answers


@transaction.atomic
def dossier_draft_save(
    *,
    dossier: Dossier,
    acting_user: User,
    section: str,
    applicant: dict[str, str] | None = None,
    answers: dict[str, Any] | None = None,
    answer_keys: Collection[str] = (),
    uploads: Sequence[Upload] = (),
    complete: bool = False,
) -> Dossier:
    """Save one section of the applicant's draft: the applicant's details, the answers of the fields `answer_keys`
    (an answer left out is cleared) with files for file fields (replacing the field's earlier file), or files for
    required documents. With `complete` ("save and continue"), the section must have nothing missing; otherwise
    ("save and come back later") only malformed answers are refused. Raises one ValidationError listing every
    problem, keyed by applicant field, "form_data.<key>", "documents" or "files"; nothing is then saved."""
    checked = _check_uploads(uploads)
    locked = _draft(dossier, acting_user)
    layout = drafts.Layout.of(locked.procedure)
    if section not in layout.section_keys():
        raise ValidationError(_("Phần này không có trong hồ sơ."))
    files = list(locked.files.all())
    new_field_keys = {u.field_key for u in uploads if u.field_key}
    replaced = [f for f in files if f.field_key and f.field_key in new_field_keys]
    kept = [f for f in files if f not in replaced]
    errors: dict[str, list[str]] = {}
    if any(u.document is not None and u.document.procedure_id != locked.procedure_id for u in uploads):
        errors["documents"] = [_("Giấy tờ không thuộc thủ tục này.")]
    if applicant is not None:
        values = {key: " ".join((applicant.get(key) or "").split()) for key in APPLICANT_LABELS}
        errors.update(applicant_problems(values, partial=not complete))
        for key, value in values.items():
            setattr(locked, key, value)
    if answers is not None or new_field_keys:
        known = {f.key for f in layout.fields}
        merged = {k: v for k, v in locked.form_data.items() if k in known and k not in answer_keys}
        merged.update({k: v for k, v in (answers or {}).items() if k in answer_keys})
        try:
            locked.form_data = validate_form_data(layout.fields, merged, partial=True)
        except ValidationError as exc:
            errors.update({f"form_data.{k}": v for k, v in exc.message_dict.items()})
        if complete and not errors:
            fields = [f for f in layout.fields if f.key in answer_keys]
            file_keys = {f.field_key for f in kept if f.field_key} | new_field_keys
            errors.update(drafts.group_problems(fields, locked.form_data, file_keys))
    if complete and section == drafts.DOCUMENTS:
        present = {f.document_id for f in kept} | {u.document.pk for u in uploads if u.document}
        errors.update(drafts.documents_problems(layout.documents, present))
    if errors:
        raise ValidationError(errors)
    if section not in locked.draft_sections:
        locked.draft_sections = [*locked.draft_sections, section]
    _finish_save(locked)
    _delete_stored(replaced)
    _store(locked, checked, kind=FileKind.APPLICATION, event=None, user=acting_user)
    audit_record(actor=acting_user, action=AuditAction.UPDATE, obj=locked, after={"section": section}, reason="draft")
    return locked


@transaction.atomic
def dossier_draft_file_remove(*, dossier: Dossier, acting_user: User, item: DossierFile) -> None:
    """Take a file off the applicant's draft (and off the disk once committed)."""
    locked = _draft(dossier, acting_user)
    if item.dossier_id != locked.pk:
        raise PermissionDenied(_("Tệp không thuộc hồ sơ này."))
    _delete_stored([item])
    audit_record(actor=acting_user, action=AuditAction.DELETE, obj=locked, before={"file": item.original_name}, reason="draft")


@transaction.atomic
def dossier_online_submit(*, dossier: Dossier, acting_user: User, site_url: str, now: dt.datetime | None = None) -> Dossier:
    """Submit the applicant's draft: every section checked (details, answers, documents; one ValidationError keyed
    by section lists all that is missing, and nothing changes), then the dossier gets its code and waits for the
    clerk; a confirmation email goes out once committed."""
    _require_may_apply(acting_user)
    locked = _draft(dossier, acting_user, _SUBMISSION_RELATED)
    layout = drafts.Layout.of(locked.procedure)
    files = list(locked.files.all())
    problems = drafts.submission_problems(drafts.sections(locked, layout, files))
    if problems:
        raise ValidationError(problems)
    # The draft is locked and read: the submission checks and writes without reading it again.
    submitted = _submit_draft(
        locked, acting_user=acting_user, now=now, files=files, fields=layout.fields, documents=layout.documents
    )
    email_on_commit(
        to=submitted.applicant_email,
        subject=_("Đã nộp hồ sơ %(code)s") % {"code": submitted.code},
        template="onestop/email/submitted.txt",
        context=lambda: {  # computed after the commit, outside the agency's counter lock
            "dossier": submitted, "expected": expected_return(submitted), "platform": settings.PLATFORM_NAME,
            "confirmation_url": site_url.rstrip("/") + reverse("onestop:submitted", args=[submitted.code]),
            "tracking_url": tracking_url(site_url, submitted.code),
        },
    )  # fmt: skip
    return submitted


def supplement_action(dossier: Dossier) -> Any:
    """The process's action that receives a supplement where the dossier stands (any role), or None."""
    actions = [a for a in workflow.candidate_actions(dossier) if a.resumes_clock]
    return next((a for a in actions if a.code == ActionCode.RECEIVE_SUPPLEMENT), actions[0] if actions else None)


@transaction.atomic
def dossier_supplement_submit(
    *,
    dossier: Dossier,
    acting_user: User,
    uploads: Sequence[Upload],
    note: str = "",
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """The applicant answers a request to supplement online: the files are stored with the event and the process's
    "receive supplement" action is carried out on the applicant's behalf, so the deadline clock resumes now."""
    checked = _check_uploads(uploads)
    if not checked:
        raise ValidationError({"files": [_("Vui lòng đính kèm ít nhất một tệp hồ sơ bổ sung.")]})
    locked = _locked(dossier)
    _require_applicant(locked, acting_user)
    _check_version(locked, expected_version)
    if any(u.document is not None and u.document.procedure_id != locked.procedure_id for u in uploads):
        raise ValidationError({"document": [_("Giấy tờ không thuộc thủ tục này.")]})
    if locked.status != DossierStatus.WAITING_SUPPLEMENT or not locked.is_paused:
        raise ActionNotAllowed(_("Hồ sơ không ở trạng thái chờ bổ sung."))
    action = supplement_action(locked)
    if action is None:
        raise ActionNotAllowed(_("Quy trình của thủ tục chưa nhận hồ sơ bổ sung trực tuyến; vui lòng nộp tại bộ phận một cửa."))
    now = now or timezone.now()
    before = _state(locked)
    transition = workflow.apply(locked, action, now=now)
    locked.version += 1
    _finish_save(locked)
    event = _record(
        locked, actor=acting_user, action=action.code, label=_("Người nộp gửi hồ sơ bổ sung trực tuyến"),
        transition=transition, reason=note.strip(), now=now,
    )  # fmt: skip
    _store(locked, checked, kind=FileKind.SUPPLEMENT, event=event, user=acting_user)
    audit_record(actor=acting_user, action=AuditAction.TRANSITION, obj=locked, before=before, after=_state(locked))
    return locked


@transaction.atomic
def dossier_rate(*, dossier: Dossier, acting_user: User, scores: dict[str, int], comment: str = "") -> SatisfactionRating:
    """The applicant's satisfaction with a finished dossier: each criterion from 1 to 5, once per dossier."""
    locked = _locked(dossier)
    _require_applicant(locked, acting_user)
    if locked.status not in RATEABLE_STATUSES:
        raise ValidationError(_("Chỉ đánh giá được khi hồ sơ đã có kết quả giải quyết."))
    if SatisfactionRating.objects.filter(dossier=locked).exists():
        raise ValidationError(_("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần."), code="already_rated")
    errors: dict[str, list[str]] = {}
    values: dict[str, int] = {}
    for key, label in RATING_CRITERIA:
        value = scores.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[key] = [_("Vui lòng chọn mức độ hài lòng về “%(label)s”.") % {"label": label}]
        else:
            values[key] = value
    if errors:
        raise ValidationError(errors)
    rating = SatisfactionRating(dossier=locked, rated_by=acting_user, comment=comment.strip()[:2000], **values)
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        raise ValidationError(_("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần."), code="already_rated") from None
    label = _("Người nộp đánh giá mức độ hài lòng: %(avg)s/5") % {
        "avg": formats.number_format(rating.average, decimal_pos=1, use_l10n=True)
    }
    _record(locked, actor=acting_user, action="rating", label=label, transition=None, now=timezone.now())
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=rating, after={**values, "dossier": locked.pk})
    return rating
