"""The one-stop API: the public catalogue, dossiers scoped by permission, actions with optimistic concurrency,
counter reception with files, public tracking."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from eprovince.core.services.accounts import api_token_create
from eprovince.onestop.models import Dossier, DossierFile

from .factories import PDF_BYTES, PNG_BYTES, World, act, receive, submit_online, upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls("eprovince.onestop.tests.urls")]
API = "/api/v1/onestop"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bearer(user: Any) -> Client:
    _token, raw = api_token_create(user=user, name="test", acting_user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


# --- Catalogue -------------------------------------------------------------------------------------------------------


def test_procedures_are_public_searchable_without_diacritics(world: World) -> None:
    body = Client().get(f"{API}/procedures", {"q": "giay phep buu chinh"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["national_code"], item["fee"], item["processing_days"]) == ("1.000001", 1500000, 7)
    assert item["field"] == {"code": "buu-chinh", "name": "Bưu chính"}
    assert item["expected_return_at"]


def test_the_procedure_list_costs_the_same_queries_for_many_procedures(world: World) -> None:
    from .factories import make_procedure

    Client().get(f"{API}/procedures")  # the calendar is read once, then cached
    with CaptureQueriesContext(connection) as few:
        assert Client().get(f"{API}/procedures").status_code == 200
    for i in range(8):
        make_procedure(
            code=f"9.{i:06d}", name=f"Thủ tục {i}", field=world.field, agency=world.dept, division=world.division, days=3 + i
        )
    with CaptureQueriesContext(connection) as many:
        assert Client().get(f"{API}/procedures").json()["count"] == 10
    assert len(many) == len(few) <= 3  # count, page, the calendar's revision


def test_a_procedure_in_detail(world: World) -> None:
    body = Client().get(f"{API}/procedures/1.000002").json()
    assert [s["code"] for s in body["steps"]] == [
        "tiep-nhan",
        "tham-dinh",
        "lay-y-kien",
        "tong-hop",
        "truong-phong",
        "lanh-dao",
        "tra-ket-qua",
    ]
    assert {"code": "withdraw", "from_step": None}.items() <= next(a for a in body["actions"] if a["code"] == "withdraw").items()
    assert body["documents"][0]["name"] == "Đơn đề nghị"
    assert Client().get(f"{API}/procedures/0.000000").json()["code"] == "not_found"


def test_fields_list_those_in_use(world: World) -> None:
    assert Client().get(f"{API}/fields").json() == [{"code": "buu-chinh", "name": "Bưu chính"}]


# --- Dossiers: scope -------------------------------------------------------------------------------------------------


def test_dossiers_need_a_user(world: World) -> None:
    assert Client().get(f"{API}/dossiers").status_code == 401


def test_each_officer_lists_only_the_dossiers_in_scope(world: World) -> None:
    d = receive(world)
    bts = receive(world, procedure=world.bts)
    assert {i["code"] for i in client_for(world.specialist).get(f"{API}/dossiers").json()["items"]} == {d.code, bts.code}
    assert bearer(world.builder).get(f"{API}/dossiers").json()["count"] == 0  # consulted: not before its step
    act(bts, "forward", world.specialist)
    assert {i["code"] for i in bearer(world.builder).get(f"{API}/dossiers").json()["items"]} == {bts.code}
    assert client_for(world.outsider).get(f"{API}/dossiers").json()["count"] == 0
    assert client_for(world.citizen).get(f"{API}/dossiers").json()["count"] == 0


def test_a_foreign_dossier_answers_404_like_a_missing_one(world: World) -> None:
    d = receive(world)
    foreign = client_for(world.outsider).get(f"{API}/dossiers/{d.pk}")
    missing = client_for(world.outsider).get(f"{API}/dossiers/999999")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


def test_list_filters_and_queue(world: World) -> None:
    d = receive(world)
    online = submit_online(world)
    clerk = client_for(world.clerk)
    assert [i["code"] for i in clerk.get(f"{API}/dossiers", {"queue": "new"}).json()["items"]] == [online.code]
    assert [i["code"] for i in clerk.get(f"{API}/dossiers", {"q": "NGUYEN VAN DONG"}).json()["items"]] == [d.code]
    assert [i["code"] for i in clerk.get(f"{API}/dossiers", {"code": online.code}).json()["items"]] == [online.code]
    assert clerk.get(f"{API}/dossiers", {"status": "new", "channel": "online"}).json()["count"] == 1
    assert clerk.get(f"{API}/dossiers", {"procedure": "1.000002"}).json()["count"] == 0
    assert clerk.get(f"{API}/dossiers", {"queue": "nope"}).status_code == 400


def test_the_dossier_list_has_no_query_per_row(world: World) -> None:
    clerk = client_for(world.clerk)
    receive(world)
    with CaptureQueriesContext(connection) as few:
        clerk.get(f"{API}/dossiers")
    for _ in range(12):
        receive(world)
    with CaptureQueriesContext(connection) as many:
        assert clerk.get(f"{API}/dossiers").json()["count"] == 13
    assert len(many) == len(few)


def test_the_detail_shows_history_files_and_the_callers_actions(world: World) -> None:
    d = receive(world)
    body = client_for(world.specialist).get(f"{API}/dossiers/{d.pk}").json()
    assert body["status"] == "processing" and body["version"] == d.version
    assert [a["code"] for a in body["allowed_actions"]] == ["forward", "request_supplement"]
    assert [e["action"] for e in body["events"]] == ["receive", "accept"]
    assert body["files"][0]["url"] == f"/can-bo/mot-cua/tep/{body['files'][0]['id']}/"
    assert client_for(world.head).get(f"{API}/dossiers/{d.pk}").json()["allowed_actions"] == []


# --- Dossiers: writes ------------------------------------------------------------------------------------------------


def test_counter_reception_through_the_api(world: World) -> None:
    doc = world.procedure.documents.get(is_required=True)
    data = {
        "procedure": "1.000001", "applicant_name": "Công ty Bưu chính Mê Kông", "applicant_phone": "0911111111",
        "form_data": json.dumps({"ten_doanh_nghiep": "Mê Kông", "loai_hinh": "Trong nước", "so_may": "1.500"}),
        f"document_{doc.pk}": upload("don.pdf", PDF_BYTES),
    }  # fmt: skip
    response = client_for(world.clerk).post(f"{API}/dossiers", data)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"].startswith("000.20.00.H99-") and body["status"] == "processing"
    assert body["form_data"]["so_may"] == 1500
    assert DossierFile.objects.get().document == doc


def test_counter_reception_refuses_bad_input_with_field_messages(world: World) -> None:
    doc = world.procedure.documents.get(is_required=True)
    clerk = client_for(world.clerk)
    base = {
        "procedure": "1.000001",
        "applicant_name": "A",
        "form_data": json.dumps({"ten_doanh_nghiep": "x", "loai_hinh": "Trong nước"}),
    }
    missing = clerk.post(f"{API}/dossiers", base).json()
    assert missing["code"] == "validation_error" and "documents" in missing["fields"]
    fake = clerk.post(f"{API}/dossiers", {**base, f"document_{doc.pk}": upload("don.pdf", PNG_BYTES)}).json()
    assert "nội dung là ảnh PNG" in fake["fields"]["files"][0]
    bad_form = clerk.post(
        f"{API}/dossiers",
        {**base, "form_data": json.dumps({"loai_hinh": "Khác"}), f"document_{doc.pk}": upload("d.pdf", PDF_BYTES)},
    )
    assert set(bad_form.json()["fields"]) == {"form_data.ten_doanh_nghiep", "form_data.loai_hinh"}
    assert not Dossier.objects.exists()
    denied = client_for(world.specialist).post(f"{API}/dossiers", {**base, f"document_{doc.pk}": upload("d.pdf", PDF_BYTES)})
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"


def test_actions_through_the_api(world: World) -> None:
    d = receive(world)
    response = client_for(world.specialist).post(
        f"{API}/dossiers/{d.pk}/actions", {"action": "forward", "expected_version": d.version}
    )
    assert response.status_code == 200
    assert (response.json()["current_step"], response.json()["version"]) == ("Trưởng phòng xem xét", d.version + 1)


def test_a_stale_version_is_a_conflict(world: World) -> None:
    d = receive(world)
    act(d, "forward", world.specialist)
    response = client_for(world.clerk).post(
        f"{API}/dossiers/{d.pk}/actions", {"action": "withdraw", "reason": "x", "expected_version": d.version}
    )
    assert response.status_code == 409 and response.json()["code"] == "stale_version"


def test_an_action_not_in_the_current_step_is_a_conflict_and_a_missing_role_forbidden(world: World) -> None:
    d = receive(world)
    specialist, head = client_for(world.specialist), client_for(world.head)
    not_here = specialist.post(f"{API}/dossiers/{d.pk}/actions", {"action": "issue_result"})
    assert (not_here.status_code, not_here.json()["code"]) == (409, "action_not_allowed")
    assert head.post(f"{API}/dossiers/{d.pk}/actions", {"action": "forward"}).status_code == 403
    no_reason = specialist.post(f"{API}/dossiers/{d.pk}/actions", {"action": "request_supplement"})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["fields"]
    outsider = client_for(world.outsider).post(f"{API}/dossiers/{d.pk}/actions", {"action": "forward"})
    assert outsider.status_code == 404


def test_an_action_with_a_file(world: World) -> None:
    d = act(act(receive(world), "forward", world.specialist), "forward", world.head)
    response = client_for(world.leader).post(
        f"{API}/dossiers/{d.pk}/actions", {"action": "issue_result", "files": [upload("kq.pdf", PDF_BYTES)]}
    )
    assert response.status_code == 200 and response.json()["status"] == "result_ready"
    assert response.json()["events"][-1]["file_ids"] == [response.json()["files"][-1]["id"]]


def test_the_session_needs_the_csrf_token_to_write(world: World) -> None:
    d = receive(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.specialist)
    assert client.post(f"{API}/dossiers/{d.pk}/actions", {"action": "forward"}).status_code == 403


def test_an_apology_through_the_api(world: World) -> None:
    import datetime as dt

    from django.utils import timezone

    from eprovince.onestop import deadlines

    d = receive(world, now=deadlines.working_days_ago(6, 9))  # due within two working days
    assert d.due_at is not None
    new_day = timezone.localdate(d.due_at) + dt.timedelta(days=14)
    while not deadlines.is_working_day(new_day):
        new_day += dt.timedelta(days=1)
    body = (
        client_for(world.leader)
        .post(
            f"{API}/dossiers/{d.pk}/apology",
            {"reason": "Chờ kiểm tra thực tế", "new_due_date": new_day.isoformat()},
            content_type="application/json",
        )
        .json()
    )
    assert body["apology_due_at"] == f"{new_day.isoformat()}T10:00:00Z" and body["apology_reason"] == "Chờ kiểm tra thực tế"


# --- Tracking --------------------------------------------------------------------------------------------------------


def test_tracking_through_the_api(world: World, settings: object) -> None:
    settings.ONESTOP_TRACKING_ATTEMPTS = 3  # type: ignore[attr-defined]
    d = receive(world)
    client = Client()
    found = client.post(f"{API}/tracking", {"code": d.code, "contact": "0912345678"}, content_type="application/json")
    assert found.status_code == 200 and found.json()["status"] == "processing"
    assert "actor" not in json.dumps(found.json())
    wrong = client.post(f"{API}/tracking", {"code": d.code, "contact": "0900000000"}, content_type="application/json")
    unknown = client.post(f"{API}/tracking", {"code": "X", "contact": "0900000000"}, content_type="application/json")
    assert wrong.status_code == unknown.status_code == 404 and wrong.json() == unknown.json()
    throttled = client.post(f"{API}/tracking", {"code": d.code, "contact": "0912345678"}, content_type="application/json")
    assert throttled.status_code == 429 and throttled.json()["code"] == "throttled"


def test_the_endpoints_are_in_the_openapi_schema() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    paths = {p for p in schema["paths"] if "/onestop/" in p}
    assert {f"{API}/procedures", f"{API}/procedures/{{code}}", f"{API}/dossiers", f"{API}/dossiers/{{dossier_id}}",
            f"{API}/dossiers/{{dossier_id}}/actions", f"{API}/dossiers/{{dossier_id}}/apology", f"{API}/tracking"} <= paths  # fmt: skip
