"""GET /calendar/due and GET /calendar/{year}: answers, and 400s that name the field."""

from __future__ import annotations

import pytest

from eprovince.workcalendar.constants import CountingMode
from eprovince.workcalendar.services import calendar_prefill_year, calendar_year_update, deadline_rule_update

pytestmark = [pytest.mark.django_db]


API = "/api/v1/calendar"


@pytest.fixture
def api() -> str:
    return API


@pytest.fixture
def calendar_2025(admin_user) -> None:
    calendar_prefill_year(year=2025, acting_user=admin_user)


def test_due_before_tet(client, api: str, calendar_2025: None) -> None:
    response = client.get(f"{api}/due", {"start": "2025-01-24T09:00:00+07:00", "working_days": 3})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due"] == "2025-02-05T17:00:00+07:00"
    assert body["counted_from"] == "2025-01-24T09:00:00+07:00"
    assert body["working_days"] == 3
    assert body["rule"]["counting_mode"] == "whole_days" and body["rule"]["supplement_mode"] == "resume"
    assert "Ngày tiếp nhận không tính" in body["rule"]["description"] and body["rule"]["legal_basis"]


def test_due_after_hours_and_in_other_offsets(client, api: str, calendar_2025: None) -> None:
    body = client.get(f"{api}/due", {"start": "2025-03-14T11:00:00Z", "working_days": 1}).json()  # Friday 18:00 in VN
    assert body["start"] == "2025-03-14T18:00:00+07:00"
    assert body["counted_from"] == "2025-03-17T07:30:00+07:00"
    assert body["due"] == "2025-03-18T17:00:00+07:00"


def test_naive_start_is_vietnam_time_and_an_unencoded_plus_is_understood(client, api: str, calendar_2025: None) -> None:
    naive = client.get(f"{api}/due", {"start": "2025-04-24T10:00", "working_days": 2}).json()
    assert naive["due"] == "2025-04-26T17:00:00+07:00"  # the worked Saturday
    spaced = client.get(f"{api}/due?start=2025-04-24T10:00:00+07:00&working_days=2").json()  # '+' arrives as ' '
    assert spaced["due"] == "2025-04-26T17:00:00+07:00"


def test_due_follows_the_configured_rule(client, api: str, calendar_2025: None, admin_user) -> None:
    deadline_rule_update(acting_user=admin_user, reason="OpenCPS", counting_mode=CountingMode.WORKING_HOURS)
    body = client.get(f"{api}/due", {"start": "2025-01-24T09:00:00+07:00", "working_days": 3}).json()
    assert body["due"] == "2025-02-05T09:00:00+07:00" and body["rule"]["counting_mode"] == "working_hours"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "24/01/2025 9h", "working_days": 3}, "start"),
        ({"start": "2025-02-30T09:00:00", "working_days": 3}, "start"),
        ({"start": "", "working_days": 3}, "start"),
        ({"working_days": 3}, "start"),
        ({"start": "9999-12-31T10:00:00+07:00", "working_days": 5}, "start"),
        ({"start": "0001-01-01T10:00:00+07:00", "working_days": 5}, "start"),
        ({"start": "2025-01-24T09:00:00+07:00", "working_days": -1}, "working_days"),
        ({"start": "2025-01-24T09:00:00+07:00", "working_days": 1001}, "working_days"),
        ({"start": "2025-01-24T09:00:00+07:00", "working_days": "ba"}, "working_days"),
        ({"start": "2025-01-24T09:00:00+07:00"}, "working_days"),
    ],
)
def test_bad_due_input_is_a_400_naming_the_field(client, api: str, params: dict, field: str) -> None:
    response = client.get(f"{api}/due", params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) >= {"code", "message", "fields"}
    assert field in body["fields"], body


def test_the_largest_allowed_period_is_answered(client, api: str) -> None:
    response = client.get(f"{api}/due", {"start": "2025-01-24T09:00:00+07:00", "working_days": 1000})
    assert response.status_code == 200 and response.json()["due"].startswith("2028-")


def test_year_lists_days_off_and_make_up_days(
    client, api: str, calendar_2025: None, admin_user, django_assert_max_num_queries
) -> None:
    calendar_year_update(year=2025, acting_user=admin_user, reason="Đã đối chiếu", is_published=True)
    with django_assert_max_num_queries(2):
        response = client.get(f"{api}/2025")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2025 and body["published"] is True
    assert [d["date"] for d in body["working_days"]] == ["2025-04-26"]
    assert body["working_days"][0]["weekday"] == "Thứ Bảy" and body["working_days"][0]["kind"] == "working_day"
    off = {d["date"]: d for d in body["days_off"]}
    assert len(off) == 12 and "2025-05-02" in off and off["2025-01-27"]["kind_label"] == "Ngày nghỉ"


def test_a_year_without_a_calendar_is_empty_and_unpublished(client, api: str) -> None:
    body = client.get(f"{api}/2031").json()
    assert body == {"year": 2031, "published": False, "note": "", "legal_basis": "", "days_off": [], "working_days": []}


@pytest.mark.parametrize("year", [1999, 2101, 99999])
def test_year_out_of_range_is_a_400(client, api: str, year: int) -> None:
    response = client.get(f"{api}/{year}")
    assert response.status_code == 400
    assert "year" in response.json()["fields"]


def test_year_that_is_not_a_number_is_not_found(client, api: str) -> None:
    assert client.get(f"{api}/hai-nghin").status_code == 404
