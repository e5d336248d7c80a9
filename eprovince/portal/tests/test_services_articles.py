from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eprovince.core.constants import AuditAction, Role
from eprovince.core.models import AuditEvent

from .. import services
from ..constants import ArticleStatus
from ..models import Article
from . import factories

pytestmark = pytest.mark.django_db


def _media_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_create_makes_a_sanitised_searchable_draft(editor: Any, category: Any) -> None:
    article = services.article_create(
        acting_user=editor,
        title="Sở TT&TT Kiên Giang triển khai nhiệm vụ",
        category=category,
        summary="Đồng Tháp",
        body='<p onclick="x()">Nội dung</p><script>alert(1)</script>',
    )
    assert article.status == ArticleStatus.DRAFT
    assert article.slug == "so-tttt-kien-giang-trien-khai-nhiem-vu"
    assert article.body == "<p>Nội dung</p>"
    assert article.search_text == "so tt&tt kien giang trien khai nhiem vu dong thap noi dung"
    assert article.created_by == editor
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(article.pk)).exists()


def test_plain_text_bodies_become_paragraphs(editor: Any) -> None:
    article = factories.draft(author=editor, body="Đoạn một.\n\nĐoạn hai.")
    assert article.body == "<p>Đoạn một.</p><p>Đoạn hai.</p>"


def test_slugs_stay_unique(editor: Any) -> None:
    first = factories.draft(author=editor, title="Hội nghị")
    second = factories.draft(author=editor, title="Hội nghị")
    assert (first.slug, second.slug) == ("hoi-nghi", "hoi-nghi-2")


def test_only_editors_write(category: Any) -> None:
    citizen = factories.person("congdan", Role.CITIZEN)
    with pytest.raises(PermissionDenied):
        services.article_create(acting_user=citizen, title="X", category=category, body="<p>x</p>")
    with pytest.raises(PermissionDenied):
        services.article_create(acting_user=None, title="X", category=category, body="<p>x</p>")
    assert not Article.objects.exists()


def test_full_workflow_draft_review_published(editor: Any, chief: Any) -> None:
    article = factories.draft(author=editor)
    services.article_submit_for_review(article=article, acting_user=editor)
    assert article.status == ArticleStatus.REVIEW
    services.article_publish(article=article, acting_user=chief)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_on == timezone.localdate()
    transitions = AuditEvent.objects.filter(action=AuditAction.TRANSITION, object_id=str(article.pk)).order_by("id")
    assert [(e.before["status"], e.after["status"]) for e in transitions] == [("draft", "review"), ("review", "published")]


def test_return_to_draft_needs_and_records_a_reason(editor: Any, chief: Any) -> None:
    article = factories.draft(author=editor)
    services.article_submit_for_review(article=article, acting_user=editor)
    with pytest.raises(ValidationError, match="lý do"):
        services.article_return_to_draft(article=article, acting_user=chief, reason="  ")
    services.article_return_to_draft(article=article, acting_user=chief, reason="Thiếu nguồn tin")
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    assert AuditEvent.objects.filter(object_id=str(article.pk), reason="Thiếu nguồn tin").exists()


def test_published_articles_can_be_withdrawn_and_republished_keeping_their_date(editor: Any, chief: Any) -> None:
    article = factories.published(author=editor, approver=chief)
    services.article_return_to_draft(article=article, acting_user=chief, reason="Sửa số liệu")
    services.article_submit_for_review(article=article, acting_user=editor)
    services.article_publish(article=article, acting_user=chief)
    assert article.published_on == timezone.localdate()


def test_archive(editor: Any, chief: Any) -> None:
    article = factories.published(author=editor, approver=chief)
    services.article_archive(article=article, acting_user=chief, reason="Hết thời sự")
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.ARCHIVED


@pytest.mark.parametrize(
    ("start", "key", "message"),
    [
        ("draft", "publish", "Chỉ có thể xuất bản bài viết đang chờ duyệt."),
        ("draft", "return", "Chỉ có thể trả lại bài viết đang chờ duyệt hoặc đã xuất bản."),
        ("draft", "archive", "Chỉ có thể lưu trữ bài viết đã xuất bản."),
        ("review", "submit", "Chỉ có thể gửi duyệt bài viết đang là bản nháp."),
        ("review", "archive", "Chỉ có thể lưu trữ bài viết đã xuất bản."),
        ("published", "submit", "Chỉ có thể gửi duyệt bài viết đang là bản nháp."),
        ("published", "publish", "Chỉ có thể xuất bản bài viết đang chờ duyệt."),
        ("archived", "publish", "Chỉ có thể xuất bản bài viết đang chờ duyệt."),
        ("archived", "submit", "Chỉ có thể gửi duyệt bài viết đang là bản nháp."),
        ("archived", "return", "Chỉ có thể trả lại bài viết đang chờ duyệt hoặc đã xuất bản."),
        ("archived", "archive", "Chỉ có thể lưu trữ bài viết đã xuất bản."),
    ],
)
def test_forbidden_transitions_are_refused_in_vietnamese(editor: Any, chief: Any, start: str, key: str, message: str) -> None:
    article = factories.draft(author=editor)
    path = {"draft": [], "review": ["submit"], "published": ["submit", "publish"], "archived": ["submit", "publish", "archive"]}
    for step in path[start]:
        services.article_transition(article=article, key=step, acting_user=chief, reason="r")
    with pytest.raises(ValidationError) as exc:
        services.article_transition(article=article, key=key, acting_user=chief, reason="r")
    assert exc.value.messages == [message]
    assert Article.objects.get(pk=article.pk).status == start


@pytest.mark.parametrize("key", ["publish", "return"])
def test_editors_cannot_approve(editor: Any, key: str) -> None:
    article = factories.draft(author=editor)
    services.article_submit_for_review(article=article, acting_user=editor)
    with pytest.raises(PermissionDenied):
        services.article_transition(article=article, key=key, acting_user=editor, reason="r")
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.REVIEW


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.SPECIALIST, Role.LEADER, Role.DOCUMENT_CLERK])
def test_other_roles_cannot_submit_or_publish(editor: Any, role: str) -> None:
    outsider = factories.person(f"u-{role}", role)
    article = factories.draft(author=editor)
    with pytest.raises(PermissionDenied):
        services.article_submit_for_review(article=article, acting_user=outsider)
    services.article_submit_for_review(article=article, acting_user=editor)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, acting_user=outsider)


def test_admins_and_superusers_may_publish(editor: Any) -> None:
    admin = factories.person("quantri", Role.ADMIN)
    article = factories.draft(author=editor)
    services.article_submit_for_review(article=article, acting_user=editor)
    services.article_publish(article=article, acting_user=admin)
    assert article.status == ArticleStatus.PUBLISHED


def test_update_rules_follow_the_status(editor: Any, chief: Any) -> None:
    article = factories.draft(author=editor)
    services.article_update(article=article, acting_user=editor, title="Tiêu đề mới", body="<p>Đồng Tháp</p>")
    article.refresh_from_db()
    assert article.title == "Tiêu đề mới" and "dong thap" in article.search_text
    services.article_submit_for_review(article=article, acting_user=editor)
    with pytest.raises(PermissionDenied):
        services.article_update(article=article, acting_user=editor, title="Không được")
    services.article_update(article=article, acting_user=chief, summary="Biên tập lại")
    services.article_publish(article=article, acting_user=chief)
    with pytest.raises(ValidationError, match="trả bài về bản nháp"):
        services.article_update(article=article, acting_user=chief, title="Đã đăng")
    with pytest.raises(TypeError):
        services.article_update(article=article, acting_user=chief, status="draft")
    assert Article.objects.get(pk=article.pk).summary == "Biên tập lại"


def test_update_is_audited_with_the_difference(editor: Any) -> None:
    article = factories.draft(author=editor)
    services.article_update(article=article, acting_user=editor, title="Tiêu đề khác")
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(article.pk)).get()
    assert event.after == {"title": "Tiêu đề khác"}


def test_cover_image_is_stored_under_its_real_format(editor: Any, settings: Any) -> None:
    upload = factories.image_upload(name="bia.gif", fmt="JPEG")
    article = factories.draft(author=editor, cover_image=upload)
    assert article.cover_image.name.endswith(f"{article.slug}.jpg")
    assert len(_media_files(settings)) == 1


def test_non_image_upload_is_refused_and_nothing_is_stored(editor: Any, settings: Any) -> None:
    fake = SimpleUploadedFile("bia.png", b"MZ\x90\x00 khong phai anh", content_type="image/png")
    with pytest.raises(ValidationError, match="không phải là ảnh"):
        factories.draft(author=editor, cover_image=fake)
    assert not Article.objects.exists()
    assert _media_files(settings) == []


def test_oversized_upload_is_refused_and_nothing_is_stored(editor: Any, settings: Any) -> None:
    settings.MAX_IMAGE_UPLOAD_BYTES = 1024
    big = factories.image_upload(size=(800, 800), fmt="PNG")
    big.size = 2048  # what the upload handler reports
    with pytest.raises(ValidationError, match="Ảnh quá lớn"):
        factories.draft(author=editor, cover_image=big)
    article = factories.draft(author=editor)
    with pytest.raises(ValidationError, match="Ảnh quá lớn"):
        services.article_update(article=article, acting_user=editor, cover_image=big)
    assert not Article.objects.get(pk=article.pk).cover_image
    assert _media_files(settings) == []


def test_replacing_a_cover_removes_the_old_file(editor: Any, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    article = factories.draft(author=editor, cover_image=factories.image_upload())
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(article=article, acting_user=editor, cover_image=factories.image_upload(fmt="JPEG"))
    assert [p.suffix for p in _media_files(settings)] == [".jpg"]


def test_import_is_idempotent_and_published(category: Any) -> None:
    fields = {
        "slug": "bai-mau",
        "title": "Bài mẫu",
        "category": category,
        "summary": "Tóm tắt",
        "body": "<p>Nội dung</p>",
        "published_on": dt.date(2009, 1, 15),
    }
    first, created = services.article_import(acting_user=None, **fields)
    again, created_again = services.article_import(acting_user=None, **{**fields, "title": "Khác"})
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.title == "Bài mẫu" and again.status == ArticleStatus.PUBLISHED


def test_an_administrator_of_one_commune_neither_writes_nor_publishes_on_the_provincial_portal(
    editor: Any, category: Any
) -> None:
    from django.test import Client
    from django.urls import reverse

    from eprovince.core.constants import OrganisationKind
    from eprovince.core.modules import modules_for
    from eprovince.core.testing import make_org, make_user

    commune = make_org("UBND xã Mỹ Hòa Hưng", kind=OrganisationKind.PEOPLES_COMMITTEE)
    commune_admin = make_user("quantri_xa", (Role.ADMIN, commune))
    article = factories.draft(author=editor)
    services.article_submit_for_review(article=article, acting_user=editor)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, acting_user=commune_admin)
    with pytest.raises(PermissionDenied):
        services.article_create(acting_user=commune_admin, title="X", category=category, body="<p>x</p>")
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.REVIEW
    assert "portal" not in {m.key for m in modules_for(commune_admin)}
    client = Client()
    client.force_login(commune_admin)
    assert client.get(reverse("portal:editor_list")).status_code in (403, 404)
    assert "portal" in {m.key for m in modules_for(editor)}
