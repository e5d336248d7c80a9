"""Analytics computed on the fly from approved values: nothing to rebuild, current the moment a report is approved.

- Which organisations a series counts (`scope_organisations`): the whole platform, or one organisation with every
  organisation below it (materialised path), plus what it took over: organisations whose `successor` leads to it and
  organisations located in former administrative units that lie wholly inside its area, through the 2025 successor
  links (a former province merged into the current one; a former district split among communes of it). A former
  district keeps its own history: its scope is itself.
- Over time (`Context.element_value`): a value stored for the period asked is used as it is; otherwise the values of
  the periods inside it are combined by the element's time aggregation (sum and average over the coarsest
  non-overlapping period type present; "last" takes the latest period). A level (last, average) stored only for a
  longer period holds for the periods inside it: yearly population serves a 6-month density.
- Over organisations: sum (and "last": the sum of each unit's latest), average, or none (only a single unit's value).
  For a level ("last"), a former organisation's value after its last day is left out once a successor of it in the
  scope has reported for the period (`handover.py`: its stock is inside theirs).
- Indicators evaluate their formula over the aggregated values (numerator and denominator aggregated first, as DHIS2).
- Where (`aggregate_in_database`): for whole years the database combines the values (the pivot's SQL, one query for
  many scopes: results, the dashboard, the index), reading each organisation's year from the yearly summary
  (`summary.py`, kept in the transaction that approves a report: still no rebuild to wait for); other periods,
  where a yearly level fills the half-years inside it, are combined here in Python (`Context.load`). All give the
  same figures (tests/test_database_aggregation.py, tests/test_yearly_summary.py).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from django.db.models import Q

from eprovince.core.models import AdminUnit, Organisation, UnitSuccession

from . import formula, handover, structure
from .constants import Aggregation, SubmissionStatus
from .models import DataElement, DataValue, Indicator, Submission
from .periods import PARTITION_TYPES, Period
from .validation import shifted_period

# Values outside any report, or whose report is approved. Written as "not in a report still under way": the reports
# not approved are few (the rounds open now; a partial index keeps them), so the test is a hash probe per value
# instead of a join to every report ever made (10 million values, a million reports).
APPROVED = Q(submission__isnull=True) | ~Q(
    submission_id__in=Submission.objects.exclude(status=SubmissionStatus.APPROVED).values("pk")
)


# Which organisations ---------------------------------------------------------------------------------------


def _area_units(unit: AdminUnit) -> set[int]:
    """The unit and every unit below it (provinces have two levels below at most)."""
    return {unit.pk} | set(AdminUnit.objects.filter(Q(parent=unit) | Q(parent__parent=unit)).values_list("pk", flat=True))


def former_units_within(unit: AdminUnit) -> set[int]:
    """Former units that lie wholly inside `unit`'s area: every successor link of theirs points into it (followed
    back transitively), with the units below them."""
    area = _area_units(unit)
    found: set[int] = set()
    frontier = set(area)
    while frontier:
        candidates = (
            set(UnitSuccession.objects.filter(successor_id__in=frontier).values_list("predecessor_id", flat=True)) - found - area
        )
        if not candidates:
            break
        links: dict[int, set[int]] = defaultdict(set)
        for predecessor, successor in UnitSuccession.objects.filter(predecessor_id__in=candidates).values_list(
            "predecessor_id", "successor_id"
        ):
            links[predecessor].add(successor)
        inside = {p for p, successors in links.items() if successors <= (area | found)}
        if not inside:
            break
        below = set(
            AdminUnit.objects.filter(Q(parent_id__in=inside) | Q(parent__parent_id__in=inside)).values_list("pk", flat=True)
        )
        found |= inside | below
        frontier = inside
    return found


def scope_organisations(root: Organisation | None) -> frozenset[int] | None:
    """The organisations a series of `root` counts; None means every organisation (the province as a whole)."""
    if root is None:
        return None
    ids: set[int] = set()
    paths: set[str] = {root.path}
    if root.admin_unit_id is not None:
        former = former_units_within(root.admin_unit)  # type: ignore[arg-type]
        if former:
            paths |= set(Organisation.objects.filter(admin_unit_id__in=former).values_list("path", flat=True))
    while paths:
        q = Q()
        for path in paths:
            q |= Q(path__startswith=path)
        new = set(Organisation.objects.filter(q).values_list("pk", flat=True)) - ids
        ids |= new
        # organisations that became one of these (Sở TT&TT → Sở KH&CN), with those below them
        paths = set(Organisation.objects.filter(successor_id__in=new).exclude(pk__in=ids).values_list("path", flat=True))
    return frozenset(ids)


def scopes_of(roots: Iterable[Organisation]) -> dict[int, frozenset[int]]:
    """`scope_organisations` of many organisations at once ({root id: its scope}): the same rules worked out in
    memory over the structure (`structure.py`: organisations, units and succession links read once and kept while
    they do not change), instead of a few queries per root: a pivot of every commune of the country needs
    thousands of scopes."""
    roots = list(roots)
    if not roots:
        return {}
    found = structure.current().scopes(root.pk for root in roots)
    for root in roots:
        if root.pk not in found:  # not in the database (yet): the one-root rule
            found[root.pk] = scope_organisations(root)  # type: ignore[assignment]
    return found


# Values ----------------------------------------------------------------------------------------------------


def _total(rows: dict[int | None, Decimal], option_id: int | None) -> Decimal | None:
    """One organisation's value for one element and period: an option's value, or the sum of the options."""
    if option_id is not None:
        return rows.get(option_id)
    if None in rows:
        return rows[None]
    return sum(rows.values(), Decimal(0)) if rows else None


@functools.lru_cache(maxsize=4096)
def _period(period_id: str) -> Period:
    """Period.parse, remembered: combining over time parses the same few dozen ids hundreds of thousands of times."""
    return Period.parse(period_id)


@functools.lru_cache(maxsize=4096)
def _family(period: Period) -> frozenset[str]:
    """The ids of the periods a value for `period` may come from: those inside it and those around it."""
    return frozenset(other.id for other in (*period.sub_periods(), *period.super_periods()))


def combine_over_time(element: DataElement, period: Period, stored: dict[str, Decimal]) -> Decimal | None:
    """One organisation's value of `element` for `period` from its values for periods inside it ({period id: value})."""
    if period.id in stored:
        return stored[period.id]
    rule = element.time_aggregation
    parsed = [_period(pid) for pid in stored]
    inside = [p for p in parsed if period.contains(p) and p != period]
    if not inside:
        # A level (population, subscribers) known only for a longer period holds for the periods inside it, as in
        # DHIS2's disaggregation of yearly denominators; a flow (revenue) cannot be split so.
        around = [p for p in parsed if p.contains(period)]
        if around and rule in (Aggregation.LAST, Aggregation.AVERAGE):
            return stored[min(around, key=lambda p: len(p.months)).id]
        return None
    if rule == Aggregation.NONE:
        return None
    if rule == Aggregation.LAST:
        latest = max(inside, key=lambda p: (p.last_month, PARTITION_TYPES.index(p.type) if p.type in PARTITION_TYPES else -1))  # type: ignore[arg-type]
        return stored[latest.id]
    for kind in reversed(PARTITION_TYPES):
        chosen = [stored[p.id] for p in inside if p.type == kind]
        if chosen:
            total = sum(chosen, Decimal(0))
            return total / len(chosen) if rule == Aggregation.AVERAGE else total
    return None


def exact_sum(values: Iterable[Decimal]) -> Decimal:
    """The sum added without rounding, then rounded once: the same whatever the order of the values (averages over
    time such as 1.234,5 / 3 have 28 digits; added in the order rows come, the last digit would depend on it)."""
    with localcontext() as wide:
        wide.prec = 120
        total = sum(values, Decimal(0))
    return +total


def combine_over_units(element: DataElement, values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    if element.aggregation == Aggregation.AVERAGE:
        return exact_sum(values) / len(values)
    if element.aggregation == Aggregation.NONE:
        return values[0] if len(values) == 1 else None
    return exact_sum(values)


@dataclass
class Context:
    """Values of one scope, fetched once per (elements, periods) and combined on demand."""

    organisations: frozenset[int] | None = None
    approved_only: bool = True
    # {element id: {org id: {period id: {option id: value}}}}
    _rows: dict[int, dict[int, dict[str, dict[int | None, Decimal]]]] = field(default_factory=dict)
    _loaded: set[tuple[int, str]] = field(default_factory=set)
    # Aggregated by the database (`aggregate_in_database`): {(element id, option id, period id): (sum, count)} over
    # the scope, and which (element id, period id) and (element id, option id) it answers.
    _totals: dict[tuple[int, int | None, str], tuple[Decimal, int]] = field(default_factory=dict)
    _aggregated: set[tuple[int, str]] = field(default_factory=set)
    _aggregated_options: set[tuple[int, int]] = field(default_factory=set)
    # {formula: its options' ids}, shared by the contexts `restricted` makes (an index: one query, not one per unit)
    _option_cache: dict[str, dict[str, int | None]] = field(default_factory=dict)
    # the handovers of former organisations (handover.handovers), worked out once and shared likewise
    _handover_cache: dict[str, handover.Handovers] = field(default_factory=dict)

    @classmethod
    def for_root(cls, root: Organisation | None, *, approved_only: bool = True) -> Context:
        scope = None if root is None else scopes_of([root])[root.pk]  # kept with the structure: one query
        return cls(organisations=scope, approved_only=approved_only)

    def load(self, elements: Iterable[DataElement], periods: Iterable[Period]) -> None:
        """Fetch, in one query, the values needed for `elements` over `periods` (and the periods inside them)."""
        wanted_periods = frozenset().union(*(_family(p) for p in periods))
        wanted = {(e.pk, pid) for e in elements for pid in wanted_periods} - self._loaded
        if not wanted:
            return
        element_ids = {e for e, _p in wanted}
        period_ids = {p for _e, p in wanted}
        qs = DataValue.objects.filter(element_id__in=element_ids, period__in=period_ids)
        if self.approved_only:
            qs = qs.filter(APPROVED)
        if self.organisations is not None:
            qs = qs.filter(organisation_id__in=self.organisations)
        for element_id, org_id, period_id, option_id, value in qs.values_list(
            "element_id", "organisation_id", "period", "category_option_id", "value"
        ):
            if (element_id, period_id) in wanted:
                self._rows.setdefault(element_id, {}).setdefault(org_id, {}).setdefault(period_id, {})[option_id] = value
        self._loaded |= wanted

    def restricted(self, organisations: frozenset[int]) -> Context:
        """The values loaded so far for `organisations` (part of this scope) as a context of their own, without a
        query: an index over 63 provinces loads once for all of them, then reads each province's part."""
        part = Context(organisations=organisations, approved_only=self.approved_only)
        part._rows = {e: {o: v for o, v in orgs.items() if o in organisations} for e, orgs in self._rows.items()}
        part._loaded = set(self._loaded)
        part._option_cache = self._option_cache
        part._handover_cache = self._handover_cache
        return part

    def _in_totals(self, element: DataElement, period: Period, option_id: int | None) -> bool:
        return (element.pk, period.id) in self._aggregated and (
            option_id is None or (element.pk, option_id) in self._aggregated_options
        )

    def by_organisation(self, element: DataElement, period: Period, option_id: int | None = None) -> dict[int, Decimal]:
        """Each organisation's value of `element` for `period`."""
        self.load([element], [period])
        result: dict[int, Decimal] = {}
        for org_id, periods in self._rows.get(element.pk, {}).items():
            stored = {pid: total for pid, rows in periods.items() if (total := _total(rows, option_id)) is not None}
            value = combine_over_time(element, period, stored)
            if value is not None:
                result[org_id] = value
        return result

    def element_value(self, element: DataElement, period: Period, option_id: int | None = None) -> Decimal | None:
        if self._in_totals(element, period, option_id):
            found = self._totals.get((element.pk, option_id, period.id))
            return None if found is None else _over_units(element, *found)
        values = self.by_organisation(element, period, option_id)
        if element.time_aggregation == Aggregation.LAST and len(values) > 1:
            for org_id in handover.superseded(values.keys(), period.end(), self.handovers()):
                del values[org_id]
        return combine_over_units(element, list(values.values()))

    def handovers(self) -> handover.Handovers:
        if "all" not in self._handover_cache:
            self._handover_cache["all"] = handover.handovers()
        return self._handover_cache["all"]

    def indicator_value(self, indicator: Indicator, period: Period, elements: dict[str, DataElement]) -> Decimal | None:
        """The indicator's formula over the scope's aggregated values; `elements` maps codes to elements."""
        tree = formula.parse(indicator.formula)
        options = self._option_cache.get(indicator.formula)
        if options is None:
            options = self._option_cache[indicator.formula] = _option_ids(formula.references(tree), elements)
        periods = {shifted_period(period, s) for s in formula.shifts(tree)}
        self.load(
            [
                elements[r.code]
                for r in formula.references(tree)
                if r.code in elements and not all(self._in_totals(elements[r.code], p, options.get(r.key)) for p in periods)
            ],
            periods,
        )

        def resolve(ref: formula.Ref, shift: formula.Shift) -> Decimal | None:
            element = elements.get(ref.code)
            if element is None:
                return None
            return self.element_value(element, shifted_period(period, shift), options.get(ref.key))

        return formula.evaluate(tree, resolve)


def _over_units(element: DataElement, total: Decimal, count: int) -> Decimal | None:
    """combine_over_units from the sum and the number of the organisations' values."""
    if element.aggregation == Aggregation.AVERAGE:
        return total / count
    if element.aggregation == Aggregation.NONE:
        return total if count == 1 else None
    return total


def formula_options(indicators: Iterable[Indicator], elements: dict[str, DataElement]) -> set[tuple[int, int]]:
    """(element id, option id) of every `#{ELEMENT.OPTION}` the indicators' formulas read."""
    refs = [r for i in indicators for r in formula.references(formula.parse(i.formula))]
    found = _option_ids(refs, elements)
    return {(elements[r.code].pk, option) for r in refs if (option := found.get(r.key)) is not None}


def aggregate_in_database(
    contexts: dict[int, Context],
    elements: Iterable[DataElement],
    periods: Iterable[Period],
    options: Iterable[tuple[int, int]] = (),
) -> None:
    """Let the database combine the values of `elements` over `periods` for every context ({key: context}) in one
    query (two when formulas read options), instead of loading each organisation's values into Python: a
    province's dashboard or an index of 63 provinces reads hundreds of thousands of values otherwise.

    The same rules as `Context.element_value` (the pivot's SQL): only for whole years, where "a level known for a
    longer period holds inside it" cannot apply (nothing is longer than a year); other periods stay in Python."""
    from .constants import PeriodType
    from .pivot import scope_totals

    years = sorted({p for p in periods if p.type == PeriodType.YEAR}, key=lambda p: p.year)
    elements = [e for e in {e.pk: e for e in elements}.values()]
    contexts = {k: c for k, c in contexts.items() if c.approved_only}
    if not years or not elements or not contexts:
        return
    scopes = {key: ctx.organisations for key, ctx in contexts.items()}
    period_ids = [p.id for p in years]
    options = set(options)
    optioned = [e for e in elements if any(e.pk == element for element, _o in options)]
    found = scope_totals(elements=elements, scopes=scopes, period_ids=period_ids, option_elements=[e.pk for e in optioned])
    for ctx in contexts.values():
        ctx._aggregated |= {(e.pk, pid) for e in elements for pid in period_ids}
        ctx._aggregated_options |= {o for o in options if any(o[0] == e.pk for e in optioned)}
    for (element, option, unit, period), totals in found.items():
        if option is None or (element, option) in options:
            contexts[unit]._totals[(element, option, period)] = totals


def _option_ids(refs: list[formula.Ref], elements: dict[str, DataElement]) -> dict[str, int | None]:
    from .models import CategoryOption

    wanted = [r for r in refs if r.option and r.code in elements]
    if not wanted:
        return {}
    combos = {elements[r.code].category_combo_id for r in wanted}
    found: dict[tuple[int | None, str], int] = {
        (combo, code): pk
        for pk, combo, code in CategoryOption.objects.filter(combo_id__in=combos).values_list("pk", "combo_id", "code")
    }
    return {r.key: found.get((elements[r.code].category_combo_id, r.option)) for r in wanted}


def elements_by_code(codes: Iterable[str] | None = None) -> dict[str, DataElement]:
    qs = DataElement.objects.all() if codes is None else DataElement.objects.filter(code__in=set(codes))
    return {e.code: e for e in qs}


def series(
    subject: DataElement | Indicator, periods: list[Period], root: Organisation | None = None
) -> list[tuple[Period, Decimal | None]]:
    """Values of an element or indicator over `periods` for `root`'s scope (None: the province)."""
    ctx = Context.for_root(root)
    if isinstance(subject, Indicator):
        elements = elements_by_code(r.code for r in formula.references(formula.parse(subject.formula)))
        return [(p, ctx.indicator_value(subject, p, elements)) for p in periods]
    ctx.load([subject], periods)
    return [(p, ctx.element_value(subject, p)) for p in periods]
