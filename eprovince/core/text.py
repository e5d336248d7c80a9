"""Vietnamese text helpers shared by every search: folding diacritics so "kien giang" finds "Kiên Giang"."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Typographic apostrophes (Cư M’gar) fold to the one people type.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0060": "'", "\u00b4": "'"})


def fold(text: str) -> str:
    """Lower-case, strip diacritics, fold đ/Đ to d and collapse white space."""
    text = text.replace("đ", "d").replace("Đ", "d").translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def normalise(text: str) -> str:
    """Lower-case in composed (NFC) form, diacritics kept: for exact-diacritic comparison."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().lower()
