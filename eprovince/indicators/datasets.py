"""Data value sets in the spirit of DHIS2's dataValueSets: reading rows from JSON or CSV, resolving codes to the
catalogue in a few queries, and naming every problem by row and field. Nothing here writes: the rows go to
services.values.values_import, which saves all of them or none."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from eprovince.core.models import Organisation
from eprovince.core.permissions import has_role, organisation_scope

from .constants import READER_ROLES, REPORTER_ROLES, REVIEWER_ROLES, SubmissionStatus
from .models import CategoryOption, DataElement, DataValue
from .periods import Period, PeriodError
from .services.values import ImportRow

COLUMNS = ("dataElement", "categoryOption", "orgUnit", "period", "value", "comment")
REQUIRED = ("dataElement", "orgUnit", "period")
MAX_ROWS = 50_000


class DataSetError(ValidationError):
    """Errors keyed by row and field ("dataValues.3.value", or "line.4.value" for CSV)."""


@dataclass(frozen=True)
class RawRow:
    key: str  # "dataValues.3" or "line.4"
    fields: dict[str, Any]


def rows_from_json(body: bytes) -> list[RawRow]:
    try:
        data = json.loads(body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataSetError({"__all__": [_("Nội dung JSON không hợp lệ.")]}) from exc
    if not isinstance(data, dict) or not isinstance(data.get("dataValues"), list):
        raise DataSetError({"dataValues": [_("Cần một đối tượng có danh sách “dataValues”.")]})
    rows = []
    for index, item in enumerate(data["dataValues"]):
        if not isinstance(item, dict):
            raise DataSetError({f"dataValues.{index}": [_("Mỗi phần tử phải là một đối tượng.")]})
        rows.append(RawRow(f"dataValues.{index}", item))
    return rows


def rows_from_csv(body: bytes) -> list[RawRow]:
    """CSV with a header row naming the columns (dataElement, categoryOption, orgUnit, period, value, comment)."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataSetError({"__all__": [_("Tệp CSV phải dùng mã UTF-8.")]}) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in (*REQUIRED, "value") if c not in header]
    if missing:
        raise DataSetError({"line.1": [_("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)}]})
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise DataSetError({"line.1": [_("Cột không được hỗ trợ: %(columns)s.") % {"columns": ", ".join(unknown)}]})
    reader.fieldnames = header
    rows = []
    for record in reader:
        if None in record:
            raise DataSetError({f"line.{reader.line_num}": [_("Dòng có nhiều cột hơn dòng tiêu đề.")]})
        rows.append(RawRow(f"line.{reader.line_num}", {k: (v or "").strip() for k, v in record.items()}))
    return rows


def _org_lookup(values: Iterable[str]) -> dict[str, Organisation]:
    """Organisations by id ("12") or electronic code ("000.00.05.H01")."""
    ids = {v for v in values if v.isdigit()}
    codes = {v for v in values if v and not v.isdigit()}
    found: dict[str, Organisation] = {}
    for org in Organisation.objects.filter(Q(pk__in=ids) | Q(electronic_code__in=codes)):
        found[str(org.pk)] = org
        if org.electronic_code:
            found[org.electronic_code] = org
    return found


def unknown_element_message(code: str) -> str:
    return _("Không có chỉ tiêu mã “%(code)s”.") % {"code": code}


def unknown_option_message(element: DataElement, option: str) -> str:
    return _("Chỉ tiêu %(code)s không có nhóm “%(option)s”.") % {"code": element.code, "option": option}


def _field_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def resolve(rows: list[RawRow]) -> list[ImportRow]:
    """ImportRows for the services; a DataSetError naming each bad row and field when any is wrong.

    Codes, options and organisations are looked up in one query each and periods parsed once per distinct text
    (a data value set of 50.000 rows names a few elements, units and periods many times)."""
    if len(rows) > MAX_ROWS:
        raise DataSetError({"dataValues": [_("Tối đa %(n)d giá trị mỗi lần gửi.") % {"n": MAX_ROWS}]})
    if not rows:
        raise DataSetError({"dataValues": [_("Không có giá trị nào để nhập.")]})
    text = [{k: _field_text(v) for k, v in r.fields.items()} for r in rows]
    elements = {e.code: e for e in DataElement.objects.filter(code__in={t.get("dataElement", "") for t in text})}
    options: dict[tuple[int | None, str], CategoryOption] = {
        (o.combo_id, o.code): o
        for o in CategoryOption.objects.filter(code__in={t.get("categoryOption", "") for t in text} - {""})
    }
    orgs = _org_lookup({t.get("orgUnit", "") for t in text})
    periods: dict[str, Period | PeriodError] = {}
    errors: dict[str, list[str]] = {}
    result: list[ImportRow] = []
    for row, fields in zip(rows, text, strict=True):
        problems: dict[str, str] = {}
        for name in REQUIRED:
            if not fields.get(name):
                problems[name] = _("Trường này là bắt buộc.")
        code = fields.get("dataElement", "")
        element = elements.get(code)
        if code and element is None:
            problems["dataElement"] = unknown_element_message(code)
        option = None
        option_code = fields.get("categoryOption")
        if element is not None and option_code:
            option = options.get((element.category_combo_id, option_code))
            if option is None:
                problems["categoryOption"] = unknown_option_message(element, option_code)
        org_text = fields.get("orgUnit", "")
        org = orgs.get(org_text)
        if org_text and org is None:
            problems["orgUnit"] = _("Không có đơn vị “%(org)s”.") % {"org": org_text}
        period = None
        period_text = fields.get("period")
        if period_text:
            parsed = periods.get(period_text)
            if parsed is None:
                try:
                    parsed = periods[period_text] = Period.parse(period_text)
                except PeriodError as exc:
                    parsed = periods[period_text] = exc
            if isinstance(parsed, PeriodError):
                problems["period"] = str(parsed)
            else:
                period = parsed
        raw = row.fields.get("value")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            problems.setdefault("value", _("Thiếu giá trị (gửi giá trị rỗng qua biểu mẫu web để xóa)."))
        if problems:
            for name, message in problems.items():
                errors.setdefault(f"{row.key}.{name}", []).append(message)
            continue
        if element is None or org is None or period is None:
            continue
        result.append(
            ImportRow(
                element=element,
                organisation=org,
                period=period,
                raw=raw,
                option=option,
                comment=fields.get("comment", ""),
                key=row.key,
            )
        )
    if errors:
        raise DataSetError(errors)
    return result


def readable_values(user: Any) -> QuerySet[DataValue]:
    """Values the user may read (the rule is written in indicators.api's docstring):

    - any value, approved or not, of a unit the user reports for (reporting officer there or above);
    - any value, approved or not, of a report whose form the user reviews (division head, leader or administrator
      over the division owning the form);
    - an approved value (in an approved report, or written outside any round) of a unit within the user's reading
      scope (specialist, division head, leader or administrator there or above), or of a figure collected by a form
      owned within that scope (the collecting division reads what every unit reported to it, once approved).
    Nothing else: a role held elsewhere opens nothing here."""
    qs = DataValue.objects.select_related("element", "category_option", "organisation", "submission")
    own = _organisations_in_scope(user, REPORTER_ROLES, "organisation")
    reviewed = _organisations_in_scope(user, REVIEWER_ROLES, "submission__round__form__owner")
    read_unit = _organisations_in_scope(user, READER_ROLES, "organisation")
    collecting_forms = _organisations_in_scope(user, READER_ROLES, "forms__owner")
    collected = Q(element__in=DataElement.objects.filter(collecting_forms).values("pk"))
    approved = Q(submission__isnull=True) | Q(submission__status=SubmissionStatus.APPROVED)
    return qs.filter(own | reviewed | (approved & (read_unit | collected)))


def _organisations_in_scope(user: Any, roles: tuple[str, ...], field: str) -> Q:
    """A Q over `field` (a path to an Organisation) for the organisations where `user` holds one of `roles`."""
    scope = organisation_scope(user, *roles)
    if scope is None:
        return Q(**{f"{field}__isnull": False})
    if not has_role(user, *roles):
        return Q(pk__in=[])
    return Q(**{f"{field}__in": Organisation.objects.filter(scope).values("pk")})
