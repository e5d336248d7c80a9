"""/api/v1/units/: units valid on a date, one unit with its history, its successors on a date."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from eprovince.core.constants import UnitLevel
from eprovince.core.demo_units import DEMO_PROVINCE_CODE, load_demo_units
from eprovince.core.models import AdminUnit
from eprovince.core.services.units import REFORM_DATE

pytestmark = pytest.mark.django_db

API = "/api/v1/units"


@pytest.fixture
def an_giang() -> dict[str, AdminUnit]:
    load_demo_units()
    legacy = AdminUnit.objects.filter(valid_from=None)
    return {
        "new": AdminUnit.objects.get(level=UnitLevel.PROVINCE, code=DEMO_PROVINCE_CODE, valid_from=REFORM_DATE),
        "old": legacy.get(level=UnitLevel.PROVINCE, code="89"),
        "kien_giang": legacy.get(level=UnitLevel.PROVINCE, code="91"),
        "tan_chau": legacy.get(level=UnitLevel.DISTRICT, code="887"),
    }


def get(client: Client, path: str, params: dict[str, Any] | None = None, status: int = 200) -> Any:
    response = client.get(f"{API}{path}", params or {})
    assert response.status_code == status, response.content
    return response.json()


def full_names(items: list[dict[str, Any]]) -> list[str]:
    return [item["full_name"] for item in items]


def test_list_defaults_to_the_units_valid_today(client: Client, an_giang: dict[str, AdminUnit]) -> None:
    body = get(client, "/", {"level": "province"})
    assert body["count"] == 1
    (item,) = body["items"]
    assert item == {
        "id": an_giang["new"].pk,
        "code": "91",
        "name": "An Giang",
        "full_name": "Tỉnh An Giang",
        "kind": "Tỉnh",
        "level": "province",
        "parent": None,
        "valid_from": "2025-07-01",
        "valid_to": None,
    }


def test_list_on_a_past_date_under_a_parent(client: Client, an_giang: dict[str, AdminUnit]) -> None:
    body = get(client, "/", {"on": "2009-01-15", "parent": an_giang["old"].pk})
    assert body["count"] == 11
    assert "Thị xã Tân Châu" in full_names(body["items"])
    assert {item["parent"]["full_name"] for item in body["items"]} == {"Tỉnh An Giang"}
    assert {item["valid_to"] for item in body["items"]} == {"2025-06-30"}


def test_list_is_paginated_with_a_bounded_number_of_queries(
    client: Client, an_giang: dict[str, AdminUnit], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        body = get(client, "/", {"parent": an_giang["new"].pk, "page": 2, "page_size": 40})
    assert body["count"] == 102
    assert len(body["items"]) == 40
    assert {item["level"] for item in body["items"]} == {"commune"}


def test_search_without_diacritics(client: Client, an_giang: dict[str, AdminUnit]) -> None:
    body = get(client, "/", {"q": "kien giang", "on": "2020-01-01"})
    assert body["items"][0]["full_name"] == "Tỉnh Kiên Giang"
    assert full_names(get(client, "/", {"q": "tan chau"})["items"]) == ["Phường Tân Châu"]


@pytest.mark.parametrize("params", [{"on": "15/01/2009"}, {"on": "2009-02-30"}, {"level": "hamlet"}, {"parent": "x"}])
def test_malformed_parameters_are_refused(client: Client, params: dict[str, str]) -> None:
    response = client.get(f"{API}/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error" and set(body["fields"]) == set(params)


def test_detail_of_the_new_province_names_its_predecessors(client: Client, an_giang: dict[str, AdminUnit]) -> None:
    body = get(client, f"/{an_giang['new'].pk}")
    assert body["full_name"] == "Tỉnh An Giang" and body["parent"] is None
    assert sorted(link["unit"]["full_name"] for link in body["predecessors"]) == ["Tỉnh An Giang", "Tỉnh Kiên Giang"]
    assert {(link["effective_on"], link["partial"]) for link in body["predecessors"]} == {("2025-07-01", False)}
    assert all("202/2025/QH15" in link["legal_basis"] for link in body["predecessors"])
    assert body["successors"] == []


def test_detail_of_a_former_district(client: Client, an_giang: dict[str, AdminUnit], django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(3):
        body = get(client, f"/{an_giang['tan_chau'].pk}")
    assert (body["kind"], body["name"], body["valid_to"]) == ("Thị xã", "Tân Châu", "2025-06-30")
    assert body["parent"]["id"] == an_giang["old"].pk
    assert body["predecessors"] == []
    assert "Phường Tân Châu" in [link["unit"]["full_name"] for link in body["successors"]]
    assert all(link["partial"] for link in body["successors"])
    assert {link["unit"]["parent"]["id"] for link in body["successors"]} == {an_giang["new"].pk}


def test_successors_on_a_date(client: Client, an_giang: dict[str, AdminUnit]) -> None:
    body = get(client, f"/{an_giang['tan_chau'].pk}/successors")
    assert body["unit"]["full_name"] == "Thị xã Tân Châu"
    assert {"Phường Tân Châu", "Phường Long Phú"} <= set(full_names(body["items"]))
    assert {item["parent"]["id"] for item in body["items"]} == {an_giang["new"].pk}

    past = get(client, f"/{an_giang['tan_chau'].pk}/successors", {"on": "2009-01-15"})
    assert past["on"] == "2009-01-15" and full_names(past["items"]) == ["Thị xã Tân Châu"]
    province = get(client, f"/{an_giang['kien_giang'].pk}/successors", {"on": "2026-01-01"})
    assert [item["id"] for item in province["items"]] == [an_giang["new"].pk]


def test_unknown_unit_is_404(client: Client, an_giang: dict[str, AdminUnit]) -> None:
    assert client.get(f"{API}/999999").status_code == 404
    assert client.get(f"{API}/999999/successors").status_code == 404
    assert client.get(f"{API}/{an_giang['new'].pk}/successors", {"on": "nope"}).status_code == 400


def test_openapi_documents_the_units_endpoints(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in schema["paths"][f"{API}/"]["get"]["parameters"]}
    assert {"on", "level", "parent", "q", "page", "page_size"} <= set(params)
    assert params["on"]["description"]
    assert f"{API}/{{unit_id}}/successors" in schema["paths"]
