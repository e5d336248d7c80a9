"""Every write of the portal: articles through their editorial workflow, categories, readers' ratings and views.

Each service is keyword-only, runs in a transaction and records the audit trail in it."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import User
from eprovince.core.permissions import has_platform_role
from eprovince.core.services.audit import audit_record, snapshot
from eprovince.core.text import fold, normalise

from .caching import public_content_changed
from .constants import EDITABLE_BY, TRANSITIONS, WRITER_ROLES, ArticleStatus
from .models import Article, Category, Rating
from .validators import html_to_text, sanitise_html, text_to_html, title_slug, validate_image_upload

_CONTENT_FIELDS = ("title", "summary", "body", "category", "source", "author_line")
_AUDIT_FIELDS = ("title", "slug", "summary", "body", "category_id", "source", "author_line", "status", "published_on")


def _audit_state(article: Article) -> dict[str, Any]:
    return {**snapshot(article, _AUDIT_FIELDS), "cover_image": article.cover_image.name or ""}


def _require_role(user: User | None, roles: tuple[str, ...], message: str) -> None:
    if not has_platform_role(user, *roles):
        raise PermissionDenied(message)


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    base = title_slug(title) or "bai-viet"
    slug, n = base, 1
    taken = Article.objects.exclude(pk=exclude_pk) if exclude_pk else Article.objects.all()
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _prepare_content(article: Article) -> None:
    """Sanitise the body and refresh the search columns from title, summary and body text."""
    article.title = article.title.strip()
    article.summary = article.summary.strip()
    article.body = sanitise_html(text_to_html(article.body))
    text = f"{article.title} {article.summary} {html_to_text(article.body)}"
    article.search_text = fold(text)
    article.search_exact = normalise(text)


def _attach_cover(article: Article, upload: UploadedFile) -> None:
    """Checked from its content before anything is stored; the stored name takes the real format's extension."""
    checked = validate_image_upload(upload)
    upload.name = f"{article.slug}.{checked.extension}"
    article.cover_image = upload  # type: ignore[assignment]


# Categories -----------------------------------------------------------------------------------------------


@transaction.atomic
def category_ensure(*, name: str, slug: str, order: int = 100, acting_user: User | None) -> Category:
    """The category with `slug`, created if missing (idempotent, for the demo and imports)."""
    existing = Category.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    category = Category(name=name, slug=slug, order=order)
    category.full_clean()
    category.save()
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=category, after=snapshot(category))
    public_content_changed()
    return category


# Articles: content ---------------------------------------------------------------------------------------


@transaction.atomic
def article_create(
    *,
    acting_user: User | None,
    title: str,
    category: Category,
    summary: str = "",
    body: str = "",
    source: str = "",
    author_line: str = "",
    cover_image: UploadedFile | None = None,
) -> Article:
    """A new draft written by an editor."""
    _require_role(acting_user, WRITER_ROLES, _("Chỉ biên tập viên mới được viết bài."))
    article = Article(
        title=title, category=category, summary=summary, body=body, source=source, author_line=author_line,
        status=ArticleStatus.DRAFT, created_by=acting_user,
    )  # fmt: skip
    _prepare_content(article)
    article.slug = _unique_slug(article.title)
    article.full_clean(exclude=["cover_image"])
    if cover_image is not None:
        _attach_cover(article, cover_image)
    article.save()
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=article, after=_audit_state(article))
    return article


@transaction.atomic
def article_update(
    *,
    article: Article,
    acting_user: User | None,
    cover_image: UploadedFile | None = None,
    remove_cover: bool = False,
    reason: str = "",
    **fields: Any,
) -> Article:
    """Change the content of a draft (editors) or of an article awaiting review (approvers)."""
    unknown = set(fields) - set(_CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown article fields: {sorted(unknown)}")
    locked = Article.objects.select_for_update().get(pk=article.pk)
    roles = EDITABLE_BY.get(locked.status)
    if roles is None:
        raise ValidationError(
            _("Không thể sửa bài viết ở trạng thái “%(status)s”. Hãy trả bài về bản nháp trước.")
            % {"status": locked.get_status_display()}
        )
    _require_role(acting_user, roles, _("Bạn không có quyền sửa bài viết ở trạng thái này."))
    before = _audit_state(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    _prepare_content(locked)
    locked.full_clean(exclude=["cover_image"])
    old_cover = locked.cover_image.name
    if cover_image is not None:
        _attach_cover(locked, cover_image)
    elif remove_cover:
        locked.cover_image = ""  # type: ignore[assignment]
    locked.save()
    if old_cover and old_cover != locked.cover_image.name:
        storage = locked.cover_image.storage
        transaction.on_commit(lambda: storage.delete(old_cover))
    audit_record(
        actor=acting_user, action=AuditAction.UPDATE, obj=locked, before=before, after=_audit_state(locked), reason=reason
    )
    return locked


# Articles: the editorial workflow -----------------------------------------------------------------------


@transaction.atomic
def article_transition(*, article: Article, key: str, acting_user: User | None, reason: str = "") -> Article:
    """Move `article` along the workflow step `key` (see constants.TRANSITIONS)."""
    transition = TRANSITIONS[key]
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status not in transition.sources:
        raise ValidationError(str(transition.refusal), code="invalid_transition")
    _require_role(
        acting_user, transition.roles, _("Bạn không có quyền thực hiện thao tác “%(action)s”.") % {"action": transition.label}
    )
    reason = reason.strip()
    if transition.needs_reason and not reason:
        raise ValidationError({"reason": _("Vui lòng nêu lý do.")})
    was_public = locked.is_published
    before = _audit_state(locked)
    locked.status = transition.target
    if locked.is_published and locked.published_on is None:
        locked.published_on = timezone.localdate()
    locked.full_clean(exclude=["cover_image"])
    locked.save(update_fields=["status", "published_on", "updated_at"])
    audit_record(
        actor=acting_user, action=AuditAction.TRANSITION, obj=locked, before=before, after=_audit_state(locked), reason=reason
    )
    if was_public or locked.is_published:
        public_content_changed()
    article.status, article.published_on = locked.status, locked.published_on
    return locked


def article_submit_for_review(*, article: Article, acting_user: User | None) -> Article:
    return article_transition(article=article, key="submit", acting_user=acting_user)


def article_publish(*, article: Article, acting_user: User | None) -> Article:
    return article_transition(article=article, key="publish", acting_user=acting_user)


def article_return_to_draft(*, article: Article, acting_user: User | None, reason: str) -> Article:
    return article_transition(article=article, key="return", acting_user=acting_user, reason=reason)


def article_archive(*, article: Article, acting_user: User | None, reason: str) -> Article:
    return article_transition(article=article, key="archive", acting_user=acting_user, reason=reason)


@transaction.atomic
def article_import(
    *,
    acting_user: User | None,
    slug: str,
    title: str,
    category: Category,
    summary: str,
    body: str,
    published_on: dt.date,
    source: str = "",
    author_line: str = "",
    created_by: User | None = None,
) -> tuple[Article, bool]:
    """An already published article brought in from elsewhere (the seed articles). Idempotent by slug:
    returns (article, created) and leaves an existing article untouched."""
    existing = Article.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    article = Article(
        slug=slug, title=title, category=category, summary=summary, body=body, published_on=published_on,
        source=source, author_line=author_line, status=ArticleStatus.PUBLISHED, created_by=created_by,
    )  # fmt: skip
    _prepare_content(article)
    article.full_clean(exclude=["cover_image"])
    article.save()
    audit_record(actor=acting_user, action=AuditAction.IMPORT, obj=article, after=_audit_state(article))
    public_content_changed()
    return article, True


# Readers ------------------------------------------------------------------------------------------------


def voter_key(*, user: Any, cookie_token: str | None) -> str | None:
    """Who is voting: the account of a signed-in reader, else a keyed hash of the browser's cookie token."""
    if getattr(user, "is_authenticated", False):
        return f"u:{user.pk}"
    if cookie_token:
        return "c:" + salted_hmac("eprovince.portal.rating", cookie_token, algorithm="sha256").hexdigest()[:64]
    return None


@transaction.atomic
def article_rate(*, article: Article, stars: int, voter_key: str | None, acting_user: User | None = None) -> Article:
    """One vote per reader: a second vote by the same reader is refused. Returns the article with new totals."""
    if isinstance(stars, bool) or not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": _("Vui lòng chọn từ 1 đến 5 sao.")})
    if not voter_key:
        raise ValidationError(_("Không xác định được người đánh giá. Vui lòng bật cookie của trình duyệt."))
    locked = Article.objects.select_for_update().filter(pk=article.pk, status=ArticleStatus.PUBLISHED).first()
    if locked is None:
        raise ValidationError(_("Chỉ có thể đánh giá bài viết đã xuất bản."))
    already = ValidationError(_("Bạn đã đánh giá bài viết này."), code="already_rated")
    if Rating.objects.filter(article=locked, voter_key=voter_key).exists():
        raise already
    try:
        with transaction.atomic():
            rating = Rating.objects.create(article=locked, voter_key=voter_key, stars=stars)
    except IntegrityError:
        raise already from None
    Article.objects.filter(pk=locked.pk).update(rating_sum=F("rating_sum") + stars, rating_count=F("rating_count") + 1)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=rating, after={"article": locked.pk, "stars": stars})
    locked.refresh_from_db(fields=["rating_sum", "rating_count"])
    return locked


def _view_settings() -> tuple[int, float]:
    return getattr(settings, "PORTAL_VIEW_BATCH", 50), getattr(settings, "PORTAL_VIEW_FLUSH_SECONDS", 30.0)


_last_view_flush: dict[int, float] = {}


def article_register_view(*, article_id: int) -> int:
    """One reading of a published article. Readings gather in the cache and reach the database in a single
    UPDATE per batch (every PORTAL_VIEW_BATCH readings, or the first reading PORTAL_VIEW_FLUSH_SECONDS after this
    process last wrote them), so readers of a popular article do not queue on its row lock. Not audited: a counter,
    not a decision. Returns how many readings to add to a view_count read just before the call."""
    key = f"portal:views:{article_id}"
    try:
        pending = cache.incr(key)
    except ValueError:
        cache.add(key, 0, timeout=None)
        pending = cache.incr(key)
    batch, interval = _view_settings()
    last_flush = _last_view_flush.get(article_id)
    if pending >= batch or last_flush is None or time.monotonic() - last_flush >= interval:
        written, pending = article_flush_views(article_id=article_id)
        return written + pending
    return pending


def article_flush_views(*, article_id: int) -> tuple[int, int]:
    """Write the gathered readings of one article, one process at a time: returns (written, still pending)."""
    key, lock = f"portal:views:{article_id}", f"portal:views-lock:{article_id}"
    if not cache.add(lock, 1, timeout=10):
        return 0, int(cache.get(key) or 0)
    try:
        written = max(int(cache.get(key) or 0), 0)
        if written:
            # Claim exactly what was read: readings counted meanwhile stay for the next batch.
            cache.decr(key, written)
            Article.objects.filter(pk=article_id, status=ArticleStatus.PUBLISHED).update(view_count=F("view_count") + written)
        _last_view_flush[article_id] = time.monotonic()
        return written, int(cache.get(key) or 0)
    finally:
        cache.delete(lock)


@atexit.register
def _flush_pending_views() -> None:
    """A process that stops writes what it gathered (a local-memory cache would lose it)."""
    for article_id in list(_last_view_flush):
        with contextlib.suppress(Exception):  # best effort while the process stops
            article_flush_views(article_id=article_id)
