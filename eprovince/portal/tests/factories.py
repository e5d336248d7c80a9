"""Named example people and articles, built through the real services."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from eprovince.core.constants import Role
from eprovince.core.models import User
from eprovince.core.services.accounts import role_grant, user_create

from .. import services
from ..models import Article, Category

PASSWORD = "mat-khau-thu-nghiem-2026"

BODY = "<p>Ngày 15/01/2009, Sở Thông tin và Truyền thông Kiên Giang tổ chức Hội nghị.</p><p>Đồng Tháp và An Giang dự.</p>"


def person(username: str, *roles: str, full_name: str = "") -> User:
    user = user_create(acting_user=None, username=username, password=PASSWORD, full_name=full_name or username)
    for role in roles:
        role_grant(user=user, role=role, organisation=None, acting_user=None)
    return user


def editor(username: str = "bientap") -> User:
    return person(username, Role.EDITOR, full_name="Huỳnh Diễm")


def chief_editor(username: str = "truongbbt") -> User:
    return person(username, Role.CHIEF_EDITOR, full_name="Hoàng Vũ")


def category(slug: str = "hoat-dong-cua-so", name: str = "Hoạt động của Sở", order: int = 10) -> Category:
    return services.category_ensure(name=name, slug=slug, order=order, acting_user=None)


def draft(
    *, author: User, title: str = "Sở TT&TT Kiên Giang triển khai nhiệm vụ", cat: Category | None = None, **fields: object
) -> Article:
    fields.setdefault("summary", "Tóm tắt bài viết.")
    fields.setdefault("body", BODY)
    return services.article_create(acting_user=author, title=title, category=cat or category(), **fields)  # type: ignore[arg-type]


def published(*, author: User, approver: User, **fields: object) -> Article:
    article = draft(author=author, **fields)
    services.article_submit_for_review(article=article, acting_user=author)
    return services.article_publish(article=article, acting_user=approver)


def image_upload(name: str = "anh.png", fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (163, 22, 26)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
