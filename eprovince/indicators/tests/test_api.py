"""The indicators API: data value sets in bulk (JSON and CSV) with every bad row named and nothing saved,
reading values within one's scope, the catalogue, results and rankings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from .. import frameworks
from ..models import DataValue
from ..services import rounds
from ..services.indices import framework_install, index_inputs_save, index_subject_save
from . import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/indicators/dataValueSets"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client: Client, rows: list[dict[str, Any]]) -> Any:
    return client.post(URL, json.dumps({"dataValues": rows}), content_type="application/json")


@pytest.fixture
def round_(world: f.World):
    return f.open_round(world, world.enterprise_form, "2024S1")


def row(world: f.World, **fields: Any) -> dict[str, Any]:
    return {"dataElement": "REVENUE", "orgUnit": str(world.vnpt.pk), "period": "2024S1", "value": "252.1", **fields}


def test_a_json_data_value_set_is_saved_into_the_units_report(world: f.World, round_) -> None:
    response = post_json(
        client_for(world.officer_vnpt),
        [
            row(world),
            row(world, dataElement="SUB_MOBILE", categoryOption="VNPT", value="300000"),
            row(world, dataElement="SUB_INTERNET", value=4521, comment="Ước tính"),
        ],
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "OK", "imported": 3, "updated": 0, "deleted": 0, "ignored": 0}
    assert {v.submission.organisation_id for v in DataValue.objects.select_related("submission")} == {world.vnpt.pk}
    again = post_json(client_for(world.officer_vnpt), [row(world, value="260")])
    assert again.json()["updated"] == 1


def test_csv_is_accepted_too(world: f.World, round_) -> None:
    body = f"dataElement,categoryOption,orgUnit,period,value,comment\nREVENUE,,{world.vnpt.pk},2024S1,252.1,\nBTS,,{world.vnpt.pk},2024S1,120,mới\n"
    response = client_for(world.officer_vnpt).post(URL, body, content_type="text/csv")
    assert response.status_code == 200 and response.json()["imported"] == 2


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"dataElement": "NOPE"}, "dataElement", "Không có chỉ tiêu mã “NOPE”."),
        ({"orgUnit": "999999"}, "orgUnit", "Không có đơn vị “999999”."),
        ({"period": "2024Q9"}, "period", "không hợp lệ"),
        ({"period": "2023S1"}, "period", "Không có đợt báo cáo"),
        ({"value": "mười"}, "value", "không phải là số"),
        ({"value": "252,1"}, "value", "không phải là số"),  # machine format: a decimal point, no grouping
        ({"dataElement": "BTS", "value": "4.020"}, "value", "Phải là số nguyên"),  # 4.02, not 4020
        ({"dataElement": "BTS", "value": "-5"}, "value", "Số lượng không được âm."),
        ({"dataElement": "BTS", "value": "1.5"}, "value", "Phải là số nguyên"),
        ({"dataElement": "SUB_MOBILE", "value": "5"}, "value", "phải nhập theo từng nhóm phân tổ"),
        ({"dataElement": "SUB_MOBILE", "categoryOption": "VINAPHONE"}, "categoryOption", "không có nhóm"),
        ({"value": ""}, "value", "Thiếu giá trị"),
        ({"dataElement": ""}, "dataElement", "bắt buộc"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_saved(world: f.World, round_, fields, field, message) -> None:
    response = post_json(client_for(world.officer_vnpt), [row(world, dataElement="BTS", value="10"), row(world, **fields)])
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error" and "không giá trị nào được lưu" in body["message"]
    assert list(body["fields"]) == [f"dataValues.1.{field}"], body
    assert message in body["fields"][f"dataValues.1.{field}"][0]
    assert not DataValue.objects.exists()


def test_another_units_values_and_a_locked_report_are_refused(world: f.World, round_) -> None:
    other = post_json(client_for(world.officer_vnpt), [row(world, orgUnit=str(world.viettel.pk))])
    assert other.status_code == 400 and "dataValues.0.orgUnit" in other.json()["fields"]
    f.approved(world, world.enterprise_form, "2024S1", world.vnpt, {"REVENUE": "100"})
    locked = post_json(client_for(world.officer_vnpt), [row(world)])
    assert locked.status_code == 400
    assert "phê duyệt lúc" in locked.json()["fields"]["dataValues.0.value"][0]


def test_csv_errors_name_the_line(world: f.World, round_) -> None:
    body = f"dataElement,orgUnit,period,value\nREVENUE,{world.vnpt.pk},2024S1,252.1\nBTS,{world.vnpt.pk},2024S1,-1\n"
    response = client_for(world.officer_vnpt).post(URL, body, content_type="text/csv")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["line.3.value"]
    shifted = "dataElement,orgUnit,value\nREVENUE,1,2\n"
    response = client_for(world.officer_vnpt).post(URL, shifted, content_type="text/csv")
    assert response.status_code == 400 and "Thiếu cột: period" in response.json()["fields"]["line.1"][0]


def test_malformed_bodies_and_anonymous_callers(world: f.World, client: Client) -> None:
    assert client.post(URL, "{}", content_type="application/json").status_code == 401
    officer = client_for(world.officer_vnpt)
    assert officer.post(URL, "{not json", content_type="application/json").status_code == 400
    assert "dataValues" in officer.post(URL, json.dumps({"values": []}), content_type="application/json").json()["fields"]


def test_reading_values_is_scoped(world: f.World, round_) -> None:
    f.approved(world, world.enterprise_form, "2024S1", world.vnpt, {"REVENUE": "100"})
    f.approved(world, world.enterprise_form, "2024S1", world.viettel, {"REVENUE": "50"})
    own = client_for(world.officer_vnpt).get(URL, {"dataElement": "REVENUE"}).json()
    assert own["count"] == 1 and own["items"][0]["orgUnit"] == world.vnpt.pk and own["items"][0]["approved"] is True
    assert client_for(world.leader).get(URL, {"period": "2024S1"}).json()["count"] == 2
    assert client_for(world.leader).get(URL, {"period": "2024X"}).status_code == 400


def test_catalogue_results_and_rankings(world: f.World) -> None:
    assert Client().get("/api/v1/indicators/data-elements").json()["count"] == len(world.elements)
    f.approved(world, world.enterprise_form, "2013S2", world.vnpt, {"REVENUE": "4020"})
    from ..services.catalogue import target_set

    target_set(acting_user=None, year=2013, element=world.elements["REVENUE"], value=3941)
    results = client_for(world.leader).get("/api/v1/indicators/results", {"period": "2013"}).json()
    assert results[0]["achieved_text"] == "đạt 102% kế hoạch"
    assert client_for(world.officer_vnpt).get("/api/v1/indicators/results", {"period": "2013"}).status_code == 403
    framework = framework_install(acting_user=None, definition=frameworks.ICT_INDEX_2016, year=2019)
    subject = index_subject_save(acting_user=None, code="48", name="Đà Nẵng")
    index_inputs_save(
        acting_user=None,
        framework=framework,
        subject=subject,
        values={"HTKT_DIEM": "0.7925", "HTNL_DIEM": "0.9538", "UDCNTT_DIEM": "0.85"},
    )
    ranking = client_for(world.leader).get("/api/v1/indicators/indices/ICT_INDEX/2019").json()
    assert ranking["rows"][0]["score"] == "0.8654" and ranking["rows"][0]["rank"] == 1
    assert client_for(world.leader).get("/api/v1/indicators/indices/ICT_INDEX/2000").status_code == 404


def test_submitting_after_an_api_import(world: f.World, round_) -> None:
    post_json(
        client_for(world.officer_vnpt),
        [row(world), row(world, dataElement="SUB_INTERNET", value="10"), row(world, dataElement="SUB_BROADBAND", value="20")],
    )
    sub = f.submission(round_, world.vnpt)
    with pytest.raises(Exception, match="lỗi"):
        rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)
