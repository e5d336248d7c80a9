from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from .. import services
from ..constants import READER_COOKIE
from ..models import Article, Rating
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(editor: Any, chief: Any) -> Article:
    return factories.published(author=editor, approver=chief, source="Mic.gov.vn", author_line="Huỳnh Diễm – Sở TT&TT Kiên Giang")


def _many(editor: Any, chief: Any, n: int) -> list[Article]:
    cats = [factories.category(), factories.category("cong-nghe-thong-tin", "Công nghệ thông tin", 20)]
    return [factories.published(author=editor, approver=chief, title=f"Tin số {i}", cat=cats[i % 2]) for i in range(n)]


def test_home_lists_the_latest_news(client: Client, article: Article, editor: Any) -> None:
    factories.draft(author=editor, title="Bản nháp bí mật")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(article.title) in html and "Tin nổi bật" in html
    assert "Bản nháp bí mật" not in html
    assert "Hoạt động của Sở" in html


def test_home_and_list_pages_need_few_queries(
    client: Client, editor: Any, chief: Any, django_assert_max_num_queries: Any
) -> None:
    _many(editor, chief, 14)
    with django_assert_max_num_queries(2):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(0):  # rendered from the fragment cache
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/tin-tuc/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/tin-tuc/cong-nghe-thong-tin/?page=2").status_code == 200


def test_publishing_shows_at_once_despite_the_cache(client: Client, article: Article, editor: Any, chief: Any) -> None:
    client.get("/")
    newer = factories.published(author=editor, approver=chief, title="Tin vừa đăng")
    assert newer.title in client.get("/").content.decode()


def test_news_list_paginates_and_filters_by_category(client: Client, editor: Any, chief: Any) -> None:
    _many(editor, chief, 14)
    page1 = client.get("/tin-tuc/").content.decode()
    assert "Tin số 13" in page1 and "Tin số 3" not in page1 and "Hiển thị 1–10 trên tổng số 14" in page1
    assert "Tin số 3" in client.get("/tin-tuc/?page=2").content.decode()
    by_category = client.get("/tin-tuc/cong-nghe-thong-tin/").content.decode()
    assert "Tin số 13" in by_category and "Tin số 12" not in by_category
    assert client.get("/tin-tuc/khong-co/").status_code == 404


def test_article_page_shows_the_details_and_counts_the_view(client: Client, article: Article, settings: Any) -> None:
    settings.PORTAL_VIEW_BATCH = 1
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert article.published_on.strftime("%d/%m/%Y") in html
    assert "Mic.gov.vn" in html and "Huỳnh Diễm – Sở TT&amp;TT Kiên Giang" in html
    assert "Đánh giá bài viết" in html and 'name="stars"' in html
    assert '<dd class="view-count">1</dd>' in html
    client.get(article.get_absolute_url())  # from the page cache: still counted
    article.refresh_from_db()
    assert article.view_count == 2


def test_article_page_needs_few_queries(client: Client, article: Article, django_assert_max_num_queries: Any) -> None:
    url = article.get_absolute_url()
    with django_assert_max_num_queries(4):  # cold: the article with its category, related, categories, views UPDATE
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(0):  # the same page for the next anonymous reader, views gathered in the cache
        assert client.get(url).status_code == 200
    client.cookies[READER_COOKIE] = "token-of-a-reader-who-voted-somewhere"
    with django_assert_max_num_queries(2):  # rendered for this reader: the article and whether they voted
        assert client.get(url).status_code == 200


def test_drafts_and_reviews_are_not_public(client: Client, editor: Any, category: Any) -> None:
    draft = factories.draft(author=editor)
    assert client.get(reverse("portal:article", args=[category.slug, draft.slug])).status_code == 404
    services.article_submit_for_review(article=draft, acting_user=editor)
    assert client.get(reverse("portal:article", args=[category.slug, draft.slug])).status_code == 404
    assert client.get(reverse("portal:article_short", args=[draft.slug])).status_code == 404


def test_short_and_wrong_category_urls_redirect_to_the_canonical_one(client: Client, article: Article) -> None:
    response = client.get(reverse("portal:article_short", args=[article.slug]))
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    response = client.get(reverse("portal:article", args=["khac", article.slug]))
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()


def test_rating_without_javascript_posts_and_redirects(client: Client, article: Article) -> None:
    url = reverse("portal:rate", args=[article.slug])
    response = client.post(url, {"stars": "4"})  # a browser's first vote: given its reader cookie, asked to confirm
    assert response.status_code == 302 and response["Location"].endswith("#danh-gia")
    assert READER_COOKIE in response.cookies
    assert "bấm «Gửi đánh giá» một lần nữa" in client.get(response["Location"]).content.decode()
    assert not Rating.objects.exists()
    response = client.post(url, {"stars": "4"})
    assert response.status_code == 302 and response["Location"].endswith("#danh-gia")
    page = client.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn đã đánh giá" in page and "4,0" in page and "(1 lượt)" in page
    assert "Bạn đã đánh giá bài viết này." in page and 'name="stars"' not in page
    response = client.post(url, {"stars": "5"}, follow=True)
    assert "Bạn đã đánh giá bài viết này." in response.content.decode()
    assert Rating.objects.count() == 1


def test_rating_with_htmx_returns_the_block_with_a_decimal_comma(article: Article) -> None:
    url = reverse("portal:rate", args=[article.slug])
    first, second = Client(), Client()
    for browser, stars in ((first, "4"), (second, "5")):  # each browser confirms its first vote once
        browser.post(url, {"stars": stars}, headers={"hx-request": "true"})
    first.post(url, {"stars": "4"}, headers={"hx-request": "true"})
    response = second.post(url, {"stars": "5"}, headers={"hx-request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section class="rating" id="danh-gia"')
    assert '<strong class="rating-average">4,5</strong>/5' in html and "(2 lượt)" in html
    assert "Cảm ơn bạn đã đánh giá" in html
    again = second.post(url, {"stars": "1"}, headers={"hx-request": "true"}).content.decode()
    assert "Bạn đã đánh giá bài viết này." in again and "(2 lượt)" in again


def test_cross_site_votes_are_refused(client: Client, article: Article) -> None:
    url = reverse("portal:rate", args=[article.slug])
    client.post(url, {"stars": "5"})  # the reader cookie (a first vote is confirmed once)
    assert client.post(url, {"stars": "5"}, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert client.post(url, {"stars": "5"}, headers={"origin": "https://evil.example"}).status_code == 403
    assert (
        client.post(url, {"stars": "5"}, headers={"origin": "http://testserver", "sec-fetch-site": "same-origin"}).status_code
        == 302
    )
    assert Rating.objects.count() == 1


def test_public_pages_set_no_cookies(client: Client, article: Article) -> None:
    """No CSRF token or session on public pages: they stay cacheable (votes are checked by origin instead)."""
    for url in ("/", "/tin-tuc/", article.get_absolute_url(), "/tim-kiem/?q=kien"):
        response = client.get(url)
        assert response.status_code == 200 and not response.cookies, url


def test_rating_refuses_bad_input(client: Client, article: Article) -> None:
    url = reverse("portal:rate", args=[article.slug])
    html = client.post(url, {"stars": "9"}, headers={"hx-request": "true"}).content.decode()
    assert "Vui lòng chọn từ 1 đến 5 sao." in html
    assert client.get(url).status_code == 405
    assert not Rating.objects.exists()


def test_signed_in_readers_vote_once_whatever_the_browser(article: Article) -> None:
    reader = factories.person("congdan", "citizen")
    url = reverse("portal:rate", args=[article.slug])
    for _ in range(2):
        browser = Client()
        browser.force_login(reader)
        browser.post(url, {"stars": "3"})
    assert Rating.objects.get().voter_key == f"u:{reader.pk}"


def test_search_page_highlights_matches(client: Client, article: Article) -> None:
    html = client.get("/tim-kiem/", {"q": "kien giang"}).content.decode()
    assert "Tìm thấy 1 bài viết" in html
    assert "<mark>Kiên Giang</mark>" in html
    empty = client.get("/tim-kiem/", {"q": "hau giang"}).content.decode()
    assert "Không tìm thấy bài viết nào" in empty
    assert client.get("/tim-kiem/").status_code == 200


def test_search_escapes_what_the_reader_typed(client: Client, article: Article) -> None:
    html = client.get("/tim-kiem/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_rss_feed_is_valid(client: Client, article: Article, editor: Any) -> None:
    factories.draft(author=editor, title="Nháp")
    response = client.get("/rss/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, just rendered
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items] == [article.title]
    assert items[0].findtext("link").endswith(article.get_absolute_url())
    assert items[0].findtext("category") == "Hoạt động của Sở"
    assert items[0].findtext("pubDate")
