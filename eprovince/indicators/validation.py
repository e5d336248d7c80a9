"""Running a report form's validation rules over one unit's values for one period.

Rules are `left operator right` (both formulas). As in DHIS2, a rule is skipped when a value it needs is missing.
The form's change threshold adds one check per element: a change over the threshold against the same period of last
year needs a comment on that element; the comment explains it (the check then no longer blocks submission)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from eprovince.core.models import Organisation

from . import formula
from .constants import Severity
from .models import DataElement, DataValue, ReportForm
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
    for rule, left_tree, right_tree in parsed:
        left = formula.evaluate(left_tree, resolve)
        right = formula.evaluate(right_tree, resolve)
        if left is None or right is None or formula.compare(left, rule.operator, right):
            continue
        codes = tuple(dict.fromkeys(r.code for r in formula.references(left_tree) + formula.references(right_tree)))
        violations.append(Violation(rule.name, rule.message, rule.severity, left, rule.operator, right, codes))
    if form.change_comment_threshold is not None:
        violations.extend(_change_checks(form, period, table))
    return sorted(violations, key=lambda v: (v.severity != Severity.ERROR, v.explained))


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
