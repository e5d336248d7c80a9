"""Running a report form's validation rules over one unit's values for one period.

Rules are `left operator right` (both formulas). As in DHIS2, a rule is skipped when a value it needs is missing.
The form's change threshold adds one check per element: a change over the threshold against the same period of last
year needs a comment on that element; the comment explains it (the check then no longer blocks submission).

A violated rule also says in words what is wrong, with the values ("Số trạm BTS 4G (20) không được lớn hơn Tổng số
trạm BTS (14)"). The outlier check warns (never blocks) when a value is more than the threshold times, or less than
its inverse, the previous period's approved value (the element's own `outlier_ratio`, else the form's)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from eprovince.core.models import Organisation

from . import formula
from .constants import Severity
from .models import CategoryOption, DataElement, DataValue, ReportForm
from .periods import Period

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    severity: str
    left: Decimal | None = None
    operator: str = ""
    right: Decimal | None = None
    elements: tuple[str, ...] = ()
    explained: bool = False  # a comment explains it: shown, but it no longer blocks
    detail: str = ""  # what is wrong, in words, with the values

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    @property
    def blocking(self) -> bool:
        return self.severity == Severity.ERROR and not self.explained


@dataclass
class ValueTable:
    """Values of one organisation: {(element code, option code or ""): value} per period id, plus comments.

    Filled first (load_values), then read: the totals of disaggregated elements and the elements with a comment
    are indexed on the first read, so each rule and each element's change check is a dictionary lookup instead of
    a pass over every value of the period (5.000 cells per report)."""

    values: dict[str, dict[tuple[str, str], Decimal]] = field(default_factory=lambda: defaultdict(dict))
    comments: dict[tuple[str, str], str] = field(default_factory=dict)
    _sums: dict[str, dict[str, Decimal]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _commented: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    def total(self, period: str, code: str, option: str = "") -> Decimal | None:
        table = self.values.get(period, {})
        if option:
            return table.get((code, option))
        if (code, "") in table:
            return table[(code, "")]
        sums = self._sums.get(period)
        if sums is None:
            sums = self._sums[period] = self._option_sums(table)
        return sums.get(code)

    @staticmethod
    def _option_sums(table: dict[tuple[str, str], Decimal]) -> dict[str, Decimal]:
        """{code: sum of its options' values} (added in the table's order, from Decimal(0), as one would by hand)."""
        sums: dict[str, Decimal] = {}
        for (code, option), value in table.items():
            if option:
                sums[code] = sums.get(code, Decimal(0)) + value
        return sums

    def has_comment(self, code: str) -> bool:
        if self._commented is None:
            self._commented = frozenset(c for (c, _o), text in self.comments.items() if text.strip())
        return code in self._commented


def shifted_period(period: Period, shift: formula.Shift) -> Period:
    moved = period.shifted(-shift.periods_back) if shift.periods_back else period
    if shift.years_back:
        moved = Period(moved.type, moved.year - shift.years_back, moved.number)
    return moved


def load_values(organisation: Organisation, period: Period, shifts: set[formula.Shift]) -> ValueTable:
    """The organisation's stored values (whatever their approval) for `period` and the shifted periods: one query."""
    periods = {shifted_period(period, s).id for s in shifts | {formula.Shift(), formula.Shift(0, 1)}}
    table = ValueTable()
    rows = DataValue.objects.filter(organisation=organisation, period__in=periods).values_list(
        "period", "element__code", "category_option__code", "value", "comment"
    )
    for period_id, code, option, value, comment in rows:
        table.values[period_id][(code, option or "")] = value
        if period_id == period.id and comment:
            table.comments[(code, option or "")] = comment
    return table


def check(form: ReportForm, organisation: Organisation, period: Period) -> list[Violation]:
    """Every violated rule for the organisation's values in `period`, errors first."""
    rules = list(form.rules.all())
    parsed = [(rule, formula.parse(rule.left), formula.parse(rule.right)) for rule in rules]
    shifts: set[formula.Shift] = set()
    for _rule, left_side, right_side in parsed:
        shifts |= formula.shifts(left_side) | formula.shifts(right_side)
    table = load_values(organisation, period, shifts)

    def resolve(ref: formula.Ref, shift: formula.Shift) -> Decimal | None:
        return table.total(shifted_period(period, shift).id, ref.code, ref.option)

    violations: list[Violation] = []
    failed = []
    for rule, left_tree, right_tree in parsed:
        left = formula.evaluate(left_tree, resolve)
        right = formula.evaluate(right_tree, resolve)
        if left is None or right is None or formula.compare(left, rule.operator, right):
            continue
        failed.append((rule, left_tree, right_tree, left, right))
    names = _side_names([tree for f in failed for tree in f[1:3]])
    for rule, left_tree, right_tree, left, right in failed:
        codes = tuple(dict.fromkeys(r.code for r in formula.references(left_tree) + formula.references(right_tree)))
        detail = rule_sentence(names.get(left_tree), left, rule.operator, names.get(right_tree), right)
        violations.append(Violation(rule.name, rule.message, rule.severity, left, rule.operator, right, codes, detail=detail))
    if form.change_comment_threshold is not None:
        violations.extend(_change_checks(form, period, table))
    violations.extend(outlier_checks(form, organisation, period, table))
    return sorted(violations, key=lambda v: (v.severity != Severity.ERROR, v.explained))


# A violated rule in words: "<left> must not be greater than <right>" (the rule states what must hold).
_MUST = {
    "<=": _lazy("không được lớn hơn"),
    "<": _lazy("phải nhỏ hơn"),
    "==": _lazy("phải bằng"),
    "!=": _lazy("phải khác"),
    ">=": _lazy("không được nhỏ hơn"),
    ">": _lazy("phải lớn hơn"),
}


def _number(value: Decimal) -> str:
    from .results import format_number  # results reads validation: imported here

    places = -value.normalize().as_tuple().exponent  # type: ignore[operator]
    return format_number(value, min(max(places, 0), 2), trim=True)


def _side_names(trees: list[formula.Node]) -> dict[formula.Node, str]:
    """The name of each side that is one element (its label, and its breakdown's name): one query each kind."""
    refs = [t for t in trees if isinstance(t, formula.Ref)]
    if not refs:
        return {}
    labels = {e.code: e.label for e in DataElement.objects.filter(code__in={r.code for r in refs})}
    options = {
        o.code: o.name for o in CategoryOption.objects.filter(code__in={r.option for r in refs if r.option}).only("code", "name")
    }
    names: dict[formula.Node, str] = {}
    for ref in refs:
        if ref.code in labels:
            names[ref] = labels[ref.code] + (f" – {options.get(ref.option, ref.option)}" if ref.option else "")
    return names


def rule_sentence(left_name: str | None, left: Decimal, operator: str, right_name: str | None, right: Decimal) -> str:
    """ "Số trạm BTS 4G (20) không được lớn hơn Tổng số trạm BTS (14)": each side by its name when it is one element,
    a constant by its value, a computed side as "giá trị tính được"."""

    def side(name: str | None, value: Decimal, *, constant: bool) -> str:
        if name:
            return f"{name} ({_number(value)})"
        if constant:
            return _number(value)
        return _("giá trị tính được (%(value)s)") % {"value": _number(value)}

    must = _MUST.get(operator)
    if must is None:
        return ""
    text = _("%(left)s %(must)s %(right)s.") % {
        "left": side(left_name, left, constant=False),
        "must": must,
        "right": side(right_name, right, constant=right_name is None),
    }
    return text[:1].upper() + text[1:]


def _previous_approved(organisation: Organisation, period: Period) -> ValueTable:
    """The organisation's approved values of the period before `period` (of the same type): one query."""
    from .analytics import APPROVED  # analytics reads validation: imported here

    table = ValueTable()
    rows = DataValue.objects.filter(APPROVED, organisation=organisation, period=period.id).values_list(
        "element__code", "category_option__code", "value"
    )
    for code, option, value in rows:
        table.values[period.id][(code, option or "")] = value
    return table


def outlier_checks(form: ReportForm, organisation: Organisation, period: Period, table: ValueTable) -> list[Violation]:
    """A warning for each element whose value is more than `ratio` times, or less than 1/`ratio` of, the previous
    period's approved value (`ratio`: the element's own, else the form's; none: no check)."""
    elements = [e for e in form.elements.all() if (e.outlier_ratio or form.outlier_ratio)]
    if not elements:
        return []
    previous_period = period.previous()
    previous_table = _previous_approved(organisation, previous_period)
    found: list[Violation] = []
    for element in elements:
        ratio = Decimal(element.outlier_ratio or form.outlier_ratio or 0)
        current = table.total(period.id, element.code)
        previous = previous_table.total(previous_period.id, element.code)
        if current is None or previous is None or previous <= 0 or current < 0:
            continue
        times = current / previous
        if 1 / ratio <= times <= ratio:
            continue
        values = {
            "name": element.label,
            "current": _number(current),
            "previous": _number(previous),
            "period": previous_period.label,
            "times": _number(times.quantize(Decimal("0.1"))),
            "percent": _number((times * HUNDRED).quantize(Decimal("0.1"))),
            "limit": _number(ratio),
        }
        if times > ratio:
            message = (
                _(
                    "“%(name)s” kỳ này là %(current)s, gấp %(times)s lần kỳ trước (%(period)s: %(previous)s, đã phê duyệt). "
                    "Hãy kiểm tra lại, có thể nhập thừa chữ số; nếu đúng, hãy ghi chú giải trình."
                )
                % values
            )
        else:
            message = (
                _(
                    "“%(name)s” kỳ này là %(current)s, chỉ bằng %(percent)s%% kỳ trước (%(period)s: %(previous)s, đã phê duyệt). "
                    "Hãy kiểm tra lại, có thể nhập thiếu chữ số; nếu đúng, hãy ghi chú giải trình."
                )
                % values
            )
        found.append(
            Violation(
                rule=_("Số liệu khác thường so với kỳ trước (quá %(limit)s lần)") % values,
                message=message,
                severity=Severity.WARNING,
                left=current,
                right=previous,
                elements=(element.code,),
                explained=table.has_comment(element.code),
            )
        )
    return found


def _change_checks(form: ReportForm, period: Period, table: ValueTable) -> list[Violation]:
    threshold = form.change_comment_threshold or Decimal(0)
    last_year = period.same_period_last_year().id
    found: list[Violation] = []
    elements: list[DataElement] = list(form.elements.all())
    for element in elements:
        current = table.total(period.id, element.code)
        previous = table.total(last_year, element.code)
        if current is None or previous is None or previous == 0:
            continue
        change = (current - previous) / previous * HUNDRED
        if abs(change) <= threshold:
            continue
        found.append(
            Violation(
                rule=_("Thay đổi lớn so với cùng kỳ"),
                message=_("“%(name)s” thay đổi %(change)s%% so với cùng kỳ năm trước (quá %(limit)s%%): cần ghi chú giải trình.")
                % {
                    "name": element.label,
                    "change": ("+" if change > 0 else "") + formats.number_format(change, decimal_pos=1, use_l10n=True),
                    "limit": f"{threshold.normalize():f}",
                },
                severity=Severity.ERROR,
                left=current,
                operator="",
                right=previous,
                elements=(element.code,),
                explained=table.has_comment(element.code),
            )
        )
    return found


# The entry page's one validation state ------------------------------------------------------------------------


@dataclass(frozen=True)
class PageState:
    """What the box at the top of the entry page says: the values typed that could not be saved (field errors)
    and the rules the saved values break, together. `level` is "error" (red, with the count), "warning" (amber) or
    "ok" (green, only when there is nothing at all)."""

    field_errors: int
    rule_errors: int
    warnings: int

    @property
    def errors(self) -> int:
        return self.field_errors + self.rule_errors

    @property
    def level(self) -> str:
        if self.errors:
            return "error"
        return "warning" if self.warnings else "ok"

    @property
    def headline(self) -> str:
        if self.errors:
            text = ngettext("Có %(n)d lỗi cần sửa", "Có %(n)d lỗi cần sửa", self.errors) % {"n": self.errors}
            if self.warnings:
                text += ngettext(" và %(w)d cảnh báo", " và %(w)d cảnh báo", self.warnings) % {"w": self.warnings}
            return text + "."
        if self.warnings:
            return ngettext(
                "Không có lỗi; có %(w)d cảnh báo cần xem lại.", "Không có lỗi; có %(w)d cảnh báo cần xem lại.", self.warnings
            ) % {"w": self.warnings}
        return _("Không có lỗi hay cảnh báo nào.")


def page_state(field_errors: int, violations: list[Violation]) -> PageState:
    """One state for the page: `field_errors` (the fields whose typed value was refused) and the violations."""
    return PageState(
        field_errors=field_errors,
        rule_errors=sum(1 for v in violations if v.blocking),
        warnings=sum(1 for v in violations if not v.blocking and not v.explained),
    )
