"""Searching the procedure catalogue: name, field, receiving and handling agencies, national code and result name,
every word in any order, diacritics ignored, ranked (core.search).

The catalogue is small (hundreds of active procedures) and its words live in four tables, so it is searched in
Python over one narrow query instead of a stored folded column on Procedure: one `values_list` of the active
procedures with the joined names, folded once per distinct text (an LRU cache keyed by the text, so a renamed field
or agency is seen at once). Measured with 500 active procedures all matching the query (SQLite, the 2-core machine
shared with other test runs, December 2026): ranking 36 ms once the texts are folded, 330 ms for the very first
search of a fresh process; the page of 20 and its count 25–35 ms more (selectors.public_procedures orders them with one CASE)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from eprovince.core.search import Query, matches, rank
from eprovince.core.text import fold, normalise

from .models import Procedure

_COLUMNS = (
    "pk", "name", "national_code", "result_name", "field__name", "receiving_agency__name", "receiving_agency__short_name",
    "handling_agency__name", "handling_agency__short_name", "field__order",
)  # fmt: skip


@lru_cache(maxsize=8192)
def _forms(text: str) -> tuple[str, str]:
    return fold(text), normalise(text)


def ranked(procedures: QuerySet[Procedure], query: Query) -> list[tuple[int, str, str, str]]:
    """(pk, name, national code, field name) of the procedures of `procedures` matching `query`, best first: matches in
    the name before matches elsewhere, then by core.search.rank, then in the catalogue's order (field, name)."""
    if not query.searchable:
        return []
    scored: list[tuple[tuple[Any, ...], tuple[int, str, str, str]]] = []
    for pk, name, code, result, field, receiving, receiving_short, handling, handling_short, order in procedures.values_list(
        *_COLUMNS
    ).order_by():
        everything = " | ".join(t for t in (name, code, field, result, receiving, receiving_short, handling, handling_short) if t)
        folded, exact = _forms(everything)
        if not matches(query, folded, exact):
            continue
        name_folded, name_exact = _forms(name)
        in_name = matches(query, name_folded, name_exact)
        score = rank(query, name_folded, name_exact) if in_name else rank(query, folded, exact)
        scored.append(((not in_name, -score, order, field, name, pk), (pk, name, code, field)))
    scored.sort(key=lambda item: item[0])
    return [row for _key, row in scored]


def site_group(query: Query, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """The procedures group of the site search (core.search.SearchGroup): one query."""
    rows = ranked(Procedure.objects.filter(is_active=True), query)
    items = [
        {"title": name, "url": reverse("onestop:procedure", args=[code]), "meta": f"{code} · {field}"}
        for _pk, name, code, field in rows[:limit]
    ]
    return len(rows), items


def catalogue_url(query: Query) -> str:
    """The catalogue's own search for `query`: every match, with the catalogue's filters."""
    return f"{reverse('onestop:catalogue')}?{urlencode({'q': query.text})}"
