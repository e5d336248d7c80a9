"""Editing the catalogue from the administrators' screens: creating and changing disaggregations, data elements,
indicators, report forms with their validation rules, and the targets of a year as a grid. Each write checks the
role, refuses a change that would break what already uses the object (with a message naming what), and is audited
in its transaction. Deleting something in use is refused; a report form in use is archived instead."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import Organisation, User
from eprovince.core.services.audit import audit_record, snapshot

from .. import formula, summary
from ..models import (
    CategoryCombo,
    CategoryOption,
    DataElement,
    DataValue,
    DataValueAudit,
    IndexItem,
    Indicator,
    ReportForm,
    ReportFormElement,
    Target,
    ValidationRule,
)
from ..permissions import can_manage_catalogue
from ..validators import clean_target_value, validate_formula
from .catalogue import category_combo_save, data_element_save, indicator_save, report_form_save
from .common import not_allowed, require, upsert

MIN_YEAR, MAX_YEAR = 2000, 2100


def _require_admin(acting_user: User | None) -> None:
    require(can_manage_catalogue(acting_user), acting_user, not_allowed())


def _names(items: Iterable[Any], limit: int = 5) -> str:
    names = [str(i) for i in items]
    shown = ", ".join(f"“{n}”" for n in names[:limit])
    return shown + (_(" và %(n)d mục khác") % {"n": len(names) - limit} if len(names) > limit else "")


def _delete(obj: models.Model, acting_user: User | None, reason: str = "") -> None:
    before = snapshot(obj)
    audit_record(actor=acting_user, action=AuditAction.DELETE, obj=obj, before=before, reason=reason)
    obj.delete()


def _code_taken(model: type[models.Model], code: str) -> None:
    if model._default_manager.filter(code=code).exists():
        raise ValidationError({"code": [_("Mã “%(code)s” đã được dùng; hãy chọn mã khác.") % {"code": code}]})


# Who refers to a data element by its code in a formula --------------------------------------------------------


def _formula_codes(text: str) -> set[str]:
    try:
        return {r.code for r in formula.references(formula.parse(text))}
    except formula.FormulaError:
        return set()


def indicators_using(code: str) -> list[Indicator]:
    return [i for i in Indicator.objects.all() if code in _formula_codes(i.formula)]


def rules_using(codes: set[str], form: ReportForm | None = None) -> list[ValidationRule]:
    rules = ValidationRule.objects.select_related("form")
    if form is not None:
        rules = rules.filter(form=form)
    return [r for r in rules if codes & (_formula_codes(r.left) | _formula_codes(r.right))]


# Disaggregations -----------------------------------------------------------------------------------------------


@transaction.atomic
def category_combo_update(
    *, acting_user: User | None, combo: CategoryCombo | None, code: str, name: str, options: Sequence[tuple[str, str]]
) -> CategoryCombo:
    """Create (combo None) or change a disaggregation with exactly `options`; an option that values use stays."""
    _require_admin(acting_user)
    if not options:
        raise ValidationError({"options": [_("Cách phân tổ phải có ít nhất một nhóm.")]})
    codes = [c for c, _n in options]
    if len(set(codes)) != len(codes):
        raise ValidationError({"options": [_("Mã nhóm bị trùng.")]})
    if combo is None:
        _code_taken(CategoryCombo, code)
    else:
        code = combo.code
        removed = list(combo.options.exclude(code__in=codes))
        used = [
            o
            for o in removed
            if DataValue.objects.filter(category_option=o).exists() or DataValueAudit.objects.filter(category_option=o).exists()
        ]
        if used:
            raise ValidationError(
                {"options": [_("Không bỏ được nhóm đã có số liệu: %(names)s.") % {"names": _names(o.code for o in used)}]}
            )
        for option in removed:
            _delete(option, acting_user)
    for option_code, _name in options:
        CategoryOption(combo=combo or CategoryCombo(code=code), code=option_code, name=_name).clean_fields(exclude=["combo"])
    return category_combo_save(acting_user=acting_user, code=code, name=name, options=options)


@transaction.atomic
def category_combo_delete(*, acting_user: User | None, combo: CategoryCombo) -> None:
    _require_admin(acting_user)
    elements = list(combo.elements.all())
    if elements:
        raise ValidationError(
            _("Không xóa được: cách phân tổ đang dùng cho chỉ tiêu dữ liệu %(names)s.") % {"names": _names(elements)}
        )
    for option in combo.options.all():
        _delete(option, acting_user)
    _delete(combo, acting_user)


# Data elements -------------------------------------------------------------------------------------------------


@transaction.atomic
def data_element_update(*, acting_user: User | None, element: DataElement | None, code: str, **fields: Any) -> DataElement:
    """Create (element None) or change a data element. Its code never changes (formulas name it); once values are
    stored its value type and disaggregation stay as they are. A new rule over time recomputes the element's
    yearly figures (the yearly summary) in the same transaction."""
    _require_admin(acting_user)
    has_values = False
    if element is None:
        _code_taken(DataElement, code)
    else:
        code = element.code
        has_values = DataValue.objects.filter(element=element).exists()
        if has_values and "value_type" in fields and fields["value_type"] != element.value_type:
            raise ValidationError({"value_type": [_("Chỉ tiêu đã có số liệu nên không đổi được kiểu giá trị.")]})
        if has_values and "category_combo" in fields and fields["category_combo"] != element.category_combo:
            raise ValidationError({"category_combo": [_("Chỉ tiêu đã có số liệu nên không đổi được cách phân tổ.")]})
    # (from the database: the caller's object may already carry the new rule)
    rule_before = (
        DataElement.objects.filter(pk=element.pk).values_list("time_aggregation", flat=True).first() if element else None
    )
    saved = data_element_save(acting_user=acting_user, code=code, **fields)
    if has_values and saved.time_aggregation != rule_before:
        summary.rebuild([saved.pk])
    return saved


def data_element_usage(element: DataElement) -> list[str]:
    """Why the element cannot be deleted, one sentence per kind of use (empty: it can)."""
    uses: list[str] = []
    forms = list(ReportForm.objects.filter(form_elements__element=element).distinct())
    if forms:
        uses.append(_("nằm trong biểu mẫu %(names)s") % {"names": _names(forms)})
    if DataValue.objects.filter(element=element).exists() or DataValueAudit.objects.filter(element=element).exists():
        uses.append(_("đã có số liệu các đơn vị báo cáo"))
    if indicators := indicators_using(element.code):
        uses.append(_("được dùng trong công thức của chỉ số %(names)s") % {"names": _names(indicators)})
    if rules := rules_using({element.code}):
        uses.append(_("được dùng trong quy tắc kiểm tra %(names)s") % {"names": _names(r.name for r in rules)})
    if Target.objects.filter(element=element).exists():
        uses.append(_("có chỉ tiêu kế hoạch"))
    if IndexItem.objects.filter(element=element).exists():
        uses.append(_("là đầu vào của bộ chỉ số xếp hạng"))
    return uses


@transaction.atomic
def data_element_delete(*, acting_user: User | None, element: DataElement) -> None:
    _require_admin(acting_user)
    uses = data_element_usage(element)
    if uses:
        raise ValidationError(
            _("Không xóa được chỉ tiêu dữ liệu “%(name)s” vì nó %(uses)s.") % {"name": element.name, "uses": "; ".join(uses)}
        )
    _delete(element, acting_user)


# Indicators ----------------------------------------------------------------------------------------------------


@transaction.atomic
def indicator_update(*, acting_user: User | None, indicator: Indicator | None, code: str, **fields: Any) -> Indicator:
    """Create (indicator None) or change an indicator; its formula must read and name existing data elements."""
    _require_admin(acting_user)
    if indicator is None:
        _code_taken(Indicator, code)
    else:
        code = indicator.code
    validate_formula(fields.get("formula", indicator.formula if indicator else ""), field="formula")
    return indicator_save(acting_user=acting_user, code=code, **fields)


def indicator_usage(indicator: Indicator) -> list[str]:
    uses: list[str] = []
    years = sorted(set(Target.objects.filter(indicator=indicator).values_list("year", flat=True)))
    if years:
        uses.append(_("có chỉ tiêu kế hoạch các năm %(years)s") % {"years": ", ".join(str(y) for y in years)})
    if IndexItem.objects.filter(indicator=indicator).exists():
        uses.append(_("là đầu vào của bộ chỉ số xếp hạng"))
    return uses


@transaction.atomic
def indicator_delete(*, acting_user: User | None, indicator: Indicator) -> None:
    _require_admin(acting_user)
    uses = indicator_usage(indicator)
    if uses:
        raise ValidationError(
            _("Không xóa được chỉ số “%(name)s” vì nó %(uses)s.") % {"name": indicator.name, "uses": "; ".join(uses)}
        )
    _delete(indicator, acting_user)


# Report forms and their validation rules ------------------------------------------------------------------------


@transaction.atomic
def report_form_update(
    *,
    acting_user: User | None,
    form: ReportForm | None,
    code: str,
    owner: Organisation,
    elements: Sequence[DataElement],
    organisations: Iterable[Organisation],
    **fields: Any,
) -> ReportForm:
    """Create (form None) or change a report form. Elements keep their section and order, new ones come last.
    Once rounds exist the period type and convention stay; an element a validation rule names stays."""
    _require_admin(acting_user)
    if not elements:
        raise ValidationError({"elements": [_("Biểu mẫu phải có ít nhất một chỉ tiêu dữ liệu.")]})
    sections: dict[int, tuple[int, str]] = {}
    if form is None:
        _code_taken(ReportForm, code)
    else:
        code = form.code
        rounds = form.rounds.count()
        for name in ("period_type", "convention"):
            if rounds and name in fields and fields[name] != getattr(form, name):
                raise ValidationError(
                    {
                        name: [
                            _("Biểu mẫu đã có %(n)d đợt báo cáo nên không đổi được kỳ báo cáo hay cách tính kỳ.") % {"n": rounds}
                        ]
                    }
                )
        current = {fe.element_id: fe for fe in form.form_elements.select_related("element")}
        removed = {fe.element.code for pk, fe in current.items() if pk not in {e.pk for e in elements}}
        if removed and (rules := rules_using(removed, form)):
            raise ValidationError(
                {
                    "elements": [
                        _("Không bỏ được %(codes)s khỏi biểu mẫu vì quy tắc kiểm tra %(rules)s dùng đến; hãy sửa quy tắc trước.")
                        % {"codes": ", ".join(sorted(removed)), "rules": _names(r.name for r in rules)}
                    ]
                }
            )
        sections = {pk: (fe.order, fe.section) for pk, fe in current.items()}
    kept = sorted((e for e in elements if e.pk in sections), key=lambda e: sections[e.pk][0])
    added = [e for e in elements if e.pk not in sections]
    ordered = [(e, sections[e.pk][1] if e.pk in sections else "") for e in [*kept, *added]]
    return report_form_save(
        acting_user=acting_user, code=code, owner=owner, elements=ordered, organisations=organisations, **fields
    )


@transaction.atomic
def report_form_set_active(*, acting_user: User | None, form: ReportForm, active: bool) -> ReportForm:
    """Archive (no new rounds; its rounds and values stay) or bring back a report form."""
    _require_admin(acting_user)
    saved, _created = upsert(ReportForm, lookup={"pk": form.pk}, fields={"active": active}, acting_user=acting_user)
    return saved


@transaction.atomic
def report_form_delete(*, acting_user: User | None, form: ReportForm) -> None:
    _require_admin(acting_user)
    rounds = form.rounds.count()
    if rounds:
        raise ValidationError(
            _(
                "Không xóa được biểu mẫu “%(name)s” vì đã có %(n)d đợt báo cáo dùng nó. Hãy “Ngừng sử dụng” biểu mẫu: "
                "không mở được đợt mới, các đợt và số liệu cũ vẫn còn."
            )
            % {"name": form.name, "n": rounds}
        )
    for rule in form.rules.all():
        _delete(rule, acting_user)
    form.organisations.clear()
    ReportFormElement.objects.filter(form=form).delete()
    _delete(form, acting_user)


@transaction.atomic
def validation_rule_update(
    *, acting_user: User | None, form: ReportForm, rule: ValidationRule | None, name: str, **fields: Any
) -> ValidationRule:
    """Create (rule None) or change a rule of `form`; both sides may name only the form's data elements."""
    _require_admin(acting_user)
    if rule is not None and rule.form_id != form.pk:
        raise ValidationError(_("Quy tắc không thuộc biểu mẫu này."))
    codes = set(form.elements.values_list("code", flat=True))
    errors: dict[str, list[str]] = {}
    for side in ("left", "right"):
        try:
            validate_formula(fields.get(side, ""), field=side, known_codes=codes)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    others = ValidationRule.objects.filter(form=form, name=name)
    if rule is not None:
        others = others.exclude(pk=rule.pk)
    if others.exists():
        errors["name"] = [_("Biểu mẫu đã có quy tắc tên này.")]
    if errors:
        raise ValidationError(errors)
    if rule is None:
        saved, _created = upsert(ValidationRule, lookup={"form": form, "name": name}, fields=fields, acting_user=acting_user)
    else:
        saved, _created = upsert(ValidationRule, lookup={"pk": rule.pk}, fields={"name": name, **fields}, acting_user=acting_user)
    return saved


@transaction.atomic
def validation_rule_delete(*, acting_user: User | None, rule: ValidationRule) -> None:
    _require_admin(acting_user)
    _delete(rule, acting_user)


# Targets of a year ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetCell:
    """One cell of the grid: the target of `indicator` for `organisation` (None: the province); value None: none."""

    indicator: Indicator
    organisation: Organisation | None
    value: Decimal | None


@dataclass
class TargetsResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": [_("Năm phải từ %(a)d đến %(b)d.") % {"a": MIN_YEAR, "b": MAX_YEAR}]})


@transaction.atomic
def targets_save(*, acting_user: User | None, year: int, cells: Sequence[TargetCell], source_decision: str = "") -> TargetsResult:
    """Set the targets of `year` from the grid, all or nothing: a cell with a value creates or changes its target,
    an emptied cell removes it. `source_decision` (the plan's decision) is recorded on the cells that change."""
    _require_admin(acting_user)
    _check_year(year)
    errors: dict[str, list[str]] = {}
    for cell in cells:
        if cell.value is not None:
            try:
                clean_target_value(cell.value)
            except ValidationError as exc:
                errors[f"{cell.organisation.pk if cell.organisation else 0}_{cell.indicator.pk}"] = exc.messages
    if errors:
        raise ValidationError(errors)
    existing = {
        (t.indicator_id, t.organisation_id): t
        for t in Target.objects.select_for_update().filter(indicator__in={c.indicator.pk for c in cells}, year=year)
    }
    result = TargetsResult()
    for cell in cells:
        current = existing.get((cell.indicator.pk, cell.organisation.pk if cell.organisation else None))
        if cell.value is None:
            if current is not None:
                _delete(current, acting_user, reason=source_decision)
                result.deleted += 1
            continue
        if current is not None and current.value == cell.value:
            continue
        fields: dict[str, Any] = {"value": cell.value, "updated_by": acting_user, "synthetic": False}
        if source_decision or current is None:
            fields["source_decision"] = source_decision
        upsert(
            Target,
            lookup={"indicator": cell.indicator, "element": None, "organisation": cell.organisation, "year": year},
            fields=fields,
            acting_user=acting_user,
            reason=source_decision,
        )
        if current is None:
            result.created += 1
        else:
            result.updated += 1
    return result
