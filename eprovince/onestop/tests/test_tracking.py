"""Tracking without an account: the code plus the applicant's phone or email, safe against enumeration."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from eprovince.onestop.selectors import track_dossier
from eprovince.onestop.services.dossiers import dossier_draft_create

from .factories import World, act, receive

pytestmark = pytest.mark.django_db
URL = "/tra-cuu-ho-so/"


@pytest.mark.parametrize(
    "contact", ["0912 345 678", "0912345678", "+84 912 345 678", "84912345678", "DONG@example.VN", " dong@example.vn "]
)
def test_the_code_with_the_phone_or_the_email_finds_the_dossier(world: World, contact: str) -> None:
    d = receive(world)
    assert track_dossier(d.code, contact) == d


@pytest.mark.parametrize("contact", ["0912345679", "", "dong@example.com", "912345678", "x"])
def test_a_wrong_contact_finds_nothing(world: World, contact: str) -> None:
    d = receive(world)
    assert track_dossier(d.code, contact) is None


def test_a_dossier_without_email_is_not_found_by_an_empty_contact(world: World) -> None:
    d = receive(world, applicant_email="", applicant_phone="")
    assert track_dossier(d.code, "") is None and track_dossier(d.code, "@") is None


def test_drafts_cannot_be_tracked(world: World) -> None:
    draft = dossier_draft_create(acting_user=world.citizen, procedure=world.procedure, applicant_phone="0987654321")
    assert track_dossier(draft.code, "0987654321") is None


def _body(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'value="[^"]*"', "", html)  # the echoed inputs


def test_a_wrong_pair_looks_exactly_like_an_unknown_code(world: World) -> None:
    d = receive(world)
    client = Client()
    wrong_contact = client.post(URL, {"code": d.code, "contact": "0900000000"})
    unknown_code = client.post(URL, {"code": d.code[:-1] + "9", "contact": "0900000000"})
    assert wrong_contact.status_code == unknown_code.status_code == 404
    assert _body(wrong_contact) == _body(unknown_code)
    assert "Không tìm thấy hồ sơ" in _body(wrong_contact)


def test_the_right_pair_shows_the_status_and_history_without_officers_names(world: World) -> None:
    d = act(receive(world), "request_supplement", world.specialist, reason="Bổ sung bản sao giấy phép kinh doanh")
    response = Client().post(URL, {"code": d.code, "contact": "0912345678"})
    html = response.content.decode()
    assert response.status_code == 200
    assert d.code in html and "Chờ bổ sung hồ sơ" in html and "Bổ sung bản sao giấy phép kinh doanh" in html
    assert world.specialist.full_name not in html and world.clerk.full_name not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_attempts_are_limited_per_address(world: World, settings: object) -> None:
    settings.ONESTOP_TRACKING_ATTEMPTS = 3  # type: ignore[attr-defined]
    d = receive(world)
    client = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [client.post(URL, {"code": f"X-{i}", "contact": "0900000000"}).status_code for i in range(3)]
    assert statuses == [404, 404, 404]
    blocked = client.post(URL, {"code": d.code, "contact": "0912345678"})  # even the right pair, once blocked
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    other = Client(REMOTE_ADDR="203.0.113.8").post(URL, {"code": d.code, "contact": "0912345678"})
    assert other.status_code == 200


def test_the_tracking_page_prefills_the_code_from_a_link() -> None:
    response = Client().get(URL + "?ma=000.20.00.H99-260309-0001")
    assert response.status_code == 200 and 'value="000.20.00.H99-260309-0001"' in response.content.decode()
