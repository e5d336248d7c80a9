"""The leaders' dashboard: who opens it, the filter form and its Vietnamese messages, Vietnamese number formats, the
accessible SVG charts, and a number of queries that does not grow with the number of dossiers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from eprovince.onestop.models import Dossier
from eprovince.onestop.views_stats import stacked_bars

from .factories import World, at, receive
from .test_statistics import MARCH, finish

pytestmark = pytest.mark.django_db
URL = "/can-bo/mot-cua/thong-ke/"
MARCH_QUERY = "?tu_ngay=01/03/2026&den_ngay=31/03/2026"


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _march(world: World) -> list[Dossier]:
    received = at(2026, 3, 9, 9)
    done = [finish(world, receive(world, now=received), at(2026, 3, 10, 9)) for _ in range(2)]
    late = receive(world, now=received)
    assert late.due_at is not None
    done.append(finish(world, late, late.due_at + dt.timedelta(days=1)))
    return done


def test_the_module_shows_to_leaders_division_heads_and_administrators(world: World) -> None:
    for user in (world.leader, world.head, world.admin):
        assert "Thống kê hồ sơ một cửa" in client_for(user).get("/can-bo/").content.decode()
    for user in (world.clerk, world.specialist, world.citizen):
        assert "Thống kê hồ sơ một cửa" not in client_for(user).get("/can-bo/").content.decode()
    assert client_for(world.citizen).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302


def test_the_dashboard_shows_the_on_time_rate_the_vietnamese_way_with_charts_and_tables(world: World) -> None:
    _march(world)
    response = client_for(world.leader).get(URL + MARCH_QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "66,7%" in html  # 2 of 3, with a decimal comma
    assert 'role="img"' in html and '<title id="chart-procedure-title">' in html and "<desc" in html
    assert '<th scope="row">Cấp giấy phép bưu chính</th>' in html and '<th scope="row">Sở Khoa học và Công nghệ</th>' in html
    assert html.count('<th scope="row">Tổng cộng</th>') == 2
    assert "thong-ke.xlsx?tu_ngay=01%2F03%2F2026" in html and "so-theo-doi.xlsx?" in html


def test_without_a_filter_the_dashboard_shows_this_month(world: World) -> None:
    html = client_for(world.leader).get(URL).content.decode()
    assert 'value="01/' in html and "Kỳ thống kê" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?tu_ngay=31/03/2026&den_ngay=01/03/2026", "“Đến ngày” phải sau hoặc bằng “Từ ngày”."),
        ("?tu_ngay=32/13/2026&den_ngay=01/03/2026", "Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 31/03/2026."),
        ("?tu_ngay=hôm-qua&den_ngay=01/03/2026", "Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 31/03/2026."),
        ("?tu_ngay=&den_ngay=01/03/2026", "Vui lòng nhập ngày bắt đầu kỳ thống kê."),
        ("?tu_ngay=01/01/1900&den_ngay=01/03/2026", "Ngày phải từ năm 2000 đến năm 2100."),
        (MARCH_QUERY + "&thu_tuc=999999", "Thủ tục này không thuộc phạm vi bạn được xem số liệu."),
    ],
)
def test_bad_filter_input_gets_a_clear_vietnamese_message(world: World, query: str, message: str) -> None:
    client = client_for(world.leader)
    for url in (URL, URL + "thong-ke.xlsx", URL + "so-theo-doi.xlsx"):
        response = client.get(url + query)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "Có lỗi cần sửa" in response.content.decode()


def test_an_agency_outside_the_scope_is_refused(world: World) -> None:
    response = client_for(world.leader).get(URL + MARCH_QUERY + f"&co_quan={world.other_dept.pk}")
    assert response.status_code == 400
    assert "Cơ quan này không thuộc phạm vi bạn được xem số liệu." in response.content.decode()
    province = world.dept.parent
    assert province is not None
    assert client_for(world.leader).get(URL + MARCH_QUERY + f"&co_quan={province.pk}").status_code == 400
    assert client_for(world.admin).get(URL + MARCH_QUERY + f"&co_quan={province.pk}").status_code == 200  # a branch


def test_an_officer_of_another_agency_sees_none_of_the_numbers(world: World) -> None:
    _march(world)
    html = client_for(world.outsider).get(URL + MARCH_QUERY).content.decode()
    assert "Cấp giấy phép bưu chính" not in html and "66,7%" not in html
    assert "Không có hồ sơ nào trong kỳ này." in html


def test_the_dashboard_costs_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Callable[..., object]
) -> None:
    client = client_for(world.leader)
    _march(world)
    client.get(URL + MARCH_QUERY)  # warm the calendar cache and the session
    with CaptureQueriesContext(connection) as few:
        client.get(URL + MARCH_QUERY)
    for day in range(9, 13):
        for _ in range(4):
            receive(world, procedure=world.bts, now=at(2026, 3, day, 9))
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as many:  # type: ignore[operator]
        response = client.get(URL + MARCH_QUERY)
    assert response.status_code == 200 and "Cấp phép lắp đặt trạm BTS" in response.content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_chart_scales_bars_and_skips_rows_with_nothing_finished(world: World) -> None:
    _march(world)
    from eprovince.onestop.statistics import dossier_statistics

    stats = dossier_statistics(world.leader, MARCH)
    chart = stacked_bars(stats.by_procedure)
    assert chart is not None and len(chart.bars) == 1
    bar = chart.bars[0]
    assert [(s.key, s.value) for s in bar.segments] == [("early", 2), ("on_time", 0), ("late", 1)]
    assert bar.segments[0].width == pytest.approx(2 * bar.segments[2].width)
    assert bar.text_x <= chart.width
    assert stacked_bars([]) is None
