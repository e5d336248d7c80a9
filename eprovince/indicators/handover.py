"""Levels across a handover: a former unit's stock at its last day is inside its successor's stock afterwards.

When a former district ends on 30/06/2025 and the communes that took over its area report the year-end stock of BTS
stations, the district's stock at 30/06 is already inside theirs; adding both counts it twice. So, for an element
taking the last value over time (a level: subscribers, stations, fibre km), within one scope:

    a former organisation's value for a period ending after its last day is left out when one of its successors,
    still active at the end of that period, has a value for the same element, option and period in the same scope.

- Successors of a former organisation: the organisation its `successor` link names (followed on while that one has
  ended too), and the organisations located in an administrative unit that took over its unit or a unit below it
  (UnitSuccession, followed on likewise).
- A former unit viewed alone keeps its history (its successor is not in its scope); while no successor has reported
  for the period, it still counts (nothing would count otherwise); a flow (revenue) adds both halves; periods ending
  on or before the last day are untouched.

The handovers are a few hundred organisations, worked out in memory from the structure and kept with it while it does
not change (`handovers`), and applied as a correction after the set-based SQL (`pivot`) or to the values in hand
(`analytics`), so the queries over millions of values stay as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .structure import Structure, current


@dataclass(frozen=True)
class Handover:
    """A former organisation (ended on `last_day`) and its successors ({organisation id: its own last day or None})."""

    former: int
    last_day: dt.date
    successors: Mapping[int, dt.date | None]

    def superseded_by(self, present: Collection[int], period_end: dt.date, *, scope: Collection[int] | None = None) -> bool:
        """Whether the former organisation's value for a period ending on `period_end` is left out, given the
        organisations `present` with a value for the same element, option and period (those of `scope` only, when
        given; otherwise `present` is the scope's)."""
        if period_end <= self.last_day:
            return False
        return any(
            successor in present and (scope is None or successor in scope) and (ends is None or ends >= period_end)
            for successor, ends in self.successors.items()
        )


Handovers = dict[int, Handover]


def handovers() -> Handovers:
    """Every former organisation that has a successor, keyed by its id: worked out from the structure
    (`structure.py`) and kept with it while organisations, units and succession links do not change."""
    known = current()
    found = known.memo.get("handovers")
    if found is None:
        found = known.memo["handovers"] = _handovers(known)
    return found  # type: ignore[no-any-return]


def _handovers(known: Structure) -> Handovers:
    def successor_units(unit: int) -> set[int]:
        """The units that took over `unit` or a unit below it (two levels), followed on."""
        found: set[int] = set()
        frontier = [s for u in known.area([unit]) for s in known.unit_successors.get(u, ())]
        while frontier:
            step = [s for s in frontier if s not in found]
            found.update(step)
            frontier = [s for u in step for s in known.unit_successors.get(u, ())]
        return found

    result: Handovers = {}
    for pk, last_day in known.valid_to.items():
        if last_day is None:
            continue
        successors: set[int] = set()
        following = known.successor.get(pk)
        while following is not None and following not in successors and following != pk:
            successors.add(following)
            following = known.successor.get(following)
        unit = known.admin_unit.get(pk)
        if unit is not None:
            for taker in successor_units(unit):
                successors.update(known.located.get(taker, ()))
        successors.discard(pk)
        if successors:
            result[pk] = Handover(pk, last_day, {s: known.valid_to[s] for s in successors})
    return result


def superseded(present: Collection[int], period_end: dt.date, found: Handovers) -> set[int]:
    """The organisations among `present` (those with a value for one element, option and period within one scope)
    whose value is left out at a handover."""
    return {org for org in present if (h := found.get(org)) is not None and h.superseded_by(present, period_end)}


def earliest(found: Handovers) -> dt.date | None:
    """The first last day of a former organisation: periods ending on or before it are never affected."""
    return min((h.last_day for h in found.values()), default=None)
