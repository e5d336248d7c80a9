"""Read-only admin views: articles change only through the workspace and its services."""

from __future__ import annotations

from django.contrib import admin

from eprovince.core.admin_base import ReadOnlyAdmin

from .models import Article, Category


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "order")


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("title", "category", "status", "published_on", "view_count", "rating_count")
    list_filter = ("status", "category")
    search_fields = ("title", "search_text")
    list_select_related = ("category",)
    exclude = ("search_text", "search_exact")
