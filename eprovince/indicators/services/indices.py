"""Composite indices: installing a framework version from its definition, the units compared, their inputs."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import AdminUnit, Organisation, User
from eprovince.core.services.audit import audit_record

from ..constants import Normalisation
from ..indexing import input_range
from ..models import IndexComponent, IndexFramework, IndexInput, IndexItem, IndexPillar, IndexSubject
from ..permissions import can_manage_catalogue
from ..validators import parse_number, validate_formula
from .common import not_allowed, require, upsert


@transaction.atomic
def framework_install(*, acting_user: User | None, definition: Mapping[str, Any], year: int) -> IndexFramework:
    """Create (or bring up to date) the version of a framework for `year` from a definition such as
    `frameworks.ICT_INDEX_2016`: components with weights or points, items with their normalisation, pillars."""
    require(can_manage_catalogue(acting_user), acting_user, not_allowed())
    framework, _created = upsert(
        IndexFramework,
        lookup={"code": definition["code"], "year": year},
        fields={
            "name": definition["name"],
            "aggregation": definition["aggregation"],
            "total_points": definition.get("total_points"),
            "description": definition.get("description", ""),
            "source": definition.get("source", ""),
        },
        acting_user=acting_user,
    )
    component_codes = [c["code"] for c in definition["components"]]
    for order, spec in enumerate(definition["components"], start=1):
        component, _c = upsert(
            IndexComponent,
            lookup={"framework": framework, "code": spec["code"]},
            fields={
                "name": spec["name"],
                "weight": Decimal(str(spec.get("weight", 1))),
                "points": Decimal(str(spec.get("points", 0))),
                "order": order * 10,
            },
            acting_user=acting_user,
        )
        for item_order, item in enumerate(spec["items"], start=1):
            reference = item.get("reference")
            if item.get("normalisation") == Normalisation.REFERENCE and (reference is None or Decimal(str(reference)) <= 0):
                # the ranking would divide by it: refused here rather than failing every time the ranking is shown
                raise ValidationError(
                    {
                        item["code"]: [
                            _("Tiêu chí “%(name)s” (%(code)s) so với giá trị tham chiếu cần một giá trị tham chiếu lớn hơn 0.")
                            % {"name": item["name"], "code": item["code"]}
                        ]
                    }
                )
            upsert(
                IndexItem,
                lookup={"component": component, "code": item["code"]},
                fields={
                    "name": item["name"],
                    "weight": Decimal(str(item.get("weight", 1))),
                    "normalisation": item.get("normalisation", "raw"),
                    "reference_value": item.get("reference"),
                    "higher_is_better": item.get("higher_is_better", True),
                    "indicator": item.get("indicator"),
                    "element": item.get("element"),
                    "order": item_order * 10,
                },
                acting_user=acting_user,
            )
    for order, pillar in enumerate(definition.get("pillars", ()), start=1):
        validate_formula(pillar["formula"], field="formula", known_codes=set(component_codes))
        upsert(
            IndexPillar,
            lookup={"framework": framework, "code": pillar["code"]},
            fields={"name": pillar["name"], "formula": pillar["formula"], "order": order * 10},
            acting_user=acting_user,
        )
    return framework


@transaction.atomic
def index_subject_save(
    *,
    acting_user: User | None,
    code: str,
    name: str,
    admin_unit: AdminUnit | None = None,
    organisation: Organisation | None = None,
    frameworks: list[IndexFramework] | None = None,
) -> IndexSubject:
    require(can_manage_catalogue(acting_user), acting_user, not_allowed())
    subject, _created = upsert(
        IndexSubject,
        lookup={"code": code},
        fields={"name": name, "admin_unit": admin_unit, "organisation": organisation},
        acting_user=acting_user,
    )
    for framework in frameworks or []:
        framework.subjects.add(subject)
    return subject


def _shown(value: Decimal) -> str:
    """80 → "80", 1.0000001 → "1,0000001" (Vietnamese), as the message quotes the value refused."""
    return str(formats.number_format(value, use_l10n=True, force_grouping=True))


def clean_index_inputs(items: Mapping[str, IndexItem], values: Mapping[str, Any]) -> dict[str, Decimal]:
    """The values of `values` ({item code: raw}) as Decimals, each checked against its item: a number, finite, and
    for a score already normalised between 0 and 1 (indexing.input_range). Otherwise a ValidationError naming every
    item refused ({item code: [message]}, in Vietnamese, with the value), so nothing is saved."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Decimal] = {}
    for code, raw in values.items():
        item = items[code]
        label = {"name": item.name, "code": code}
        try:
            value = parse_number(raw, localized=False)
        except ValidationError as exc:
            errors[code] = [_("Tiêu chí “%(name)s” (%(code)s): %(message)s") % {**label, "message": m} for m in exc.messages]
            continue
        bounds = input_range(item.normalisation)
        if not value.is_finite():
            errors[code] = [
                _("Tiêu chí “%(name)s” (%(code)s): giá trị “%(value)s” không phải là một số. Vui lòng nhập một số cụ thể.")
                % {**label, "value": raw}
            ]
        elif bounds is not None and not bounds[0] <= value <= bounds[1]:
            errors[code] = [
                _(
                    "Tiêu chí “%(name)s” (%(code)s) là điểm đã chuẩn hóa, nhận giá trị từ %(low)s đến %(high)s; giá trị "
                    "%(value)s nằm ngoài khoảng này. Vui lòng kiểm tra lại số liệu (ví dụ 0,8654; tỷ lệ 80%% nhập là 0,8)."
                )
                % {**label, "value": _shown(value), "low": _shown(bounds[0]), "high": _shown(bounds[1])}
            ]
        else:
            cleaned[code] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def index_inputs_save(
    *,
    acting_user: User | None,
    framework: IndexFramework,
    subject: IndexSubject,
    values: Mapping[str, Decimal | int | float | str],
    source: str = "",
    synthetic: bool = False,
) -> list[IndexInput]:
    """The raw values of `subject` for the framework's items, by item code; the subject joins the compared units.
    Every value is checked first (`clean_index_inputs`: a score outside [0, 1] such as 80 or −3, NaN or infinity
    is refused with the item named), so a refused set saves nothing. One audit row for the set, with the values
    before and after."""
    require(can_manage_catalogue(acting_user), acting_user, not_allowed())
    items = {i.code: i for i in IndexItem.objects.filter(component__framework=framework)}
    unknown = sorted(set(values) - set(items))
    if unknown:
        raise ValidationError({"values": [_("Bộ chỉ số không có tiêu chí: %(codes)s.") % {"codes": ", ".join(unknown)}]})
    cleaned = clean_index_inputs(items, values)
    framework.subjects.add(subject)
    existing = {row.item_id: row for row in IndexInput.objects.filter(subject=subject, item__in=items.values())}
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    new: list[IndexInput] = []
    changed: list[IndexInput] = []
    errors: dict[str, list[str]] = {}
    for code, value in cleaned.items():
        row = existing.get(items[code].pk)
        if row is None:
            row = IndexInput(item=items[code], subject=subject, value=value, source=source, synthetic=synthetic)
            new.append(row)
        elif (row.value, row.source, row.synthetic) != (value, source, synthetic):
            before[code] = str(row.value)
            row.value, row.source, row.synthetic = value, source, synthetic
            changed.append(row)
        else:
            continue
        try:
            row.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:  # too many digits, a source too long: named by the item too
            label = {"name": items[code].name, "code": code}
            errors[code] = [_("Tiêu chí “%(name)s” (%(code)s): %(message)s") % {**label, "message": m} for m in exc.messages]
        after[code] = str(value)
    if errors:
        raise ValidationError(errors)
    IndexInput.objects.bulk_create(new)
    IndexInput.objects.bulk_update(changed, ["value", "source", "synthetic"])
    if new or changed:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE if changed else AuditAction.CREATE,
            obj=subject,
            before=before or None,
            after=after,
            reason=str(framework),
        )
    return [*existing.values(), *new]
