"""Reading an index's results for one year: each unit's score, component and pillar scores, rank, and change of
rank against the previous year's version of the same index. Computed on the fly from the inputs and, for items
backed by the catalogue, from approved values of the compared organisations."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal

from . import formula
from .analytics import Context, aggregate_in_database, elements_by_code, formula_options, scopes_of
from .constants import PeriodType
from .indexing import ComponentSpec, FrameworkSpec, ItemSpec, PillarSpec, UnitResult, compute, round_score
from .models import IndexComponent, IndexFramework, IndexInput, IndexItem, IndexPillar, IndexSubject
from .periods import Period
from .validation import shifted_period


@dataclass
class IndexRow:
    subject: IndexSubject
    score: Decimal | None
    components: list[tuple[IndexComponent, Decimal | None]]
    pillars: list[tuple[IndexPillar, Decimal | None]]
    raw: dict[str, Decimal | None]
    rank: int | None
    previous_rank: int | None = None
    synthetic: bool = False

    @property
    def rank_change(self) -> int | None:
        """Places gained since last year (positive: moved up)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


@dataclass
class IndexTable:
    framework: IndexFramework
    components: list[IndexComponent]
    pillars: list[IndexPillar]
    rows: list[IndexRow] = field(default_factory=list)
    previous: IndexFramework | None = None

    @property
    def ranked(self) -> int:
        return sum(1 for r in self.rows if r.rank is not None)


def framework_spec(components: list[IndexComponent], pillars: list[IndexPillar], framework: IndexFramework) -> FrameworkSpec:
    return FrameworkSpec(
        components=tuple(
            ComponentSpec(
                code=c.code,
                weight=c.weight,
                points=c.points,
                items=tuple(
                    ItemSpec(i.code, i.weight, i.normalisation, i.reference_value, i.higher_is_better) for i in c.items.all()
                ),
            )
            for c in components
        ),
        aggregation=framework.aggregation,
        total_points=framework.total_points,
        pillars=tuple(PillarSpec(p.code, p.formula) for p in pillars),
    )


def _raw_values(
    framework: IndexFramework, items: list[IndexItem]
) -> tuple[dict[int, IndexSubject], dict[Hashable, dict[str, Decimal | None]], set[int]]:
    subjects = {s.pk: s for s in framework.subjects.select_related("organisation")}
    raw: dict[Hashable, dict[str, Decimal | None]] = {pk: {} for pk in subjects}
    synthetic: set[int] = set()
    for row in IndexInput.objects.filter(item__in=items).select_related("item", "subject__organisation"):
        subjects.setdefault(row.subject_id, row.subject)
        raw.setdefault(row.subject_id, {})[row.item.code] = row.value
        if row.synthetic:
            synthetic.add(row.subject_id)
    backed = [i for i in items if i.indicator_id or i.element_id]
    if backed:
        period = Period.parse(str(framework.year))
        elements = elements_by_code()
        codes = {i.element.code for i in backed if i.element is not None} | {
            ref.code for i in backed if i.indicator is not None for ref in formula.references(formula.parse(i.indicator.formula))
        }
        needed = [elements[c] for c in codes if c in elements]
        periods = {period} | {
            shifted_period(period, shift)
            for i in backed
            if i.indicator is not None
            for shift in formula.shifts(formula.parse(i.indicator.formula))
        }
        # Set-based: every subject's scope at once, then one query aggregating the values of all of them in the
        # database (per subject, element and year; analytics.aggregate_in_database), instead of loading every
        # value of the 63 provinces into Python. Periods other than years (none today) are loaded once, shared.
        scopes = scopes_of([s.organisation for s in subjects.values() if s.organisation is not None])
        shared = Context(organisations=frozenset().union(*scopes.values()))
        other_periods = [p for p in periods if p.type != PeriodType.YEAR]
        if scopes and other_periods:
            shared.load(needed, other_periods)
        contexts = {
            pk: shared.restricted(scopes[subject.organisation.pk])
            for pk, subject in subjects.items()
            if subject.organisation is not None
        }
        options = formula_options([i.indicator for i in backed if i.indicator is not None], elements)
        aggregate_in_database(contexts, needed, periods, options)
        for pk, ctx in contexts.items():
            for item in backed:
                if item.code in raw[pk]:
                    continue
                if item.indicator is not None:
                    raw[pk][item.code] = ctx.indicator_value(item.indicator, period, elements)
                elif item.element is not None:
                    raw[pk][item.code] = ctx.element_value(item.element, period)
    return subjects, raw, synthetic


def index_table(framework: IndexFramework, *, with_previous: bool = True) -> IndexTable:
    components = list(framework.components.prefetch_related("items__indicator", "items__element"))
    pillars = list(framework.pillars.all())
    for pillar in pillars:
        formula.parse(pillar.formula)  # a broken pillar fails loudly, not as a missing score
    items = [i for c in components for i in c.items.all()]
    subjects, raw, synthetic = _raw_values(framework, items)
    results: list[UnitResult] = compute(framework_spec(components, pillars, framework), raw)
    table = IndexTable(framework=framework, components=components, pillars=pillars)
    previous_ranks: dict[str, int | None] = {}
    if with_previous:
        table.previous = IndexFramework.objects.filter(code=framework.code, year=framework.year - 1).first()
        if table.previous is not None:
            earlier = index_table(table.previous, with_previous=False)
            previous_ranks = {r.subject.code: r.rank for r in earlier.rows}
    for result in results:
        subject = subjects[result.subject]  # type: ignore[index]
        table.rows.append(
            IndexRow(
                subject=subject,
                score=round_score(result.score),
                components=[(c, round_score(result.components.get(c.code))) for c in components],
                pillars=[(p, round_score(result.pillars.get(p.code))) for p in pillars],
                raw=dict(raw[result.subject]),
                rank=result.rank,
                previous_rank=previous_ranks.get(subject.code),
                synthetic=result.subject in synthetic,
            )
        )
    return table
