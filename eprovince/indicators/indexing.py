"""The composite-index engine, free of the database: normalisation, aggregation, pillars and ranking.

A framework (see models.indices) is turned into a `FrameworkSpec`; `compute(spec, raw)` takes the raw value of each
item for each compared unit and returns every unit's score, component scores, pillar scores and rank.

- Items are normalised to [0, 1] per the framework: min–max among the units compared, ratio to a reference value
  (capped at 1), or a score already in [0, 1] (`input_range`: an input outside it is refused when entered; a value
  derived from the catalogue is clamped). "Lower is better" items are reversed.
- A component's score is the weighted mean of its items' scores.
- The overall score is the weighted mean of the components (ICT Index from 2016: three components, equal weights), or
  the points-weighted sum divided by the total points (DTI 2022: 1,000 points over 9 main indices).
- Pillars are formulas over component codes (DTI: digital government = (F + 200 × activity) / 700).
- Ranks are standard competition ranks of the scores rounded to the published precision: 1, 2, 2, 4.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import formula
from .constants import IndexAggregation, Normalisation

ZERO = Decimal(0)
ONE = Decimal(1)
SCORE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class ItemSpec:
    code: str
    weight: Decimal = ONE
    normalisation: str = Normalisation.RAW
    reference: Decimal | None = None
    higher_is_better: bool = True


@dataclass(frozen=True)
class ComponentSpec:
    code: str
    items: tuple[ItemSpec, ...]
    weight: Decimal = ONE
    points: Decimal = ZERO


@dataclass(frozen=True)
class PillarSpec:
    code: str
    formula: str


@dataclass(frozen=True)
class FrameworkSpec:
    components: tuple[ComponentSpec, ...]
    aggregation: str = IndexAggregation.WEIGHTED_MEAN
    total_points: Decimal | None = None
    pillars: tuple[PillarSpec, ...] = ()


@dataclass
class UnitResult:
    subject: Hashable
    score: Decimal | None
    components: dict[str, Decimal | None] = field(default_factory=dict)
    pillars: dict[str, Decimal | None] = field(default_factory=dict)
    items: dict[str, Decimal | None] = field(default_factory=dict)
    rank: int | None = None


def input_range(normalisation: str) -> tuple[Decimal, Decimal] | None:
    """The values an item's raw input may take: a score already normalised (RAW, the published component scores
    of the ICT Index and DTI) lies in [0, 1]; a quantity normalised among the units compared or against a reference
    may be any finite number. services.indices refuses an input outside it (80, −3), naming the item: only values
    derived from the catalogue reach the clamping below."""
    return (ZERO, ONE) if normalisation == Normalisation.RAW else None


def clamp01(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def normalise(
    values: Mapping[Hashable, Decimal | None],
    method: str,
    *,
    reference: Decimal | None = None,
    higher_is_better: bool = True,
) -> dict[Hashable, Decimal | None]:
    """Each unit's value on [0, 1]; a missing value stays missing."""
    present = [v for v in values.values() if v is not None]
    result: dict[Hashable, Decimal | None] = {}
    if method == Normalisation.MIN_MAX:
        low, high = (min(present), max(present)) if present else (ZERO, ZERO)
        for key, value in values.items():
            if value is None:
                result[key] = None
            elif high == low:
                result[key] = ONE  # every unit compared scores the same: all at the top
            else:
                share = (value - low) / (high - low)
                result[key] = clamp01(share if higher_is_better else ONE - share)
        return result
    if method == Normalisation.REFERENCE:
        if reference is None or reference <= 0:
            raise ValueError("A reference value above zero is needed to normalise by ratio.")
        for key, value in values.items():
            if value is None:
                result[key] = None
            elif higher_is_better:
                result[key] = clamp01(value / reference)
            else:
                result[key] = ONE if value <= 0 else clamp01(reference / value)
        return result
    for key, value in values.items():
        result[key] = None if value is None else clamp01(value if higher_is_better else ONE - value)
    return result


def weighted_mean(pairs: Sequence[tuple[Decimal | None, Decimal]]) -> Decimal | None:
    """Σ score × weight / Σ weight; missing if any score with a weight is missing, or if there is no weight."""
    total_weight = sum((w for _, w in pairs), ZERO)
    if total_weight <= 0:
        return None
    if any(score is None for score, w in pairs if w):
        return None
    return sum(((score or ZERO) * w for score, w in pairs), ZERO) / total_weight


def points_score(pairs: Sequence[tuple[Decimal | None, Decimal]], total_points: Decimal | None = None) -> Decimal | None:
    """Σ score × points / total points (the sum of the points unless given); components with 0 points do not count."""
    total = total_points if total_points is not None else sum((p for _, p in pairs), ZERO)
    if total <= 0:
        return None
    if any(score is None for score, p in pairs if p):
        return None
    return sum(((score or ZERO) * p for score, p in pairs if p), ZERO) / total


def competition_rank(scores: Mapping[Hashable, Decimal | None], places: Decimal = SCORE_PLACES) -> dict[Hashable, int | None]:
    """Standard competition ranking (1, 2, 2, 4) of the scores rounded to `places`; missing scores get no rank."""
    rounded = {k: v.quantize(places, rounding=ROUND_HALF_UP) for k, v in scores.items() if v is not None}
    ordered = sorted(rounded.values(), reverse=True)
    first_position: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return {k: (first_position[rounded[k]] if k in rounded else None) for k in scores}


def round_score(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def _component_reader(unit: UnitResult) -> formula.Resolver:
    def read(ref: formula.Ref, _shift: formula.Shift) -> Decimal | None:
        return unit.components.get(ref.code)

    return read


def compute(spec: FrameworkSpec, raw: Mapping[Hashable, Mapping[str, Decimal | None]]) -> list[UnitResult]:
    """Scores and ranks of every unit in `raw` ({unit: {item code: raw value}}), best first, then unranked units."""
    subjects = list(raw)
    normalised: dict[str, dict[Hashable, Decimal | None]] = {}
    for component in spec.components:
        for item in component.items:
            column = {s: raw[s].get(item.code) for s in subjects}
            normalised[item.code] = normalise(
                column, item.normalisation, reference=item.reference, higher_is_better=item.higher_is_better
            )
    results: dict[Hashable, UnitResult] = {}
    pillar_trees = [(p.code, formula.parse(p.formula)) for p in spec.pillars]
    for subject in subjects:
        unit = UnitResult(subject=subject, score=None)
        for component in spec.components:
            for item in component.items:
                unit.items[item.code] = normalised[item.code][subject]
            unit.components[component.code] = weighted_mean([(unit.items[i.code], i.weight) for i in component.items])
        if spec.aggregation == IndexAggregation.POINTS:
            unit.score = points_score([(unit.components[c.code], c.points) for c in spec.components], spec.total_points)
        else:
            unit.score = weighted_mean([(unit.components[c.code], c.weight) for c in spec.components])
        for code, tree in pillar_trees:
            unit.pillars[code] = formula.evaluate(tree, _component_reader(unit))
        results[subject] = unit
    ranks = competition_rank({s: r.score for s, r in results.items()})
    for subject, rank in ranks.items():
        results[subject].rank = rank
    return sorted(results.values(), key=lambda r: (r.rank is None, r.rank or 0, str(r.subject)))
