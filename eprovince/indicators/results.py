"""Results against targets, phrased as the Department's reports phrase them.

For each indicator (and each data element with a target): the actual value for the period, the target of its year,
the share of the target achieved ("đạt 102% kế hoạch") and the change against the same period of last year
("tăng 1,24% so cùng kỳ"). Numbers are written the Vietnamese way through Django's localisation: 4.020 and 252,1."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from eprovince.core.models import Organisation

from . import formula
from .analytics import Context, aggregate_in_database, elements_by_code, formula_options
from .constants import PeriodType, ValueType
from .models import DataElement, Indicator, Target
from .periods import Period
from .validation import shifted_period

HUNDRED = Decimal(100)


def format_number(value: Decimal | int | float | None, decimals: int = 0, *, trim: bool = False) -> str:
    """4020 → "4.020", 252.1 → "252,1" (in Vietnamese); `trim` drops trailing zeros of the decimals."""
    if value is None:
        return "—"
    number = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) if decimals >= 0 else Decimal(value)
    text = formats.number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    if trim and decimals > 0:
        separator = formats.get_format("DECIMAL_SEPARATOR")
        if separator in text:
            text = text.rstrip("0").rstrip(separator)
    return text


def achieved_phrase(percent: Decimal | None, *, whole_year: bool = True) -> str:
    """ "đạt 102% kế hoạch" (or "kế hoạch năm" when the period is part of the year)."""
    if percent is None:
        return ""
    shown = format_number(percent, 0)
    if whole_year:
        return _("đạt %(pct)s%% kế hoạch") % {"pct": shown}
    return _("đạt %(pct)s%% kế hoạch năm") % {"pct": shown}


def change_phrase(percent: Decimal | None) -> str:
    """ "tăng 1,24% so cùng kỳ", "giảm 3,5% so cùng kỳ", "bằng cùng kỳ"."""
    if percent is None:
        return ""
    rounded = percent.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if rounded == 0:
        return _("bằng cùng kỳ")
    shown = format_number(abs(rounded), 2, trim=True)
    if rounded > 0:
        return _("tăng %(pct)s%% so cùng kỳ") % {"pct": shown}
    return _("giảm %(pct)s%% so cùng kỳ") % {"pct": shown}


@dataclass
class ResultRow:
    code: str
    name: str
    unit: str
    decimals: int
    period: Period
    actual: Decimal | None
    target: Decimal | None
    target_source: str
    target_synthetic: bool
    last_year: Decimal | None
    kind: str  # "indicator" or "element"
    comparable: bool = True  # False for an indicator that is itself a change (reads last_year or previous)

    @property
    def percent_of_target(self) -> Decimal | None:
        if self.actual is None or not self.target:
            return None
        return self.actual / self.target * HUNDRED

    @property
    def change_percent(self) -> Decimal | None:
        if self.actual is None or not self.last_year or not self.comparable:
            return None
        return (self.actual - self.last_year) / self.last_year * HUNDRED

    @property
    def change_value(self) -> Decimal | None:
        if self.actual is None or self.last_year is None:
            return None
        return self.actual - self.last_year

    @property
    def actual_display(self) -> str:
        return format_number(self.actual, self.decimals)

    @property
    def target_display(self) -> str:
        return format_number(self.target, self.decimals)

    @property
    def last_year_display(self) -> str:
        return format_number(self.last_year, self.decimals)

    @property
    def achieved_text(self) -> str:
        return achieved_phrase(self.percent_of_target, whole_year=self.period.type == PeriodType.YEAR)

    @property
    def change_text(self) -> str:
        return change_phrase(self.change_percent)

    @property
    def sentence(self) -> str:
        """ "Doanh thu: 252,1 tỷ đồng, đạt 55% kế hoạch năm, tăng 1,24% so cùng kỳ"."""
        if self.actual is None:
            return ""
        unit = self.unit if self.unit in ("%", "") else f" {self.unit}"
        parts = [f"{self.name}: {self.actual_display}{unit}"]
        parts += [p for p in (self.achieved_text, self.change_text) if p]
        return ", ".join(parts)


def _targets(year: int, root: Organisation | None) -> dict[tuple[str, int], Target]:
    qs = Target.objects.filter(year=year, organisation=root)
    return {("indicator" if t.indicator_id else "element", t.indicator_id or t.element_id): t for t in qs}  # type: ignore[misc]


def results(*, period: Period, root: Organisation | None = None, indicators: list[Indicator] | None = None) -> list[ResultRow]:
    """A row for every indicator, then for every data element (catalogue order), leaving out rows with neither a
    value nor a target. A fixed number of queries, whatever the number of rows."""
    indicator_list = list(indicators if indicators is not None else Indicator.objects.all())
    targets = _targets(period.year, root)
    trees = {i.pk: formula.parse(i.formula) for i in indicator_list}
    elements = elements_by_code()
    ctx = Context.for_root(root)
    last_year = period.same_period_last_year()
    needed = {period, last_year}
    for tree in trees.values():
        needed |= {shifted_period(p, s) for s in formula.shifts(tree) for p in (period, last_year)}
    # whole years are combined by the database (one query); other periods in Python from the values loaded
    aggregate_in_database({0: ctx}, elements.values(), needed, formula_options(indicator_list, elements))
    ctx.load(elements.values(), [p for p in needed if p.type != PeriodType.YEAR])
    rows: list[ResultRow] = []
    for indicator in indicator_list:
        target = targets.get(("indicator", indicator.pk))
        rows.append(
            ResultRow(
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                decimals=indicator.decimals,
                period=period,
                actual=ctx.indicator_value(indicator, period, elements),
                target=target.value if target else None,
                target_source=target.source_decision if target else "",
                target_synthetic=bool(target and target.synthetic),
                last_year=ctx.indicator_value(indicator, last_year, elements),
                kind="indicator",
                comparable=all(s == formula.Shift() for s in formula.shifts(trees[indicator.pk])),
            )
        )
    for element in sorted(elements.values(), key=lambda e: (e.order, e.code)):
        if element.value_type == ValueType.BOOLEAN:
            continue  # a yes/no per unit reads as a share through an indicator (ONE_STOP_IT_PCT)
        rows.append(_element_row(ctx, element, period, last_year, targets.get(("element", element.pk))))
    return [r for r in rows if r.actual is not None or r.target is not None]


def element_results(*, period: Period, root: Organisation | None = None, elements: list[DataElement]) -> list[ResultRow]:
    targets = _targets(period.year, root)
    ctx = Context.for_root(root)
    last_year = period.same_period_last_year()
    aggregate_in_database({0: ctx}, elements, [period, last_year])
    ctx.load(elements, [p for p in (period, last_year) if p.type != PeriodType.YEAR])
    return [_element_row(ctx, e, period, last_year, targets.get(("element", e.pk))) for e in elements]


def _element_row(ctx: Context, element: DataElement, period: Period, last_year: Period, target: Target | None) -> ResultRow:
    return ResultRow(
        code=element.code,
        name=element.label,
        unit=element.unit,
        decimals=element.decimals,
        period=period,
        actual=ctx.element_value(element, period),
        target=target.value if target else None,
        target_source=target.source_decision if target else "",
        target_synthetic=bool(target and target.synthetic),
        last_year=ctx.element_value(element, last_year),
        kind="element",
    )
