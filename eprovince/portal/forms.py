"""Forms of the portal: they parse and check input; every write goes through services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .constants import ArticleStatus
from .models import Article, Category
from .validators import validate_image_upload


def _image_validator(upload: UploadedFile) -> None:
    validate_image_upload(upload)


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=300)
    category = forms.ModelChoiceField(
        label=_("Chuyên mục"), queryset=Category.objects.order_by("order", "name"), empty_label=None
    )
    summary = forms.CharField(
        label=_("Tóm tắt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Đoạn mở đầu, in đậm trên trang bài viết."),
    )
    body = forms.CharField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Văn bản thường: mỗi đoạn cách nhau một dòng trống. Hoặc HTML cơ bản (p, strong, em, ul, ol, li, a, h2–h4, "
            "blockquote, img, table); các thẻ và thuộc tính khác sẽ bị loại bỏ."
        ),
    )
    source = forms.CharField(label=_("Nguồn"), max_length=120, required=False, help_text=_("Ví dụ: Mic.gov.vn"))
    author_line = forms.CharField(
        label=_("Tác giả"), max_length=200, required=False, help_text=_("Ví dụ: Huỳnh Diễm – Sở TT&TT Kiên Giang")
    )
    cover_image = forms.FileField(
        label=_("Ảnh đại diện"),
        required=False,
        validators=[_image_validator],
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        help_text=_("Ảnh JPEG, PNG, GIF hoặc WebP."),
    )
    remove_cover = forms.BooleanField(label=_("Xóa ảnh đại diện hiện tại"), required=False)

    def __init__(self, *args: Any, article: Article | None = None, **kwargs: Any) -> None:
        if article is not None:
            kwargs.setdefault(
                "initial",
                {name: getattr(article, name) for name in ("title", "category", "summary", "body", "source", "author_line")},
            )
        super().__init__(*args, **kwargs)
        if article is None or not article.cover_image:
            del self.fields["remove_cover"]

    def content(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("title", "category", "summary", "body", "source", "author_line")}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Số sao"), choices=[(n, str(n)) for n in range(1, 6)], coerce=int,
        error_messages={"required": _("Vui lòng chọn từ 1 đến 5 sao."), "invalid_choice": _("Vui lòng chọn từ 1 đến 5 sao.")},
    )  # fmt: skip


class WorkspaceFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *list(ArticleStatus.choices)])
    q = forms.CharField(label=_("Tìm theo tiêu đề, nội dung"), required=False, max_length=200)
