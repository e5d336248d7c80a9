from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from .. import highlight as hl
from ..constants import ArticleStatus
from ..validators import html_to_text

register = template.Library()


@register.filter
def highlight(text: str, terms: list[str]) -> SafeString:
    """{{ article.title|highlight:terms }}: the text escaped, search terms in <mark>."""
    return hl.highlight(str(text or ""), terms or [])


@register.filter
def status_label(value: str) -> str:
    """The readable name of an article status value (as stored in the audit trail)."""
    return str(ArticleStatus(value).label) if value in ArticleStatus.values else value


@register.simple_tag
def search_excerpt(article: Any, terms: list[str], width: int = 240) -> SafeString:
    """An excerpt around the first match in the summary, else in the body text."""
    for text in (article.summary, html_to_text(article.body)):
        if text and hl.match_spans(text, terms):
            return hl.excerpt(text, terms, width)
    return hl.excerpt(article.summary or html_to_text(article.body), terms, width)
