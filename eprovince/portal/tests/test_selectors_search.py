from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from eprovince.core.search import parse_query
from eprovince.core.text import fold

from .. import selectors
from ..models import Article
from . import factories

pytestmark = pytest.mark.django_db

VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
LETTERS = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()


def _publish(editor: Any, chief: Any, title: str, body: str = "<p>Nội dung.</p>", summary: str = "") -> Any:
    return factories.published(author=editor, approver=chief, title=title, body=body, summary=summary)


def _titles(query: str) -> list[str]:
    return [a.title for a in selectors.search_articles(query=query)]


def test_queries_without_diacritics_find_vietnamese_text(editor: Any, chief: Any) -> None:
    _publish(editor, chief, "Sở TT&TT Kiên Giang triển khai nhiệm vụ")
    _publish(editor, chief, "Hội nghị ở Đồng Tháp")
    _publish(editor, chief, "Tin khác", body="<p>Không liên quan.</p>")
    assert _titles("kien giang") == ["Sở TT&TT Kiên Giang triển khai nhiệm vụ"]
    assert _titles("dong thap") == ["Hội nghị ở Đồng Tháp"]
    assert _titles("ĐỒNG THÁP") == ["Hội nghị ở Đồng Tháp"]
    assert _titles("KIEN") == ["Sở TT&TT Kiên Giang triển khai nhiệm vụ"]


def test_every_term_must_appear(editor: Any, chief: Any) -> None:
    _publish(editor, chief, "Kiên Giang", body="<p>Viễn thông.</p>")
    _publish(editor, chief, "Kiên Giang năm 2009")
    assert _titles("kien giang vien thong") == ["Kiên Giang"]
    assert _titles("giang 2009") == ["Kiên Giang năm 2009"]
    assert _titles("kien hau") == []


def test_body_and_summary_are_searched(editor: Any, chief: Any) -> None:
    _publish(editor, chief, "Một", summary="Trạm BTS")
    _publish(editor, chief, "Hai", body="<p>Cổng <strong>thông tin</strong> điện tử</p>")
    assert _titles("bts") == ["Một"]
    assert _titles("cong thong tin") == ["Hai"]


def test_exact_diacritics_rank_first_then_date(editor: Any, chief: Any) -> None:
    older_exact = _publish(editor, chief, "Tin Kiên Giang cũ")
    newer_other = _publish(editor, chief, "Tin kiến giảng mới")  # folds to the same letters
    newest_exact = _publish(editor, chief, "Tin Kiên Giang mới nhất")
    for day, article in zip((1, 2, 3), (older_exact, newer_other, newest_exact), strict=True):
        Article.objects.filter(pk=article.pk).update(published_on=dt.date(2024, 1, day))  # publication dates of the past
    assert _titles("Kiên Giang") == ["Tin Kiên Giang mới nhất", "Tin Kiên Giang cũ", "Tin kiến giảng mới"]
    assert _titles("kiến giảng") == ["Tin kiến giảng mới", "Tin Kiên Giang mới nhất", "Tin Kiên Giang cũ"]
    assert _titles("kien giang") == ["Tin Kiên Giang mới nhất", "Tin kiến giảng mới", "Tin Kiên Giang cũ"]


def test_the_terms_as_a_phrase_rank_before_scattered_terms(editor: Any, chief: Any) -> None:
    phrase = _publish(editor, chief, "Sở TT&TT Kiên Giang triển khai nhiệm vụ", body="<p>Một.</p>")
    scattered = _publish(editor, chief, "Hậu Giang lấy ý kiến người dân", body="<p>Hai.</p>")
    Article.objects.filter(pk=phrase.pk).update(published_on=dt.date(2009, 1, 15))
    Article.objects.filter(pk=scattered.pk).update(published_on=dt.date(2016, 12, 27))
    assert _titles("kien giang") == [phrase.title, scattered.title]


def test_drafts_are_never_found(editor: Any) -> None:
    factories.draft(author=editor, title="Kiên Giang nháp")
    assert _titles("kien giang") == []


def test_empty_or_blank_queries_find_nothing(editor: Any, chief: Any) -> None:
    _publish(editor, chief, "Kiên Giang")
    assert _titles("") == [] and _titles("   ") == []


def test_workspace_search_and_filters(editor: Any, chief: Any) -> None:
    _publish(editor, chief, "Kiên Giang")
    factories.draft(author=editor, title="Đồng Tháp")
    assert [a.title for a in selectors.workspace_articles(user=editor, query="dong thap")] == ["Đồng Tháp"]
    assert [a.title for a in selectors.workspace_articles(user=editor, status="published")] == ["Kiên Giang"]
    outsider = factories.person("congdan", "citizen")
    assert list(selectors.workspace_articles(user=outsider)) == []
    assert selectors.status_counts(user=editor)["draft"] == 1


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(words=st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=8), min_size=1, max_size=5), pick=st.integers(0, 4))
def test_any_word_of_a_title_finds_the_article(editor: Any, chief: Any, category: Any, words: list[str], pick: int) -> None:
    with transaction.atomic():
        article = factories.published(author=editor, approver=chief, title=" ".join(words), cat=category)
        word = words[pick % len(words)]
        assume(parse_query(word).significant)  # a lone common syllable ("của") finds nothing by design
        assert article in selectors.search_articles(query=word)
        assert article in selectors.search_articles(query=fold(word))
        transaction.set_rollback(True)
