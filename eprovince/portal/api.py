"""Portal API: published news, mounted at /api/v1/news."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from eprovince.core.api import paginated

from . import selectors
from .models import Article, Category

router = Router(tags=["news"])


class CategoryOut(Schema):
    slug: str
    name: str


class ArticleOut(Schema):
    slug: str
    title: str
    summary: str
    category: CategoryOut
    source: str
    author_line: str
    published_on: dt.date | None
    url: str
    cover_image_url: str | None
    view_count: int
    rating_average: float | None
    rating_count: int

    @staticmethod
    def resolve_url(obj: Article) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_cover_image_url(obj: Article) -> str | None:
        return obj.cover_image.url if obj.cover_image else None


class ArticleDetailOut(ArticleOut):
    body_html: str

    @staticmethod
    def resolve_body_html(obj: Article) -> str:
        return obj.body


@router.get("/", response=list[ArticleOut], summary="Tin đã xuất bản (mới nhất trước)")
@paginated
def list_news(request: HttpRequest, q: str = "", category: str = "") -> object:
    """`q`: tìm không dấu (mọi từ phải có mặt); `category`: đường dẫn chuyên mục."""
    qs = selectors.published_articles(category=category or None)
    return selectors.search_articles(query=q, base=qs) if q.strip() else qs


@router.get("/categories", response=list[CategoryOut], summary="Chuyên mục tin")
def list_categories(request: HttpRequest) -> list[Category]:
    return list(selectors.categories())


@router.get("/{slug}", response=ArticleDetailOut, summary="Một bài viết đã xuất bản")
def get_article(request: HttpRequest, slug: str) -> Article:
    item = selectors.public_article(slug=slug)
    if item is None:
        raise Http404(_("Không tìm thấy bài viết."))
    return item
