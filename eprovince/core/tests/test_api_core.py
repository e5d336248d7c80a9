"""The /api/v1/ foundation: schema and docs, authentication, organisations, the current user."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from eprovince.core.constants import OrganisationKind, Role, UnitLevel
from eprovince.core.models import AdminUnit, ApiToken, Organisation, User
from eprovince.core.services.accounts import api_token_create, api_token_revoke, role_grant, user_create
from eprovince.core.services.organisations import organisation_create
from eprovince.core.text import fold

pytestmark = pytest.mark.django_db

API = "/api/v1"


# --- State, built through the services ------------------------------------------------------------------------------


@pytest.fixture
def province() -> AdminUnit:
    # Units are reference data loaded from the statistics office's list; there is no service to create one.
    return AdminUnit.objects.create(
        code="87", name="Đồng Tháp", kind="Tỉnh", level=UnitLevel.PROVINCE, search_name=fold("Đồng Tháp")
    )


@pytest.fixture
def orgs(province: AdminUnit) -> dict[str, Organisation]:
    ubnd = organisation_create(
        acting_user=None,
        name="Ủy ban nhân dân tỉnh Đồng Tháp",
        short_name="UBND tỉnh",
        kind=OrganisationKind.PEOPLES_COMMITTEE,
        admin_unit=province,
        electronic_code="000.00.00.H20",
    )
    khcn = organisation_create(
        acting_user=None,
        name="Sở Khoa học và Công nghệ",
        short_name="Sở KH&CN",
        kind=OrganisationKind.DEPARTMENT,
        parent=ubnd,
        electronic_code="000.20.00.H20",
        valid_from=dt.date(2025, 3, 1),
        address="12 Đường 30/4, Cao Lãnh",
    )
    tttt = organisation_create(
        acting_user=None,
        name="Sở Thông tin và Truyền thông",
        short_name="Sở TT&TT",
        kind=OrganisationKind.DEPARTMENT,
        parent=ubnd,
        electronic_code="000.21.00.H20",
        valid_from=dt.date(2008, 4, 1),
        valid_to=dt.date(2025, 2, 28),
        successor=khcn,
        tax_code="1400000000",
    )
    cds = organisation_create(
        acting_user=None,
        name="Phòng Công nghệ thông tin và Chuyển đổi số",
        short_name="Phòng CĐS",
        kind=OrganisationKind.DIVISION,
        parent=khcn,
        valid_from=dt.date(2025, 3, 1),
    )
    vnpt = organisation_create(acting_user=None, name="VNPT Đồng Tháp", short_name="VNPT", kind=OrganisationKind.ENTERPRISE)
    return {"ubnd": ubnd, "khcn": khcn, "tttt": tttt, "cds": cds, "vnpt": vnpt}


@pytest.fixture
def lan(orgs: dict[str, Organisation]) -> User:
    """Nguyễn Thị Lan, specialist of the digital transformation division, editor for the department."""
    user = user_create(acting_user=None, username="lan", password="mat-khau-rat-dai-2025", full_name="Nguyễn Thị Lan")
    role_grant(user=user, role=Role.SPECIALIST, organisation=orgs["cds"], acting_user=None)
    role_grant(user=user, role=Role.EDITOR, organisation=orgs["khcn"], acting_user=None)
    return user


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def assert_error(response: Any, status: int, code: str, *, django_level: bool = False) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    if django_level:
        # URLs that match no route are answered by the project's handler404, which leaves "fields" out.
        assert isinstance(body.get("fields", {}), dict)
    else:
        assert isinstance(body["fields"], dict)
    return body


# --- Schema and docs ---------------------------------------------------------------------------------------------------


def test_openapi_schema_is_json_listing_paths_security_and_errors(client: Client) -> None:
    response = client.get(f"{API}/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {f"{API}/organisations/", f"{API}/organisations/{{organisation_id}}", f"{API}/me"} <= set(schema["paths"])
    assert set(schema["components"]["securitySchemes"]) == {"BearerToken", "SessionCookie"}
    listing = schema["paths"][f"{API}/organisations/"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"q", "kind", "parent", "on", "page", "page_size"}
    assert {} in listing["security"]  # anonymous access is allowed
    assert listing["responses"]["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "422" not in listing["responses"]
    assert set(schema["components"]["schemas"]["PagedOrganisationOut"]["properties"]) == {"items", "count"}
    me = schema["paths"][f"{API}/me"]["get"]
    assert {} not in me["security"]
    assert "401" in me["responses"]
    assert "404" in schema["paths"][f"{API}/organisations/{{organisation_id}}"]["get"]["responses"]


def test_docs_page_loads_swagger_from_own_static_files(client: Client) -> None:
    response = client.get(f"{API}/docs")

    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert "/static/ninja/swagger-ui-bundle.js" in urls
    assert "/static/ninja/swagger-ui.css" in urls
    assert not [u for u in urls if re.match(r"^(https?:)?//", u)], urls
    assert not re.search(r"<script[^>]+src=[\"'](https?:)?//", html)
    assert all(finders.find(u.removeprefix("/static/")) for u in urls if u.startswith("/static/"))
    settings_json = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert settings_json["validatorUrl"] is None  # no call to validator.swagger.io
    assert settings_json["url"] == f"{API}/openapi.json"


# --- Authentication ----------------------------------------------------------------------------------------------------


def test_me_with_bearer_token_lists_roles_and_scopes(client: Client, lan: User, orgs: dict[str, Organisation]) -> None:
    _token, raw = api_token_create(user=lan, name="Ứng dụng báo cáo", acting_user=lan)

    response = client.get(f"{API}/me", **bearer(raw))

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "lan"
    assert body["full_name"] == "Nguyễn Thị Lan"
    assert body["is_superuser"] is False
    roles = {(r["role"], r["organisation"]["id"]) for r in body["roles"]}
    assert roles == {(Role.SPECIALIST.value, orgs["cds"].pk), (Role.EDITOR.value, orgs["khcn"].pk)}
    assert {r["label"] for r in body["roles"]} == {"Chuyên viên", "Biên tập viên"}


def test_bearer_token_use_is_recorded_at_most_once_a_minute(client: Client, lan: User, django_assert_num_queries: Any) -> None:
    token, raw = api_token_create(user=lan, name="CI", acting_user=lan)
    assert token.last_used_at is None

    client.get(f"{API}/me", **bearer(raw))
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    with django_assert_num_queries(2):  # the token with its user, the roles; no UPDATE this time
        assert client.get(f"{API}/me", **bearer(raw)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first_use


def test_revoked_token_is_refused_with_401(client: Client, lan: User) -> None:
    token, raw = api_token_create(user=lan, name="Cũ", acting_user=lan)
    api_token_revoke(token=token, acting_user=lan)

    body = assert_error(client.get(f"{API}/me", **bearer(raw)), 401, "unauthenticated")

    assert "thu hồi" in body["message"]


def test_expired_token_is_refused_with_401(client: Client, lan: User) -> None:
    _token, raw = api_token_create(user=lan, name="Hết hạn", acting_user=lan, expires_at=timezone.now() - dt.timedelta(minutes=1))

    response = client.get(f"{API}/me", **bearer(raw))

    assert_error(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_of_deactivated_user_is_refused(client: Client, lan: User) -> None:
    _token, raw = api_token_create(user=lan, name="Ứng dụng", acting_user=lan)
    User.objects.filter(pk=lan.pk).update(is_active=False)

    assert_error(client.get(f"{API}/me", **bearer(raw)), 401, "unauthenticated")


@pytest.mark.parametrize("header", ["Bearer ep_khong-ton-tai", "Bearer ", "bearer " + "x" * 500])
def test_garbage_token_is_refused_even_on_public_endpoints(client: Client, orgs: dict[str, Organisation], header: str) -> None:
    assert_error(client.get(f"{API}/me", HTTP_AUTHORIZATION=header), 401, "unauthenticated")
    # Public data is open to anonymous callers, but wrong credentials are an error, not a silent downgrade.
    assert_error(client.get(f"{API}/organisations/", HTTP_AUTHORIZATION=header), 401, "unauthenticated")


def test_token_digest_only_is_stored(lan: User) -> None:
    token, raw = api_token_create(user=lan, name="Ứng dụng", acting_user=lan)

    assert ApiToken.objects.filter(digest=ApiToken.digest_of(raw)).get() == token
    assert not ApiToken.objects.filter(digest=raw).exists()


def test_me_requires_credentials(client: Client) -> None:
    response = client.get(f"{API}/me")

    assert_error(response, 401, "unauthenticated")


def test_me_with_session(client: Client, lan: User) -> None:
    client.force_login(lan)

    response = client.get(f"{API}/me")

    assert response.status_code == 200
    assert response.json()["username"] == "lan"


def test_session_of_deactivated_user_is_anonymous(client: Client, lan: User) -> None:
    client.force_login(lan)
    User.objects.filter(pk=lan.pk).update(is_active=False)

    assert_error(client.get(f"{API}/me"), 401, "unauthenticated")


def test_public_endpoints_need_no_credentials(client: Client, orgs: dict[str, Organisation]) -> None:
    assert client.get(f"{API}/organisations/").status_code == 200
    assert client.get(f"{API}/organisations/{orgs['khcn'].pk}").status_code == 200


# --- Organisations -----------------------------------------------------------------------------------------------------


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_organisation_list_is_paginated_in_tree_order(client: Client, orgs: dict[str, Organisation]) -> None:
    first = client.get(f"{API}/organisations/", {"page_size": 2}).json()
    second = client.get(f"{API}/organisations/", {"page_size": 2, "page": 2}).json()

    assert first["count"] == second["count"] == 5
    assert [i["name"] for i in first["items"]] == ["Ủy ban nhân dân tỉnh Đồng Tháp", "Sở Khoa học và Công nghệ"]
    assert [i["name"] for i in second["items"]] == ["Phòng Công nghệ thông tin và Chuyển đổi số", "Sở Thông tin và Truyền thông"]
    item = first["items"][0]
    assert item["kind"] == "peoples_committee"
    assert item["kind_label"] == "Ủy ban nhân dân"
    assert item["admin_unit"]["name"] == "Tỉnh Đồng Tháp"
    assert item["parent"] is None
    assert first["items"][1]["parent"]["id"] == orgs["ubnd"].pk


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("so thong tin truyen thong", ["Sở Thông tin và Truyền thông"]),
        ("TRUYỀN THÔNG", ["Sở Thông tin và Truyền thông"]),
        # Every word, in any order: both have "sở"/"số" and "thông tin".
        ("thong tin so", ["Phòng Công nghệ thông tin và Chuyển đổi số", "Sở Thông tin và Truyền thông"]),
        ("dong thap", ["Ủy ban nhân dân tỉnh Đồng Tháp", "VNPT Đồng Tháp"]),
        ("chuyen doi so", ["Phòng Công nghệ thông tin và Chuyển đổi số"]),
        ("Chuyển đổi số", ["Phòng Công nghệ thông tin và Chuyển đổi số"]),
        ("cds", ["Phòng Công nghệ thông tin và Chuyển đổi số"]),  # the short name counts too
        ("000.21", ["Sở Thông tin và Truyền thông"]),  # the electronic code
        ("khong co dau", []),
    ],
)
def test_organisation_search_ignores_diacritics(
    client: Client, orgs: dict[str, Organisation], q: str, expected: list[str]
) -> None:
    # Which organisations match; their order is the tree's (by the path of ids), whose order between siblings
    # depends on the ids the database handed out, so it is not what this test is about.
    assert sorted(names(client.get(f"{API}/organisations/", {"q": q}))) == sorted(expected)


def test_organisation_filters(client: Client, orgs: dict[str, Organisation]) -> None:
    url = f"{API}/organisations/"
    assert names(client.get(url, {"kind": "enterprise"})) == ["VNPT Đồng Tháp"]
    assert names(client.get(url, {"parent": orgs["ubnd"].pk})) == ["Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông"]
    # On 1 January 2025 the department of information existed; its successor did not yet.
    on_2025 = names(client.get(url, {"on": "2025-01-01", "kind": "department"}))
    assert on_2025 == ["Sở Thông tin và Truyền thông"]
    assert names(client.get(url, {"on": "2025-03-01", "kind": "department"})) == ["Sở Khoa học và Công nghệ"]
    # The last day of validity is included.
    assert names(client.get(url, {"on": "2025-02-28", "kind": "department"})) == ["Sở Thông tin và Truyền thông"]
    # Empty parameters, as an HTML form sends them, are no filter.
    assert len(names(client.get(url, {"q": "", "kind": "", "parent": "", "on": ""}))) == 5


def test_organisation_detail(client: Client, orgs: dict[str, Organisation], province: AdminUnit) -> None:
    response = client.get(f"{API}/organisations/{orgs['khcn'].pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Sở Khoa học và Công nghệ"
    assert body["electronic_code"] == "000.20.00.H20"
    assert body["parent"] == {"id": orgs["ubnd"].pk, "name": "Ủy ban nhân dân tỉnh Đồng Tháp", "short_name": "UBND tỉnh"}
    assert body["valid_from"] == "2025-03-01"
    assert body["valid_to"] is None
    assert body["successor"] is None
    assert [p["id"] for p in body["predecessors"]] == [orgs["tttt"].pk]
    assert body["children_count"] == 1
    assert body["address"] == "12 Đường 30/4, Cao Lãnh"

    old = client.get(f"{API}/organisations/{orgs['tttt'].pk}").json()
    assert old["successor"]["id"] == orgs["khcn"].pk
    assert old["valid_to"] == "2025-02-28"
    assert old["predecessors"] == []
    assert {"tax_code", "path", "search_name", "positions"}.isdisjoint(old)

    ubnd = client.get(f"{API}/organisations/{orgs['ubnd'].pk}").json()
    assert ubnd["admin_unit"] == {"id": province.pk, "code": "87", "name": "Tỉnh Đồng Tháp"}
    assert ubnd["children_count"] == 2


def test_unknown_organisation_is_404_json(client: Client, orgs: dict[str, Organisation]) -> None:
    missing = Organisation.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]

    assert_error(client.get(f"{API}/organisations/{missing}"), 404, "not_found")
    assert_error(client.get(f"{API}/organisations/not-a-number"), 404, "not_found", django_level=True)


def test_unknown_api_url_is_404_json(client: Client) -> None:
    assert_error(client.get(f"{API}/no-such-thing/"), 404, "not_found", django_level=True)
    assert_error(client.get("/api/v2/organisations/"), 404, "not_found", django_level=True)


# --- Malformed requests ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"on": "notadate"}, "on", "YYYY-MM-DD"),
        ({"on": "2025-02-30"}, "on", "YYYY-MM-DD"),
        ({"page": "abc"}, "page", "số nguyên"),
        ({"page": "0"}, "page", "lớn hơn hoặc bằng 1"),
        ({"page_size": "1000"}, "page_size", "nhỏ hơn hoặc bằng 200"),
        ({"kind": "bogus"}, "kind", "department"),
        ({"parent": "mot"}, "parent", "số nguyên"),
    ],
)
def test_malformed_query_is_400_naming_the_field(client: Client, params: dict[str, str], field: str, message: str) -> None:
    body = assert_error(client.get(f"{API}/organisations/", params), 400, "validation_error")

    assert body["message"] == "Dữ liệu không hợp lệ."
    assert list(body["fields"]) == [field]
    assert message in body["fields"][field][0]


def test_page_beyond_the_end_is_empty(client: Client, orgs: dict[str, Organisation]) -> None:
    body = client.get(f"{API}/organisations/", {"page": 99}).json()

    assert body == {"count": 5, "items": []}


# --- Query counts ------------------------------------------------------------------------------------------------------


def test_organisation_list_queries_do_not_grow_with_rows(
    client: Client, orgs: dict[str, Organisation], django_assert_num_queries: Any
) -> None:
    for i in range(10):
        organisation_create(acting_user=None, name=f"Phòng {i}", kind=OrganisationKind.DIVISION, parent=orgs["khcn"])

    with django_assert_num_queries(2):  # count, then one page with parents and units joined
        response = client.get(f"{API}/organisations/", {"page_size": 50})
    assert len(response.json()["items"]) == 15

    with django_assert_num_queries(2):
        client.get(f"{API}/organisations/", {"q": "phong", "on": "2025-06-01"})


def test_organisation_list_queries_with_token(
    client: Client, orgs: dict[str, Organisation], lan: User, django_assert_num_queries: Any
) -> None:
    _token, raw = api_token_create(user=lan, name="Ứng dụng", acting_user=lan)
    client.get(f"{API}/organisations/", **bearer(raw))  # first use records last_used_at

    with django_assert_num_queries(3):  # the token with its user, count, page
        client.get(f"{API}/organisations/", **bearer(raw))


def test_organisation_detail_queries(client: Client, orgs: dict[str, Organisation], django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):  # the organisation with its relations and children count, its predecessors
        client.get(f"{API}/organisations/{orgs['khcn'].pk}")
