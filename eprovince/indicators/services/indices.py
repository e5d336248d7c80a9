"""Composite indices: installing a framework version from its definition, the units compared, their inputs."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import AdminUnit, Organisation, User
from eprovince.core.services.audit import audit_record

from ..models import IndexComponent, IndexFramework, IndexInput, IndexItem, IndexPillar, IndexSubject
from ..permissions import can_manage_catalogue
from ..validators import validate_formula
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
    One audit row for the set, with the values before and after."""
    require(can_manage_catalogue(acting_user), acting_user, not_allowed())
    items = {i.code: i for i in IndexItem.objects.filter(component__framework=framework)}
    unknown = sorted(set(values) - set(items))
    if unknown:
        raise ValidationError({"values": [_("Bộ chỉ số không có tiêu chí: %(codes)s.") % {"codes": ", ".join(unknown)}]})
    framework.subjects.add(subject)
    existing = {row.item_id: row for row in IndexInput.objects.filter(subject=subject, item__in=items.values())}
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    new: list[IndexInput] = []
    changed: list[IndexInput] = []
    for code, raw in values.items():
        value = Decimal(str(raw))
        row = existing.get(items[code].pk)
        if row is None:
            row = IndexInput(item=items[code], subject=subject, value=value, source=source, synthetic=synthetic)
            row.full_clean(validate_unique=False, validate_constraints=False)
            new.append(row)
        elif (row.value, row.source, row.synthetic) != (value, source, synthetic):
            before[code] = str(row.value)
            row.value, row.source, row.synthetic = value, source, synthetic
            row.full_clean(validate_unique=False, validate_constraints=False)
            changed.append(row)
        else:
            continue
        after[code] = str(value)
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
