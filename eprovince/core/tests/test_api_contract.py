"""The API keeps its contract: the published OpenAPI document validates, every answer is one it documents (status,
content type, body schema), errors under /api/ are always the JSON error body, and no id parameter, however large,
reaches the database as a 500.

The property-based run (schemathesis over every operation, derandomised, a bounded number of examples) is marked
`api_contract`: `pytest -m api_contract` runs this module alone."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from ninja import Router, Schema
from pydantic import create_model
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from eprovince.core.api import ID_MAX, DuplicateSchemaName, ProvinceAPI, optional_auth
from eprovince.core.models import User
from eprovince.core.services.accounts import api_token_create

pytestmark = [pytest.mark.api_contract, pytest.mark.django_db]

API = "/api/v1"
SCHEMA_URL = f"{API}/openapi.json"
ERROR_KEYS = {"code", "message", "fields"}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Examples per operation: 26 operations x (3 identities x 10 valid + 2 x 5 invalid requests) take about a minute.
MAX_EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}


@functools.cache
def _published_document() -> str:
    response = Client().get(SCHEMA_URL)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """The project's WSGI application, keeping the test's database connection between requests (as Django's test
    client does): otherwise each request closes it, and on PostgreSQL the test's transaction with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def published_schema() -> dict[str, Any]:
    """The document as /api/v1/openapi.json serves it (built once per run: it reads no data)."""
    return json.loads(_published_document())


def assert_json_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert set(body) == ERROR_KEYS, body
    return body


# --- The document ----------------------------------------------------------------------------------------------------


def test_the_published_schema_validates_against_the_openapi_3_1_meta_schema() -> None:
    schema = schemathesis.openapi.from_dict(published_schema())
    schema.validate()  # raises with the offending path (a parameter's `examples` as a list used to fail here)


def test_no_parameter_publishes_examples_as_a_list() -> None:
    for path, operations in published_schema()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                assert not isinstance(parameter.get("examples"), list), (method, path, parameter["name"])


def test_every_operation_documents_its_errors_with_the_one_error_body() -> None:
    document = published_schema()
    error_ref = {"$ref": "#/components/schemas/Error"}
    assert set(document["components"]["schemas"]["Error"]["properties"]) == ERROR_KEYS
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"401", "500"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    assert response["content"] == {"application/json": {"schema": error_ref}}, (method, path, status)


def test_two_different_schemas_under_one_name_fail_loudly() -> None:
    """ninja lets the last schema of a name win, so /me once documented the one-stop agency's fields."""
    ref_a = create_model("Ref", __base__=Schema, id=(int, ...))
    ref_b = create_model("Ref", __base__=Schema, id=(int, ...), code=(str, ...))  # the same name, another shape
    holder_a = create_model("HolderA", __base__=Schema, item=(ref_a, ...))
    holder_b = create_model("HolderB", __base__=Schema, item=(ref_b, ...))
    router = Router()
    router.get("/a", response=holder_a)(lambda request: None)
    router.get("/b", response=holder_b)(lambda request: None)
    api = ProvinceAPI(urls_namespace="api-test-duplicates", docs_url=None, auth=optional_auth())
    api.add_router("/", router)
    with pytest.raises(DuplicateSchemaName, match="'Ref'"):
        api.get_openapi_schema(path_prefix="/api/test/")


def test_the_current_user_and_organisations_match_their_published_schemas(wsgi_app: Any) -> None:
    from eprovince.core.testing import make_org, make_user

    department = make_org("Sở Khoa học và Công nghệ", short_name="SKHCN")
    division = make_org("Phòng Bưu chính, Viễn thông", parent=department)
    leader = make_user("lanhdao", ("leader", department))
    token = api_token_create(user=leader, name="contract", acting_user=leader)[1]
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, wsgi_app)
    headers = {"Authorization": f"Bearer {token}"}
    me = schema[f"{API}/me"]["GET"].Case().call_and_validate(headers=headers, checks=CHECKS)
    assert me.json()["roles"][0]["organisation"] == {"id": department.pk, "name": department.name, "short_name": "SKHCN"}
    organisations = schema[f"{API}/organisations/"]["GET"].Case().call_and_validate(headers=headers, checks=CHECKS)
    assert {item["id"] for item in organisations.json()["items"]} == {department.pk, division.pk}


# --- Errors are JSON under /api/ --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [f"{API}/nope", f"{API}/units/abc", f"{API}/units/-1", "/api/v2/units/", f"{API}/units/1/x"])
def test_unknown_api_paths_answer_the_json_error(path: str) -> None:
    body = assert_json_error(Client().get(path), 404)
    assert body["code"] == "not_found"


def test_an_unsupported_method_answers_405_in_json_with_allow() -> None:
    response = Client().delete(f"{API}/units/")
    body = assert_json_error(response, 405)
    assert body["code"] == "method_not_allowed" and response["Allow"] == "GET"


# --- Ids out of range ------------------------------------------------------------------------------------------------


def _is_integer(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "integer" or any(s.get("type") == "integer" for s in schema.get("anyOf", []))


def id_parameters() -> Iterator[tuple[str, str, str, str]]:
    """(method, path, location, name) of every integer parameter naming a record: path ids and query ids."""
    for path, operations in published_schema()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                naming = name.endswith(("_id", "Id", "Unit")) or name in {"parent", "agency", "organisation"}
                if _is_integer(parameter["schema"]) and (naming or parameter["in"] == "path"):
                    yield method.upper(), path, parameter["in"], name


OUT_OF_RANGE = [str(ID_MAX + 1), str(2**64), "99999999999999999999", "-1", "0", "abc"]


def test_the_schema_publishes_the_range_of_every_id() -> None:
    document = published_schema()
    for method, path, _location, name in id_parameters():
        operation = document["paths"][path][method.lower()]
        (parameter,) = [p for p in operation["parameters"] if p["name"] == name]
        schemas = [parameter["schema"], *parameter["schema"].get("anyOf", [])]
        integer = next(s for s in schemas if s.get("type") == "integer")
        if name.endswith(("_id", "Id", "Unit")) or name in {"parent", "agency", "organisation"}:
            assert (integer.get("minimum"), integer.get("maximum")) == (1, ID_MAX), (method, path, name)


def test_every_id_parameter_out_of_range_is_404_in_a_path_and_400_in_a_query(django_user_model: type[User]) -> None:
    """The review's repro: ?orgUnit=99999999999999999999 and /units/?parent=<huge> answered 500 (integer overflow)."""
    admin = django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-rat-dai-2026")
    client = Client()
    client.force_login(admin)
    checked = 0
    for method, path, location, name in id_parameters():
        for value in OUT_OF_RANGE:
            url = path
            for other in {p.split("}")[0] for p in path.split("{")[1:]}:
                url = url.replace("{" + other + "}", value if (location, other) == ("path", name) else "1")
            query = {name: value} if location == "query" else {}
            if path.endswith("/results"):
                query["period"] = "2024"
            if method == "GET":
                response = client.get(url, query)
            else:  # a write naming a missing dossier: no body needed to find that out
                response = client.generic(method, url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""))
            context = (method, path, name, value, response.content[:200])
            if location == "path" and name.endswith("_id"):
                assert_json_error(response, 404)
            elif location == "path":  # a number that is not an id (a year): refused or not found, never a crash
                assert response.status_code in {400, 404} and set(response.json()) == ERROR_KEYS, context
            else:
                body = assert_json_error(response, 400)
                assert name in body["fields"], context
            checked += 1
    assert checked >= 8 * len(OUT_OF_RANGE)  # organisation, 2 unit, 3 dossier path ids; parent x2, agency, orgUnit...


def test_the_largest_id_is_simply_not_found(django_user_model: type[User]) -> None:
    assert_json_error(Client().get(f"{API}/units/{ID_MAX}"), 404)
    assert Client().get(f"{API}/units/", {"parent": ID_MAX}).json() == {"count": 0, "items": []}


# --- The property-based run -------------------------------------------------------------------------------------------


@pytest.fixture
def demo() -> dict[str, str]:
    """The demo data (about 15 s) and a bearer token for a leader and for a citizen."""
    call_command("load_demo", stdout=io.StringIO())
    tokens = {}
    for username in ("lanhdao", "congdan"):
        user = User.objects.get(username=username)
        tokens[username] = api_token_create(user=user, name="contract", acting_user=user)[1]
    return tokens


def run_contract(app: Any, headers: dict[str, str], mode: GenerationMode = GenerationMode.POSITIVE) -> list[str]:
    """Every operation, MAX_EXAMPLES generated requests each (valid ones, or in NEGATIVE mode requests the schema
    says are invalid: an id past its maximum, a string for a number...), every check: the failures, one each."""
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=MAX_EXAMPLES[mode],
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def exercise(case: Any) -> None:
            with transaction.atomic():  # a write the generator got right is undone: each example starts equal
                case.call_and_validate(headers=headers, checks=CHECKS)
                transaction.set_rollback(True)

        try:
            exercise()
        except Unsatisfiable:  # nothing in this operation can be made invalid (no parameters, any string is valid)
            continue
        except (Exception, BaseExceptionGroup) as exc:  # collected: one run reports every operation's failures
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    return failures


def test_schemathesis_finds_nothing_for_a_leader_a_citizen_or_anonymously(demo: dict[str, str], wsgi_app: Any) -> None:
    identities = {
        "leader": {"Authorization": f"Bearer {demo['lanhdao']}"},
        "citizen": {"Authorization": f"Bearer {demo['congdan']}"},
        "anonymous": {},
    }
    failures = {name: run_contract(wsgi_app, headers) for name, headers in identities.items()}
    for name in ("leader", "anonymous"):
        failures[f"{name}, invalid requests"] = run_contract(wsgi_app, identities[name], GenerationMode.NEGATIVE)
    assert failures == {name: [] for name in failures}, json.dumps(failures, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("page", [str(2**64), "510668266085239226368"])
def test_a_page_no_offset_can_reach_is_refused_naming_the_parameter(page: str) -> None:
    """Schemathesis found it: /news/?page=510668266085239226368 overflowed in the database."""
    body = assert_json_error(Client().get(f"{API}/news/", {"page": page}), 400)
    assert list(body["fields"]) == ["page"]


def test_a_failure_outside_the_api_handlers_is_still_the_json_error() -> None:
    """A middleware failing under /api/ reaches Django's handler500, not ninja's: it answers the same body."""
    from django.test import RequestFactory

    from eprovince.core.views import server_error

    body = assert_json_error(server_error(RequestFactory().get(f"{API}/units/")), 500)
    assert body["code"] == "server_error"
    assert server_error(RequestFactory().get("/tin-tuc/"))["Content-Type"].startswith("text/html")


def test_a_missing_trailing_slash_still_redirects_to_the_endpoint() -> None:
    response = Client().get(f"{API}/units", {"level": "province"})
    assert response.status_code == 301 and response["Location"] == f"{API}/units/?level=province"
    assert_json_error(Client().get(f"{API}/nowhere"), 404)
