from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from eprovince.core.constants import Role

from .. import services
from ..models import Article, Rating
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(editor: Any, chief: Any) -> Article:
    return factories.published(author=editor, approver=chief)


def test_one_vote_per_reader(article: Article) -> None:
    services.article_rate(article=article, stars=4, voter_key="c:reader-1")
    with pytest.raises(ValidationError) as exc:
        services.article_rate(article=article, stars=5, voter_key="c:reader-1")
    assert exc.value.messages == ["Bạn đã đánh giá bài viết này."]
    article.refresh_from_db()
    assert (article.rating_sum, article.rating_count) == (4, 1)


def test_average_of_several_readers(article: Article) -> None:
    services.article_rate(article=article, stars=4, voter_key="c:a")
    updated = services.article_rate(article=article, stars=5, voter_key="c:b")
    assert (updated.rating_count, updated.rating_average) == (2, 4.5)
    updated = services.article_rate(article=article, stars=1, voter_key="c:c")
    assert updated.rating_average == 3.3
    assert Rating.objects.filter(article=article).count() == 3


def test_no_ratings_no_average(article: Article) -> None:
    assert article.rating_average is None


def test_signed_in_and_anonymous_readers_have_distinct_keys(article: Article) -> None:
    reader = factories.person("congdan", Role.CITIZEN)
    user_key = services.voter_key(user=reader, cookie_token="abc")
    cookie_key = services.voter_key(user=None, cookie_token="abc")
    assert user_key == f"u:{reader.pk}"
    assert cookie_key.startswith("c:") and "abc" not in cookie_key
    assert services.voter_key(user=None, cookie_token=None) is None
    services.article_rate(article=article, stars=3, voter_key=user_key, acting_user=reader)
    services.article_rate(article=article, stars=5, voter_key=cookie_key)
    article.refresh_from_db()
    assert article.rating_count == 2


@pytest.mark.parametrize("stars", [0, 6, -1, "5", 4.5, True, None])
def test_stars_must_be_1_to_5(article: Article, stars: Any) -> None:
    with pytest.raises(ValidationError, match="từ 1 đến 5 sao"):
        services.article_rate(article=article, stars=stars, voter_key="c:x")
    assert not Rating.objects.exists()


def test_a_reader_must_be_identified(article: Article) -> None:
    with pytest.raises(ValidationError, match="cookie"):
        services.article_rate(article=article, stars=3, voter_key=None)


def test_unpublished_articles_cannot_be_rated(editor: Any) -> None:
    article = factories.draft(author=editor)
    with pytest.raises(ValidationError, match="đã xuất bản"):
        services.article_rate(article=article, stars=3, voter_key="c:x")


def test_the_database_refuses_out_of_range_stars_and_double_votes(article: Article) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(article=article, voter_key="c:x", stars=6)
    Rating.objects.create(article=article, voter_key="c:x", stars=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(article=article, voter_key="c:x", stars=4)


def test_views_are_counted_for_published_articles_only(article: Article, editor: Any, settings: Any) -> None:
    settings.PORTAL_VIEW_BATCH = 1
    services.article_register_view(article_id=article.pk)
    services.article_register_view(article_id=article.pk)
    article.refresh_from_db()
    assert article.view_count == 2
    draft = factories.draft(author=editor, title="Nháp")
    services.article_register_view(article_id=draft.pk)
    draft.refresh_from_db()
    assert draft.view_count == 0


def test_views_reach_the_database_in_batches(article: Article, settings: Any, django_assert_num_queries: Any) -> None:
    settings.PORTAL_VIEW_BATCH = 3
    settings.PORTAL_VIEW_FLUSH_SECONDS = 3600
    with django_assert_num_queries(1):  # the first reading this process sees is written at once
        assert services.article_register_view(article_id=article.pk) == 1
    with django_assert_num_queries(0):  # then they gather in the cache
        assert services.article_register_view(article_id=article.pk) == 1
        assert services.article_register_view(article_id=article.pk) == 2
    article.refresh_from_db()
    assert article.view_count == 1
    with django_assert_num_queries(1):  # the third gathered reading writes the batch: one UPDATE
        assert services.article_register_view(article_id=article.pk) == 3
    article.refresh_from_db()
    assert article.view_count == 4


def test_views_are_written_after_the_interval(article: Article, settings: Any) -> None:
    settings.PORTAL_VIEW_BATCH = 100
    services.article_register_view(article_id=article.pk)
    services.article_register_view(article_id=article.pk)
    settings.PORTAL_VIEW_FLUSH_SECONDS = 0
    services.article_register_view(article_id=article.pk)
    article.refresh_from_db()
    assert article.view_count == 3


def test_pending_views_can_be_flushed(article: Article, settings: Any) -> None:
    settings.PORTAL_VIEW_FLUSH_SECONDS = 3600
    for _ in range(5):
        services.article_register_view(article_id=article.pk)
    assert services.article_flush_views(article_id=article.pk) == (4, 0)
    article.refresh_from_db()
    assert article.view_count == 5
