"""The leaders' dashboard: key indicators against targets, trends, rankings, completeness of the rounds; read
straight from approved values, so a report approved a moment ago shows at once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from eprovince.core.modules import modules_for

from ..dashboard import dashboard, default_year, key_rows
from ..services import catalogue, rounds
from . import factories as f
from .test_analytics import reorganised  # noqa: F401 - the 2025 reorganisation fixture

pytestmark = pytest.mark.django_db

URL = reverse("indicators:dashboard")


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def history(w: f.World) -> None:
    for year, tanchau, chauthanh in (("2023", 10, 6), ("2024", 12, 9)):
        f.approved(w, w.committee_form, year, w.tanchau, {"ONLINE_MEETINGS": tanchau})
        f.approved(w, w.committee_form, year, w.chauthanh, {"ONLINE_MEETINGS": chauthanh})
    for year, value in (("2023", 20), ("2024", 20)):
        catalogue.target_set(acting_user=None, year=int(year), element=w.elements["ONLINE_MEETINGS"], value=Decimal(value))


def test_key_indicators_against_targets_and_last_year(world: f.World) -> None:
    history(world)
    board = dashboard(user=world.leader, year=2024, root=None)
    meetings = next(k for k in board.key if k.row.code == "ONLINE_MEETINGS")
    assert meetings.row.actual == 21 and meetings.row.target == 20
    assert meetings.row.achieved_text == "đạt 105% kế hoạch"
    assert meetings.row.change_text == "tăng 31,25% so cùng kỳ"
    assert meetings.reached is True
    # the trend: one bar per year, the plan as dashes where there is one
    assert meetings.trend.categories[-2:] == ["2023", "2024"]
    assert meetings.trend.series[0].values[-2:] == [16.0, 21.0]
    assert meetings.trend.target is not None and meetings.trend.target[-2:] == [20.0, 20.0]
    assert board.achievement is not None and board.achievement.series[0].values == [105.0]


def test_the_page_shows_numbers_charts_and_rounds(world: f.World) -> None:
    history(world)
    f.open_round(world, world.committee_form, "2025")
    response = client_for(world.leader).get(URL, {"year": 2024})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bảng điều hành chỉ tiêu ngành" in html
    assert "Đạt 105% kế hoạch" in html and "Tăng 31,25% so cùng kỳ" in html
    assert html.count('role="img"') >= 2 and "Xem bảng số liệu" in html
    assert "Tiến độ các đợt báo cáo đang mở" in html and "0/2 (0%)" in html


def test_a_value_approved_now_shows_at_once(world: f.World) -> None:
    history(world)
    sub = f.submission(f.open_round(world, world.committee_form, "2025"), world.tanchau)
    f.save(world, sub, world.officer_tanchau, {"ONLINE_MEETINGS": "17"})
    rounds.submission_submit(acting_user=world.officer_tanchau, submission=sub)
    catalogue.target_set(acting_user=None, year=2025, element=world.elements["ONLINE_MEETINGS"], value=Decimal(34))
    client = client_for(world.leader)
    before = client.get(URL, {"year": 2025}).content.decode()
    assert "đạt 50% kế hoạch" not in before.lower()
    rounds.submission_approve(acting_user=world.reviewer, submission=sub)
    after = client.get(URL, {"year": 2025}).content.decode()
    assert "Đạt 50% kế hoạch" in after


def test_a_unit_series_adds_its_former_units(world: f.World, reorganised) -> None:  # noqa: F811
    board = dashboard(user=world.leader, year=2024, root=world.province)
    rows = {r.code: r for r in key_rows(2024, world.province)}
    assert rows["ONLINE_MEETINGS"].actual == 24
    meetings = next(k for k in board.key if k.row.code == "ONLINE_MEETINGS")
    assert meetings.trend.series[0].values[-2:] == [10.0, 24.0]
    response = client_for(world.leader).get(URL, {"year": 2024, "unit": world.province.pk})
    assert response.status_code == 200 and "Ủy ban nhân dân tỉnh An Giang" in response.content.decode()


def test_default_year_is_the_latest_with_approved_data(world: f.World) -> None:
    history(world)
    assert default_year() == 2024
    response = client_for(world.leader).get(URL)
    assert 'value="2024" selected' in response.content.decode()


def test_only_department_staff_and_leaders_see_it(world: f.World) -> None:
    assert client_for(world.officer_tanchau).get(URL).status_code == 403
    assert client_for(world.specialist).get(URL).status_code == 200
    assert Client().get(URL).status_code == 302
    assert any(m.key == "indicators_dashboard" for m in modules_for(world.leader))
    assert not any(m.key == "indicators_dashboard" for m in modules_for(world.officer_tanchau))


def test_bad_filters_fall_back_without_error(world: f.World) -> None:
    history(world)
    response = client_for(world.leader).get(URL, {"year": "abc", "unit": "999999"})
    assert response.status_code == 200


def test_home_links_to_dashboard_and_pivot(world: f.World) -> None:
    html = client_for(world.leader).get(reverse("indicators:home")).content.decode()
    assert reverse("indicators:dashboard") in html and reverse("indicators:pivot") in html
