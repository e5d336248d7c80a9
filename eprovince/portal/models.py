"""News of the public portal: categories, articles (with their editorial status) and readers' ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .constants import ArticleStatus


class Category(models.Model):
    name = models.CharField(_("tên chuyên mục"), max_length=120)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:news_category", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=ArticleStatus.PUBLISHED)


class Article(models.Model):
    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(_("đường dẫn"), max_length=200, unique=True)
    summary = models.TextField(_("tóm tắt"), blank=True)
    # Always sanitised by the services before it is stored; templates may mark it safe.
    body = models.TextField(_("nội dung"), blank=True)
    category = models.ForeignKey(Category, verbose_name=_("chuyên mục"), on_delete=models.PROTECT, related_name="articles")
    cover_image = models.ImageField(_("ảnh đại diện"), upload_to="portal/covers/%Y/%m/", blank=True)
    source = models.CharField(_("nguồn"), max_length=120, blank=True, help_text=_("Ví dụ: Mic.gov.vn"))
    author_line = models.CharField(
        _("tác giả"), max_length=200, blank=True, help_text=_("Ví dụ: Huỳnh Diễm – Sở TT&TT Kiên Giang")
    )
    published_on = models.DateField(_("ngày đăng"), null=True, blank=True, db_index=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # Lower-case, diacritics folded (core.text.fold): what diacritic-free search matches term by term.
    search_text = models.TextField(editable=False, default="")
    # Lower-case, diacritics kept (core.text.normalise): ranks exact-diacritic matches first.
    search_exact = models.TextField(editable=False, default="")
    view_count = models.PositiveIntegerField(_("lượt xem"), default=0, editable=False)
    rating_sum = models.PositiveIntegerField(default=0, editable=False)
    rating_count = models.PositiveIntegerField(_("lượt đánh giá"), default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["status", "-published_on", "-id"], name="article_status_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED) | Q(published_on__isnull=False),
                name="article_published_has_date",
                violation_error_message=_("Bài viết đã xuất bản phải có ngày đăng."),
            ),
            models.CheckConstraint(
                condition=Q(rating_sum__gte=models.F("rating_count")) & Q(rating_sum__lte=models.F("rating_count") * 5),
                name="article_rating_sum_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:article", args=[self.category.slug, self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    @property
    def rating_average(self) -> float | None:
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None


class Rating(models.Model):
    """One reader's stars for one article. The voter is "u:<user id>" for a signed-in reader, or
    "c:<keyed hash of a per-browser cookie token>" for an anonymous one; the token itself is never stored."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="ratings")
    voter_key = models.CharField(max_length=80)
    stars = models.PositiveSmallIntegerField(_("số sao"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá bài viết")
        verbose_name_plural = _("đánh giá bài viết")
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5),
                name="rating_stars_1_to_5",
                violation_error_message=_("Số sao phải từ 1 đến 5."),
            ),
            models.UniqueConstraint(
                fields=["article", "voter_key"],
                name="rating_one_vote_per_reader",
                violation_error_message=_("Bạn đã đánh giá bài viết này."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.stars}"
