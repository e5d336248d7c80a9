from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ..models import Article
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(editor: Any, chief: Any) -> list[Article]:
    cntt = factories.category("cong-nghe-thong-tin", "Công nghệ thông tin", 20)
    return [
        factories.published(author=editor, approver=chief, title="Sở TT&TT Kiên Giang triển khai nhiệm vụ", body="<p>Một.</p>"),
        factories.published(author=editor, approver=chief, title="Hội nghị ở Đồng Tháp", cat=cntt, body="<p>Hai.</p>"),
    ]


def test_list_is_published_paginated_and_searchable(client: Client, articles: list[Article], editor: Any) -> None:
    factories.draft(author=editor, title="Nháp")
    data = client.get("/api/v1/news/").json()
    assert data["count"] == 2 and [a["title"] for a in data["items"]] == [
        "Hội nghị ở Đồng Tháp",
        "Sở TT&TT Kiên Giang triển khai nhiệm vụ",
    ]
    first = data["items"][0]
    assert first["category"] == {"slug": "cong-nghe-thong-tin", "name": "Công nghệ thông tin"}
    assert first["url"] == articles[1].get_absolute_url() and first["rating_average"] is None and "body_html" not in first
    assert [a["title"] for a in client.get("/api/v1/news/", {"q": "kien giang"}).json()["items"]] == [articles[0].title]
    assert client.get("/api/v1/news/", {"category": "cong-nghe-thong-tin"}).json()["count"] == 1
    second_page = client.get("/api/v1/news/", {"page": 2, "page_size": 1}).json()
    assert second_page["count"] == 2 and [a["title"] for a in second_page["items"]] == [articles[0].title]


def test_detail_and_categories(client: Client, articles: list[Article], editor: Any, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(1):
        data = client.get(f"/api/v1/news/{articles[0].slug}").json()
    assert data["title"] == articles[0].title and data["body_html"].startswith("<p>")
    draft = factories.draft(author=editor, title="Nháp")
    assert client.get(f"/api/v1/news/{draft.slug}").status_code == 404
    assert [c["slug"] for c in client.get("/api/v1/news/categories").json()] == ["hoat-dong-cua-so", "cong-nghe-thong-tin"]


def test_list_needs_few_queries(client: Client, articles: list[Article], django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(2):
        assert client.get("/api/v1/news/").status_code == 200


def test_the_news_endpoints_are_documented(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/news/", "/api/v1/news/categories", "/api/v1/news/{slug}"} <= set(paths)
