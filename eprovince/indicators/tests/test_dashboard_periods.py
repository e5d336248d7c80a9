"""The dashboard compares like periods: it opens on the last complete year; a year not over yet is marked
("số liệu đến hết tháng N, chưa đủ năm") and compared with the same months of the year before, from the monthly,
quarterly or half-yearly values, saying so in words; when the same months of the year before are not available it
says no comparison is possible rather than comparing the year so far with the whole of last year; the "*" of an
illustrative plan is explained on the page. Time is frozen on 7 December 2026."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ..constants import PeriodConvention, PeriodType
from ..dashboard import coverage, dashboard, default_year
from ..services import catalogue
from . import factories as f

pytestmark = pytest.mark.django_db
URL = reverse("indicators:dashboard")
TODAY = dt.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    moment = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def flat(html: str) -> str:
    return " ".join(html.split())


def revenue_halves(world: f.World) -> None:
    """2025: 100 + 150 (the whole year 250); 2026: the first six months only, 120."""
    for period, value in (("2025S1", 100), ("2025S2", 150), ("2026S1", 120)):
        f.approved(world, world.enterprise_form, period, world.vnpt, {"REVENUE": value})


def monthly_form(world: f.World) -> Any:
    return catalogue.report_form_save(
        acting_user=None,
        code="DN_THANG",
        name="Báo cáo tháng của doanh nghiệp",
        owner=world.division,
        period_type=PeriodType.MONTH,
        convention=PeriodConvention.CALENDAR,
        elements=[world.elements["ONLINE_MEETINGS"]],
        organisations=[world.viettel],
    )


def meetings(board: Any) -> Any:
    return next(k for k in board.key if k.row.code == "ONLINE_MEETINGS")


def revenue(board: Any) -> Any:
    return next(k for k in board.key if k.row.code == "REVENUE")


def test_the_dashboard_opens_on_the_last_complete_year(world: f.World) -> None:
    revenue_halves(world)
    assert default_year() == 2025
    page = client_for(world.leader).get(URL).content.decode()
    assert 'value="2025" selected' in page
    assert "chưa đủ năm" not in page


def test_a_partial_year_is_marked_with_the_months_it_covers(world: f.World) -> None:
    revenue_halves(world)
    assert coverage(2026).months == 6 and coverage(2026).partial
    assert not coverage(2025).partial
    response = client_for(world.leader).get(URL, {"year": 2026})
    page = flat(response.content.decode())
    assert response.status_code == 200
    assert "Năm 2026: số liệu đến hết tháng 6, chưa đủ năm." in page
    assert "cùng kỳ 6 tháng năm 2025" in page


def test_a_partial_year_is_compared_with_the_same_months_of_last_year(world: f.World) -> None:
    revenue_halves(world)
    board = dashboard(user=world.leader, year=2026, root=None)
    assert revenue(board).comparison == "tăng 20% so với cùng kỳ 6 tháng năm 2025"  # 120 against 100, not 250
    page = flat(client_for(world.leader).get(URL, {"year": 2026}).content.decode())
    assert "Tăng 20% so với cùng kỳ 6 tháng năm 2025" in page
    assert "giảm 52% so" not in page.lower()


def test_a_whole_year_says_which_year_it_is_compared_with(world: f.World) -> None:
    revenue_halves(world)
    f.approved(world, world.enterprise_form, "2024S1", world.vnpt, {"REVENUE": 100})
    f.approved(world, world.enterprise_form, "2024S2", world.vnpt, {"REVENUE": 100})
    board = dashboard(user=world.leader, year=2025, root=None)
    assert revenue(board).comparison == "tăng 25% so với năm 2024"


def test_eleven_months_are_compared_with_eleven_months_from_the_monthly_values(world: f.World) -> None:
    form = monthly_form(world)
    for year, value in ((2025, 2), (2026, 3)):
        for month in range(1, 12):
            f.approved(world, form, f"{year}{month:02d}", world.viettel, {"ONLINE_MEETINGS": value})
    f.approved(world, form, "202512", world.viettel, {"ONLINE_MEETINGS": 100})  # December 2025: not like 2026
    cover = coverage(2026)
    assert cover.months == 11
    board = dashboard(user=world.leader, year=2026, root=None)
    assert meetings(board).comparison == "tăng 50% so với cùng kỳ 11 tháng năm 2025"  # 33 against 22
    assert meetings(board).trend.categories[-1] == "2026 (11 tháng)"


def test_without_the_same_months_of_last_year_no_comparison_is_made(world: f.World) -> None:
    form = monthly_form(world)
    for month in range(1, 12):
        f.approved(world, form, f"2026{month:02d}", world.viettel, {"ONLINE_MEETINGS": 3})
    f.approved(world, world.committee_form, "2025", world.tanchau, {"ONLINE_MEETINGS": 40})  # the whole year only
    board = dashboard(user=world.leader, year=2026, root=None)
    assert meetings(board).comparison == ("chưa so sánh được: không có số liệu cùng kỳ 11 tháng năm 2025 để đối chiếu")


def test_the_star_of_an_illustrative_plan_is_explained(world: f.World) -> None:
    revenue_halves(world)
    catalogue.target_set(acting_user=None, year=2025, element=world.elements["REVENUE"], value=Decimal(300), synthetic=True)
    page = flat(client_for(world.leader).get(URL, {"year": 2025}).content.decode())
    assert '<span aria-hidden="true">*</span>' in page
    assert "* Kế hoạch có dấu * là số liệu minh họa" in page


def test_a_partial_year_reads_its_plan_as_the_years_plan(world: f.World) -> None:
    revenue_halves(world)
    catalogue.target_set(acting_user=None, year=2026, element=world.elements["REVENUE"], value=Decimal(240))
    board = dashboard(user=world.leader, year=2026, root=None)
    assert revenue(board).achieved == "đạt 50% kế hoạch năm"
