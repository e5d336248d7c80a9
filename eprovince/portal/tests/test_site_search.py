"""The site search (/tim-kiem/): procedures and news, ranked; common Vietnamese syllables never match alone;
"mot cua" leads to the one-stop shop."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from eprovince.core.search import parse_query
from eprovince.onestop.services.catalogue import field_save, procedure_save
from eprovince.onestop.tests.factories import make_world

from .. import selectors
from . import factories

pytestmark = pytest.mark.django_db
URL = "/tim-kiem/"


def _publish(editor: Any, chief: Any, title: str, body: str = "<p>Nội dung.</p>") -> Any:
    return factories.published(author=editor, approver=chief, title=title, body=body)


def _titles(query: str) -> list[str]:
    return [a.title for a in selectors.search_articles(query=query)]


@pytest.fixture
def everyday_news(editor: Any, chief: Any) -> None:
    """Articles full of "của", "và", "một": the words every Vietnamese text has."""
    _publish(editor, chief, "Hoạt động của Sở trong tháng", body="<p>Một số kết quả của ngành và các đơn vị.</p>")
    _publish(editor, chief, "Kết quả của Kiên Giang", body="<p>Một năm làm việc của tỉnh.</p>")
    _publish(editor, chief, "Bộ phận một cửa hiện đại", body="<p>Người dân nộp hồ sơ tại bộ phận một cửa.</p>")


@pytest.fixture
def catalogue(db: None) -> Any:
    world = make_world()
    field = field_save(acting_user=None, code="vien-thong", name="Viễn thông và Internet")
    procedure_save(acting_user=None, instance=world.bts, field=field, result_name="Giấy phép lắp đặt trạm BTS")
    return world


def test_stop_syllables_are_data_and_mean_nothing_alone() -> None:
    assert parse_query("của").ignored == "common" and parse_query("cua").ignored == "common"
    assert parse_query("mot cua").phrase_only and parse_query("một cửa").exact == ("cửa",)
    assert parse_query("kiên giang của").significant == ("kien", "giang")
    assert parse_query("  ").ignored == "empty"


def test_a_lone_common_word_finds_nothing_and_the_page_says_why(client: Client, everyday_news: None) -> None:
    for word in ("của", "cua", "và", "các", "những"):
        assert _titles(word) == []
    html = client.get(URL, {"q": "của"}).content.decode()
    assert "là từ rất thường gặp" in html and "<mark>" not in html


def test_mot_cua_finds_the_phrase_not_every_cua(everyday_news: None) -> None:
    assert _titles("mot cua") == ["Bộ phận một cửa hiện đại"]
    assert _titles("một cửa") == ["Bộ phận một cửa hiện đại"]


def test_common_words_beside_a_real_word_rank_but_do_not_filter(everyday_news: None) -> None:
    assert _titles("ket qua cua kien giang") == ["Kết quả của Kiên Giang"]
    assert _titles("kết quả") == ["Kết quả của Kiên Giang", "Hoạt động của Sở trong tháng"]


def test_the_whole_phrase_ranks_above_all_words_above_scattered_words(editor: Any, chief: Any) -> None:
    scattered = _publish(editor, chief, "Giấy tờ mới", body="<p>Cấp phép xây dựng.</p>")
    phrase = _publish(editor, chief, "Tin cũ", body="<p>Cấp giấy phép mới.</p>")
    assert _titles("giay phep")[:2] == [phrase.title, scattered.title]


def test_mot_cua_leads_to_the_one_stop_shop(client: Client, catalogue: Any, everyday_news: None) -> None:
    for q in ("mot cua", "một cửa", "Một Cửa", "dich vu cong mot cua"):
        html = client.get(URL, {"q": q}).content.decode()
        assert "Có phải bạn đang tìm" in html and 'href="/thu-tuc-hanh-chinh/"' in html, q
    html = client.get(URL, {"q": "mot cua"}).content.decode()
    assert "<mark>một cửa</mark>" in html and "<mark>của</mark>" not in html


def test_procedures_and_news_are_two_groups(client: Client, catalogue: Any, editor: Any, chief: Any) -> None:
    _publish(editor, chief, "Hướng dẫn xin giấy phép viễn thông")
    html = client.get(URL, {"q": "giay phep vien thong"}).content.decode()
    procedures, news = html.index('id="group-procedures"'), html.index('id="group-news"')
    assert procedures < html.index("lắp đặt trạm BTS") < news
    assert news < html.index("Hướng dẫn xin")
    assert 'href="/thu-tuc-hanh-chinh/1.000002/"' in html


def test_the_search_page_costs_a_bounded_number_of_queries(
    client: Client, catalogue: Any, everyday_news: None, django_assert_max_num_queries: Any
) -> None:
    client.get(URL, {"q": "giay phep"})
    with django_assert_max_num_queries(3):  # articles count, articles page, procedures
        assert client.get(URL, {"q": "giay phep"}).status_code == 200
    with django_assert_max_num_queries(0):
        assert client.get(URL, {"q": "của"}).status_code == 200
