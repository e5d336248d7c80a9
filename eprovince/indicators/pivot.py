"""The pivot view's engine: data elements × units × periods, aggregated by the database in one query.

`pivot(...)` answers a table whose rows and columns are two of the three dimensions (indicator, unit, period);
when the third one has several members it becomes an outer grouping of the rows. Values are the approved ones
(or published figures), read directly: a value counts the moment its report is approved.

- Periods: the periods of the chosen type (years, 6 months, quarters, …) in the year range. Each organisation's
  value for one is the value it reported for that period, otherwise its reports for periods inside it combined by
  the element's rule over time, as analytics does: a flow (revenue) adds up its halves, a level (subscribers,
  BTS stations) takes the latest, an average averages; the coarsest kind of period present counts, never twice.
- Units: each chosen organisation counts its whole scope, as in `analytics.scope_organisations`: the units below
  it and, for the current province or a successor organisation, the former units that became part of it in the
  2025 reorganisation. "Toàn tỉnh" (the province as a whole) counts every organisation.
- Over units an element's own rule applies: sum (also for levels: each unit's value for the period), average, or
  none (a value only when a single unit reported). Within one unit, an element's breakdown options add up unless a
  total was stored.

One SQL statement does the work: a GROUP BY per (element, organisation, stored period) (options into a total),
mapped onto the periods asked (a VALUES list, window functions pick the coarsest kind and the latest period),
combined per organisation, joined to the units' scopes (a VALUES list) and summed per (element, unit, period).
For whole years the per-organisation part is read from the yearly summary instead (`YearlyValue`, kept by
`summary.py` from the same SQL in the transaction that approves a report): thousands of rows, not millions.
Levels handed over by a former unit (`handover.py`) are then taken off the sums: a second, small query reads the
values of the former organisations and their successors for the periods ending after a handover only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eprovince.core.models import Organisation

from . import handover, structure
from .analytics import APPROVED, exact_sum
from .constants import Aggregation, PeriodType
from .models import DataElement, DataValue, YearlyValue
from .periods import PARTITION_TYPES, Period, periods_of_year

INDICATOR = "indicator"
UNIT = "unit"
PERIOD = "period"
DIMENSIONS = (INDICATOR, UNIT, PERIOD)
DIMENSION_LABELS = {
    INDICATOR: gettext_lazy("Chỉ tiêu"),
    UNIT: gettext_lazy("Đơn vị"),
    PERIOD: gettext_lazy("Kỳ"),
}
PROVINCE = 0  # the unit id standing for the province as a whole
MAX_YEARS = 30


class PivotError(ValueError):
    """Pivot parameters that cannot be answered (a Vietnamese message for the user)."""


@dataclass(frozen=True)
class Member:
    """One member of a dimension: an element, a unit or a period."""

    key: Any
    label: str
    note: str = ""  # the unit of measure of an element, "trước sắp xếp" of a former unit


@dataclass
class PivotRow:
    group: Member | None  # the member of the third dimension, when it has several
    member: Member
    cells: list[Decimal | None]
    decimals: list[int]  # per cell: the element's display decimals

    @property
    def shown(self) -> list[str]:
        """The cells written the Vietnamese way (4.020; 252,1), "—" where there is no value."""
        from .results import format_number

        return [format_number(c, d) if c is not None else "—" for c, d in zip(self.cells, self.decimals, strict=True)]

    @property
    def header(self) -> str:
        return f"{self.group.label} – {self.member.label}" if self.group else self.member.label


@dataclass
class PivotTable:
    rows_dim: str
    cols_dim: str
    group_dim: str | None
    columns: list[Member]
    rows: list[PivotRow] = field(default_factory=list)
    elements: dict[int, DataElement] = field(default_factory=dict)
    truncated: bool = False  # more rows than `max_rows`: narrow the filters

    @property
    def filled(self) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell is not None)

    def value(self, *, indicator: int, unit: int, period: str) -> Decimal | None:
        """The cell of one (element id, unit id, period id): for tests and callers that know the coordinates."""
        point = {INDICATOR: indicator, UNIT: unit, PERIOD: period}
        for row in self.rows:
            if row.member.key != point[self.rows_dim]:
                continue
            if row.group is not None and self.group_dim and row.group.key != point[self.group_dim]:
                continue
            for column, cell in zip(self.columns, row.cells, strict=True):
                if column.key == point[self.cols_dim]:
                    return cell
        return None


# Parameters -----------------------------------------------------------------------------------------------


def period_ids(period_type: str, year_from: int, year_to: int) -> list[str]:
    if period_type not in PeriodType.values:
        raise PivotError(_("Loại kỳ không hợp lệ."))
    if year_from > year_to:
        raise PivotError(_("Năm bắt đầu phải không lớn hơn năm kết thúc."))
    if year_to - year_from + 1 > MAX_YEARS:
        raise PivotError(_("Chọn tối đa %(n)d năm.") % {"n": MAX_YEARS})
    return [p.id for year in range(year_from, year_to + 1) for p in periods_of_year(year, period_type)]


def unit_scopes(unit_ids: Iterable[int]) -> tuple[list[Member], dict[int, frozenset[int] | None]]:
    """The chosen units (in the order given) and the organisations each counts; PROVINCE counts everything."""
    wanted = list(dict.fromkeys(unit_ids))
    # Only what the labels read, as tuples (4.114 model instances cost 60 ms). Thousands of units (every commune of
    # the country): every organisation, picked here, rather than an IN list of thousands of parameters (psycopg
    # splits the query text for each: 0,2 s for 4.114).
    qs = Organisation.objects.order_by().values_list("pk", "name", "short_name", "valid_to")
    chosen = {u for u in wanted if u != PROVINCE}
    rows = [row for row in qs if row[0] in chosen] if len(chosen) > 500 else list(qs.filter(pk__in=chosen))
    labels = {
        pk: Member(pk, short_name or name, _("trước sắp xếp") if valid_to is not None else "")
        for pk, name, short_name, valid_to in rows
    }
    computed = structure.current().scopes(labels)  # every unit's scope at once, kept while the structure does not change
    members: list[Member] = []
    scopes: dict[int, frozenset[int] | None] = {}
    for unit_id in wanted:
        if unit_id == PROVINCE:
            members.append(Member(PROVINCE, _("Toàn tỉnh")))
            scopes[PROVINCE] = None
        elif unit_id in computed:
            members.append(labels[unit_id])
            scopes[unit_id] = computed[unit_id]
    return members, scopes


# The query ------------------------------------------------------------------------------------------------


EXACT = 9  # rank of a value stored for the very period asked: it wins over any sum of periods inside it


def period_map(targets: Sequence[str]) -> list[tuple[str, str, int, int]]:
    """(stored period, target period, rank, order) for every stored period that counts towards a target: the
    target itself (rank EXACT) and the partition periods inside it (months 1, quarters 2, halves 3, years 4).
    Order sorts by last month, then the coarser first: "last" takes the highest."""
    rows = []
    for target_id in targets:
        target = Period.parse(target_id)
        for inside in target.sub_periods():
            if inside == target:
                rank = EXACT
            elif inside.type in PARTITION_TYPES:
                rank = PARTITION_TYPES.index(inside.type) + 1  # type: ignore[arg-type]
            else:
                continue
            rows.append((inside.id, target.id, rank, inside.last_month * 10 + rank))
    return rows


def _organisation_filter(organisations: frozenset[int] | None) -> Q:
    """organisation_id IN (…): on PostgreSQL as one array parameter, since psycopg splits the query text once per
    parameter (4.114 organisations: 90 ms before the query is sent)."""
    if organisations is None:
        return Q()
    if connection.vendor == "postgresql" and len(organisations) > 100:
        return Q(
            RawSQL(
                "organisation_id IN (SELECT unnest(%s::integer[]))", [_array(sorted(organisations))], output_field=BooleanField()
            )
        )
    return Q(organisation_id__in=sorted(organisations))


def _per_org_ctes(
    elements: Sequence[DataElement],
    period_ids: Sequence[str],
    *,
    option_elements: Sequence[int] = (),
    organisations: frozenset[int] | None = None,
) -> tuple[list[str], list[Any]]:
    """The CTEs (pmap, base, mapped, per_org) and their parameters: each organisation's value of each element for
    each target period, combined over time by the element's rule, with the parts of an average (the sum and the
    number of the periods averaged) for callers that finish it in Python. Option id is NULL for an element's total
    (the total stored, or its options added up); the elements of `option_elements` also get a row per option,
    from the same reading of the values."""
    mapping = period_map(period_ids)
    years = sorted({Period.parse(p).year for p in period_ids})
    keys = ["element_id", "organisation_id", "period"] + (["category_option_id"] if option_elements else [])
    total = Sum("value") if option_elements else Coalesce(Sum("value", filter=Q(category_option__isnull=True)), Sum("value"))
    per_period = (
        DataValue.objects.filter(APPROVED, element_id__in=[e.pk for e in elements], year__gte=years[0], year__lte=years[-1])
        .filter(period__in=sorted({row[0] for row in mapping}))
        .filter(_organisation_filter(organisations))
        .values(*keys)
        .annotate(total=total)
        .order_by()
    )
    base_sql, base_params = per_period.query.sql_with_params()
    params: list[Any] = [v for row in mapping for v in row]
    ctes = ["pmap (src, dst, kind, ord) AS (VALUES " + ", ".join(["(%s, %s, %s, %s)"] * len(mapping)) + ")"]
    params.extend(base_params)
    if option_elements:
        ctes.append(f"by_option AS ({base_sql})")
        ctes.append(
            "base AS (SELECT element_id, organisation_id, period, CAST(NULL AS integer) AS option_id, "  # noqa: S608 - ints
            "COALESCE(SUM(CASE WHEN category_option_id IS NULL THEN total END), SUM(total)) AS total "
            "FROM by_option GROUP BY element_id, organisation_id, period "
            "UNION ALL SELECT element_id, organisation_id, period, category_option_id, total FROM by_option "
            f"WHERE category_option_id IS NOT NULL AND element_id IN ({', '.join(str(int(e)) for e in option_elements)}))"
        )
        option = "b.option_id"
    else:
        ctes.append(f"base AS ({base_sql})")
        option = "CAST(NULL AS integer)"
    partition = "b.element_id, b.organisation_id, m.dst" + (", b.option_id" if option_elements else "")
    ctes.append(
        f"mapped AS (SELECT b.element_id, b.organisation_id, {option} AS option_id, m.dst, m.kind, m.ord, b.total, "  # noqa: S608
        f"MAX(m.kind) OVER (PARTITION BY {partition}) AS top_kind, "
        f"MAX(m.ord) OVER (PARTITION BY {partition}) AS last_ord "
        "FROM base b JOIN pmap m ON m.src = b.period)"
    )
    rules = {
        Aggregation.LAST: "MAX(CASE WHEN ord = last_ord THEN total END)",
        Aggregation.AVERAGE: (
            "SUM(CASE WHEN kind = top_kind THEN total END) * 1.0 / COUNT(CASE WHEN kind = top_kind THEN 1 END)"
        ),
        Aggregation.NONE: f"MAX(CASE WHEN kind = {EXACT} THEN total END)",
    }
    whens = []
    for rule, expression in rules.items():
        ids = [int(e.pk) for e in elements if e.time_aggregation == rule]
        if ids:
            whens.append(f"WHEN element_id IN ({', '.join(map(str, ids))}) THEN {expression}")
    total_sum = "SUM(CASE WHEN kind = top_kind THEN total END)"
    value = f"CASE {' '.join(whens)} ELSE {total_sum} END" if whens else total_sum
    ctes.append(
        f"per_org AS (SELECT element_id, organisation_id, option_id, dst AS period, {value} AS value, "  # noqa: S608 - ints only
        f"{total_sum} AS part_sum, COUNT(CASE WHEN kind = top_kind THEN 1 END) AS part_n "
        "FROM mapped GROUP BY element_id, organisation_id, option_id, dst)"
    )
    return ctes, params


def _ints(ids: Iterable[int]) -> str:
    return ", ".join(str(int(i)) for i in ids)


def _array(ids: Iterable[int]) -> str:
    """A PostgreSQL array literal of integers ("{1,2,3}"): psycopg dumps a list of 10.000 ints in Python, 25 ms."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"


def _summary_ctes(
    elements: Sequence[DataElement],
    period_ids: Sequence[str],
    *,
    option_elements: Sequence[int] = (),
    organisations: frozenset[int] | None = None,
) -> tuple[list[str], list[Any]]:
    """The same `per_org` CTE as `_per_org_ctes` for whole years, read from the yearly summary (YearlyValue, the
    rows `_per_org_ctes` gave when the values were approved). An average over time is taken again from its parts,
    as `_per_org_ctes` computes it, not from the rounded stored value: the figures are the same Decimals."""
    years = sorted({Period.parse(p).year for p in period_ids})
    where = [f"y.element_id IN ({_ints(e.pk for e in elements)})", f"y.year IN ({_ints(years)})"]
    if option_elements:
        where.append(f"(y.category_option_id IS NULL OR y.element_id IN ({_ints(option_elements)}))")
    else:
        where.append("y.category_option_id IS NULL")
    params: list[Any] = []
    if organisations is not None:
        if connection.vendor == "postgresql":
            where.append("y.organisation_id IN (SELECT unnest(%s::integer[]))")
            params.append(_array(sorted(organisations)))
        else:
            where.append(f"y.organisation_id IN ({', '.join(['%s'] * len(organisations))})")
            params.extend(sorted(organisations))
    averaged = [e.pk for e in elements if e.time_aggregation == Aggregation.AVERAGE]
    value = (
        f"CASE WHEN y.element_id IN ({_ints(averaged)}) THEN y.part_sum * 1.0 / y.part_n ELSE y.value END"
        if averaged
        else "y.value"
    )
    table = connection.ops.quote_name(YearlyValue._meta.db_table)
    cte = (
        f"per_org AS (SELECT y.element_id, y.organisation_id, y.category_option_id AS option_id, y.year AS period, "  # noqa: S608 - ints
        f"{value} AS value, y.part_sum, y.part_n FROM {table} y WHERE {' AND '.join(where)})"
    )
    return [cte], params


def _whole_years(period_ids: Sequence[str]) -> bool:
    return all(Period.parse(p).type == PeriodType.YEAR for p in period_ids)


def per_org_ctes(
    elements: Sequence[DataElement],
    period_ids: Sequence[str],
    *,
    option_elements: Sequence[int] = (),
    organisations: frozenset[int] | None = None,
    use_summary: bool = True,
) -> tuple[list[str], list[Any]]:
    """`per_org` (each organisation's value per element, option and target period): from the yearly summary when
    every period is a whole year (and `use_summary`), otherwise combined from the raw values."""
    build = _summary_ctes if use_summary and _whole_years(period_ids) else _per_org_ctes
    return build(elements, period_ids, option_elements=option_elements, organisations=organisations)


def _scope_cte(scopes: dict[int, frozenset[int] | None]) -> tuple[str | None, list[Any]]:
    pairs = [(unit, org) for unit, orgs in scopes.items() if orgs is not None for org in sorted(orgs)]
    if not pairs:
        return None, []
    if connection.vendor == "postgresql":
        # two array parameters, not a VALUES list: 4.114 units make some 12.000 pairs
        return "scope (unit_id, org_id) AS (SELECT * FROM unnest(%s::integer[], %s::integer[]))", [
            _array([unit for unit, _org in pairs]),
            _array([org for _unit, org in pairs]),
        ]
    # SQLite: a VALUES list (up to 32.766 parameters per statement)
    return "scope (unit_id, org_id) AS (VALUES " + ", ".join(["(%s, %s)"] * len(pairs)) + ")", [v for pair in pairs for v in pair]


def aggregate(
    *,
    elements: Sequence[DataElement],
    scopes: dict[int, frozenset[int] | None],
    period_ids: Sequence[str],
    use_summary: bool = True,
) -> list[tuple[int, int, str, Decimal, int]]:
    """One query: (element id, unit id, period id, value over the unit's organisations, number of organisations).

    Within the query, as analytics.combine_over_time does in Python: each organisation's value for a target period
    is the value stored for it, otherwise its periods inside it combined by the element's rule over time (sum or
    average of the coarsest kind present; "last": the latest; "none": only a value stored for the period)."""
    if not elements or not scopes or not period_ids:
        return []
    ctes, params = per_org_ctes(elements, period_ids, use_summary=use_summary)
    scope_cte, scope_params = _scope_cte(scopes)
    if scope_cte:
        ctes.append(scope_cte)
        params.extend(scope_params)
    parts = []
    if scope_cte:
        parts.append(
            "SELECT p.element_id, s.unit_id, p.period, SUM(p.value), COUNT(p.value) FROM per_org p "
            "JOIN scope s ON s.org_id = p.organisation_id GROUP BY p.element_id, s.unit_id, p.period"
        )
    for unit, orgs in scopes.items():
        if orgs is None:
            parts.append(
                f"SELECT p.element_id, {int(unit)}, p.period, SUM(p.value), COUNT(p.value) FROM per_org p "  # noqa: S608 - an int
                "GROUP BY p.element_id, p.period"
            )
    sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = {(int(e), int(u), str(p)): (_decimal(total), int(n)) for e, u, p, total, n in rows if total is not None and n}
    for (element, _option, unit, period), (less, fewer) in handover_corrections(
        elements=elements, scopes=scopes, period_ids=period_ids, use_summary=use_summary
    ).items():
        key = (element, unit, period)
        if key in found:
            total, n = found[key]
            found[key] = (total - less, n - fewer)
    return [(e, u, p, total, n) for (e, u, p), (total, n) in found.items() if n > 0]


Corrections = dict[tuple[int, int | None, int, str], tuple[Decimal, int]]


def handover_corrections(
    *,
    elements: Sequence[DataElement],
    scopes: dict[int, frozenset[int] | None],
    period_ids: Sequence[str],
    option_elements: Sequence[int] = (),
    use_summary: bool = True,
) -> Corrections:
    """What to take off the sums of `aggregate` and `scope_totals` for levels handed over (`handover.py`):
    {(element id, option id, unit id, period id): (the left-out values' sum, their number)}.

    Nothing is queried unless a level is asked for a period ending after some former organisation's last day; then
    one query reads `per_org` for those periods only (a yearly pivot of ten years: 2025 alone, from the summary),
    restricted to the former organisations of the scopes and their successors."""
    levels = [e for e in elements if e.time_aggregation == Aggregation.LAST]
    found = handover.handovers() if levels and period_ids else {}
    first = handover.earliest(found)
    if first is None:
        return {}
    ends = {p: Period.parse(p).end() for p in period_ids}
    affected = [p for p in period_ids if ends[p] > first]
    if not affected:
        return {}
    involved = set(found).union(*(h.successors for h in found.values()))
    if not any(orgs is None for orgs in scopes.values()):
        involved &= frozenset().union(*(orgs for orgs in scopes.values() if orgs is not None))
    if not involved.intersection(found):
        return {}
    level_ids = {e.pk for e in levels}
    ctes, params = per_org_ctes(
        levels,
        affected,
        option_elements=[e for e in option_elements if e in level_ids],
        organisations=frozenset(involved),
        use_summary=use_summary,
    )
    sql = (
        "WITH " + ", ".join(ctes) + " SELECT element_id, option_id, organisation_id, period, value FROM per_org "  # noqa: S608 - ints
        "WHERE value IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    groups: dict[tuple[int, int | None, str], dict[int, Decimal]] = {}
    for element, option, organisation, period, value in rows:
        key = (int(element), None if option is None else int(option), str(period))
        groups.setdefault(key, {})[int(organisation)] = _decimal(value)
    units_of: dict[int, list[int]] = {}  # organisation → the units whose scope holds it (PROVINCE-like scopes aside)
    for unit, orgs in scopes.items():
        if orgs is not None:
            for org in involved.intersection(orgs):
                units_of.setdefault(org, []).append(unit)
    everywhere = [unit for unit, orgs in scopes.items() if orgs is None]
    corrections: dict[tuple[int, int | None, int, str], list[Any]] = {}
    for (element, option, period), values in groups.items():
        end = ends[period]
        for org, value in values.items():
            h = found.get(org)
            if h is None or h.last_day >= end:
                continue
            left_out = [u for u in everywhere if h.superseded_by(values, end)]
            left_out += [u for u in units_of.get(org, ()) if h.superseded_by(values, end, scope=scopes[u])]
            for unit in left_out:
                entry = corrections.setdefault((element, option, unit, period), [Decimal(0), 0])
                entry[0] += value
                entry[1] += 1
    return {key: (total, n) for key, (total, n) in corrections.items()}


ScopeTotals = dict[tuple[int, int | None, int, str], tuple[Decimal, int]]


def scope_totals(
    *,
    elements: Sequence[DataElement],
    scopes: dict[int, frozenset[int] | None],
    period_ids: Sequence[str],
    option_elements: Sequence[int] = (),
    use_summary: bool = True,
) -> ScopeTotals:
    """{(element id, option id, unit id, period id): (sum over the unit's organisations, number of organisations)}
    in one query, for analytics (the dashboard, the index) to aggregate in the database instead of in Python.

    Option id None is the element's total; the elements of `option_elements` also get every option's own value
    (as analytics reads a formula's `#{ELEMENT.OPTION}`). Elements averaged over time are summed over units in Python, from each organisation's
    sum and number of periods, so that the result is the same Decimal as analytics' (no rounding of the quotient
    by the database)."""
    if not elements or not period_ids or not any(orgs is None or orgs for orgs in scopes.values()):
        return {}
    # only the scopes' organisations (a province's dashboard: not every organisation's values grouped first)
    everyone = any(orgs is None for orgs in scopes.values())
    organisations = None if everyone else frozenset().union(*(orgs for orgs in scopes.values() if orgs is not None))
    ctes, params = per_org_ctes(
        elements, period_ids, option_elements=option_elements, organisations=organisations, use_summary=use_summary
    )
    scope_cte, scope_params = _scope_cte(scopes)
    if scope_cte:
        ctes.append(scope_cte)
        params.extend(scope_params)
    averaged = [int(e.pk) for e in elements if e.time_aggregation == Aggregation.AVERAGE]
    not_averaged = f"p.element_id NOT IN ({', '.join(map(str, averaged))})" if averaged else "1 = 1"
    parts = []
    if scope_cte:
        parts.append(
            "SELECT p.element_id, p.option_id, s.unit_id, p.period, SUM(p.value), COUNT(p.value), CAST(NULL AS numeric), CAST(NULL AS integer) "  # noqa: S608 - ints
            f"FROM per_org p JOIN scope s ON s.org_id = p.organisation_id WHERE {not_averaged} "
            "GROUP BY p.element_id, p.option_id, s.unit_id, p.period"
        )
    for unit, orgs in scopes.items():
        if orgs is None:
            parts.append(
                f"SELECT p.element_id, p.option_id, {int(unit)}, p.period, SUM(p.value), COUNT(p.value), CAST(NULL AS numeric), CAST(NULL AS integer) "  # noqa: S608 - ints
                f"FROM per_org p WHERE {not_averaged} GROUP BY p.element_id, p.option_id, p.period"
            )
    if averaged:  # each organisation's parts: the quotient is taken in Python
        parts.append(
            "SELECT p.element_id, p.option_id, p.organisation_id, p.period, CAST(NULL AS numeric), CAST(NULL AS integer), p.part_sum, p.part_n "  # noqa: S608 - ints
            f"FROM per_org p WHERE p.element_id IN ({', '.join(map(str, averaged))}) AND p.part_n > 0"
        )
    sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found: ScopeTotals = {}
    per_org: dict[tuple[int, int | None, str], dict[int, Decimal]] = {}
    corrections = handover_corrections(
        elements=elements, scopes=scopes, period_ids=period_ids, option_elements=option_elements, use_summary=use_summary
    )
    for element, option, unit, period, total, count, part_sum, part_n in rows:
        key = (int(element), None if option is None else int(option))
        if part_n is not None:
            per_org.setdefault((*key, str(period)), {})[int(unit)] = _decimal(part_sum) / int(part_n)
        elif total is not None and count:
            less, fewer = corrections.get((*key, int(unit), str(period)), (Decimal(0), 0))
            if int(count) > fewer:
                found[(*key, int(unit), str(period))] = (_decimal(total) - less, int(count) - fewer)
    if per_org:
        for unit, orgs in scopes.items():
            for (element, option, period), values in per_org.items():
                chosen = list(values.values()) if orgs is None else [v for o, v in values.items() if o in orgs]
                if chosen:
                    found[(element, option, unit, period)] = (exact_sum(chosen), len(chosen))
    return found


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(round(float(value), 6))) if isinstance(value, float) else Decimal(value)


def _combine(element: DataElement, total: Decimal, count: int) -> Decimal | None:
    if element.aggregation == Aggregation.AVERAGE:
        return total / count
    if element.aggregation == Aggregation.NONE:
        return total if count == 1 else None
    return total


# The table ------------------------------------------------------------------------------------------------


def pivot(
    *,
    indicator_ids: Sequence[int],
    unit_ids: Sequence[int],
    period_type: str,
    year_from: int,
    year_to: int,
    rows: str = INDICATOR,
    cols: str = PERIOD,
    max_rows: int | None = None,
) -> PivotTable:
    """The pivot table of the chosen elements (`indicator_ids`: data element ids, all when empty), units
    (organisation ids, PROVINCE = 0 for the province as a whole; the province when empty) and periods."""
    if rows not in DIMENSIONS or cols not in DIMENSIONS or rows == cols:
        raise PivotError(_("Hàng và cột phải là hai chiều khác nhau: chỉ tiêu, đơn vị hoặc kỳ."))
    periods = period_ids(period_type, year_from, year_to)
    qs = DataElement.objects.order_by("order", "code")
    if indicator_ids:
        qs = qs.filter(pk__in=list(indicator_ids))
    elements = {e.pk: e for e in qs}
    units, scopes = unit_scopes(unit_ids or [PROVINCE])
    found: dict[tuple[int, int, str], Decimal | None] = {}
    for element_id, unit_id, period, total, count in aggregate(
        elements=list(elements.values()), scopes=scopes, period_ids=periods
    ):
        found[(element_id, unit_id, period)] = _combine(elements[element_id], total, count)

    members: dict[str, list[Member]] = {
        INDICATOR: [Member(e.pk, e.label, e.unit) for e in elements.values()],
        UNIT: units,
        PERIOD: [Member(p, Period.parse(p).label) for p in periods],
    }
    group_dim = next(d for d in DIMENSIONS if d not in (rows, cols))
    # Keep only periods with a value somewhere (a year range of months would be mostly empty columns otherwise).
    present = {k[2] for k, v in found.items() if v is not None}
    members[PERIOD] = [m for m in members[PERIOD] if m.key in present] or members[PERIOD][-1:]
    if len(members[rows]) == 1 and len(members[group_dim]) > 1:
        rows, group_dim = group_dim, rows  # one row per group would waste the page: list the groups instead
    groups: list[Member | None] = list(members[group_dim]) if len(members[group_dim]) > 1 else [None]
    single = members[group_dim][0] if len(members[group_dim]) == 1 else None
    table = PivotTable(
        rows_dim=rows, cols_dim=cols, group_dim=group_dim if groups != [None] else None, columns=members[cols], elements=elements
    )
    # each cell's key (element, unit, period) from its (group, row, column) members: positions, not a dict per cell
    at_row, at_col, at_group = DIMENSIONS.index(rows), DIMENSIONS.index(cols), DIMENSIONS.index(group_dim)
    column_keys = [column.key for column in members[cols]]
    decimals_of = {pk: e.decimals for pk, e in elements.items()}
    for group in groups:
        key: list[Any] = [None, None, None]
        key[at_group] = (group or single).key  # type: ignore[union-attr]
        for member in members[rows]:
            key[at_row] = member.key
            cells: list[Decimal | None] = []
            decimals: list[int] = []
            for column_key in column_keys:
                key[at_col] = column_key
                cells.append(found.get((key[0], key[1], key[2])))
                decimals.append(decimals_of[key[0]])
            if any(c is not None for c in cells):
                table.rows.append(PivotRow(group=group, member=member, cells=cells, decimals=decimals))
                if max_rows is not None and len(table.rows) > max_rows:
                    table.rows.pop()
                    table.truncated = True
                    return table
    return table
