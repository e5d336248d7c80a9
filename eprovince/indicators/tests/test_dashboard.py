"""The leaders' dashboard: key indicators against targets, trends, rankings, completeness of the rounds; read
straight from approved values, so a report approved a moment ago shows at once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eprovince.core.constants import OrganisationKind
from eprovince.core.modules import modules_for
from eprovince.core.services.organisations import organisation_update
from eprovince.core.testing import make_org

from ..dashboard import dashboard, default_year, key_rows, trends
from ..selectors import UNIT_SEARCH_LIMIT, UNIT_SHORTLIST_LIMIT
from ..services import catalogue, rounds
from . import factories as f
from .test_analytics import reorganised  # noqa: F401 - the 2025 reorganisation fixture

pytestmark = pytest.mark.django_db

URL = reverse("indicators:dashboard")
FIND = reverse("indicators:dashboard_units")
HTMX = {"HTTP_HX_REQUEST": "true"}
LAST_LEGACY_DAY = dt.date(2025, 6, 30)


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


def test_a_trend_of_a_change_on_last_year_reads_no_raw_values(world: f.World) -> None:
    """The year before the first bar (what a year-on-year change reads) is combined by the database from the yearly
    summary too, not loaded value by value (the whole country's dashboard took 2,6 s that way)."""
    history(world)
    f.approved(world, world.committee_form, "2022", world.tanchau, {"ONLINE_MEETINGS": 8})
    catalogue.indicator_save(
        acting_user=None,
        code="MEETINGS_GROWTH",
        name="Tăng trưởng số cuộc họp trực tuyến",
        formula="(#{ONLINE_MEETINGS} - last_year(#{ONLINE_MEETINGS})) / last_year(#{ONLINE_MEETINGS}) * 100",
        unit="%",
        decimals=2,
    )
    rows = [r for r in key_rows(2024, None) if r.code == "MEETINGS_GROWTH"]
    assert rows, "the indicator is among the key rows"
    with CaptureQueriesContext(connection) as read:
        (chart,) = trends(rows, [2023, 2024], None)
    assert chart.series[0].values == [100.0, 31.25]  # 8 → 16 → 21
    assert not [q["sql"] for q in read.captured_queries if 'FROM "indicators_datavalue"' in q["sql"]]


def test_the_page_shows_numbers_charts_and_rounds(world: f.World) -> None:
    history(world)
    f.open_round(world, world.committee_form, "2025")
    response = client_for(world.leader).get(URL, {"year": 2024})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bảng điều hành chỉ tiêu ngành" in html
    assert "Đạt 105% kế hoạch" in html and "Tăng 31,25% so với năm 2023" in html  # H4: says what it compares
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


# The unit picker: a short select and a search by name ----------------------------------------------------------


def unit_select(html: str) -> str:
    start = html.index('<select name="unit"')
    return html[start : html.index("</select>", start)]


def found(html: str) -> list[str]:
    """The names of the units found, as their links read."""
    if '<ul class="ind-dash-found"' not in html:
        return []
    start = html.index('<ul class="ind-dash-found"')
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', html[start : html.index("</ul>", start)])


def communes(world: f.World, count: int, *, former: bool = False) -> None:
    """`count` more People's Committees under the province (each a unit one may choose), current or former."""
    for k in range(count):
        make_org(
            f"Ủy ban nhân dân xã {'Cũ ' if former else ''}Số {k}",
            parent=world.province,
            kind=OrganisationKind.PEOPLES_COMMITTEE,
            valid_to=LAST_LEGACY_DAY if former else None,
        )


def test_the_unit_select_lists_the_current_units_that_matter_grouped(world: f.World) -> None:
    organisation_update(organisation=world.chauthanh, acting_user=None, valid_to=LAST_LEGACY_DAY)  # a former district
    catalogue.target_set(
        acting_user=None, year=2024, element=world.elements["BTS"], organisation=world.department, value=Decimal(5)
    )
    select = unit_select(client_for(world.leader).get(URL).content.decode())
    assert '<option value="" selected>Toàn tỉnh</option>' in select
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups == ["Ủy ban nhân dân", "Sở, ban, ngành", "Doanh nghiệp"]
    # the province first among the committees; the department (it has targets); the reporting enterprises. Not the
    # division (it reports nothing) and not the former district: that one through the search.
    committees = select[select.index('label="Ủy ban nhân dân"') : select.index("</optgroup>")]
    assert committees.index("Ủy ban nhân dân tỉnh An Giang") < committees.index("Ủy ban nhân dân thị xã Tân Châu")
    assert "Sở Khoa học và Công nghệ tỉnh An Giang" in select
    assert "VNPT An Giang" in select and "Viettel An Giang" in select
    assert "Phòng Bưu chính, Viễn thông" not in select
    assert "Châu Thành" not in select


def test_a_long_list_of_units_is_cut_and_the_rest_found_by_search(world: f.World) -> None:
    communes(world, UNIT_SHORTLIST_LIMIT + 5)
    html = client_for(world.leader).get(URL).content.decode()
    assert unit_select(html).count("<option") == UNIT_SHORTLIST_LIMIT + 1  # with "Toàn tỉnh"
    assert 'action="' + FIND + '"' in html and 'hx-get="' + FIND + '"' in html
    assert 'name="q"' in html and '<label for="dash-unit-q">Tìm đơn vị khác theo tên</label>' in html
    assert 'role="status"' in html  # the search's result is announced


def test_the_search_finds_a_unit_without_diacritics(world: f.World) -> None:
    client = client_for(world.leader)
    response = client.get(FIND, {"q": "tan chau", "year": "2024"})
    assert response.status_code == 200
    html = response.content.decode()
    link = f'href="{URL}?year=2024&amp;unit={world.tanchau.pk}"'
    assert link in html and ">Ủy ban nhân dân thị xã Tân Châu</a>" in html
    assert "Tìm thấy 1 đơn vị có tên chứa “tan chau”." in html
    assert "thuộc Ủy ban nhân dân tỉnh An Giang" in html  # names recur across provinces: the parent tells them apart
    # with diacritics, in capitals, by the short form people type: the same unit
    for query in ("TÂN CHÂU", "ủy ban tân", "chau tan"):
        assert link in client.get(FIND, {"q": query, "year": "2024"}).content.decode(), query


def test_the_search_answers_htmx_with_the_list_alone(world: f.World) -> None:
    response = client_for(world.leader).get(FIND, {"q": "tan chau"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html and "<ul" in html and f"unit={world.tanchau.pk}" in html
    # the sentence replaces the content of the status region on the page, which screen readers then read out
    assert '<span id="dash-unit-status" hx-swap-oob="innerHTML">Tìm thấy 1 đơn vị' in html
    assert "HX-Request" in response.headers["Vary"]


def test_former_units_are_found_and_labelled(world: f.World, reorganised) -> None:  # noqa: F811
    html = client_for(world.leader).get(FIND, {"q": "tan chau"}).content.decode()
    ward = html.index(">Ủy ban nhân dân phường Tân Châu</a>")
    former = html.index(">Ủy ban nhân dân thị xã Tân Châu (trước sắp xếp, đến 30/06/2025)</a>")
    assert ward < former, "current units first"
    # chosen, the former unit stays in the select (it is not among the current units listed there)
    page = client_for(world.leader).get(URL, {"year": 2024, "unit": world.tanchau.pk}).content.decode()
    select = unit_select(page)
    assert '<optgroup label="Đơn vị đang xem">' in select
    assert (
        f'<option value="{world.tanchau.pk}" selected>Ủy ban nhân dân thị xã Tân Châu (trước sắp xếp, đến 30/06/2025)' in select
    )
    assert "Năm 2024 · Ủy ban nhân dân thị xã Tân Châu." in page


def test_an_empty_query_asks_for_a_name(world: f.World) -> None:
    client = client_for(world.leader)
    html = client.get(FIND).content.decode()
    assert 'role="status">Nhập tên đơn vị cần tìm.</p>' in html and found(html) == []
    assert "<h1>Tìm đơn vị để xem trên bảng điều hành</h1>" in html
    fragment = client.get(FIND, {"q": "   "}, **HTMX).content.decode()
    assert '<span id="dash-unit-status" hx-swap-oob="innerHTML"></span>' in fragment and "<li" not in fragment


def test_one_letter_asks_for_more(world: f.World) -> None:
    client = client_for(world.leader)
    html = client.get(FIND, {"q": "t"}).content.decode()
    assert "Gõ ít nhất 2 chữ cái của tên đơn vị." in html and found(html) == []
    assert "Gõ ít nhất 2 chữ cái" in client.get(FIND, {"q": "Đ "}, **HTMX).content.decode()


def test_many_matches_show_twenty_and_ask_for_more_letters(world: f.World) -> None:
    communes(world, UNIT_SEARCH_LIMIT + 3)
    html = client_for(world.leader).get(FIND, {"q": "xa so"}).content.decode()
    assert len(found(html)) == UNIT_SEARCH_LIMIT
    assert f"Có hơn {UNIT_SEARCH_LIMIT} đơn vị có tên chứa “xa so”" in html and "Gõ thêm chữ để thu hẹp." in html


def test_units_one_may_not_choose_are_neither_offered_nor_shown(world: f.World) -> None:
    client = client_for(world.leader)
    # a division of the Department reports nothing: the search does not offer it ...
    html = client.get(FIND, {"q": "buu chinh vien thong"}).content.decode()
    assert "Không tìm thấy đơn vị nào" in html and f"unit={world.division.pk}" not in html
    # ... and its id typed into the address shows the whole province, saying so
    page = client.get(URL, {"unit": world.division.pk}).content.decode()
    assert "Không có đơn vị này trong danh sách được xem; đang hiện số liệu toàn tỉnh." in page
    assert "· Toàn tỉnh." in page and "Phòng Bưu chính" not in unit_select(page)
    for forged in ("999999", "-3", "1e9", "99999999999999999999"):
        assert client.get(URL, {"unit": forged}).status_code == 200
    # someone outside the Department's staff may not search at all
    assert client_for(world.officer_tanchau).get(FIND, {"q": "tan chau"}).status_code == 403
    assert Client().get(FIND, {"q": "tan chau"}).status_code == 302


def test_the_page_costs_the_same_queries_with_few_or_many_units(
    world: f.World, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    history(world)
    client = client_for(world.leader)
    client.get(URL, {"year": 2024})
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"year": 2024, "unit": world.tanchau.pk})
    communes(world, UNIT_SHORTLIST_LIMIT + 20)
    communes(world, 20, former=True)
    client.get(URL, {"year": 2024, "unit": world.tanchau.pk})  # the structure changed: read again once, then kept
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as many:  # 25 on SQLite today
        response = client.get(URL, {"year": 2024, "unit": world.tanchau.pk})
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    # the picker reads the organisations twice (the chosen unit, the short list), the latter without unused columns
    picker = [
        q["sql"]
        for q in many.captured_queries
        if 'FROM "core_organisation"' in q["sql"] and f"LIMIT {UNIT_SHORTLIST_LIMIT}" in q["sql"]
    ]
    assert len(picker) == 1 and '"address"' not in picker[0] and '"tax_code"' not in picker[0]
    # the search: the session, the user and roles, the units found (one query), the session's idle timer
    with django_assert_max_num_queries(7), CaptureQueriesContext(connection) as search:
        client.get(FIND, {"q": "xa so"}, **HTMX)
    found = [q["sql"] for q in search.captured_queries if 'FROM "core_organisation"' in q["sql"]]
    assert len(found) == 1 and '"address"' not in found[0]
