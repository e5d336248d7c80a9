"""The RSS feed of the latest published news."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Article
from .selectors import published_articles

FEED_SIZE = 20


class LatestNewsFeed(Feed):
    def title(self) -> str:
        return _("%(platform)s – Tin tức") % {"platform": settings.PLATFORM_NAME}

    def link(self) -> str:
        return reverse("portal:news")

    def description(self) -> str:
        return _("Tin tức mới nhất trên cổng thông tin điện tử.")

    def items(self) -> list[Article]:
        return list(published_articles()[:FEED_SIZE])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article) -> dt.datetime | None:
        if item.published_on is None:
            return None
        return dt.datetime.combine(item.published_on, dt.time(7, 0), tzinfo=timezone.get_current_timezone())

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name]

    def item_author_name(self, item: Article) -> str | None:
        return item.author_line or None
