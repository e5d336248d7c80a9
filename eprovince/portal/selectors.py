"""Every read the portal's pages, feed and API need, scoped to what the caller may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from eprovince.core import search as site_search
from eprovince.core.search import Query, parse_query
from eprovince.core.text import fold

from .constants import ArticleStatus
from .models import Article, Category, Rating
from .permissions import can_use_workspace

# Lists never need the body or the search columns.
_LIST_DEFER = ("body", "search_text", "search_exact")


def categories() -> QuerySet[Category]:
    return Category.objects.order_by("order", "name")


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def published_articles(*, category: Category | str | None = None) -> QuerySet[Article]:
    """Published articles, newest first, with their category: what the public lists show."""
    qs = Article.objects.published().select_related("category").defer(*_LIST_DEFER).order_by("-published_on", "-id")
    if isinstance(category, Category):
        qs = qs.filter(category=category)
    elif category:
        qs = qs.filter(category__slug=category)
    return qs


def public_article(*, slug: str) -> Article | None:
    """A published article for the public; drafts and articles under review do not exist for them."""
    return Article.objects.published().select_related("category").defer("search_text", "search_exact").filter(slug=slug).first()


def related_articles(*, article: Article, limit: int = 5) -> QuerySet[Article]:
    return published_articles().filter(category_id=article.category_id).exclude(pk=article.pk)[:limit]


def query_terms(query: str) -> list[str]:
    """The folded words of a search query, without repeats."""
    return list(dict.fromkeys(fold(query).split()))


def _article_match(query: Query) -> Q:
    if query.phrase_only:
        return Q(search_text__contains=query.phrase)
    return Q(*[Q(search_text__contains=t) for t in query.significant], *[Q(search_exact__contains=w) for w in query.exact])


def _article_rank(query: Query) -> Case:
    """core.search.rank in SQL: plain LIKE comparisons on the pre-folded columns, the same on SQLite and PostgreSQL."""
    words = query.exact_phrase.split()
    whens = [
        When(search_exact__contains=query.exact_phrase, then=Value(4)),
        When(search_text__contains=query.phrase, then=Value(3)),
    ]
    if len(words) > 1:
        whens.append(When(Q(*[Q(search_exact__contains=w) for w in words]), then=Value(2)))
    whens.append(When(Q(*[Q(search_text__contains=t) for t in query.terms]), then=Value(1)))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def search_articles(*, query: str | Query, base: QuerySet[Article] | None = None) -> QuerySet[Article]:
    """Diacritic-free search (core.search.parse_query): every significant folded word must appear in the article's
    folded text; stop-syllables ("của", "và"…) never match alone, several of them only as a phrase ("mot cua").
    Ranked as core.search.rank: the query exactly as typed (diacritics included, case ignored) first, then the words
    as one phrase ("kien giang" → "Kiên Giang", not "ý kiến … Hậu Giang"), then every word as typed, then every word
    folded, then the rest; the newest first within each."""
    parsed = query if isinstance(query, Query) else parse_query(query)
    qs = base if base is not None else published_articles()
    if not parsed.searchable:
        return qs.none()
    return (
        qs.filter(_article_match(parsed))
        .annotate(exact_rank=_article_rank(parsed))
        .order_by("-exact_rank", "-published_on", "-id")
    )


def search_results(*, query: str | Query) -> QuerySet[Article]:
    """The search page's results: with their body, from which the excerpts are cut."""
    base = Article.objects.published().select_related("category").defer("search_text", "search_exact")
    return search_articles(query=query, base=base)


def search_groups(*, query: Query, limit: int = 5) -> list[dict[str, Any]]:
    """The other apps' groups of the site search (core.search.register_group: procedures…), each with its total and
    its first `limit` results; groups without a result are left out. One query or so per group."""
    found = []
    for group in site_search.groups():
        total, items = group.search(query, limit)
        if total:
            more = group.more_url(query) if group.more_url and total > len(items) else ""
            found.append({"key": group.key, "label": group.label, "total": total, "items": items, "more_url": more})
    return found


def reader_has_rated(*, article: Article, voter_key: str | None) -> bool:
    return bool(voter_key) and Rating.objects.filter(article=article, voter_key=voter_key).exists()


# Editor workspace -----------------------------------------------------------------------------------------


def workspace_articles(*, user: Any, status: str | None = None, query: str = "") -> QuerySet[Article]:
    """Every article of the editorial board, for its members; nothing for anyone else."""
    if not can_use_workspace(user):
        return Article.objects.none()
    qs = Article.objects.select_related("category", "created_by").defer(*_LIST_DEFER).order_by("-updated_at", "-id")
    if status:
        qs = qs.filter(status=status)
    if query.strip():
        terms = query_terms(query)
        qs = qs.filter(*[Q(search_text__contains=t) for t in terms]) if terms else qs
    return qs


def workspace_article(*, user: Any, pk: int) -> Article | None:
    if not can_use_workspace(user):
        return None
    return Article.objects.select_related("category", "created_by").filter(pk=pk).first()


def status_counts(*, user: Any) -> dict[str, int]:
    if not can_use_workspace(user):
        return {}
    rows = Article.objects.order_by().values("status").annotate(n=Count("id"))
    counts = {s.value: 0 for s in ArticleStatus}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts
