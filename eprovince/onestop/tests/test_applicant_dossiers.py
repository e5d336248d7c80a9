"""The applicant's submitted dossiers: every status change with dates, answering a request to supplement (the
deadline clock resumes), downloading the result, rating once, and nobody else's dossier (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from eprovince.onestop import deadlines
from eprovince.onestop.constants import DossierStatus, FileKind
from eprovince.onestop.errors import ActionNotAllowed
from eprovince.onestop.models import Dossier, DossierFile, SatisfactionRating
from eprovince.onestop.services.dossiers import Upload
from eprovince.onestop.services.online import dossier_online_submit, dossier_rate, dossier_supplement_submit

from .factories import PDF_BYTES, PNG_BYTES, SITE, World, act, at, complete_draft, pdf, sign_up, upload

pytestmark = pytest.mark.django_db

MON = at(2026, 3, 9, 9)
REASON = "Bổ sung bản sao giấy chứng nhận đăng ký doanh nghiệp có chứng thực."


@pytest.fixture
def business(world: World) -> Any:
    return sign_up()


@pytest.fixture
def client(business: Any) -> Client:
    c = Client()
    c.force_login(business)
    return c


def submitted(world: World, user: Any, *, now: Any = MON) -> Dossier:
    return dossier_online_submit(dossier=complete_draft(world, user), acting_user=user, site_url=SITE, now=now)


def waiting(world: World, user: Any) -> Dossier:
    d = act(submitted(world, user), "accept", world.clerk, now=at(2026, 3, 9, 10))
    return act(d, "request_supplement", world.specialist, reason=REASON, now=at(2026, 3, 10, 9))


def page(client: Client, d: Dossier) -> str:
    response = client.get(f"/ho-so-cua-toi/{d.code}/")
    assert response.status_code == 200
    return response.content.decode()


def test_my_dossiers_lists_drafts_and_submitted_dossiers_with_status_and_dates(
    world: World, business: Any, client: Client
) -> None:
    draft = complete_draft(world, business)
    d = act(submitted(world, business), "accept", world.clerk, now=at(2026, 3, 9, 10))
    listing = client.get("/ho-so-cua-toi/").content.decode()
    assert f"/ho-so-cua-toi/nhap/{draft.pk}/" in listing
    assert d.code in listing and "Đang xử lý" in listing and "09/03/2026" in listing and "18/03/2026" in listing


def test_the_dossier_page_shows_every_status_change_with_dates_but_not_internal_notes(
    world: World, business: Any, client: Client
) -> None:
    d = waiting(world, business)
    d = dossier_supplement_submit(
        dossier=d, acting_user=business, uploads=[Upload(file=pdf("bo-sung.pdf"))], now=at(2026, 3, 11, 9)
    )
    act(d, "forward", world.specialist, reason="Ghi chú nội bộ: đã gọi điện xác minh", now=at(2026, 3, 11, 14))
    text = page(client, d)
    for label, when in [
        ("Nộp hồ sơ trực tuyến", "09:00 09/03/2026"), ("Tiếp nhận, chuyển thẩm định", "10:00 09/03/2026"),
        ("Yêu cầu bổ sung hồ sơ", "09:00 10/03/2026"), ("Người nộp gửi hồ sơ bổ sung trực tuyến", "09:00 11/03/2026"),
        ("Trình trưởng phòng", "14:00 11/03/2026"),
    ]:  # fmt: skip
        assert label in text and when in text
    assert REASON in text and "Ghi chú nội bộ" not in text
    assert "Phạm Quốc Bảo" not in text  # officers' names stay internal
    tracked = Client().post("/tra-cuu-ho-so/", {"code": d.code, "contact": "0912 000 111"}).content.decode()
    assert REASON in tracked and "Ghi chú nội bộ" not in tracked  # the same on the public tracking page


def test_a_supplement_request_shows_its_reason_and_the_answer_resumes_the_clock(
    world: World, business: Any, client: Client
) -> None:
    d = waiting(world, business)
    assert d.is_paused and d.due_at is None
    text = page(client, d)
    assert "Cơ quan yêu cầu bổ sung hồ sơ" in text and REASON in text and "Gửi hồ sơ bổ sung" in text
    doc = world.procedure.documents.get(is_required=True)
    response = client.post(
        f"/ho-so-cua-toi/{d.code}/bo-sung/",
        {"document": doc.pk, "attachments": upload("gcn-dkdn.pdf", PDF_BYTES), "note": "Đã bổ sung", "version": d.version},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert not d.is_paused and d.status == DossierStatus.PROCESSING and d.current_step.code == "tham-dinh"
    assert d.due_at is not None and d.due_at == deadlines.due_at(d.received_at, 7, d.pause_list())
    assert d.due_at > at(2026, 3, 18, 17)  # the paused days are added to the original due date
    event = d.events.order_by("-pk").first()
    assert (event.action, event.actor, event.reason) == ("receive_supplement", business, "Đã bổ sung")
    item = DossierFile.objects.get(kind=FileKind.SUPPLEMENT)
    assert (item.event, item.document, item.original_name) == (event, doc, "gcn-dkdn.pdf")
    assert "Gửi hồ sơ bổ sung" not in page(client, d)


def test_the_supplement_clock_from_the_service(world: World, business: Any) -> None:
    d = waiting(world, business)
    resumed = dossier_supplement_submit(dossier=d, acting_user=business, uploads=[Upload(file=pdf())], now=at(2026, 3, 13, 9))
    assert resumed.pauses[-1] == {"start": at(2026, 3, 10, 9).isoformat(), "end": at(2026, 3, 13, 9).isoformat()}
    assert resumed.due_at == deadlines.due_at(at(2026, 3, 9, 10), 7, resumed.pause_list())


def test_a_supplement_without_files_or_with_a_tampered_file_changes_nothing(world: World, business: Any, client: Client) -> None:
    d = waiting(world, business)
    with pytest.raises(ValidationError, match="ít nhất một tệp"):
        dossier_supplement_submit(dossier=d, acting_user=business, uploads=[])
    response = client.post(
        f"/ho-so-cua-toi/{d.code}/bo-sung/", {"attachments": upload("bo-sung.pdf", PNG_BYTES), "version": d.version}
    )
    assert response.status_code == 400 and "nội dung là ảnh PNG" in response.content.decode()
    fresh = Dossier.objects.get(pk=d.pk)
    assert fresh.is_paused and fresh.version == d.version and not DossierFile.objects.filter(kind=FileKind.SUPPLEMENT).exists()


def test_a_supplement_is_refused_when_none_was_requested(world: World, business: Any, client: Client) -> None:
    d = submitted(world, business)
    with pytest.raises(ActionNotAllowed, match="không ở trạng thái chờ bổ sung"):
        dossier_supplement_submit(dossier=d, acting_user=business, uploads=[Upload(file=pdf())])
    response = client.post(f"/ho-so-cua-toi/{d.code}/bo-sung/", {"attachments": upload("x.pdf", PDF_BYTES), "version": d.version})
    assert response.status_code == 302 and Dossier.objects.get(pk=d.pk).status == DossierStatus.NEW


def finished(world: World, business: Any) -> Dossier:
    d = act(submitted(world, business), "accept", world.clerk)
    d = act(d, "forward", world.specialist, uploads=[Upload(file=pdf("to-trinh-noi-bo.pdf"))])
    d = act(d, "forward", world.head)
    return act(d, "issue_result", world.leader, uploads=[Upload(file=pdf("giay-phep.pdf"))])


def test_the_result_downloads_and_internal_files_do_not(world: World, business: Any, client: Client) -> None:
    d = finished(world, business)
    assert d.status == DossierStatus.RESULT_READY
    text = page(client, d)
    result = DossierFile.objects.get(kind=FileKind.RESULT)
    assert "Kết quả giải quyết" in text and f"/ho-so-cua-toi/tep/{result.pk}/" in text
    response = client.get(f"/ho-so-cua-toi/tep/{result.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
    opinion = DossierFile.objects.get(kind=FileKind.OPINION)
    assert client.get(f"/ho-so-cua-toi/tep/{opinion.pk}/").status_code == 404
    assert "to-trinh-noi-bo.pdf" not in text


def test_rating_once_after_the_result_and_officers_see_it(world: World, business: Any, client: Client) -> None:
    d = submitted(world, business)
    scores = {"timeliness": 5, "attitude": 4, "simplicity": 4, "outcome": 5}
    with pytest.raises(ValidationError, match="đã có kết quả"):
        dossier_rate(dossier=d, acting_user=business, scores=scores)
    d = finished(world, business)
    assert "Đánh giá mức độ hài lòng" in page(client, d)
    response = client.post(f"/ho-so-cua-toi/{d.code}/danh-gia/", {**scores, "comment": "Nhanh, cán bộ nhiệt tình."})
    assert response.status_code == 302
    again = client.post(f"/ho-so-cua-toi/{d.code}/danh-gia/", {**scores, "timeliness": 1}, follow=True)
    assert "mỗi hồ sơ chỉ đánh giá một lần" in again.content.decode()
    rating = SatisfactionRating.objects.get()
    assert (rating.dossier, rating.timeliness, rating.average, rating.rated_by) == (d, 5, 4.5, business)
    with pytest.raises(ValidationError, match="một lần"):
        dossier_rate(dossier=d, acting_user=business, scores=scores)
    officer = Client()
    officer.force_login(world.clerk)
    text = officer.get(f"/can-bo/mot-cua/ho-so/{d.pk}/").content.decode()
    assert "Đánh giá mức độ hài lòng của người nộp" in text and "4,5/5" in text and "Nhanh, cán bộ nhiệt tình." in text


def test_a_rating_needs_every_criterion_between_1_and_5(world: World, business: Any, client: Client) -> None:
    d = finished(world, business)
    response = client.post(f"/ho-so-cua-toi/{d.code}/danh-gia/", {"timeliness": 6, "attitude": 4})
    assert (
        response.status_code == 400
        and "Vui lòng chọn mức độ hài lòng về “Sự đơn giản của thủ tục, hồ sơ”." in response.content.decode()
    )
    with pytest.raises(ValidationError):
        dossier_rate(dossier=d, acting_user=business, scores={"timeliness": 0, "attitude": 4, "simplicity": 4, "outcome": True})  # type: ignore[dict-item]
    assert not SatisfactionRating.objects.exists()


def test_other_users_dossiers_and_forged_codes_are_not_found(world: World, business: Any) -> None:
    d = waiting(world, business)
    item = d.files.first()
    other = Client()
    other.force_login(sign_up(kind="citizen", email="khac@example.vn"))
    for url in ("", "da-nop/", "giay-tiep-nhan.pdf"):
        assert other.get(f"/ho-so-cua-toi/{d.code}/{url}").status_code == 404
    assert (
        other.post(
            f"/ho-so-cua-toi/{d.code}/bo-sung/", {"attachments": upload("x.pdf", PDF_BYTES), "version": d.version}
        ).status_code
        == 404
    )
    assert other.post(f"/ho-so-cua-toi/{d.code}/danh-gia/", {"timeliness": 1}).status_code == 404
    assert other.get(f"/ho-so-cua-toi/tep/{item.pk}/").status_code == 404
    owner = Client()
    owner.force_login(business)
    assert owner.get("/ho-so-cua-toi/000.20.00.H99-260309-9999/").status_code == 404
    assert owner.get(f"/can-bo/mot-cua/ho-so/{d.pk}/").status_code == 404  # the officers' page is for officers
    assert owner.get(f"/can-bo/mot-cua/tep/{item.pk}/").status_code == 404
    assert Client().get(f"/ho-so-cua-toi/{d.code}/").status_code == 302  # to the login page
    assert Dossier.objects.get(pk=d.pk).is_paused
