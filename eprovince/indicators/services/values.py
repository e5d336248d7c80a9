"""Storing values: a unit's entries in its submission (web form), rows in bulk (API data value sets) and figures
imported from published sources. Every change writes a DataValueAudit row; nothing is saved when any entry is
wrong, and the errors name each entry (or row) and field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import Organisation, User
from eprovince.core.services.audit import audit_record

from .. import summary, validation
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


@dataclass(frozen=True, slots=True)
class CheckedEntry:
    """An entry its caller already checked with check_entry (the Excel import checks each cell once, to name it by
    sheet, row and column): `value` is what check_entry returned. values_save still checks that it belongs to the
    form, is not given twice and is not locked by another report."""

    entry: ValueEntry
    value: Decimal | None


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
    updates: list[tuple[_Stored, Decimal, str, Submission | None, str, bool]],
    deletes: list[int],
    history: list[tuple[Any, ...]],
    acting_user: User | None,
    now: datetime,
) -> None:
    """Write the changes found by _write: `creates` are rows in _VALUE_FIELDS order (ids as plain ids),
    `created_history` their history rows (in the same order, data_value left None), `history` the others'.

    On PostgreSQL new values and all history go in with COPY (ids taken from the table's sequence first, so each
    history row points at its value) and updates in one statement; other databases (SQLite) take each kind of row
    in one executemany, the new values' ids read back by their unique key."""
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
    with connection.cursor() as cursor:
        if creates:
            _insert(cursor, DataValue, _VALUE_FIELDS, creates)
            # their ids, by the unique (element, option) of the unit's period: one query, not one per row
            (org_id, period_id), element_ids = creates[0][2:4], {row[0] for row in creates}
            created_ids = {
                (element, option): pk
                for pk, element, option in DataValue.objects.filter(
                    organisation_id=org_id, period=period_id, element_id__in=element_ids
                ).values_list("pk", "element_id", "category_option_id")
            }
            history = [(created_ids[row[0], row[1]], *h[1:]) for row, h in zip(creates, created_history, strict=True)] + history
        if updates:
            table, key = connection.ops.quote_name(DataValue._meta.db_table), _columns(DataValue, ["id"])
            names = ("value", "comment", "submission", "source", "synthetic", "updated_by", "updated_at")
            assignments = ", ".join(f"{_columns(DataValue, [name])} = %s" for name in names)
            _execute_many(
                cursor,
                DataValue,
                (*names, "id"),
                f"UPDATE {table} SET {assignments} WHERE {key} = %s",  # noqa: S608 - quoted names, values as parameters
                [
                    (value, comment, report.pk if report is not None else None, source, synthetic, user_id, now, current.pk)
                    for current, value, comment, report, source, synthetic in updates
                ],
            )
        if deletes:
            DataValue.objects.filter(pk__in=deletes).delete()
        if history:
            _insert(cursor, DataValueAudit, _HISTORY_FIELDS, history)


def _insert(cursor: Any, model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT rows (values in `names` order) in one executemany (databases other than PostgreSQL, which COPYs)."""
    table = connection.ops.quote_name(model._meta.db_table)
    placeholders = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {table} ({_columns(model, names)}) VALUES ({placeholders})"  # noqa: S608 - quoted names
    _execute_many(cursor, model, names, sql, rows)


def _execute_many(cursor: Any, model: type[models.Model], names: Sequence[str], sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """executemany with each decimal and date-time value adapted for the database as Django saves the field (the
    other columns, ids, text and booleans, go to the driver as they are). No model instance and no SQL compiled
    per row: bulk_create and bulk_update spent most of an import there."""
    adapted = [
        (index, column)
        for index, column in enumerate(_field(model, name) for name in names)
        if isinstance(column, (models.DecimalField, models.DateTimeField))
    ]
    seen: dict[tuple[int, Any], Any] = {}  # the same instant (`now`) on every row: adapted once

    def prepare(row: Sequence[Any]) -> list[Any]:
        values = list(row)
        for index, column in adapted:
            value = values[index]
            if value is None:
                continue
            if isinstance(column, models.DateTimeField):
                key = (index, value)
                if key not in seen:
                    seen[key] = column.get_db_prep_save(value, connection)
                values[index] = seen[key]
            else:
                values[index] = column.get_db_prep_save(value, connection)
        return values

    cursor.executemany(sql, [prepare(row) for row in rows])


def _field(model: type[models.Model], name: str) -> models.Field:  # type: ignore[type-arg]
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field)
    return found


class _Stored(NamedTuple):
    """A value already stored: the columns _write compares and keeps (read as tuples, not model instances)."""

    pk: int
    value: Decimal
    comment: str
    submission_id: int | None
    source: str
    synthetic: bool


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
    stored = DataValue.objects.filter(organisation=organisation, period=period.id, element_id__in=element_ids).values_list(
        "pk", "element_id", "category_option_id", "value", "comment", "submission_id", "source", "synthetic"
    )
    existing: dict[tuple[int, int | None], _Stored] = {
        (element, option): _Stored(pk, value, comment, submission_id, source, synthetic)
        for pk, element, option, value, comment, submission_id, source, synthetic in stored
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
    updates: list[tuple[_Stored, Decimal, str, Submission | None, str, bool]] = []
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
    if creates or updates or deletes:  # the yearly summary, when what counts changed (values outside a draft)
        summary.refresh_after_write(
            organisation_id=org_id, year=period.year, submission=submission, previous=[v.submission_id for v in existing.values()]
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
    entries: Sequence[ValueEntry | CheckedEntry],
    localized: bool = True,
    reason: str = "",
    validate: bool = True,
) -> SaveResult:
    """Save a unit's entries in its report, then run the form's validation rules at once (`validate=False` for
    loaders that submit right after: submitting runs them again).

    Refused when the report is not editable (submitted or approved: the message says who locked it and how to ask
    for reopening). Wrong entries raise a ValidationError keyed by each entry's name; nothing is then saved.
    Rule violations do not stop saving: they come back in the result (and errors stop submitting).
    A CheckedEntry's value is taken as its caller checked it (check_entry is not run twice on a cell)."""
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
    for item in entries:
        entry = item.entry if isinstance(item, CheckedEntry) else item
        if entry.element.pk not in allowed:
            errors.setdefault(entry.name, []).append(_("Chỉ tiêu không thuộc biểu mẫu này."))
            continue
        cell = (entry.element.pk, entry.option.pk if entry.option else None)
        if cell in seen:
            errors.setdefault(entry.name, []).append(_("Giá trị bị nhập trùng."))
            continue
        seen.add(cell)
        if isinstance(item, CheckedEntry):
            checked.append((entry, item.value))
            continue
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
    # (unit, period, element) → the report its values go to, or the field and message refusing them: decided once
    # per element of a unit's period, not once per row (a data value set has up to 50.000 rows)
    decided: dict[tuple[int, str, int], Submission | tuple[str, str]] = {}
    for row in rows:
        entry = ValueEntry(element=row.element, raw=row.raw, option=row.option, comment=row.comment, key=row.key)
        org_id, period_id = row.organisation.pk, row.period.id
        allowed = may_report.get(org_id)
        if allowed is None:  # once per unit, not once per row
            allowed = may_report[org_id] = acting_user is None or can_report_for(acting_user, row.organisation)
        if not allowed:
            errors.setdefault(f"{row.key}.orgUnit", []).append(_("Bạn không báo cáo cho đơn vị này."))
            continue
        where = (org_id, period_id, row.element.pk)
        target = decided.get(where)
        if target is None:
            target = decided[where] = _target_of(submissions.get(where, []), row.element, period_id)
        if isinstance(target, tuple):
            field_name, message = target
            errors.setdefault(f"{row.key}.{field_name}", []).append(message)
            continue
        try:
            value = check_entry(entry, localized=localized)
        except ValidationError as exc:
            errors.setdefault(f"{row.key}.value", []).extend(exc.messages)
            continue
        group = (org_id, period_id)
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


def _target_of(candidates: list[Submission], element: DataElement, period_id: str) -> Submission | tuple[str, str]:
    """The editable report of a unit's period holding the element, or (field, message) saying why there is none."""
    if not candidates:
        return "period", _("Không có đợt báo cáo nào của đơn vị cho chỉ tiêu %(code)s trong kỳ %(period)s.") % {
            "code": element.code,
            "period": period_id,
        }
    approved = next((s for s in candidates if s.is_locked), None)
    if approved is not None:
        return "value", locked_message(approved)
    target = next((s for s in candidates if s.is_editable), None)
    if target is None:
        return "value", not_editable_message(candidates[0])
    return target


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
