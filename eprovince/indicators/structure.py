"""The organisation tree, the administrative units and their succession links, read once and kept while they do not
change (`core.selectors.structure.remembered`: a database trigger rewrites a token on any change of them).

Analytics works out from them which organisations a unit's figures count (`Structure.scopes`, the rules of
`analytics.scope_organisations`) and which former organisations handed over to which (`handover.handovers`). For a
pivot of every unit of the country that was some 250 ms per request (4.114 scopes, 759 handovers, three tables of
4.000 to 14.000 rows); kept, it is one primary-key read. What is kept is read-only for callers: scopes are frozen
sets, worked out per root on first use.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from eprovince.core.models import AdminUnit, Organisation, UnitSuccession
from eprovince.core.selectors.structure import remembered


class Structure:
    """The three tables, indexed for the walks analytics makes."""

    def __init__(self) -> None:
        orgs = list(Organisation.objects.order_by().values_list("pk", "path", "admin_unit_id", "successor_id", "valid_to"))
        self.valid_to: dict[int, dt.date | None] = {pk: end for pk, _path, _unit, _next, end in orgs}
        self.admin_unit: dict[int, int | None] = {pk: unit for pk, _path, unit, _next, _end in orgs}
        self.successor: dict[int, int] = {pk: nxt for pk, _path, _unit, nxt, _end in orgs if nxt is not None}
        self.path_of: dict[int, str] = {pk: path for pk, path, _unit, _next, _end in orgs}
        self._by_path = sorted((path, pk) for pk, path, _unit, _next, _end in orgs)
        self._paths_sorted = [path for path, _pk in self._by_path]
        self.located: dict[int, list[int]] = defaultdict(list)  # unit → organisations located in it
        self.predecessors: dict[int, list[int]] = defaultdict(list)  # organisation → those that named it successor
        for pk, _path, unit, nxt, _end in orgs:
            if unit is not None:
                self.located[unit].append(pk)
            if nxt is not None:
                self.predecessors[nxt].append(pk)
        self.children: dict[int, list[int]] = defaultdict(list)
        for pk, parent in AdminUnit.objects.filter(parent__isnull=False).order_by().values_list("pk", "parent_id"):
            self.children[parent].append(pk)
        self.unit_successors: dict[int, set[int]] = defaultdict(set)
        self.unit_predecessors: dict[int, set[int]] = defaultdict(set)
        for predecessor, successor in UnitSuccession.objects.order_by().values_list("predecessor_id", "successor_id"):
            self.unit_successors[predecessor].add(successor)
            self.unit_predecessors[successor].add(predecessor)
        self._scopes: dict[int, frozenset[int]] = {}
        self.memo: dict[str, Any] = {}  # results of other walks (handover.handovers), kept with the structure

    # Units -------------------------------------------------------------------------------------------------

    def area(self, units: Iterable[int]) -> set[int]:
        """The units and every unit below them (provinces have two levels below at most)."""
        found: set[int] = set()
        for unit in units:
            found.add(unit)
            for child in self.children.get(unit, ()):
                found.add(child)
                found.update(self.children.get(child, ()))
        return found

    def former_within(self, unit: int) -> set[int]:
        """Former units that lie wholly inside `unit`'s area (every successor link of theirs points into it, followed
        back transitively), with the units below them: `analytics.former_units_within`."""
        inside_area = self.area([unit])
        found: set[int] = set()
        frontier = set(inside_area)
        while frontier:
            candidates = {p for s in frontier for p in self.unit_predecessors.get(s, ())} - found - inside_area
            if not candidates:
                break
            inside = {p for p in candidates if self.unit_successors.get(p, set()) <= (inside_area | found)}
            if not inside:
                break
            found |= self.area(inside)
            frontier = inside
        return found

    # Organisations -----------------------------------------------------------------------------------------

    def below(self, path: str) -> list[int]:
        """The organisations whose path starts with `path` (Q(path__startswith=path))."""
        start = bisect.bisect_left(self._paths_sorted, path)
        end = bisect.bisect_left(self._paths_sorted, path + "\U0010ffff")
        return [pk for _path, pk in self._by_path[start:end]]

    def scope(self, root: int) -> frozenset[int]:
        """The organisations a series of `root` counts (`analytics.scope_organisations`), worked out once."""
        found = self._scopes.get(root)
        if found is not None:
            return found
        ids: set[int] = set()
        paths = {self.path_of[root]}
        unit = self.admin_unit.get(root)
        if unit is not None:
            paths |= {self.path_of[o] for former in self.former_within(unit) for o in self.located.get(former, ())}
        while paths:
            new = {pk for path in paths for pk in self.below(path)} - ids
            ids |= new
            # organisations that became one of these (Sở TT&TT → Sở KH&CN), with those below them
            paths = {self.path_of[p] for pk in new for p in self.predecessors.get(pk, ()) if p not in ids}
        found = frozenset(ids)
        self._scopes[root] = found
        return found

    def scopes(self, roots: Iterable[int]) -> dict[int, frozenset[int]]:
        return {root: self.scope(root) for root in roots if root in self.path_of}


def current() -> Structure:
    """The structure as the database holds it now (kept between requests while unchanged)."""
    return remembered("indicators.structure", Structure)
