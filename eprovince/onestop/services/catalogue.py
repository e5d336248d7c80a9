"""Writes of the procedure catalogue: fields, procedures, their documents, form fields and process, numbering.

These services check who may write (acting_user None is the system: demo data, presets, tests' factories): a
procedure, its parts, its result template and an agency's numbering are changed only by someone administering the
agencies concerned (core.permissions.can_administer), and only to name agencies they administer; the fields of
procedures are the platform's. Then they validate the data, write it in a transaction and record the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import Organisation, User
from eprovince.core.permissions import administers_platform, can_administer
from eprovince.core.services.audit import audit_record, snapshot
from eprovince.core.text import fold

from ..constants import StepKind
from ..models import DossierNumbering, Field, FormField, Procedure, ProcessAction, ProcessStep, RequiredDocument
from ..numbering import validate_pattern
from ..permissions import can_administer_procedure

PROCEDURE_FIELDS = (
    "national_code", "name", "field", "receiving_agency", "handling_agency", "online_level", "legacy_level",
    "legal_basis", "description", "fee", "fee_description", "processing_days", "result_type", "result_name", "is_active",
)  # fmt: skip
PART_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    RequiredDocument: ("name", "is_required", "copies", "note", "template", "order"),
    FormField: (
        "key", "label", "field_type", "required", "choices", "help_text", "group", "order", "min_value", "max_value",
        "min_length", "max_length", "pattern", "pattern_message", "min_date", "max_date", "prefill",
    ),
    ProcessStep: ("order", "code", "name", "kind", "role", "organisation", "duration_days"),
    ProcessAction: (
        "from_step", "to_step", "final_status", "code", "label", "allowed_role", "requires_reason", "requires_file",
        "starts_clock", "pauses_clock", "resumes_clock", "requires_payment", "order",
    ),
}  # fmt: skip


def require_procedure_administrator(acting_user: User | None, procedure: Procedure) -> None:
    if acting_user is not None and not can_administer_procedure(acting_user, procedure):
        raise PermissionDenied(_("Thủ tục “%(name)s” thuộc cơ quan ngoài phạm vi bạn quản trị.") % {"name": procedure.name})


def _check_agencies(acting_user: User | None, obj: models.Model, names: tuple[str, ...], before: dict[str, Any] | None) -> None:
    """Each agency `obj` now names in `names` (changed ones only) must be administered by `acting_user`."""
    if acting_user is None:
        return
    errors = {}
    for name in names:
        org_id = getattr(obj, f"{name}_id")
        if org_id is None or (before is not None and before.get(f"{name}_id") == org_id):
            continue
        org = Organisation.objects.filter(pk=org_id).first()
        if org is not None and not can_administer(acting_user, org):
            errors[name] = _("Vui lòng chọn cơ quan trong phạm vi bạn quản trị.")
    if errors:
        raise ValidationError(errors)


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


def _audit_snapshot(obj: models.Model) -> dict[str, Any]:
    concrete = obj._meta.concrete_fields
    data = snapshot(obj, [f.attname for f in concrete if not isinstance(f, models.FileField)])
    for f in concrete:
        if isinstance(f, models.FileField):
            data[f.attname] = getattr(obj, f.attname).name or ""
    return data


def _save[M: models.Model](
    obj: M, *, acting_user: User | None, created: bool, before: dict[str, Any] | None, reason: str = ""
) -> M:
    obj.full_clean()
    obj.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=obj,
        before=before,
        after=_audit_snapshot(obj),
        reason=reason,
    )
    return obj


@transaction.atomic
def field_save(*, acting_user: User | None, instance: Field | None = None, **fields: Any) -> Field:
    _check_fields(fields, ("code", "name", "order", "is_active"))
    if acting_user is not None and not administers_platform(acting_user):
        raise PermissionDenied(_("Danh mục lĩnh vực dùng chung toàn hệ thống; chỉ quản trị viên toàn hệ thống được sửa."))
    obj = Field.objects.select_for_update().get(pk=instance.pk) if instance else Field()
    before = _audit_snapshot(obj) if instance else None
    for name, value in fields.items():
        setattr(obj, name, value)
    return _save(obj, acting_user=acting_user, created=instance is None, before=before)


@transaction.atomic
def procedure_save(*, acting_user: User | None, instance: Procedure | None = None, reason: str = "", **fields: Any) -> Procedure:
    """Create a procedure, or change `instance`."""
    _check_fields(fields, PROCEDURE_FIELDS)
    obj = Procedure.objects.select_for_update().get(pk=instance.pk) if instance else Procedure()
    if instance is not None:
        require_procedure_administrator(acting_user, obj)
    before = _audit_snapshot(obj) if instance else None
    for name, value in fields.items():
        setattr(obj, name, value)
    _check_agencies(acting_user, obj, ("receiving_agency", "handling_agency"), before)
    obj.national_code = obj.national_code.strip()
    obj.search_name = fold(f"{obj.name} {obj.national_code}")[:600]
    return _save(obj, acting_user=acting_user, created=instance is None, before=before, reason=reason)


@transaction.atomic
def procedure_part_save[M: models.Model](
    *, procedure: Procedure, model: type[M], acting_user: User | None, instance: M | None = None, **fields: Any
) -> M:
    """Create or change a document, form field, step or action of `procedure`."""
    if model not in PART_FIELDS:
        raise TypeError(f"Not a part of a procedure: {model.__name__}")
    _check_fields(fields, PART_FIELDS[model])
    if instance is not None and instance.procedure_id != procedure.pk:  # type: ignore[attr-defined]
        raise ValidationError(_("Mục này không thuộc thủ tục đang sửa."))
    require_procedure_administrator(acting_user, procedure)
    obj: Any = model._default_manager.select_for_update().get(pk=instance.pk) if instance else model(procedure=procedure)
    before = _audit_snapshot(obj) if instance else None
    for name, value in fields.items():
        setattr(obj, name, value)
    if model is ProcessStep:
        _check_agencies(acting_user, obj, ("organisation",), before)
    return _save(obj, acting_user=acting_user, created=instance is None, before=before)


@transaction.atomic
def procedure_part_delete(*, instance: models.Model, acting_user: User | None, reason: str = "") -> None:
    require_procedure_administrator(acting_user, instance.procedure)  # type: ignore[attr-defined]
    before = _audit_snapshot(instance)
    audit_record(actor=acting_user, action=AuditAction.DELETE, obj=instance, before=before, reason=reason)
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError:
        raise ValidationError(_("Không thể xóa: đang có hồ sơ ở bước này hoặc dữ liệu khác tham chiếu đến mục này.")) from None


@transaction.atomic
def numbering_save(*, organisation: Organisation, pattern: str, reset: str, acting_user: User | None) -> DossierNumbering:
    if acting_user is not None and not can_administer(acting_user, organisation):
        raise PermissionDenied(_("Bạn không có quyền quản trị %(organisation)s.") % {"organisation": organisation})
    validate_pattern(pattern, reset)
    obj = DossierNumbering.objects.select_for_update().filter(organisation=organisation).first()
    created = obj is None
    obj = obj or DossierNumbering(organisation=organisation)
    before = None if created else _audit_snapshot(obj)
    obj.pattern, obj.reset = pattern, reset
    return _save(obj, acting_user=acting_user, created=created, before=before)


def process_problems(procedure: Procedure) -> list[str]:
    """What is wrong or doubtful with a procedure's process, for the administrator (empty: nothing found)."""
    steps = list(procedure.steps.order_by("order"))
    actions = list(procedure.actions.all())
    problems: list[str] = []
    if not steps:
        return [_("Chưa có bước xử lý nào: chưa thể tiếp nhận hồ sơ.")]
    if steps[0].kind != StepKind.RECEPTION:
        problems.append(_("Bước đầu tiên nên là bước tiếp nhận."))
    if not any(a.starts_clock for a in actions):
        problems.append(_("Không có thao tác nào tiếp nhận hồ sơ (bắt đầu tính thời hạn): hồ sơ nộp trực tuyến sẽ không có hạn."))
    if not any(a.final_status == "done" for a in actions):
        problems.append(_("Không có thao tác nào trả kết quả (kết thúc hồ sơ với trạng thái đã trả kết quả)."))
    if any(a.pauses_clock for a in actions) and not any(a.resumes_clock for a in actions):
        problems.append(_("Có thao tác yêu cầu bổ sung nhưng không có thao tác nhận hồ sơ bổ sung."))
    reachable = {steps[0].pk}
    changed = True
    while changed:
        changed = False
        for a in actions:
            if (a.from_step_id is None or a.from_step_id in reachable) and a.to_step_id and a.to_step_id not in reachable:
                reachable.add(a.to_step_id)
                changed = True
    for step in steps:
        if step.pk not in reachable:
            problems.append(_("Bước “%(step)s” không thể đến được từ bước đầu tiên.") % {"step": step.name})
    total = sum(s.duration_days for s in steps)
    if total != procedure.processing_days:
        problems.append(
            _("Tổng thời gian các bước (%(total)s ngày) khác thời hạn giải quyết của thủ tục (%(days)s ngày).")
            % {"total": total, "days": procedure.processing_days}
        )
    return problems
