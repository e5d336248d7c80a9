"""Storing values: a unit's entries in its submission (web form), rows in bulk (API data value sets) and figures
imported from published sources. Every change writes a DataValueAudit row; nothing is saved when any entry is
wrong, and the errors name each entry (or row) and field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import Organisation, User
from eprovince.core.services.audit import audit_record

from .. import validation
from ..constants import SubmissionStatus, ValueChange
from ..models import CategoryOption, DataElement, DataValue, DataValueAudit, Submission
from ..periods import Period
from ..permissions import can_manage_catalogue, can_report_for
from ..validators import clean_value
from .common import not_allowed, require
from .rounds import locked_message, not_editable_message


@dataclass(frozen=True)
class ValueEntry:
    """One cell: an element (and option) with the text typed (None or "" removes the value) and a comment."""

    element: DataElement
    raw: str | int | float | Decimal | None
    option: CategoryOption | None = None
    comment: str = ""
    key: str = ""  # how errors name the cell: "REVENUE", "SUB_MOBILE.VNPT", "dataValues.3.value"
    source: str = ""
    synthetic: bool = False

    @property
    def name(self) -> str:
        if self.key:
            return self.key
        return f"{self.element.code}.{self.option.code}" if self.option else self.element.code


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    violations: list[validation.Violation] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted

    @property
    def blocking(self) -> list[validation.Violation]:
        return [v for v in self.violations if v.blocking]


def _actor_name(user: User | None) -> str:
    return str(user) if user is not None else ""


def check_entry(entry: ValueEntry, *, localized: bool, allow_total: bool = False) -> Decimal | None:
    """The value to store (None: remove it); raises ValidationError naming the problem. `allow_total` accepts the
    total of a disaggregated element (published figures often give only the total)."""
    element = entry.element
    if element.category_combo_id is not None and entry.option is None and not allow_total:
        raise ValidationError(_("Chỉ tiêu “%(name)s” phải nhập theo từng nhóm phân tổ.") % {"name": element.label})
    if entry.option is not None and entry.option.combo_id != element.category_combo_id:
        raise ValidationError(
            _("Nhóm “%(option)s” không thuộc chỉ tiêu “%(name)s”.") % {"option": entry.option, "name": element.label}
        )
    if entry.raw is None or (isinstance(entry.raw, str) and not entry.raw.strip()):
        return None
    return clean_value(element.value_type, entry.raw, allow_negative=element.allow_negative, localized=localized)


# Columns written by the bulk paths (PostgreSQL: COPY and one UPDATE … FROM unnest; elsewhere: bulk_create).
_VALUE_FIELDS = (
    "element",
    "category_option",
    "organisation",
    "period",
    "year",
    "value",
    "comment",
    "source",
    "synthetic",
    "submission",
    "updated_by",
    "created_at",
    "updated_at",
)
_HISTORY_FIELDS = (
    "data_value",
    "element",
    "category_option",
    "organisation",
    "period",
    "submission",
    "change",
    "value_before",
    "value_after",
    "comment_before",
    "comment_after",
    "actor",
    "actor_name",
    "reason",
    "created_at",
)


def _columns(model: type[models.Model], names: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    return ", ".join(quote(str(_field(model, name).column)) for name in names)


def _copy(cursor: Any, model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows into the model's table (PostgreSQL): no model objects, no SQL text of the size of the data."""
    table = connection.ops.quote_name(model._meta.db_table)
    with cursor.cursor.copy(f"COPY {table} ({_columns(model, names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _store(
    *,
    creates: list[tuple[Any, ...]],
    created_history: list[tuple[Any, ...]],
    updates: list[tuple[DataValue, Decimal, str, Submission | None, str, bool]],
    deletes: list[int],
    history: list[tuple[Any, ...]],
    acting_user: User | None,
    now: datetime,
) -> None:
    """Write the changes found by _write: `creates` are rows in _VALUE_FIELDS order (ids as plain ids),
    `created_history` their history rows (in the same order, data_value left None), `history` the others'.

    On PostgreSQL new values and all history go in with COPY (ids taken from the table's sequence first, so each
    history row points at its value) and updates in one statement; other databases use bulk_create/bulk_update."""
    user_id = acting_user.pk if acting_user is not None else None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if creates:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [DataValue._meta.db_table, DataValue._meta.pk.column, len(creates)],  # type: ignore[union-attr]
                )
                ids = [row[0] for row in cursor.fetchall()]
                _copy(cursor, DataValue, ("id", *_VALUE_FIELDS), ((pk, *row) for pk, row in zip(ids, creates, strict=True)))
                history = [(pk, *row[1:]) for pk, row in zip(ids, created_history, strict=True)] + history
            if updates:
                table = connection.ops.quote_name(DataValue._meta.db_table)
                cursor.execute(
                    f"UPDATE {table} AS t SET value = u.value, comment = u.comment, submission_id = u.submission_id, "  # noqa: S608 - quoted table name
                    "source = u.source, synthetic = u.synthetic, updated_by_id = %s, updated_at = %s "
                    "FROM unnest(%s::bigint[], %s::numeric[], %s::text[], %s::bigint[], %s::text[], %s::boolean[]) "
                    "AS u(id, value, comment, submission_id, source, synthetic) WHERE t.id = u.id",
                    [
                        user_id,
                        now,
                        [current.pk for current, *_rest in updates],
                        [value for _c, value, *_rest in updates],
                        [comment for _c, _v, comment, *_rest in updates],
                        [s.pk if s is not None else None for _c, _v, _m, s, *_rest in updates],
                        [source for *_rest, source, _synthetic in updates],
                        [synthetic for *_rest, synthetic in updates],
                    ],
                )
            if deletes:
                DataValue.objects.filter(pk__in=deletes).delete()
            if history:
                _copy(cursor, DataValueAudit, _HISTORY_FIELDS, history)
        return
    rows = [DataValue(**{_attname(DataValue, n): v for n, v in zip(_VALUE_FIELDS, row, strict=True)}) for row in creates]
    DataValue.objects.bulk_create(rows)
    history = [(row.pk, *h[1:]) for row, h in zip(rows, created_history, strict=True)] + history
    if updates:
        changed = []
        for current, value, comment, submission, source, synthetic in updates:
            current.value, current.comment, current.submission, current.updated_by_id = value, comment, submission, user_id
            current.source, current.synthetic, current.updated_at = source, synthetic, now
            changed.append(current)
        DataValue.objects.bulk_update(
            changed, ["value", "comment", "submission", "updated_by", "source", "synthetic", "updated_at"], batch_size=500
        )
    if deletes:
        DataValue.objects.filter(pk__in=deletes).delete()
    DataValueAudit.objects.bulk_create(
        [DataValueAudit(**{_attname(DataValueAudit, n): v for n, v in zip(_HISTORY_FIELDS, h, strict=True)}) for h in history]
    )


def _field(model: type[models.Model], name: str) -> models.Field:  # type: ignore[type-arg]
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


def _attname(model: type[models.Model], name: str) -> str:
    return _field(model, name).attname


def _write(
    *,
    organisation: Organisation,
    period: Period,
    entries: Sequence[tuple[ValueEntry, Decimal | None]],
    submission: Submission | None,
    acting_user: User | None,
    reason: str,
) -> SaveResult:
    """Apply checked entries for one organisation and period: creates, updates and deletes, with their history
    (one DataValueAudit row per changed value: who, when, old and new value and comment, why)."""
    result = SaveResult()
    element_ids = {e.element.pk for e, _v in entries}
    existing = {
        (v.element_id, v.category_option_id): v
        for v in DataValue.objects.filter(organisation=organisation, period=period.id, element_id__in=element_ids)
    }
    now = timezone.now()
    user_id = acting_user.pk if acting_user is not None else None
    submission_id = submission.pk if submission is not None else None
    name = _actor_name(acting_user)
    reason = reason[:300]
    org_id, period_id = organisation.pk, period.id
    tail = (user_id, name, reason, now)
    creates: list[tuple[Any, ...]] = []
    created_history: list[tuple[Any, ...]] = []
    updates: list[tuple[DataValue, Decimal, str, Submission | None, str, bool]] = []
    deletes: list[int] = []
    history: list[tuple[Any, ...]] = []
    for entry, value in entries:
        element_id = entry.element.pk
        option_id = entry.option.pk if entry.option else None
        current = existing.get((element_id, option_id))
        comment = entry.comment.strip()

        head = (element_id, option_id, org_id, period_id, submission_id)

        def audit(data_value_id: int | None, change: str, *values: Any, head: tuple[Any, ...] = head) -> tuple[Any, ...]:
            return (data_value_id, *head, change, *values, *tail)  # before, after, comment before, comment after

        if value is None:
            if current is None:
                result.unchanged += 1
                continue
            deletes.append(current.pk)
            history.append(audit(None, ValueChange.DELETE, current.value, None, current.comment, ""))
            continue
        if current is None:
            row = (element_id, option_id, org_id, period_id, period.year, value, comment, entry.source, entry.synthetic)
            creates.append((*row, submission_id, user_id, now, now))
            created_history.append(audit(None, ValueChange.CREATE, None, value, "", comment))
            continue
        if current.value == value and current.comment == comment and current.submission_id == submission_id:
            result.unchanged += 1
            continue
        history.append(audit(current.pk, ValueChange.UPDATE, current.value, value, current.comment, comment))
        source, synthetic = (entry.source, entry.synthetic) if entry.source else (current.source, current.synthetic)
        updates.append((current, value, comment, submission, source, synthetic))
    _store(
        creates=creates,
        created_history=created_history,
        updates=updates,
        deletes=deletes,
        history=history,
        acting_user=acting_user,
        now=now,
    )
    result.created, result.updated, result.deleted = len(creates), len(updates), len(deletes)
    return result


def _locks_elsewhere(
    organisation: Organisation, period: Period, elements: set[int], own: Submission | None
) -> dict[int, Submission]:
    """Elements whose value for this unit and period is locked by another approved report."""
    approved = Submission.objects.filter(organisation=organisation, round__period=period.id, status=SubmissionStatus.APPROVED)
    if own is not None:
        approved = approved.exclude(pk=own.pk)
    if not approved.exists():
        return {}
    others = (
        Submission.objects.filter(organisation=organisation, round__period=period.id, status=SubmissionStatus.APPROVED)
        .filter(round__form__elements__in=elements)
        .select_related("round__form__owner", "approved_by")
        .prefetch_related("round__form__elements")
    )
    if own is not None:
        others = others.exclude(pk=own.pk)
    locked: dict[int, Submission] = {}
    for other in others.distinct():
        for element in other.round.form.elements.all():
            if element.pk in elements:
                locked.setdefault(element.pk, other)
    return locked


@transaction.atomic
def values_save(
    *,
    acting_user: User | None,
    submission: Submission,
    entries: Sequence[ValueEntry],
    localized: bool = True,
    reason: str = "",
    validate: bool = True,
) -> SaveResult:
    """Save a unit's entries in its report, then run the form's validation rules at once (`validate=False` for
    loaders that submit right after: submitting runs them again).

    Refused when the report is not editable (submitted or approved: the message says who locked it and how to ask
    for reopening). Wrong entries raise a ValidationError keyed by each entry's name; nothing is then saved.
    Rule violations do not stop saving: they come back in the result (and errors stop submitting)."""
    current = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("round__form__owner", "organisation", "approved_by")
        .get(pk=submission.pk)
    )
    require(can_report_for(acting_user, current.organisation), acting_user, not_allowed())
    if not current.is_editable:
        raise ValidationError(not_editable_message(current))
    form = current.round.form
    period = current.round.period_obj
    allowed = set(form.elements.values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    checked: list[tuple[ValueEntry, Decimal | None]] = []
    seen: set[tuple[int, int | None]] = set()
    for entry in entries:
        if entry.element.pk not in allowed:
            errors.setdefault(entry.name, []).append(_("Chỉ tiêu không thuộc biểu mẫu này."))
            continue
        cell = (entry.element.pk, entry.option.pk if entry.option else None)
        if cell in seen:
            errors.setdefault(entry.name, []).append(_("Giá trị bị nhập trùng."))
            continue
        seen.add(cell)
        try:
            checked.append((entry, check_entry(entry, localized=localized)))
        except ValidationError as exc:
            errors.setdefault(entry.name, []).extend(exc.messages)
    locked = _locks_elsewhere(current.organisation, period, {e.element.pk for e, _v in checked}, current)
    for entry, _value in checked:
        if entry.element.pk in locked:
            errors.setdefault(entry.name, []).append(locked_message(locked[entry.element.pk]))
    if errors:
        raise ValidationError(errors)
    result = _write(
        organisation=current.organisation,
        period=period,
        entries=checked,
        submission=current,
        acting_user=acting_user,
        reason=reason,
    )
    if result.changed:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=current,
            after={"values_created": result.created, "values_updated": result.updated, "values_deleted": result.deleted},
            reason=reason,
        )
    if validate:
        result.violations = validation.check(form, current.organisation, period)
    return result


@dataclass(frozen=True)
class ImportRow:
    """One row of a data value set, already resolved to catalogue objects by the caller."""

    element: DataElement
    organisation: Organisation
    period: Period
    raw: str | int | float | Decimal | None
    option: CategoryOption | None = None
    comment: str = ""
    key: str = ""


@transaction.atomic
def values_import(*, acting_user: User | None, rows: Sequence[ImportRow], localized: bool = False) -> SaveResult:
    """Bulk values (API data value sets): each row goes to its unit's report in the open round of a form holding
    the element. All or nothing: a wrong row raises ValidationError({row key: [messages]})."""
    errors: dict[str, list[str]] = {}
    grouped: dict[tuple[int, str], list[tuple[ValueEntry, Decimal | None]]] = {}
    targets: dict[tuple[int, str], Submission] = {}
    seen: set[tuple[int, str, int, int | None]] = set()
    submissions = _submissions_for(rows)
    may_report: dict[int, bool] = {}
    for row in rows:
        entry = ValueEntry(element=row.element, raw=row.raw, option=row.option, comment=row.comment, key=row.key)
        allowed = may_report.get(row.organisation.pk)
        if allowed is None:  # once per unit, not once per row (a data value set has up to 50.000 rows)
            allowed = may_report[row.organisation.pk] = acting_user is None or can_report_for(acting_user, row.organisation)
        if not allowed:
            errors.setdefault(f"{row.key}.orgUnit", []).append(_("Bạn không báo cáo cho đơn vị này."))
            continue
        candidates = submissions.get((row.organisation.pk, row.period.id, row.element.pk), [])
        if not candidates:
            errors.setdefault(f"{row.key}.period", []).append(
                _("Không có đợt báo cáo nào của đơn vị cho chỉ tiêu %(code)s trong kỳ %(period)s.")
                % {"code": row.element.code, "period": row.period.id}
            )
            continue
        approved = next((s for s in candidates if s.is_locked), None)
        if approved is not None:
            errors.setdefault(f"{row.key}.value", []).append(locked_message(approved))
            continue
        target = next((s for s in candidates if s.is_editable), None)
        if target is None:
            errors.setdefault(f"{row.key}.value", []).append(not_editable_message(candidates[0]))
            continue
        try:
            value = check_entry(entry, localized=localized)
        except ValidationError as exc:
            errors.setdefault(f"{row.key}.value", []).extend(exc.messages)
            continue
        group = (row.organisation.pk, row.period.id)
        cells = grouped.setdefault(group, [])
        cell = (*group, entry.element.pk, entry.option.pk if entry.option else None)
        if cell in seen:  # a set: a data value set of 50.000 rows is checked in linear time
            errors.setdefault(f"{row.key}.dataElement", []).append(_("Giá trị bị gửi trùng trong cùng tập dữ liệu."))
            continue
        seen.add(cell)
        cells.append((entry, value))
        targets[group] = target
    if errors:
        raise ValidationError(errors)
    total = SaveResult()
    for group, cells in grouped.items():
        submission = targets[group]
        part = _write(
            organisation=submission.organisation,
            period=submission.round.period_obj,
            entries=cells,
            submission=submission,
            acting_user=acting_user,
            reason=_("Nhập qua API"),
        )
        total.created += part.created
        total.updated += part.updated
        total.deleted += part.deleted
        total.unchanged += part.unchanged
    if total.changed:
        audit_record(
            actor=acting_user,
            action=AuditAction.IMPORT,
            object_repr=_("Nhập tập giá trị số liệu qua API"),
            after={"rows": len(rows), "created": total.created, "updated": total.updated, "deleted": total.deleted},
        )
    return total


def _submissions_for(rows: Sequence[ImportRow]) -> dict[tuple[int, str, int], list[Submission]]:
    """{(organisation, period, element): submissions of rounds whose form holds the element}: one query."""
    if not rows:
        return {}
    q = Q()
    for org_id, period_id in {(r.organisation.pk, r.period.id) for r in rows}:
        q |= Q(organisation_id=org_id, round__period=period_id)
    found: dict[tuple[int, str, int], list[Submission]] = {}
    qs = Submission.objects.filter(q).select_related("round__form__owner", "organisation", "approved_by", "submitted_by")
    for submission in qs.prefetch_related("round__form__elements"):
        for element in submission.round.form.elements.all():
            found.setdefault((submission.organisation_id, submission.round.period, element.pk), []).append(submission)
    return found


@transaction.atomic
def values_import_published(
    *,
    acting_user: User | None,
    organisation: Organisation,
    period: Period,
    entries: Sequence[ValueEntry],
    reason: str = "",
) -> SaveResult:
    """Figures taken from a published report or article (each entry names its source): stored outside any round and
    counted as they are. For the catalogue's administrators (and the demo loader)."""
    require(can_manage_catalogue(acting_user), acting_user, not_allowed())
    errors: dict[str, list[str]] = {}
    checked: list[tuple[ValueEntry, Decimal | None]] = []
    for entry in entries:
        if not entry.source.strip():
            errors.setdefault(entry.name, []).append(_("Số liệu nhập từ tài liệu đã công bố phải ghi nguồn."))
            continue
        try:
            checked.append((entry, check_entry(entry, localized=False, allow_total=True)))
        except ValidationError as exc:
            errors.setdefault(entry.name, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    result = _write(
        organisation=organisation,
        period=period,
        entries=checked,
        submission=None,
        acting_user=acting_user,
        reason=reason or _("Nhập từ tài liệu đã công bố"),
    )
    if result.changed:
        audit_record(
            actor=acting_user,
            action=AuditAction.IMPORT,
            object_repr=_("Số liệu đã công bố: %(org)s, %(period)s") % {"org": organisation, "period": period.label},
            after={"created": result.created, "updated": result.updated, "deleted": result.deleted},
            reason=reason,
        )
    return result


def entries_from_mapping(elements: dict[str, DataElement], values: dict[str, Any]) -> list[ValueEntry]:
    """Entries from {"REVENUE": "252,1", "SUB_MOBILE.VNPT": "1.000"} (for tests and loaders)."""
    result: list[ValueEntry] = []
    for key, raw in values.items():
        code, _sep, option_code = key.partition(".")
        element = elements[code]
        option = element.category_combo.options.get(code=option_code) if option_code and element.category_combo else None
        result.append(ValueEntry(element=element, raw=raw, option=option, key=key))
    return result
