"""Reads of administrative units: which existed on a date, what became of them, and search.

Units are public reference data: every caller may see all of them."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from ..constants import UnitLevel
from ..models import AdminUnit, UnitSuccession
from ..text import fold

# Kinds a query may start with ("tinh kien giang", "Thị xã Tân Châu"): the kind is then matched on its own.
_KINDS = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Huyện", "Phường", "Quận", "Tỉnh", "Xã")
_LEVEL_ORDER = Case(
    When(level=UnitLevel.PROVINCE, then=Value(0)),
    When(level=UnitLevel.DISTRICT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _units() -> QuerySet[AdminUnit]:
    return AdminUnit.objects.select_related("parent")


def _parent_id(parent: AdminUnit | int | None) -> int | None:
    return parent.pk if isinstance(parent, AdminUnit) else parent


def units_valid_on(
    day: dt.date | None = None, level: str | None = None, parent: AdminUnit | int | None = None
) -> QuerySet[AdminUnit]:
    """Units that existed on `day` (default today), optionally of one level or under one parent."""
    qs = _units().valid_on(day or timezone.localdate())  # type: ignore[attr-defined]
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent_id=_parent_id(parent))
    return qs.order_by(_LEVEL_ORDER.asc(), "code")


def unit_children(unit: AdminUnit, on: dt.date | None = None) -> QuerySet[AdminUnit]:
    """The units directly under `unit` (all of them, or those that existed on `on`)."""
    qs = _units().filter(parent=unit)
    if on is not None:
        qs = qs.valid_on(on)  # type: ignore[attr-defined]
    return qs.order_by("code")


def unit_successor_ids(unit_ids: set[int], on: dt.date) -> set[int]:
    """Follow succession links from `unit_ids` until reaching units that existed on `on` (one query per step)."""
    current = set(AdminUnit.objects.filter(pk__in=unit_ids).valid_on(on).values_list("pk", flat=True))  # type: ignore[attr-defined]
    frontier, seen = unit_ids - current, set(unit_ids)
    while frontier:
        rows = (
            UnitSuccession.objects.filter(predecessor_id__in=frontier)
            .exclude(successor_id__in=seen)
            .values_list("successor_id", "successor__valid_from", "successor__valid_to")
        )
        frontier = set()
        for successor_id, valid_from, valid_to in rows:
            if successor_id in seen:
                continue
            seen.add(successor_id)
            if (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to):
                current.add(successor_id)
            elif valid_from is None or valid_from <= on:  # ended before `on`: look at what it became
                frontier.add(successor_id)
    return current


def unit_successors(unit: AdminUnit, on: dt.date | None = None) -> QuerySet[AdminUnit]:
    """The units that existed on `on` (default today) and cover (all or part of) `unit`, following succession links
    transitively: "which current units does the former Tân Châu district map to". A unit that still exists on `on` is
    its own answer; a unit that only began after `on` has none."""
    ids = unit_successor_ids({unit.pk}, on or timezone.localdate())
    return _units().filter(pk__in=ids).order_by(_LEVEL_ORDER.asc(), "code")


def unit_predecessors(unit: AdminUnit) -> QuerySet[AdminUnit]:
    """The units that directly became (all or part of) `unit`."""
    return _units().filter(successor_links__successor=unit).distinct().order_by(_LEVEL_ORDER.asc(), "code")


def unit_successor_links(unit: AdminUnit) -> QuerySet[UnitSuccession]:
    return UnitSuccession.objects.filter(predecessor=unit).select_related("successor__parent").order_by("successor__code")


def unit_predecessor_links(unit: AdminUnit) -> QuerySet[UnitSuccession]:
    return (
        UnitSuccession.objects.filter(successor=unit)
        .select_related("predecessor__parent")
        .order_by("predecessor__level", "predecessor__code")
    )


def unit_search(
    text: str, *, on: dt.date | None = None, level: str | None = None, parent: AdminUnit | int | None = None
) -> QuerySet[AdminUnit]:
    """Units whose name contains `text`, with or without diacritics ("kien giang" finds "Kiên Giang").

    Exact names come first, then names containing `text` with its diacritics, then diacritic-free matches; within
    each, provinces before districts before communes, current units before former ones. A query may start with the
    unit's kind ("tinh kien giang", "Thị xã Tân Châu"); it is also read as part of the name ("tinh bien": Tịnh Biên).
    """
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    folded = fold(text)
    if not folded:
        return AdminUnit.objects.none()
    # Numbered units keep their kind in the name ("Phường 1"). SQLite compares only ASCII letters case-insensitively,
    # hence the title-cased form ("đồng tháp" → "Đồng Tháp").
    matches = Q(search_name__contains=folded)
    exact = Q(name__iexact=text) | Q(name=text.title())
    contains = Q(name__icontains=text) | Q(name__contains=text.title())
    for kind in _KINDS:
        prefix = fold(kind) + " "
        if folded.startswith(prefix) and len(folded) > len(prefix):
            rest, folded_rest = text[len(kind) + 1 :].strip(), folded[len(prefix) :]
            matches |= Q(kind=kind, search_name__contains=folded_rest)
            exact |= Q(kind=kind) & (Q(name__iexact=rest) | Q(name=rest.title()))
            contains |= Q(kind=kind) & (Q(name__icontains=rest) | Q(name__contains=rest.title()))
            break
    qs = _units().filter(matches)
    if on is not None:
        qs = qs.valid_on(on)  # type: ignore[attr-defined]
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent_id=_parent_id(parent))
    rank = Case(When(exact, then=Value(0)), When(contains, then=Value(1)), default=Value(2), output_field=IntegerField())
    return qs.order_by(rank.asc(), _LEVEL_ORDER.asc(), "search_name", F("valid_from").desc(nulls_last=True), "code")
