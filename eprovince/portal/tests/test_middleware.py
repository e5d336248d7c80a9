"""The page cache in front of the middleware stack: same page, same headers, readings still counted."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .. import services
from ..models import Article
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(editor: Any, chief: Any, category: Any) -> Article:
    return factories.published(
        author=editor, approver=chief, title="Sở TT&TT Kiên Giang triển khai nhiệm vụ năm 2009", cat=category
    )


def test_second_anonymous_visit_is_served_from_cache_without_queries(client: Any, article: Article) -> None:
    first = client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = client.get(article.get_absolute_url())
    assert second.status_code == 200 and second.content == first.content
    assert first.wsgi_request.resolver_match is not None
    assert getattr(second.wsgi_request, "resolver_match", None) is None, "served before URL resolution"
    assert [q["sql"] for q in queries.captured_queries if "portal_article" not in q["sql"]] == []
    assert second["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}
    assert second["Content-Language"] == "vi"
    assert "Cookie" in second["Vary"] and "Accept-Language" in second["Vary"]


def test_a_cached_article_still_counts_each_reading(client: Any, article: Article, settings: Any) -> None:
    settings.PORTAL_VIEW_BATCH = 1
    for _ in range(3):
        client.get(article.get_absolute_url())
    services.article_flush_views(article_id=article.pk)
    article.refresh_from_db()
    assert article.view_count == 3


def test_english_readers_get_the_english_page_not_the_cached_vietnamese_one(client: Any, article: Article) -> None:
    client.get("/")
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"
    assert 'lang="en"' in english.content.decode()


def test_logged_in_readers_and_query_strings_bypass_the_cache(client: Any, article: Article, editor: Any) -> None:
    client.get("/")
    client.force_login(editor)
    page = client.get("/").content.decode()
    assert editor.get_short_name() in page
    client.logout()
    assert client.get("/?page=2").status_code == 200
