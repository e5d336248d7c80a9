"""Quick links of the site search: a query naming a service people look for ("mot cua", "tra cuu ho so") is led
straight to it, above the results. Data only: keywords (folded, as core.text.fold writes them) → a destination.
A destination whose URL name is not installed is left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from eprovince.core.search import Query


@dataclass(frozen=True)
class QuickLink:
    keywords: tuple[str, ...]
    title: Any
    description: Any
    url_name: str


QUICK_LINKS: tuple[QuickLink, ...] = (
    QuickLink(
        ("mot cua", "dich vu cong", "thu tuc hanh chinh", "nop ho so", "nop truc tuyen"),
        _("Dịch vụ công một cửa"),
        _("Tìm thủ tục hành chính, xem giấy tờ cần chuẩn bị, lệ phí, thời hạn và nộp hồ sơ trực tuyến."),
        "onestop:catalogue",
    ),
    QuickLink(
        ("tra cuu ho so", "ma ho so", "tinh trang ho so", "theo doi ho so"),
        _("Tra cứu hồ sơ"),
        _("Xem tình trạng hồ sơ đã nộp bằng mã hồ sơ và số điện thoại hoặc thư điện tử."),
        "onestop:tracking",
    ),
    QuickLink(
        ("ho so cua toi", "dang ky tai khoan", "tai khoan cong dan"),
        _("Hồ sơ của tôi"),
        _("Đăng ký, đăng nhập để nộp hồ sơ, làm tiếp bản nháp và nhận kết quả."),
        "onestop:my_dossiers",
    ),
)


def quick_links(query: Query) -> list[dict[str, Any]]:
    """The quick links whose keyword is in the query as whole words, each with its resolved URL."""
    if not query.terms:
        return []
    phrase = f" {query.phrase} "
    found = []
    for link in QUICK_LINKS:
        if any(f" {keyword} " in phrase for keyword in link.keywords):
            try:
                url = reverse(link.url_name)
            except NoReverseMatch:
                continue
            found.append({"title": link.title, "description": link.description, "url": url})
    return found
