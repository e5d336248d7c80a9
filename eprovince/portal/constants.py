"""Article statuses and the editorial workflow, written as data: one engine in services.py interprets it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from eprovince.core.constants import Role


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    REVIEW = "review", _("Chờ duyệt")
    PUBLISHED = "published", _("Đã xuất bản")
    ARCHIVED = "archived", _("Lưu trữ")


# Who writes and who approves.
WRITER_ROLES: tuple[str, ...] = (Role.EDITOR, Role.CHIEF_EDITOR, Role.ADMIN)
APPROVER_ROLES: tuple[str, ...] = (Role.CHIEF_EDITOR, Role.ADMIN)


@dataclass(frozen=True)
class Transition:
    key: str
    label: str | Promise
    sources: frozenset[str]
    target: str
    roles: tuple[str, ...]
    # Shown when the article is not in one of `sources`.
    refusal: str | Promise
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.key: t
    for t in (
        Transition(
            "submit",
            _("Gửi duyệt"),
            frozenset({ArticleStatus.DRAFT}),
            ArticleStatus.REVIEW,
            WRITER_ROLES,
            _("Chỉ có thể gửi duyệt bài viết đang là bản nháp."),
        ),
        Transition(
            "publish",
            _("Xuất bản"),
            frozenset({ArticleStatus.REVIEW}),
            ArticleStatus.PUBLISHED,
            APPROVER_ROLES,
            _("Chỉ có thể xuất bản bài viết đang chờ duyệt."),
        ),
        Transition(
            "return",
            _("Trả lại biên tập"),
            frozenset({ArticleStatus.REVIEW, ArticleStatus.PUBLISHED}),
            ArticleStatus.DRAFT,
            APPROVER_ROLES,
            _("Chỉ có thể trả lại bài viết đang chờ duyệt hoặc đã xuất bản."),
            needs_reason=True,
        ),
        Transition(
            "archive",
            _("Lưu trữ"),
            frozenset({ArticleStatus.PUBLISHED}),
            ArticleStatus.ARCHIVED,
            APPROVER_ROLES,
            _("Chỉ có thể lưu trữ bài viết đã xuất bản."),
            needs_reason=True,
        ),
    )
}

# An article's content may be changed in these statuses, by these roles.
EDITABLE_BY: dict[str, tuple[str, ...]] = {
    ArticleStatus.DRAFT: WRITER_ROLES,
    ArticleStatus.REVIEW: APPROVER_ROLES,
}

# Image formats accepted for covers, as Pillow names them, with the extension the stored file gets.
IMAGE_FORMATS: dict[str, str] = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
MAX_IMAGE_PIXELS = 40_000_000

NEWS_PAGE_SIZE = 10
SEARCH_PAGE_SIZE = 10
HOME_LATEST = 8
# Rendered fragments of public pages stay this long (seconds); publishing invalidates them at once.
FRAGMENT_CACHE_SECONDS = 60
READER_COOKIE = "eprovince_reader"
