"""HTTP helpers shared by every app's downloads."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote


def ascii_filename(name: str) -> str:
    """The fallback name for old clients: diacritics dropped ("đ" → "d"), anything unusual replaced by "_"."""
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in " ._-()") else "_" for ch in plain)


def content_disposition(filename: str, ascii_name: str | None = None) -> str:
    """RFC 6266 / RFC 5987: a plain ASCII `filename` for old clients and the Vietnamese name in `filename*`
    (Django's own header gives only one of the two)."""
    fallback = ascii_name if ascii_name is not None else ascii_filename(filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
