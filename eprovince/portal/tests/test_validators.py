from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ..validators import html_to_text, sanitise_html, text_to_html, validate_image_upload
from .factories import image_upload


def test_sanitise_removes_scripts_and_their_content() -> None:
    assert sanitise_html("<p>Tin</p><script>alert('x')</script>") == "<p>Tin</p>"


def test_sanitise_removes_event_handlers() -> None:
    cleaned = sanitise_html('<img src="/a.png" alt="Ảnh" onerror="alert(1)"><p onclick="x()">Nội dung</p>')
    assert "onerror" not in cleaned and "onclick" not in cleaned
    assert '<img src="/a.png" alt="Ảnh">' in cleaned


def test_sanitise_removes_javascript_links_and_styles() -> None:
    cleaned = sanitise_html('<a href="javascript:alert(1)">x</a><style>p{}</style><p style="color:red">y</p>')
    assert "javascript" not in cleaned and "style" not in cleaned
    assert "<p>y</p>" in cleaned


def test_sanitise_keeps_the_allowed_tags() -> None:
    html = (
        "<h2>Tiêu đề</h2><p><strong>Đậm</strong> <em>nghiêng</em><br></p><ul><li>Một</li></ul><ol><li>Hai</li></ol>"
        '<blockquote>Trích</blockquote><p><a href="https://mic.gov.vn/">Bộ</a></p>'
        "<table><thead><tr><th>Cột</th></tr></thead><tbody><tr><td>Ô</td></tr></tbody></table>"
    )
    cleaned = sanitise_html(html)
    for tag in ("<h2>", "<strong>", "<em>", "<br>", "<ul>", "<ol>", "<li>", "<blockquote>", "<table>", "<th>", "<td>"):
        assert tag in cleaned
    assert '<a href="https://mic.gov.vn/" rel="noopener noreferrer">Bộ</a>' in cleaned


def test_sanitise_keeps_only_the_caption_class() -> None:
    assert sanitise_html('<p class="caption evil">Chú thích</p>') == '<p class="caption">Chú thích</p>'
    assert sanitise_html('<div class="x">Khối</div>') == "Khối"


def test_text_to_html_makes_paragraphs_and_escapes() -> None:
    assert text_to_html("<p>Đoạn một</p>\n\n<p>hai</p>") == "<p>Đoạn một</p>\n\n<p>hai</p>"  # HTML: left to the sanitiser
    assert text_to_html("Giá < 5 triệu\n\nĐoạn <hai>") == "<p>Giá &lt; 5 triệu</p><p>Đoạn &lt;hai&gt;</p>"
    assert text_to_html("Đoạn một\ndòng hai\n\nĐoạn & ba") == "<p>Đoạn một<br>dòng hai</p><p>Đoạn &amp; ba</p>"


def test_html_to_text_separates_blocks() -> None:
    assert html_to_text("<p>Kiên&nbsp;Giang</p><p>Đồng Tháp</p>") == "Kiên Giang Đồng Tháp"


@pytest.mark.parametrize(("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")])
def test_images_are_recognised_by_content(fmt: str, extension: str) -> None:
    checked = validate_image_upload(image_upload(name="ten-sai.txt", fmt=fmt))
    assert (checked.format, checked.extension) == (fmt, extension)


def test_a_file_named_like_an_image_is_refused() -> None:
    fake = SimpleUploadedFile("anh.jpg", b"<?php echo 'khong phai anh'; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="không phải là ảnh hợp lệ"):
        validate_image_upload(fake)


def test_a_truncated_image_is_refused() -> None:
    data = image_upload().read()
    with pytest.raises(ValidationError):
        validate_image_upload(SimpleUploadedFile("anh.png", data[: len(data) // 2]))


def test_an_oversized_image_is_refused(settings: object) -> None:
    upload = image_upload()
    settings.MAX_IMAGE_UPLOAD_BYTES = upload.size - 1  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="Ảnh quá lớn"):
        validate_image_upload(upload)
