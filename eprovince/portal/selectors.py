"""Every read the portal's pages, feed and API need, scoped to what the caller may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from eprovince.core.text import fold, normalise

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


def search_articles(*, query: str, base: QuerySet[Article] | None = None) -> QuerySet[Article]:
    """Diacritic-free search: every folded term must appear in the article's folded text. Articles containing the
    query exactly as typed (diacritics included, case ignored) come first, then those containing the terms as one
    phrase ("kien giang" → "Kiên Giang", not "ý kiến … Hậu Giang"), then the rest; the newest first within each.
    Plain LIKE comparisons on pre-folded columns: the same results on SQLite and PostgreSQL."""
    terms = query_terms(query)
    qs = base if base is not None else published_articles()
    if not terms:
        return qs.none()
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    exact = normalise(query)
    return qs.annotate(
        exact_rank=Case(
            When(search_exact__contains=exact, then=Value(2)),
            When(search_text__contains=" ".join(terms), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-exact_rank", "-published_on", "-id")


def search_results(*, query: str) -> QuerySet[Article]:
    """The search page's results: with their body, from which the excerpts are cut."""
    base = Article.objects.published().select_related("category").defer("search_text", "search_exact")
    return search_articles(query=query, base=base)


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
