"""Reader ratings cannot be stuffed: one vote per reader per article by a signed reader cookie, a first vote from a
browser without one asks once for confirmation (so cookieless scripts never count), new reader identities and votes
are limited per address in the shared cache, and cross-site votes are refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from ..constants import READER_COOKIE
from ..models import Article, Rating
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(editor: Any, chief: Any) -> Article:
    return factories.published(author=editor, approver=chief)


def _url(article: Article) -> str:
    return reverse("portal:rate", args=[article.slug])


def test_five_cookieless_anonymous_votes_in_a_row_count_nothing(article: Article) -> None:
    for _ in range(5):
        response = Client().post(_url(article), {"stars": "5"}, headers={"hx-request": "true"})
        assert response.status_code == 200
        assert "Xác nhận đánh giá" in response.content.decode()
    article.refresh_from_db()
    assert (article.rating_count, Rating.objects.count()) == (0, 0)


def test_a_real_browser_confirms_its_first_vote_once_and_then_votes_once(article: Article) -> None:
    browser = Client()
    first = browser.post(_url(article), {"stars": "4"}, headers={"hx-request": "true"})
    html = first.content.decode()
    assert "Xác nhận đánh giá" in html and 'value="4" id="stars-4" required checked' in html
    assert READER_COOKIE in first.cookies
    confirmed = browser.post(_url(article), {"stars": "4"}, headers={"hx-request": "true"})
    assert "Cảm ơn bạn đã đánh giá bài viết." in confirmed.content.decode()
    again = browser.post(_url(article), {"stars": "1"}, headers={"hx-request": "true"})
    assert "Bạn đã đánh giá bài viết này." in again.content.decode()
    article.refresh_from_db()
    assert (article.rating_sum, article.rating_count) == (4, 1)


def test_an_invented_reader_cookie_is_not_a_reader(article: Article) -> None:
    for n in range(5):
        client = Client()
        client.cookies[READER_COOKIE] = f"invented-token-{n}"
        client.post(_url(article), {"stars": "5"})
    assert not Rating.objects.exists()


@override_settings(PORTAL_READER_TOKENS_PER_ADDRESS=2)
def test_new_reader_identities_are_limited_per_address(article: Article) -> None:
    answers = [Client(REMOTE_ADDR="198.51.100.4").post(_url(article), {"stars": "5"}) for _ in range(3)]
    assert [READER_COOKIE in a.cookies for a in answers] == [True, True, False]
    assert (
        "thử lại sau"
        in Client(REMOTE_ADDR="198.51.100.4").post(_url(article), {"stars": "5"}, headers={"hx-request": "true"}).content.decode()
    )
    # Another address is not affected.
    assert READER_COOKIE in Client(REMOTE_ADDR="198.51.100.5").post(_url(article), {"stars": "5"}).cookies


@override_settings(PORTAL_READER_TOKENS_PER_ADDRESS=50, PORTAL_RATING_VOTES_PER_ADDRESS=3)
def test_votes_on_one_article_are_limited_per_address(article: Article) -> None:
    browsers = []
    for _ in range(5):
        browser = Client(REMOTE_ADDR="198.51.100.9")
        browser.post(_url(article), {"stars": "5"})  # a fresh identity, asked to confirm
        browsers.append(browser)
    for browser in browsers:
        browser.post(_url(article), {"stars": "5"})
    article.refresh_from_db()
    assert article.rating_count == 3


def test_cross_site_votes_are_refused_even_from_a_known_reader(article: Article) -> None:
    browser = Client()
    browser.post(_url(article), {"stars": "4"})  # the reader cookie
    assert browser.post(_url(article), {"stars": "5"}, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert browser.post(_url(article), {"stars": "5"}, headers={"origin": "https://evil.example"}).status_code == 403
    assert browser.get(_url(article)).status_code == 405
    assert not Rating.objects.exists()


def test_signed_in_readers_vote_at_once(article: Article) -> None:
    reader = factories.person("congdan", "citizen")
    browser = Client()
    browser.force_login(reader)
    browser.post(_url(article), {"stars": "3"})
    assert Rating.objects.get().voter_key == f"u:{reader.pk}"
