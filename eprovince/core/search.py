"""What a search query means, for every search of the platform (site search, news, the procedure catalogue).

Vietnamese is written in syllables, and a handful of them ("của", "và", "các"…) appear in every text: searched for
alone they find everything. `parse_query` splits a query into
- significant words, which a result must contain (folded: "kien giang" finds "Kiên Giang");
- stop-syllables (STOP_SYLLABLES, data below), which never match alone: a query made only of them is ignored when it
  is one word and must appear as a whole phrase when it is several ("mot cua" finds "một cửa", not every "của");
- words typed with diacritics that fold to a stop-syllable without being one ("cửa" folds like "của"): they must
  appear exactly as typed, diacritics included.
The phrase and the exact-diacritic form are for ranking. Apps contribute groups of results to the site search with
`register_group` (in their AppConfig.ready()), so `core` names no domain app."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .text import fold, normalise

# Common Vietnamese function syllables, written with their diacritics. A word typed without diacritics is one of them
# when it folds to one of them; a word typed with diacritics only when it is exactly one of them.
STOP_SYLLABLES: frozenset[str] = frozenset(
    {
        "của", "và", "các", "những", "cho", "là", "với", "trong", "một", "có", "được", "này", "theo", "từ", "tại",
        "về", "đã", "ở", "thì", "mà", "đến", "như", "khi", "hoặc", "cũng", "nhưng", "vào", "ra", "bị", "do",
    }
)  # fmt: skip
_FOLDED_STOP = frozenset(fold(s) for s in STOP_SYLLABLES)
_MAX_WORDS = 8
_PUNCTUATION = re.compile(r"[^\w.&'/-]+")


@dataclass(frozen=True)
class Query:
    """A parsed search query. `terms` are every folded word; `significant` the folded words a result must contain;
    `exact` the words (lower case, diacritics kept) a result must contain exactly; `phrase`/`exact_phrase` the whole
    query folded / as typed. `ignored` says why nothing is searched: "" (searched), "empty" or "common"."""

    text: str
    terms: tuple[str, ...] = ()
    significant: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    phrase: str = ""
    exact_phrase: str = ""
    ignored: str = "empty"

    @property
    def searchable(self) -> bool:
        return not self.ignored

    @property
    def phrase_only(self) -> bool:
        """Several words, all stop-syllables: only the whole phrase matches."""
        return self.searchable and not self.significant and not self.exact

    @property
    def highlight_terms(self) -> list[str]:
        """What to mark in a result: the significant words and the whole phrase, never a lone stop-syllable."""
        marks = list(self.significant)
        if len(self.terms) > 1:
            marks.append(self.phrase)
        return marks


def parse_query(text: str) -> Query:
    """The meaning of a query typed in a search box (see the module docstring)."""
    words = [w.strip(".&'/-") for w in _PUNCTUATION.sub(" ", normalise(text or "")).split()]
    words = [w for w in words if w]
    words = list(dict.fromkeys(words))[:_MAX_WORDS]
    if not words:
        return Query(text=text)
    terms = tuple(dict.fromkeys(fold(w) for w in words))
    significant: list[str] = []
    exact: list[str] = []
    for word in words:
        folded = fold(word)
        if folded not in _FOLDED_STOP:
            significant.append(folded)
        elif word != folded and word not in STOP_SYLLABLES:
            exact.append(word)  # "cửa": not "của", but folds like it
    ignored = "common" if not significant and not exact and len(words) == 1 else ""
    return Query(
        text=text,
        terms=terms,
        significant=tuple(dict.fromkeys(significant)),
        exact=tuple(dict.fromkeys(exact)),
        phrase=" ".join(fold(w) for w in words),
        exact_phrase=" ".join(words),
        ignored=ignored,
    )


def matches(query: Query, folded: str, exact: str) -> bool:
    """Whether a text, given folded and normalised (core.text.fold / normalise), matches the query."""
    if not query.searchable:
        return False
    if query.phrase_only:
        return query.phrase in folded
    return all(t in folded for t in query.significant) and all(t in exact for t in query.exact)


def rank(query: Query, folded: str, exact: str) -> int:
    """How well a matching text matches, higher first: the whole phrase as typed (4), the whole phrase folded (3),
    every word of the query as typed (2), every word folded, stop-syllables included (1), the rest (0)."""
    if query.exact_phrase in exact:
        return 4
    if query.phrase in folded:
        return 3
    words = query.exact_phrase.split()
    if len(words) > 1 and all(w in exact for w in words):
        return 2
    if all(t in folded for t in query.terms):
        return 1
    return 0


# --- Groups of the site search ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchGroup:
    """One kind of result on the site search page. `search(query, limit)` returns (total, the first `limit` items as
    dicts with "title", "url" and optionally "meta"), in a bounded number of queries; `more_url(query)` leads to the
    full list (the catalogue's own search)."""

    key: str
    label: Any
    order: int
    search: Callable[[Query, int], tuple[int, list[dict[str, Any]]]]
    more_url: Callable[[Query], str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_GROUPS: dict[str, SearchGroup] = {}


def register_group(group: SearchGroup) -> None:
    _GROUPS[group.key] = group


def groups() -> Sequence[SearchGroup]:
    return sorted(_GROUPS.values(), key=lambda g: g.order)
