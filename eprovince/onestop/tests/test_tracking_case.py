"""Dossier codes are case-insensitive everywhere: people copy them from paper and type them in lower case, with
spaces, on a phone keyboard that capitalises nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from eprovince.onestop import selectors
from eprovince.onestop.validators import normalise_dossier_code

from .factories import World, receive, submit_online

pytestmark = pytest.mark.django_db


def _variants(code: str) -> list[str]:
    """What people type: lower case, mixed case, spaces around and inside."""
    head, _, tail = code.rpartition("-")
    return [code.lower(), code.swapcase(), f"  {code.lower()} ", f"{head.lower()} - {tail}", code[:4] + " " + code[4:].lower()]


def test_normalising_a_code_strips_upper_cases_and_removes_inner_spaces() -> None:
    assert normalise_dossier_code(" 000.20.00.h99 - 261207 - 0007 ") == "000.20.00.H99-261207-0007"
    assert normalise_dossier_code("000.20.00.h99\u2013261207\u20130007") == "000.20.00.H99-261207-0007"  # en dashes
    assert normalise_dossier_code("") == ""


def test_the_tracking_selector_finds_a_code_typed_in_any_case(world: World) -> None:
    d = receive(world)
    for typed in _variants(d.code):
        assert selectors.track_dossier(typed, "0912345678") == d, typed


def test_the_tracking_page_finds_a_lower_case_code_and_shows_it_as_printed(world: World) -> None:
    d = receive(world)
    response = Client().post("/tra-cuu-ho-so/", {"code": d.code.lower(), "contact": "0912345678"})
    assert response.status_code == 200
    assert d.code in response.content.decode()


def test_the_tracking_api_finds_a_mixed_case_code(world: World) -> None:
    d = receive(world)
    response = Client().post(
        "/api/v1/onestop/tracking",
        data=json.dumps({"code": f" {d.code.swapcase()} ", "contact": "dong@example.vn"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["code"] == d.code


def test_the_officer_code_filter_ignores_case(world: World) -> None:
    d = receive(world)
    filters = selectors.DossierFilters(code=d.code.lower())
    assert list(selectors.dossier_queue(world.leader, "all", filters).values_list("code", flat=True)) == [d.code]


def test_the_applicant_page_of_a_dossier_answers_to_a_lower_case_code(world: World) -> None:
    d = submit_online(world)
    assert selectors.applicant_dossier(world.citizen, d.code.lower()) == d
    client = Client()
    client.force_login(world.citizen)
    assert client.get(f"/ho-so-cua-toi/{d.code.lower()}/").status_code == 200


def test_a_wrong_code_in_lower_case_is_still_not_found(world: World) -> None:
    d = receive(world)
    assert selectors.track_dossier(d.code.lower()[:-1] + "9", "0912345678") is None
