"""The catalogue: disaggregations, data elements, indicators, report forms with their rules, and targets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import Organisation, User
from eprovince.core.services.audit import audit_record

from ..models import (
    CategoryCombo,
    CategoryOption,
    DataElement,
    Indicator,
    ReportForm,
    ReportFormElement,
    Target,
    ValidationRule,
)
from ..permissions import can_manage_catalogue, can_review
from ..validators import validate_formula
from .common import not_allowed, require, upsert


@transaction.atomic
def category_combo_save(*, acting_user: User | None, code: str, name: str, options: Sequence[tuple[str, str]]) -> CategoryCombo:
    """The disaggregation `code` with exactly these options (code, name), in this order."""
    require(can_manage_catalogue(acting_user), acting_user, not_allowed())
    combo, _created = upsert(CategoryCombo, lookup={"code": code}, fields={"name": name}, acting_user=acting_user)
    for order, (option_code, option_name) in enumerate(options, start=1):
        upsert(
            CategoryOption,
            lookup={"combo": combo, "code": option_code},
            fields={"name": option_name, "order": order * 10},
            acting_user=acting_user,
        )
    return combo


@transaction.atomic
def data_element_save(*, acting_user: User | None, code: str, **fields: Any) -> DataElement:
    """Create the element `code` or change its fields."""
    require(can_manage_catalogue(acting_user), acting_user, not_allowed())
    element, _created = upsert(DataElement, lookup={"code": code}, fields=fields, acting_user=acting_user)
    return element


@transaction.atomic
def indicator_save(*, acting_user: User | None, code: str, **fields: Any) -> Indicator:
    """Create the indicator `code` or change it; its formula must read and name known data elements."""
    require(can_manage_catalogue(acting_user), acting_user, not_allowed())
    indicator, _created = upsert(Indicator, lookup={"code": code}, fields=fields, acting_user=acting_user)
    return indicator


@transaction.atomic
def report_form_save(
    *,
    acting_user: User | None,
    code: str,
    owner: Organisation,
    elements: Sequence[DataElement | tuple[DataElement, str]],
    organisations: Iterable[Organisation],
    **fields: Any,
) -> ReportForm:
    """Create or change the form `code`: its fields, its elements (in order, each with an optional section) and its
    reporting units."""
    require(can_manage_catalogue(acting_user), acting_user, not_allowed())
    form, _created = upsert(ReportForm, lookup={"code": code}, fields={"owner": owner, **fields}, acting_user=acting_user)
    wanted: list[tuple[DataElement, str]] = [e if isinstance(e, tuple) else (e, "") for e in elements]
    before = sorted(form.form_elements.values_list("element__code", flat=True))
    form.form_elements.exclude(element__in=[e for e, _s in wanted]).delete()
    for order, (element, section) in enumerate(wanted, start=1):
        ReportFormElement.objects.update_or_create(form=form, element=element, defaults={"section": section, "order": order * 10})
    orgs_before = sorted(form.organisations.values_list("pk", flat=True))
    form.organisations.set(list(organisations))
    orgs_after = sorted(form.organisations.values_list("pk", flat=True))
    after = sorted(e.code for e, _s in wanted)
    if before != after or orgs_before != orgs_after:
        audit_record(
            actor=acting_user,
            action=AuditAction.UPDATE,
            obj=form,
            before={"elements": before, "organisations": orgs_before},
            after={"elements": after, "organisations": orgs_after},
        )
    return form


@transaction.atomic
def validation_rule_save(
    *,
    acting_user: User | None,
    form: ReportForm,
    name: str,
    left: str,
    operator: str,
    right: str,
    message: str,
    severity: str = "error",
    order: int = 100,
) -> ValidationRule:
    """A rule of `form` (looked up by its name); both sides must name only elements of the form."""
    require(can_manage_catalogue(acting_user), acting_user, not_allowed())
    codes = set(form.elements.values_list("code", flat=True))
    validate_formula(left, field="left", known_codes=codes)
    validate_formula(right, field="right", known_codes=codes)
    rule, _created = upsert(
        ValidationRule,
        lookup={"form": form, "name": name},
        fields={"left": left, "operator": operator, "right": right, "message": message, "severity": severity, "order": order},
        acting_user=acting_user,
    )
    return rule


@transaction.atomic
def target_set(
    *,
    acting_user: User | None,
    year: int,
    value: Decimal,
    indicator: Indicator | None = None,
    element: DataElement | None = None,
    organisation: Organisation | None = None,
    source_decision: str = "",
    synthetic: bool = False,
) -> Target:
    """Set the target of an indicator (or data element) for an organisation (None: the province) and year."""
    if (indicator is None) == (element is None):
        raise ValidationError(_("Chỉ tiêu kế hoạch gắn với đúng một chỉ số hoặc một chỉ tiêu dữ liệu."))
    allowed = can_manage_catalogue(acting_user) or (
        acting_user is not None and any(can_review(acting_user, f) for f in ReportForm.objects.select_related("owner"))
    )
    require(allowed, acting_user, not_allowed())
    target, _created = upsert(
        Target,
        lookup={"indicator": indicator, "element": element, "organisation": organisation, "year": year},
        fields={
            "value": Decimal(value),
            "source_decision": source_decision,
            "synthetic": synthetic,
            "updated_by": acting_user,
        },
        acting_user=acting_user,
    )
    return target
