from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from eprovince.core.constants import Role
from eprovince.core.services.accounts import user_create

from ..constants import ArticleStatus
from ..models import Article
from . import factories

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_workspace_needs_a_login_and_an_editorial_role(client: Client) -> None:
    response = client.get("/can-bo/tin-bai/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    specialist = factories.person("chuyenvien", Role.SPECIALIST)
    assert _client(specialist).get("/can-bo/tin-bai/").status_code == 403
    assert _client(specialist).get("/can-bo/tin-bai/viet-bai/").status_code == 403


def test_the_module_shows_on_the_staff_home_for_editors_only(editor: Any) -> None:
    assert reverse("portal:editor_list") in _client(editor).get("/can-bo/").content.decode()
    specialist = factories.person("chuyenvien", Role.SPECIALIST)
    assert reverse("portal:editor_list") not in _client(specialist).get("/can-bo/").content.decode()


def test_an_editor_writes_and_submits_a_chief_publishes(editor: Any, chief: Any, category: Any) -> None:
    writer = _client(editor)
    response = writer.post(
        "/can-bo/tin-bai/viet-bai/",
        {"title": "Hội nghị chuyển đổi số", "category": category.pk, "summary": "Tóm tắt", "body": "Đoạn một.\n\nĐoạn hai."},
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:editor_detail", args=[article.pk])
    assert article.status == ArticleStatus.DRAFT and article.body == "<p>Đoạn một.</p><p>Đoạn hai.</p>"
    detail = writer.get(response["Location"]).content.decode()
    assert "Gửi duyệt" in detail and "Xuất bản" not in detail
    writer.post(reverse("portal:editor_transition", args=[article.pk, "submit"]))
    assert Article.objects.get().status == ArticleStatus.REVIEW

    approver = _client(chief)
    queue = approver.get("/can-bo/tin-bai/?status=review").content.decode()
    assert "Hội nghị chuyển đổi số" in queue and "Có 1 bài đang chờ bạn duyệt." in queue
    approver.post(reverse("portal:editor_transition", args=[article.pk, "publish"]))
    assert Article.objects.get().status == ArticleStatus.PUBLISHED
    assert "Hội nghị chuyển đổi số" in Client().get("/tin-tuc/").content.decode()


def test_an_editor_cannot_publish_through_the_url(editor: Any) -> None:
    article = factories.draft(author=editor)
    writer = _client(editor)
    writer.post(reverse("portal:editor_transition", args=[article.pk, "submit"]))
    response = writer.post(reverse("portal:editor_transition", args=[article.pk, "publish"]), follow=True)
    assert "Bạn không có quyền thực hiện thao tác" in response.content.decode()
    assert Article.objects.get().status == ArticleStatus.REVIEW


def test_returning_needs_a_reason_shown_in_the_history(editor: Any, chief: Any) -> None:
    article = factories.draft(author=editor)
    _client(editor).post(reverse("portal:editor_transition", args=[article.pk, "submit"]))
    approver = _client(chief)
    url = reverse("portal:editor_transition", args=[article.pk, "return"])
    assert "Vui lòng nêu lý do." in approver.post(url, {"reason": ""}, follow=True).content.decode()
    page = approver.post(url, {"reason": "Cần bổ sung nguồn"}, follow=True).content.decode()
    assert "Cần bổ sung nguồn" in page and Article.objects.get().status == ArticleStatus.DRAFT


def test_an_unknown_step_is_not_found(editor: Any) -> None:
    article = factories.draft(author=editor)
    assert _client(editor).post(reverse("portal:editor_transition", args=[article.pk, "xoa"])).status_code == 404
    assert _client(editor).get(reverse("portal:editor_transition", args=[article.pk, "submit"])).status_code == 405


def test_editing_a_draft_and_refusing_a_fake_image(editor: Any, category: Any, settings: Any) -> None:
    article = factories.draft(author=editor)
    writer = _client(editor)
    url = reverse("portal:editor_edit", args=[article.pk])
    assert writer.get(url).status_code == 200
    fake = factories.SimpleUploadedFile("anh.png", b"not an image at all", content_type="image/png")
    data = {"title": "Tiêu đề sửa", "category": category.pk, "body": "<p>Mới</p>", "cover_image": fake}
    response = writer.post(url, data)
    assert response.status_code == 200 and "không phải là ảnh hợp lệ" in response.content.decode()
    assert Article.objects.get().title != "Tiêu đề sửa"
    data["cover_image"] = factories.image_upload()
    assert writer.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.title == "Tiêu đề sửa" and article.cover_image.name.endswith(".png")


def test_published_articles_are_not_edited_in_place(editor: Any, chief: Any) -> None:
    article = factories.published(author=editor, approver=chief)
    response = _client(chief).get(reverse("portal:editor_edit", args=[article.pk]), follow=True)
    assert "Không thể sửa bài viết ở trạng thái" in response.content.decode()


def test_editor_list_needs_few_queries(editor: Any, chief: Any, django_assert_max_num_queries: Any) -> None:
    for i in range(12):
        factories.draft(author=editor, title=f"Bài {i}")
    client = _client(editor)
    client.get("/can-bo/tin-bai/")
    # Session, user, roles and the session save (SESSION_SAVE_EVERY_REQUEST) are the platform's; ours: count, counts, page.
    with django_assert_max_num_queries(9):
        assert client.get("/can-bo/tin-bai/?q=bai").status_code == 200


def test_the_admin_shows_articles_read_only(editor: Any, chief: Any) -> None:
    article = factories.published(author=editor, approver=chief)
    admin = user_create(acting_user=None, username="quantri", password=factories.PASSWORD, is_staff=True, is_superuser=True)
    client = _client(admin)
    assert client.get("/quan-tri/portal/article/").status_code == 200
    page = client.get(f"/quan-tri/portal/article/{article.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get("/quan-tri/portal/article/add/").status_code == 403
