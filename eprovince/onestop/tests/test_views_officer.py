"""Officers' pages: queues by role and scope, search without diacritics, the dossier page and its actions, counter
reception, files; query counts on the list pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from eprovince.onestop import deadlines, selectors
from eprovince.onestop.deadlines import working_days_ago
from eprovince.onestop.models import Dossier, DossierFile

from .factories import PDF_BYTES, PNG_BYTES, World, act, at, receive, submit_online, upload

pytestmark = pytest.mark.django_db
QUEUE = "/can-bo/mot-cua/"


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def detail(d: Dossier) -> str:
    return f"/can-bo/mot-cua/ho-so/{d.pk}/"


# --- Queues ----------------------------------------------------------------------------------------------------------


def test_the_workspace_shows_the_module_to_officers_and_the_catalogue_to_administrators(world: World) -> None:
    clerk_home = client_for(world.clerk).get("/can-bo/").content.decode()
    assert "Một cửa điện tử" in clerk_home and "Danh mục thủ tục hành chính" not in clerk_home
    assert "Danh mục thủ tục hành chính" in client_for(world.admin).get("/can-bo/").content.decode()
    assert "Một cửa điện tử" not in client_for(world.citizen).get("/can-bo/").content.decode()


def test_queues_are_for_officers(world: World) -> None:
    assert Client().get(QUEUE).status_code == 302
    assert client_for(world.citizen).get(QUEUE).status_code == 403
    for key in selectors.QUEUES:
        assert client_for(world.specialist).get(QUEUE, {"hang": key}).status_code == 200


def test_my_queue_holds_what_waits_for_my_role_where_i_work(world: World) -> None:
    at_appraisal = receive(world)
    online = submit_online(world)
    at_head = act(receive(world), "forward", world.specialist)

    def tray(user: object) -> set[str]:
        return set(selectors.dossier_queue(user, "new").values_list("code", flat=True))

    assert tray(world.specialist) == {at_appraisal.code}
    assert tray(world.clerk) == {online.code}
    assert tray(world.head) == {at_head.code}
    assert tray(world.leader) == set() and tray(world.outsider) == set()
    assert set(selectors.dossier_queue(world.leader, "all").values_list("code", flat=True)) == {
        at_appraisal.code,
        online.code,
        at_head.code,
    }


def test_due_soon_overdue_and_waiting_queues(world: World) -> None:
    now = at(2026, 3, 20, 10)  # Friday
    overdue = receive(world, now=at(2026, 3, 2, 9))  # due Wednesday 11
    due_soon = receive(world, now=at(2026, 3, 12, 9))  # due Monday 23
    later = receive(world, now=at(2026, 3, 19, 9))  # due Monday 30
    waiting = act(
        receive(world, now=at(2026, 3, 2, 9)), "request_supplement", world.specialist, reason="x", now=at(2026, 3, 3, 9)
    )

    def queue(key: str) -> list[str]:
        return list(selectors.dossier_queue(world.leader, key, now=now).values_list("code", flat=True))

    assert queue("overdue") == [overdue.code]
    assert queue("due_soon") == [due_soon.code]
    assert queue("waiting") == [waiting.code]
    assert later.code not in queue("due_soon") + queue("overdue")


def test_search_without_diacritics_by_name_or_code(world: World) -> None:
    dong = receive(world, applicant_name="Nguyễn Văn Đông")
    receive(world, applicant_name="Trần Thị Thu Hà", applicant_phone="0903 456 789")
    client = client_for(world.specialist)
    for q in ("nguyen van dong", "NGUYỄN ĐÔNG", "dong", dong.code, dong.code[-4:], "0912345678"):
        page = client.get(QUEUE, {"hang": "all", "q": q}).content.decode()
        assert dong.code in page and "Trần Thị Thu Hà" not in page, q


def test_filters_by_procedure_status_channel_and_dates(world: World) -> None:
    d = receive(world, now=at(2026, 3, 9, 9))
    bts = receive(world, procedure=world.bts, now=at(2026, 3, 10, 9))
    online = submit_online(world, now=at(2026, 3, 10, 9))

    def codes(**filters: object) -> set[str]:
        f = selectors.DossierFilters(**filters)  # type: ignore[arg-type]
        return set(selectors.dossier_queue(world.leader, "all", f).values_list("code", flat=True))

    assert codes(procedure=world.bts.pk) == {bts.code}
    assert codes(status="new") == {online.code}
    assert codes(channel="counter") == {d.code, bts.code}
    assert codes(received_from=dt.date(2026, 3, 10)) == {bts.code}
    assert codes(received_to=dt.date(2026, 3, 9)) == {d.code}


@pytest.mark.parametrize("queue", list(selectors.QUEUES))
def test_queue_pages_cost_a_fixed_number_of_queries(
    world: World, queue: str, django_assert_max_num_queries: Callable[..., object]
) -> None:
    client = client_for(world.specialist)

    def one_of_each() -> None:
        receive(world, now=working_days_ago(6, 9))  # due within two working days
        receive(world, now=working_days_ago(20, 9))  # overdue
        act(receive(world, now=working_days_ago(3, 9)), "request_supplement", world.specialist, reason="x")

    one_of_each()
    client.get(QUEUE, {"hang": queue})
    with CaptureQueriesContext(connection) as few:
        assert "Không có hồ sơ nào" not in client.get(QUEUE, {"hang": queue, "q": "nguyen"}).content.decode()
    for _ in range(8):
        one_of_each()
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as many:  # type: ignore[operator]
        response = client.get(QUEUE, {"hang": queue, "q": "nguyen"})
    assert response.status_code == 200
    assert len(many) == len(few)


# --- A dossier -------------------------------------------------------------------------------------------------------


def test_the_dossier_page_shows_history_and_the_users_actions(world: World) -> None:
    d = receive(world)
    page = client_for(world.specialist).get(detail(d)).content.decode()
    assert d.code in page and "Trình trưởng phòng" in page and "Yêu cầu bổ sung hồ sơ" in page
    assert "Tiếp nhận hồ sơ tại bộ phận một cửa" in page and "Công ty Bưu chính Mê Kông" in page
    head_page = client_for(world.head).get(detail(d)).content.decode()
    assert "Trình trưởng phòng" not in head_page and "không chờ thao tác nào của bạn" in head_page


def test_outsiders_get_404_for_the_dossier_and_its_files(world: World) -> None:
    d = receive(world)
    item = d.files.get()
    for user in (world.outsider, world.other_specialist, world.citizen):
        client = client_for(user)
        assert client.get(detail(d)).status_code == 404
        assert client.get(f"/can-bo/mot-cua/tep/{item.pk}/").status_code == 404
        assert client.post(f"{detail(d)}thao-tac/", {"panel-action": "forward", "panel-version": d.version}).status_code == 404
    assert client_for(world.specialist).get("/can-bo/mot-cua/ho-so/999999/").status_code == 404


def test_a_file_downloads_for_those_who_see_the_dossier(world: World) -> None:
    d = receive(world)
    response = client_for(world.specialist).get(f"/can-bo/mot-cua/tep/{d.files.get().pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment") and response["Content-Type"] == "application/pdf"


def test_an_action_from_the_page(world: World) -> None:
    d = receive(world)
    response = client_for(world.specialist).post(f"{detail(d)}thao-tac/", {"panel-action": "forward", "panel-version": d.version})
    assert response.status_code == 302
    assert Dossier.objects.get(pk=d.pk).current_step.code == "truong-phong"


def test_an_action_with_a_reason_and_files_from_the_page(world: World) -> None:
    d = receive(world)
    client = client_for(world.specialist)
    missing = client.post(f"{detail(d)}thao-tac/", {"panel-action": "request_supplement", "panel-version": d.version})
    assert missing.status_code == 400 and "Vui lòng nêu lý do" in missing.content.decode()
    fake = client.post(
        f"{detail(d)}thao-tac/",
        {
            "panel-action": "request_supplement",
            "panel-version": d.version,
            "panel-reason": "x",
            "panel-attachments": [upload("a.pdf", PNG_BYTES)],
        },
    )
    assert fake.status_code == 400 and "nội dung là ảnh PNG" in fake.content.decode()
    ok = client.post(
        f"{detail(d)}thao-tac/",
        {"panel-action": "request_supplement", "panel-version": d.version, "panel-reason": "Thiếu bản sao",
         "panel-attachments": [upload("yeu-cau.pdf", PDF_BYTES), upload("mau.pdf", PDF_BYTES)]},
    )  # fmt: skip
    assert ok.status_code == 302
    fresh = Dossier.objects.get(pk=d.pk)
    assert fresh.status == "waiting_supplement" and fresh.files.filter(kind="opinion").count() == 2


def test_a_stale_page_is_told_and_changes_nothing(world: World) -> None:
    d = receive(world)
    act(d, "forward", world.specialist)
    response = client_for(world.clerk).post(
        f"{detail(d)}thao-tac/",
        {"panel-action": "withdraw", "panel-version": d.version, "panel-reason": "Rút", "panel-confirm": "on"},
        follow=True,
    )
    assert "vừa được người khác cập nhật" in response.content.decode()
    assert Dossier.objects.get(pk=d.pk).status == "processing"


def test_an_apology_from_the_page_once_the_dossier_is_due_soon(world: World) -> None:
    client = client_for(world.leader)
    early = receive(world)
    assert "hẹn lại ngày trả kết quả</h2>" not in client.get(detail(early)).content.decode()
    d = receive(world, now=working_days_ago(6, 9))  # due within two working days
    assert "hẹn lại ngày trả kết quả</h2>" in client.get(detail(d)).content.decode()
    new_day = timezone.localdate(d.due_at) + dt.timedelta(days=14)
    while not deadlines.is_working_day(new_day):
        new_day += dt.timedelta(days=1)
    response = client.post(
        f"{detail(d)}xin-loi/", {"version": d.version, "reason": "Chờ kiểm tra", "new_due_date": new_day.strftime("%d/%m/%Y")}
    )
    assert response.status_code == 302
    page = client.get(detail(d)).content.decode()
    assert new_day.strftime("%d/%m/%Y") in page and "Chờ kiểm tra" in page and "hẹn lại ngày trả kết quả</h2>" not in page


# --- Counter reception -------------------------------------------------------------------------------------------------


def test_counter_reception_pages(world: World, stored_files: Callable[[], int]) -> None:
    client = client_for(world.clerk)
    assert world.procedure.name in client.get("/can-bo/mot-cua/tiep-nhan/").content.decode()
    url = f"/can-bo/mot-cua/tiep-nhan/{world.procedure.pk}/"
    form = client.get(url).content.decode()
    assert "Tên doanh nghiệp" in form and "Đơn đề nghị" in form and 'accept=".pdf,.png,.jpg,.jpeg,.docx"' in form
    required = world.procedure.documents.get(is_required=True)
    data = {"applicant_name": "Lê Hoàng Phúc", "applicant_phone": "0987654321", "channel": "counter",
            "f_ten_doanh_nghiep": "Công ty Phúc An", "f_loai_hinh": "Trong nước", "f_so_may": "1.500"}  # fmt: skip
    refused = client.post(url, {**data, f"doc_{required.pk}": upload("don.pdf", PNG_BYTES)})
    assert refused.status_code == 400 and "nội dung là ảnh PNG" in refused.content.decode()
    assert (Dossier.objects.count(), stored_files()) == (0, 0)
    response = client.post(url, {**data, f"doc_{required.pk}": [upload("don.pdf", PDF_BYTES), upload("don-2.pdf", PDF_BYTES)]})
    d = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(d)
    assert d.form_data == {"ten_doanh_nghiep": "Công ty Phúc An", "loai_hinh": "Trong nước", "so_may": 1500}
    assert DossierFile.objects.filter(dossier=d, document=required).count() == 2
    assert client_for(world.specialist).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 403
