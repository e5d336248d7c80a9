from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from .. import demo_data
from ..constants import ArticleStatus
from ..models import Article, Category
from ..seed import load_all, parse_text, seed_dir

SEEDS = seed_dir()
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS} (set SEED_ARTICLES_DIR)")


@pytest.fixture(scope="module")
def seeds() -> dict[str, Any]:
    return {a.filename[:3]: a for a in load_all()}


@needs_seeds
def test_all_five_files_are_parsed(seeds: dict[str, Any]) -> None:
    assert sorted(seeds) == ["000", "001", "002", "003", "004"]


@needs_seeds
@pytest.mark.parametrize(
    ("key", "title", "published_on", "estimated"),
    [
        ("000", "Sở TT&TT Kiên Giang triển khai nhiệm vụ công tác năm 2009", dt.date(2009, 1, 15), False),
        (
            "001",
            "Hội nghị trực tuyến sơ kết 6 tháng đầu năm 2009 ngành Thông tin và Truyền thông tỉnh An Giang",
            dt.date(2009, 7, 8),
            True,
        ),
        ("002", "Nghệ An: Triển khai nhiệm vụ công tác thông tin và truyền thông năm 2014", dt.date(2014, 1, 2), False),
        (
            "003",
            "Sở Thông tin và Truyền thông tỉnh Hậu Giang triển khai nhiệm vụ công tác năm 2017",
            dt.date(2016, 12, 27),
            False,
        ),
        ("004", "Sở BCVT Quảng Ngãi tổ chức Hội nghị triển khai công tác năm 2007", dt.date(2007, 1, 30), False),
    ],
)
def test_titles_and_dates(seeds: dict[str, Any], key: str, title: str, published_on: dt.date, estimated: bool) -> None:
    """The An Giang article (001) states no date; the earliest date it mentions (a deadline, 08/7/2009) stands in."""
    assert seeds[key].title == title
    assert seeds[key].published_on == published_on
    assert seeds[key].date_estimated is estimated


@needs_seeds
@pytest.mark.parametrize(
    ("key", "author_line", "source"),
    [
        ("000", "Huỳnh Diễm – Sở TT&TT Kiên Giang", "Mic.gov.vn"),
        ("001", "Hoàng Vũ - Sở TT&TT An Giang", "Mic.gov.vn"),
        ("002", "N.Hồng - Sở TTTT Nghệ An", "Mic.gov.vn"),
        ("003", "", "Mic.gov.vn"),
        ("004", "", ""),
    ],
)
def test_author_lines_and_sources(seeds: dict[str, Any], key: str, author_line: str, source: str) -> None:
    assert (seeds[key].author_line, seeds[key].source) == (author_line, source)


@needs_seeds
@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_the_lead_appears_once_and_the_widget_is_gone(seeds: dict[str, Any], key: str) -> None:
    article = seeds[key]
    lead = article.summary
    assert lead
    assert all(block.text != lead for block in article.blocks)
    assert "ĐÁNH GIÁ BÀI VIẾT" not in article.body_html
    assert article.author_line == "" or article.author_line not in article.body_html
    assert ".jpg" not in article.body_html


@needs_seeds
def test_leads_are_the_expected_paragraphs(seeds: dict[str, Any]) -> None:
    assert seeds["000"].summary.startswith("Ngày 15/01/2009, Sở Thông tin và Truyền thông đã tổ chức Hội nghị")
    assert seeds["002"].summary.startswith("Sáng ngày 02/01/2014, Ngành Thông tin và Truyền thông Nghệ An")
    assert seeds["004"].summary.startswith("Sáng ngày 30/01/2007, Sở Bưu chính, Viễn thông Quảng Ngãi")


@needs_seeds
def test_image_names_are_dropped_and_their_captions_kept(seeds: dict[str, Any]) -> None:
    captions = [b.text for b in seeds["003"].blocks if b.kind == "caption"]
    assert captions == [
        "Ông Phạm Văn Tửu, Giám đốc Sở TT&TT phát biểu chỉ đạo",
        "Ông Phạm Văn Tửu, Giám đốc Sở TT&TT tặng Giấy khen cho Tập thể Phòng VH&TT và Đài Truyền thanh",
    ]
    assert '<p class="caption">Ông Phạm Văn Tửu, Giám đốc Sở TT&amp;TT phát biểu chỉ đạo</p>' in seeds["003"].body_html


@needs_seeds
def test_dash_paragraphs_become_a_list(seeds: dict[str, Any]) -> None:
    html = seeds["000"].body_html
    assert html.count("<ul>") == 1 and html.count("<li>") == 5


def test_parse_text_handles_a_minimal_article() -> None:
    parsed = parse_text("Tiêu đề\n\n(Báo Mới) - Ngày 05/03/2020, một việc.\n\nĐoạn hai.\n\nA. Tác giả - Sở TT&TT Bình Dương\n")
    assert (parsed.title, parsed.source, parsed.published_on) == ("Tiêu đề", "Báo Mới", dt.date(2020, 3, 5))
    assert parsed.summary == "Ngày 05/03/2020, một việc."
    assert parsed.author_line == "A. Tác giả - Sở TT&TT Bình Dương"
    assert [b.text for b in parsed.blocks] == ["Đoạn hai."]


def test_missing_folder_loads_nothing(tmp_path: Path) -> None:
    assert load_all(tmp_path / "khong-co") == []


@needs_seeds
@pytest.mark.django_db
def test_demo_load_is_idempotent() -> None:
    out = io.StringIO()
    demo_data.load(out)
    demo_data.load(out)
    assert Category.objects.count() == 4
    assert Article.objects.filter(status=ArticleStatus.PUBLISHED).count() == 5
    kien_giang = Article.objects.get(slug="so-tttt-kien-giang-trien-khai-nhiem-vu-cong-tac-nam-2009")
    assert (kien_giang.view_count, kien_giang.rating_count) == (0, 0)
    assert kien_giang.category.slug == "hoat-dong-cua-so"
    assert Article.objects.get(title__startswith="Sở BCVT").category.slug == "buu-chinh-vien-thong"
    assert "(0 bài mới nạp)" in out.getvalue()


@pytest.mark.django_db
def test_demo_without_seed_folder_says_so(settings: Any, tmp_path: Path) -> None:
    settings.SEED_ARTICLES_DIR = str(tmp_path / "khong-co")
    out = io.StringIO()
    demo_data.load(out)
    assert "không tìm thấy bài viết mẫu" in out.getvalue()
    assert Category.objects.count() == 4 and not Article.objects.exists()
