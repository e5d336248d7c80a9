"""Reads of the leaders' dashboard: key indicators against targets, their trend over the years, the latest index
rankings and the completeness of the rounds under way.

Everything is computed from approved values at request time (`analytics`, `results`, `rankings`): nothing is
cached, so a report approved a moment ago already counts. A unit's series includes the former units that became
part of it in the 2025 reorganisation (analytics.scope_organisations)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.charts import BarChart, Series
from eprovince.core.constants import OrganisationKind
from eprovince.core.models import Organisation

from . import formula, selectors
from .analytics import APPROVED, Context, aggregate_in_database, elements_by_code, formula_options
from .constants import RoundStatus
from .models import DataValue, IndexFramework, Indicator, ReportingRound, Target
from .periods import Period
from .rankings import IndexTable, index_table
from .results import ResultRow, results
from .validation import shifted_period

KEY_LIMIT = 8
TREND_YEARS = 6
RANKING_ROWS = 15


@dataclass
class KeyFigure:
    row: ResultRow
    trend: BarChart

    @property
    def percent(self) -> Decimal | None:
        return self.row.percent_of_target

    @property
    def reached(self) -> bool | None:
        percent = self.percent
        return None if percent is None else percent >= 100


@dataclass
class Ranking:
    table: IndexTable
    chart: BarChart
    highlight: list[Any]  # the rows of the selected unit (or of the province's own subjects)


@dataclass
class RoundLine:
    round: ReportingRound
    expected: int
    received: int
    on_time: int
    approved: int

    @staticmethod
    def _pct(part: int, whole: int) -> Decimal | None:
        return Decimal(part) * 100 / whole if whole else None

    @property
    def completeness(self) -> Decimal | None:
        return self._pct(self.received, self.expected)

    @property
    def timeliness(self) -> Decimal | None:
        return self._pct(self.on_time, self.expected)

    @property
    def approval(self) -> Decimal | None:
        return self._pct(self.approved, self.expected)


@dataclass
class Dashboard:
    year: int
    root: Organisation | None
    key: list[KeyFigure] = field(default_factory=list)
    achievement: BarChart | None = None
    rankings: list[Ranking] = field(default_factory=list)
    rounds: list[RoundLine] = field(default_factory=list)
    rounds_open: bool = True

    @property
    def year_in_progress(self) -> bool:
        return self.year >= timezone.localdate().year

    @property
    def scope_label(self) -> str:
        return self.root.name if self.root else _("Toàn tỉnh")


# Year and unit ---------------------------------------------------------------------------------------------


def data_years() -> list[int]:
    """Years with any approved value or a target, newest first (the year picker)."""
    from . import summary

    years = set(summary.years())  # from the yearly summary's year index, not DISTINCT over every value
    years |= set(Target.objects.values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def default_year() -> int:
    """The current year if it has approved values, otherwise the latest year that has."""
    this_year = timezone.localdate().year
    if DataValue.objects.filter(APPROVED, year=this_year).exists():
        return this_year
    latest = DataValue.objects.filter(APPROVED).aggregate(latest=Max("year"))["latest"]
    return int(latest) if latest else this_year


def unit_choices() -> list[Organisation]:
    """Units worth choosing: People's Committees, those that report on a form or have targets, and successors of
    former organisations; former units included (current ones first). Every one of them (the pivot's list): the
    dashboard offers a short list and a search instead (unit_picker, selectors.dashboard_unit_search)."""
    return list(
        selectors.results_units().order_by(F("valid_to").asc(nulls_first=True), "path").only(*selectors.UNIT_LABEL_FIELDS)
    )


def unit_label(organisation: Organisation) -> str:
    """The unit's name; a former one says so, with its last day ("trước sắp xếp, đến 30/06/2025")."""
    if organisation.valid_to is None:
        return organisation.name
    return _("%(name)s (trước sắp xếp, đến %(day)s)") % {
        "name": organisation.name,
        "day": organisation.valid_to.strftime("%d/%m/%Y"),
    }


# Groups of the picker's short list, in this order (each a kind of organisation).
_GROUPS = (
    OrganisationKind.PEOPLES_COMMITTEE,
    OrganisationKind.DEPARTMENT,
    OrganisationKind.ENTERPRISE,
    OrganisationKind.MINISTRY,
    OrganisationKind.DIVISION,
    OrganisationKind.OTHER,
)


@dataclass
class UnitPicker:
    """The dashboard's unit select: a few groups of units (an <optgroup> each) and the chosen unit, even when it is
    not among them (found by the search). Everything else is reached by the search."""

    groups: list[tuple[str, list[tuple[int, str]]]]

    @property
    def choices(self) -> list[tuple[Any, Any]]:
        return [("", _("Toàn tỉnh")), *self.groups]


def unit_picker(user: Any, chosen: Organisation | None = None) -> UnitPicker:
    """The short list (selectors.dashboard_unit_shortlist: one query) grouped by kind, plus the chosen unit."""
    shortlist = selectors.dashboard_unit_shortlist(user)
    by_kind: dict[str, list[tuple[int, str]]] = {}
    for org in shortlist:
        by_kind.setdefault(org.kind if org.kind in _GROUPS else OrganisationKind.OTHER, []).append((org.pk, unit_label(org)))
    groups = [(str(OrganisationKind(kind).label), by_kind[kind]) for kind in _GROUPS if kind in by_kind]
    if chosen is not None and all(org.pk != chosen.pk for org in shortlist):
        groups.insert(0, (_("Đơn vị đang xem"), [(chosen.pk, unit_label(chosen))]))
    return UnitPicker(groups=groups)


# Key indicators ---------------------------------------------------------------------------------------------


def key_rows(year: int, root: Organisation | None) -> list[ResultRow]:
    """Rows with a target first (the plan's key indicators), then rows with a value, KEY_LIMIT at most."""
    rows = results(period=Period.parse(str(year)), root=root)
    with_target = [r for r in rows if r.target is not None]
    others = [r for r in rows if r.target is None and r.actual is not None]
    others.sort(key=lambda r: r.kind != "indicator")  # indicators (rates, densities) before raw counts
    return (with_target + others)[:KEY_LIMIT]


def _float(value: Decimal | None, decimals: int | None = None) -> float | None:
    if value is None:
        return None
    return float(round(value, decimals)) if decimals is not None else float(value)


def trends(rows: list[ResultRow], years: list[int], root: Organisation | None) -> list[BarChart]:
    """For each row: the value of each year (bars) against the year's target (dashes). A few queries in all: the
    values are combined by the database (analytics.aggregate_in_database)."""
    elements = elements_by_code()
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[r.code for r in rows if r.kind == "indicator"])}
    targets: dict[tuple[str, str, int], Decimal] = {}
    for t in Target.objects.filter(year__in=years, organisation=root).select_related("indicator", "element"):
        subject = t.indicator or t.element
        kind = "indicator" if t.indicator_id else "element"
        targets[(kind, subject.code, t.year)] = t.value  # type: ignore[union-attr]
    periods = [Period.parse(str(y)) for y in years]
    ctx = Context.for_root(root)
    needed = {
        elements[ref.code]
        for i in indicators.values()
        for ref in formula.references(formula.parse(i.formula))
        if ref.code in elements
    } | {elements[r.code] for r in rows if r.kind == "element" and r.code in elements}
    # the years shown and those the formulas read (last year's value of a change): all combined by the database
    read = set(periods) | {
        shifted_period(p, shift)
        for i in indicators.values()
        for shift in formula.shifts(formula.parse(i.formula))
        for p in periods
    }
    aggregate_in_database({0: ctx}, needed, read, formula_options(indicators.values(), elements))  # one query
    charts = []
    for row in rows:
        actual: list[float | None] = []
        for period in periods:
            if row.kind == "indicator":
                actual.append(_float(ctx.indicator_value(indicators[row.code], period, elements), row.decimals))
            else:
                actual.append(_float(ctx.element_value(elements[row.code], period), row.decimals))
        plan = [_float(targets.get((row.kind, row.code, y)), row.decimals) for y in years]
        charts.append(
            BarChart(
                title=row.name,
                categories=[str(y) for y in years],
                series=[Series(_("Thực hiện"), actual)],
                unit=row.unit,
                target=plan if any(v is not None for v in plan) else None,
                horizontal=False,
                width=540,
            )
        )
    return charts


def achievement_chart(key: list[KeyFigure], year: int) -> BarChart | None:
    measured = [k for k in key if k.percent is not None]
    if not measured:
        return None
    return BarChart(
        title=_("Mức độ thực hiện kế hoạch năm %(year)s") % {"year": year},
        categories=[k.row.name for k in measured],
        series=[Series(_("Thực hiện so với kế hoạch"), [_float(k.percent, 1) for k in measured])],
        unit="%",
        target=[100.0] * len(measured),
        horizontal=True,
    )


# Rankings ---------------------------------------------------------------------------------------------------


def latest_frameworks(year: int) -> list[IndexFramework]:
    """The latest version (up to `year`) of each index."""
    latest: dict[str, IndexFramework] = {}
    for framework in IndexFramework.objects.filter(year__lte=year).order_by("code", "-year"):
        latest.setdefault(framework.code, framework)
    return sorted(latest.values(), key=lambda f: (-f.year, f.code))


def ranking(framework: IndexFramework, root: Organisation | None) -> Ranking:
    table = index_table(framework)
    ranked = [r for r in table.rows if r.rank is not None and r.score is not None][:RANKING_ROWS]
    chart = BarChart(
        title=f"{framework.name} {framework.year}",
        categories=[f"{r.rank}. {r.subject.name}" for r in ranked],
        series=[Series(_("Điểm"), [_float(r.score) for r in ranked])],
        horizontal=True,
        width=560,
    )
    own = [r for r in table.rows if _is_own(r.subject.organisation, root)]
    return Ranking(table=table, chart=chart, highlight=own)


def _is_own(organisation: Organisation | None, root: Organisation | None) -> bool:
    """The compared subject is the unit chosen, or, for the whole province, the current province itself."""
    if organisation is None:
        return False
    if root is not None:
        return organisation.pk == root.pk
    return (
        organisation.parent_id is None
        and organisation.kind == OrganisationKind.PEOPLES_COMMITTEE
        and organisation.valid_to is None
    )


# Rounds -----------------------------------------------------------------------------------------------------


def round_lines(user: Any, limit: int = 8) -> tuple[list[RoundLine], bool]:
    """Completeness and timeliness of the open rounds (or, when none is open, of the latest ones): one query."""
    qs = selectors.readable_rounds(user)
    open_rounds = list(qs.filter(status=RoundStatus.OPEN)[:limit])
    chosen, is_open = (open_rounds, True) if open_rounds else (list(qs[:limit]), False)
    lines = [RoundLine(r, r.expected, r.received, r.on_time, r.approved) for r in chosen]  # type: ignore[attr-defined]
    return lines, is_open


# The page ---------------------------------------------------------------------------------------------------


def dashboard(*, user: Any, year: int, root: Organisation | None) -> Dashboard:
    board = Dashboard(year=year, root=root)
    rows = key_rows(year, root)
    years = list(range(year - TREND_YEARS + 1, year + 1))
    board.key = [KeyFigure(row, chart) for row, chart in zip(rows, trends(rows, years, root), strict=True)]
    board.achievement = achievement_chart(board.key, year)
    board.rankings = [ranking(f, root) for f in latest_frameworks(year)]
    board.rounds, board.rounds_open = round_lines(user)
    return board


__all__ = [
    "Dashboard",
    "KeyFigure",
    "UnitPicker",
    "dashboard",
    "data_years",
    "default_year",
    "unit_choices",
    "unit_label",
    "unit_picker",
]
