"""Marking search terms in Vietnamese text: terms are folded ("kien giang"), the text keeps its diacritics
("Kiên Giang"), so matches are found in a folded copy whose characters map back to the original."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from eprovince.core.text import fold


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return " " if ch.isspace() else fold(ch)


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original character it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for f in _fold_char(ch):
            chars.append(f)
            origin.append(i)
    return "".join(chars), origin


def match_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Sorted [start, end) spans of `text` where any folded term occurs; overlapping spans, and spans separated only
    by white space, are merged (so "kien giang" marks "Kiên Giang" as one phrase)."""
    folded, origin = _folded_with_map(text)
    spans: list[tuple[int, int]] = []
    for term in {t for t in terms if t}:
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((origin[start], origin[end - 1] + 1))
            start = folded.find(term, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].isspace()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """`text` escaped, with every match of `terms` wrapped in <mark>."""
    out: list[str] = []
    pos = 0
    for start, end in match_spans(text, terms):
        out.append(escape(text[pos:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # every piece is escaped above


def excerpt(text: str, terms: Iterable[str], width: int = 240) -> SafeString:
    """About `width` characters of `text` around the first match, cut at word boundaries, highlighted."""
    terms = list(terms)
    spans = match_spans(text, terms)
    if len(text) <= width:
        return highlight(text, terms)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 4)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + highlight(text[start:end], terms) + suffix)  # highlight() escapes
