"""One schema per audience: the applicant reading their own dossier through the API gets exactly what their page
"Hồ sơ của tôi" shows (public events with the reasons meant for them, no officers' names, no internal notes or
files), described in the OpenAPI schema; an officer gets the officer's schema."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from eprovince.core.models import User
from eprovince.onestop.models import Dossier
from eprovince.onestop.services.dossiers import Upload
from eprovince.onestop.services.online import dossier_online_submit

from .factories import SITE, World, act, complete_draft, pdf, sign_up

pytestmark = [pytest.mark.django_db, pytest.mark.urls("eprovince.onestop.tests.urls")]
API = "/api/v1/onestop"

INTERNAL_NOTE = "Ghi chú nội bộ: đề nghị kiểm tra lại năng lực tài chính"
RETURN_REASON = "Trả lại chuyên viên: thiếu biên bản thẩm định thực tế"
INTERNAL_FILE = "y-kien-tham-dinh-noi-bo.pdf"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def handled(world: World) -> tuple[User, Dossier]:
    """An online dossier accepted by the clerk, forwarded by the specialist with an internal note and an internal
    opinion file, returned by the division head with an internal reason, then asked for a supplement."""
    business = sign_up()
    d = dossier_online_submit(dossier=complete_draft(world, business), acting_user=business, site_url=SITE)
    d = act(d, "accept", world.clerk)
    d = act(d, "forward", world.specialist, reason=INTERNAL_NOTE, uploads=[Upload(file=pdf(INTERNAL_FILE))])
    d = act(d, "return", world.head, reason=RETURN_REASON)
    d = act(d, "request_supplement", world.specialist, reason="Bổ sung bản sao giấy phép kinh doanh")
    return business, d


def page_text(client: Client, d: Dossier) -> str:
    response = client.get(f"/ho-so-cua-toi/{d.code}/")
    assert response.status_code == 200
    return response.content.decode()


# --- The leak, and the page as the reference ---------------------------------------------------------------------------


def test_the_applicant_api_shows_no_internal_reason_file_or_officer_name(world: World) -> None:
    business, d = handled(world)
    client = client_for(business)
    response = client.get(f"{API}/dossiers/{d.pk}")
    assert response.status_code == 200
    body, raw = response.json(), response.content.decode()
    assert body["audience"] == "applicant" and body["code"] == d.code
    page = page_text(client, d)
    for secret in (INTERNAL_NOTE, RETURN_REASON, INTERNAL_FILE, "Phạm Quốc Bảo", str(world.head), "actor_name", "file_ids"):
        assert secret not in raw, secret
        assert secret not in page, secret
    # The officer reads them (their own schema).
    officer = client_for(world.specialist).get(f"{API}/dossiers/{d.pk}").json()
    assert officer["audience"] == "officer"
    assert {e["reason"] for e in officer["events"]} >= {INTERNAL_NOTE, RETURN_REASON}
    assert INTERNAL_FILE in {f["original_name"] for f in officer["files"]}


def test_the_applicant_api_shows_what_the_page_shows(world: World) -> None:
    business, d = handled(world)
    client = client_for(business)
    body = client.get(f"{API}/dossiers/{d.pk}").json()
    page = page_text(client, d)
    timeline = page.split('id="history-title"', 1)[1].split("</ol>", 1)[0]
    assert len(body["events"]) == timeline.count("<li>") == len(re.findall(r"<time ", timeline))
    for event in body["events"]:
        assert event["label"] in timeline
        if event["reason"]:
            assert event["reason"] in timeline
        if event["organisation_name"]:
            assert event["organisation_name"] in timeline
    assert [e["reason"] for e in body["events"] if e["reason"]] == ["Bổ sung bản sao giấy phép kinh doanh"]
    assert body["supplement_request"]["reason"] == "Bổ sung bản sao giấy phép kinh doanh" and body["paused"] is True
    files_section = page.split('id="files-title"', 1)[1].split("</section>", 1)[0]
    assert {f["original_name"] for f in body["files"]} == set(re.findall(r'tep/\d+/">([^<]+)</a>', files_section))
    assert {f["url"] for f in body["files"]} == set(re.findall(r'href="(/ho-so-cua-toi/tep/\d+/)"', files_section))
    for f in body["files"]:
        assert client.get(f["url"]).status_code == 200
    assert body["results"] == [] and body["expected_return_at"] is None  # paused, as the page says
    assert body["receiving_agency"]["name"] in page and body["receipt_url"] in page
    # The fee as the page shows it: no collection account, so no transfer details, "pay at the counter".
    assert body["payment"]["amount"] == 1_500_000 and body["payment"]["status"] == "pending"
    assert (body["payment"]["account"], body["payment"]["reference"], body["payment"]["vietqr_payload"]) == (None, "", "")
    assert "Vui lòng nộp phí, lệ phí tại bộ phận một cửa" in page
    # The list is the officers' queue, in the officers' schema: not the applicant's.
    assert client.get(f"{API}/dossiers").json()["count"] == 0
    # Another applicant does not learn the dossier exists.
    assert client_for(world.citizen).get(f"{API}/dossiers/{d.pk}").status_code == 404


def test_the_result_reaches_the_applicant_but_not_the_officers_opinions(world: World) -> None:
    business, d = handled(world)
    d = act(d, "receive_supplement", world.clerk, uploads=[Upload(file=pdf("bo-sung.pdf"))])
    d = act(d, "forward", world.specialist)
    from eprovince.onestop.services.payments import payment_confirm

    payment_confirm(dossier=d, acting_user=world.clerk, method="cash", transaction_reference="BL-0001")
    d = act(Dossier.objects.get(pk=d.pk), "forward", world.head)
    d = act(d, "issue_result", world.leader, uploads=[Upload(file=pdf("giay-phep.pdf"))])
    body = client_for(business).get(f"{API}/dossiers/{d.pk}").json()
    assert [f["original_name"] for f in body["results"]] == ["giay-phep.pdf"]
    assert "bo-sung.pdf" in {f["original_name"] for f in body["files"]}
    names = {f["original_name"] for f in body["files"] + body["results"]}
    assert INTERNAL_FILE not in names and body["status"] == "result_ready"
    assert client_for(business).get(body["results"][0]["url"]).status_code == 200


# --- The OpenAPI schema describes both audiences -----------------------------------------------------------------------


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _conforms(value: Any, schema: dict[str, Any], components: dict[str, Any], where: str = "$") -> None:
    """`value` matches `schema` (the subset of JSON Schema pydantic writes): every key documented, the required ones
    present, the types right."""
    schema = _resolve(schema, components)
    for alternatives in ("anyOf", "oneOf"):
        if alternatives in schema:
            errors = []
            for option in schema[alternatives]:
                try:
                    _conforms(value, option, components, where)
                except AssertionError as exc:
                    errors.append(str(exc))
            matched = len(schema[alternatives]) - len(errors)
            assert matched >= 1 if alternatives == "anyOf" else matched == 1, (where, errors)
            return
    kind = schema.get("type")
    if "const" in schema:
        assert value == schema["const"], where
    if kind == "null":
        assert value is None, where
    elif kind == "object":
        assert isinstance(value, dict), where
        properties = schema.get("properties", {})
        if "properties" in schema and not schema.get("additionalProperties"):
            assert set(value) <= set(properties), (where, set(value) - set(properties))
        assert set(schema.get("required", [])) <= set(value), where
        for key, item in value.items():
            if key in properties:
                _conforms(item, properties[key], components, f"{where}.{key}")
    elif kind == "array":
        assert isinstance(value, list), where
        for i, item in enumerate(value):
            _conforms(item, schema.get("items", {}), components, f"{where}[{i}]")
    elif kind in ("string", "integer", "number", "boolean"):
        types = {"string": str, "integer": int, "number": (int, float), "boolean": bool}[kind]
        assert isinstance(value, types) and (kind == "boolean" or not isinstance(value, bool)), where


def test_both_audiences_are_documented_and_each_answer_matches_its_schema(world: World) -> None:
    business, d = handled(world)
    schema = Client().get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    declared = schema["paths"][f"{API}/dossiers/{{dossier_id}}"]["get"]["responses"]["200"]["content"]["application/json"]
    refs = {option["$ref"].rsplit("/", 1)[1] for option in declared["schema"]["oneOf"]}
    assert refs == {"DossierDetailOut", "ApplicantDossierOut"}
    applicant = client_for(business).get(f"{API}/dossiers/{d.pk}").json()
    officer = client_for(world.specialist).get(f"{API}/dossiers/{d.pk}").json()
    _conforms(applicant, declared["schema"], components)
    _conforms(officer, declared["schema"], components)
    _conforms(applicant, {"$ref": "#/components/schemas/ApplicantDossierOut"}, components)
    assert set(applicant) == set(components["ApplicantDossierOut"]["properties"])
    documented = components["ApplicantDossierOut"]["properties"]
    assert all(documented[key].get("description") or "$ref" in documented[key] or key in DESCRIBED_BY_NAME for key in documented)


# Fields whose name says it all (the others carry a description in the schema).
DESCRIBED_BY_NAME = {
    "id", "code", "procedure_code", "procedure_name", "status", "status_label", "applicant_name", "submitted_at",
    "received_at", "finished_at", "apology_reason", "events", "result_documents",
}  # fmt: skip
