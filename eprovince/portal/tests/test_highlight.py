from __future__ import annotations

from ..highlight import excerpt, highlight, match_spans


def test_folded_terms_mark_the_original_text() -> None:
    assert highlight("Sở TT&TT Kiên Giang", ["kien", "giang"]) == "Sở TT&amp;TT <mark>Kiên Giang</mark>"
    assert highlight("Đồng Tháp, ĐỒNG THÁP", ["dong"]) == "<mark>Đồng</mark> Tháp, <mark>ĐỒNG</mark> THÁP"


def test_highlight_escapes_everything() -> None:
    assert highlight("<b>Kiên</b>", ["kien"]) == "&lt;b&gt;<mark>Kiên</mark>&lt;/b&gt;"


def test_spans_merge_when_overlapping() -> None:
    assert match_spans("Giang Giang", ["gia", "iang"]) == [(0, 11)]


def test_excerpt_centres_on_the_first_match() -> None:
    text = "Mở đầu. " * 40 + "Sở Thông tin và Truyền thông Hậu Giang tổ chức hội nghị. " + "Kết thúc. " * 40
    result = excerpt(text, ["hau", "giang"], width=120)
    assert result.startswith("… ") and result.endswith(" …")
    assert "<mark>Hậu Giang</mark>" in result and len(result) < 200
