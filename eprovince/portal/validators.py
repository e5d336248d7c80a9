"""Rules shared by the forms, the API and the services: article HTML and uploaded images."""

from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from eprovince.core.text import fold

from .constants import IMAGE_FORMATS, MAX_IMAGE_PIXELS

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "img",
    "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_CLASSES = {"p": {"caption"}}
URL_SCHEMES = {"http", "https", "mailto"}

_BLOCK_BREAK = re.compile(r"\n\s*\n")
_HTML_TAG = re.compile(r"</?(?:" + "|".join(sorted(ALLOWED_TAGS | {"div", "span"})) + r")\b[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\u00a0]+")


def title_slug(title: str) -> str:
    """The address form of a title: "Sở TT&TT Kiên Giang" → "so-tttt-kien-giang" (đ folded to d)."""
    return slugify(fold(title))[:190].strip("-")


def sanitise_html(value: str) -> str:
    """Keep a small, safe set of tags: scripts, styles, event handlers and javascript: links are removed."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def html_to_text(value: str) -> str:
    """The readable text of an HTML fragment, blocks separated by spaces (for search and summaries)."""
    spaced = re.sub(r"<(br|/p|/li|/h[2-4]|/td|/th|/blockquote|/figcaption)\b[^>]*>", " ", value or "", flags=re.I)
    return _SPACES.sub(" ", html.unescape(nh3.clean(spaced, tags=set()))).strip()


def text_to_html(value: str) -> str:
    """Editors may type plain text: blank lines separate paragraphs. HTML input is returned as it is."""
    if _HTML_TAG.search(value):
        return value
    paragraphs = [p.strip() for p in _BLOCK_BREAK.split(value.replace("\r\n", "\n")) if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


@dataclass(frozen=True)
class CheckedImage:
    format: str
    extension: str
    width: int
    height: int


def validate_image_upload(upload: UploadedFile) -> CheckedImage:
    """Accept a JPEG, PNG, GIF or WebP image no larger than settings.MAX_IMAGE_UPLOAD_BYTES, judged from the
    file's content (never its name). Raises ValidationError; nothing is stored by this check."""
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("Ảnh quá lớn: tối đa %(limit)s, tệp đã chọn %(size)s.")
            % {"limit": filesizeformat(limit), "size": filesizeformat(upload.size or 0)},
            code="image_too_large",
        )
    not_image = ValidationError(
        _("Tệp đã chọn không phải là ảnh hợp lệ. Chỉ nhận ảnh JPEG, PNG, GIF hoặc WebP."), code="not_an_image"
    )
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as img:
                fmt, width, height = img.format or "", img.width, img.height
                img.verify()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ):
        raise not_image from None
    finally:
        upload.seek(0)
    if fmt not in IMAGE_FORMATS:
        raise not_image
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(_("Ảnh có kích thước điểm ảnh quá lớn."), code="image_too_many_pixels")
    return CheckedImage(format=fmt, extension=IMAGE_FORMATS[fmt], width=width, height=height)
