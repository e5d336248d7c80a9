"""Parsing the seed articles: plain-text copies of news pages (title, a source or time-stamp line, the lead, the body,
an author line, and the old site's rating widget). Nothing is retyped: every field comes from the files.

What the files look like, and what the parser does about it:
- the lead paragraph is repeated (once as the page's summary, once at the start of the body): kept once, as the summary;
- "(Mic.gov.vn) - " names the source, sometimes followed by the lead on the same line;
- the date is in the first paragraphs ("Ngày 15/01/2009", "Sáng ngày 02/01/2014") or a US time stamp line
  ("1/30/2007 2:07:06 PM"); when no date is stated there, the earliest date written in the text is used and the
  article is marked as having an estimated date;
- image file names ("20161229-m5.jpg") are dropped (the images are not in the files); the line after one, and any
  short line without final punctuation, is a photo caption;
- the author line ("Huỳnh Diễm – Sở TT&TT Kiên Giang", "N.Hồng - Sở TTTT Nghệ An") closes the text;
- "ĐÁNH GIÁ BÀI VIẾT( 0)" is the old site's widget and is dropped.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from eprovince.core.text import fold

from .validators import title_slug

_SOURCE = re.compile(r"^\((?P<source>[^()]{2,60})\)\s*[-–—]?\s*(?P<rest>.*)$")
_US_TIMESTAMP = re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:AM|PM)?$", re.I)
_STATED_DATE = re.compile(r"\bngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b", re.I)
_ANY_DATE = re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b")
_IMAGE_FILE = re.compile(r"^[\w.-]+\.(?:jpe?g|png|gif|webp)$", re.I)
_AUTHOR = re.compile(r"^[^!?…:;,]{2,60}\s[–—-]\s(?:Sở|Ban|Phòng|Trung tâm|Báo|Đài|Văn phòng|Bộ)\s[^.!?]{2,80}$")
_WIDGET = re.compile(r"^danh gia bai viet\s*\(\s*\d*\s*\)$")  # matched against the folded line
_TERMINAL = tuple('.!?…:;,”")')
# How many paragraphs after the title may hold the source, the time stamp and the stated date.
_HEADER_PARAGRAPHS = 3
_CAPTION_MAX = 160


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "caption" or "li"
    text: str


@dataclass(frozen=True)
class SeedArticle:
    filename: str
    title: str
    published_on: dt.date | None
    date_estimated: bool
    source: str
    author_line: str
    summary: str
    blocks: tuple[Block, ...]

    @property
    def slug(self) -> str:
        return title_slug(self.title)

    @property
    def body_html(self) -> str:
        out: list[str] = []
        for i, block in enumerate(self.blocks):
            text = html.escape(block.text)
            if block.kind == "li":
                if i == 0 or self.blocks[i - 1].kind != "li":
                    out.append("<ul>")
                out.append(f"<li>{text}</li>")
                if i == len(self.blocks) - 1 or self.blocks[i + 1].kind != "li":
                    out.append("</ul>")
            elif block.kind == "caption":
                out.append(f'<p class="caption">{text}</p>')
            else:
                out.append(f"<p>{text}</p>")
        return "\n".join(out)


def seed_dir() -> Path:
    """settings.SEED_ARTICLES_DIR or $SEED_ARTICLES_DIR, else the shared folder beside the project."""
    override = getattr(settings, "SEED_ARTICLES_DIR", None) or os.environ.get("SEED_ARTICLES_DIR")
    return Path(override) if override else Path(settings.BASE_DIR).parent / "shared" / "seed-articles"


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", line).replace("\u00a0", " ")).strip()


def _date(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def parse_text(text: str, filename: str = "") -> SeedArticle:
    lines = [_clean(line) for line in text.splitlines()]
    paragraphs = [line for line in lines if line and not _WIDGET.match(fold(line))]
    if not paragraphs:
        raise ValueError(f"{filename or 'seed article'}: empty")
    title, rest = paragraphs[0], paragraphs[1:]

    source, published_on = "", None
    header: list[str] = []
    for i, line in enumerate(rest):
        if i >= _HEADER_PARAGRAPHS:
            header.append(line)
            continue
        if not source and (m := _SOURCE.match(line)):
            source = m["source"].strip()
            if m["rest"].strip():
                header.append(m["rest"].strip())
        elif published_on is None and (m := _US_TIMESTAMP.match(line)):
            published_on = _date(m)
        else:
            header.append(line)
    if published_on is None:
        for line in header[:_HEADER_PARAGRAPHS]:
            if (m := _STATED_DATE.search(line)) and (published_on := _date(m)):
                break
    estimated = False
    if published_on is None:
        found = [d for m in _ANY_DATE.finditer("\n".join(header)) if (d := _date(m))]
        published_on, estimated = (min(found), True) if found else (None, False)

    author_line = ""
    if header and len(header[-1]) < 120 and _AUTHOR.match(header[-1]):
        author_line = header.pop()

    blocks = list(_blocks(header))
    lead_index = next((i for i, b in enumerate(blocks) if b.kind == "p"), None)
    summary = blocks.pop(lead_index).text if lead_index is not None else ""
    return SeedArticle(
        filename=filename,
        title=title,
        published_on=published_on,
        date_estimated=estimated,
        source=source,
        author_line=author_line,
        summary=summary,
        blocks=tuple(blocks),
    )


def _blocks(paragraphs: list[str]) -> Iterator[Block]:
    seen: set[str] = set()
    after_image = False
    for text in paragraphs:
        if _IMAGE_FILE.match(text):
            after_image = True
            continue
        if text in seen:  # the repeated lead, or any other accidental repeat
            continue
        seen.add(text)
        if after_image or (len(text) <= _CAPTION_MAX and not text.endswith(_TERMINAL)):
            yield Block("caption", text)
        elif text.startswith(("- ", "– ")):
            yield Block("li", text[2:].strip())
        else:
            yield Block("p", text)
        after_image = False


def parse_file(path: Path) -> SeedArticle:
    return parse_text(path.read_text(encoding="utf-8"), filename=path.name)


def load_all(directory: Path | None = None) -> list[SeedArticle]:
    """Every *.txt seed article in `directory` (default: seed_dir()), in file-name order; [] if it is missing."""
    folder = directory or seed_dir()
    if not folder.is_dir():
        return []
    return [parse_file(p) for p in sorted(folder.glob("*.txt"))]
