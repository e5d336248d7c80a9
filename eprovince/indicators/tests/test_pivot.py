"""The pivot view: elements × units × periods summed by the database in one query, approved values only, the
current province adding up its former units; filters, permissions and the Excel export."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from ..pivot import INDICATOR, PERIOD, PROVINCE, UNIT, PivotError, aggregate, pivot, unit_scopes
from ..services import rounds
from . import factories as f
from .test_analytics import reorganised  # noqa: F401 - the 2025 reorganisation fixture

pytestmark = pytest.mark.django_db


def committee_history(w: f.World) -> None:
    for year, tanchau, chauthanh in (("2023", 10, 6), ("2024", 12, 9)):
        f.approved(w, w.committee_form, year, w.tanchau, {"ONLINE_MEETINGS": tanchau, "EMAIL_OFFICIALS_PCT": "90"})
        f.approved(w, w.committee_form, year, w.chauthanh, {"ONLINE_MEETINGS": chauthanh, "EMAIL_OFFICIALS_PCT": "80"})


def test_sums_over_units_and_periods_follow_each_elements_rule(world: f.World) -> None:
    committee_history(world)
    meetings, email = world.elements["ONLINE_MEETINGS"], world.elements["EMAIL_OFFICIALS_PCT"]
    table = pivot(
        indicator_ids=[meetings.pk, email.pk],
        unit_ids=[PROVINCE, world.tanchau.pk, world.chauthanh.pk],
        period_type="year",
        year_from=2023,
        year_to=2024,
        rows=UNIT,
        cols=PERIOD,
    )
    assert [c.key for c in table.columns] == ["2023", "2024"]
    assert table.value(indicator=meetings.pk, unit=PROVINCE, period="2023") == 16
    assert table.value(indicator=meetings.pk, unit=PROVINCE, period="2024") == 21
    assert table.value(indicator=meetings.pk, unit=world.chauthanh.pk, period="2024") == 9
    assert table.value(indicator=email.pk, unit=PROVINCE, period="2024") == 85  # a percentage averages
    assert table.group_dim == INDICATOR and {r.group.key for r in table.rows} == {meetings.pk, email.pk}  # type: ignore[union-attr]


def test_only_approved_values_count_and_they_count_at_once(world: f.World) -> None:
    meetings = world.elements["ONLINE_MEETINGS"]
    sub = f.submission(f.open_round(world, world.committee_form, "2024"), world.tanchau)
    f.save(world, sub, world.officer_tanchau, {"ONLINE_MEETINGS": "11"})
    rounds.submission_submit(acting_user=world.officer_tanchau, submission=sub)

    def value() -> Decimal | None:
        table = pivot(indicator_ids=[meetings.pk], unit_ids=[], period_type="year", year_from=2024, year_to=2024, rows=INDICATOR)
        return table.value(indicator=meetings.pk, unit=PROVINCE, period="2024")

    assert value() is None
    rounds.submission_approve(acting_user=world.reviewer, submission=sub)
    assert value() == 11


def test_the_current_province_adds_up_its_former_units(world: f.World, reorganised) -> None:  # noqa: F811
    meetings = world.elements["ONLINE_MEETINGS"]
    table = pivot(
        indicator_ids=[meetings.pk],
        unit_ids=[world.province.pk, world.tanchau.pk, world.department.pk, PROVINCE],
        period_type="year",
        year_from=2023,
        year_to=2025,
        rows=UNIT,
        cols=PERIOD,
    )
    province = [table.value(indicator=meetings.pk, unit=world.province.pk, period=y) for y in ("2023", "2024", "2025")]
    assert province == [10, 24, 4]  # as analytics.series: former Tân Châu, Hòn Đất and Cửu Long's department
    assert [table.value(indicator=meetings.pk, unit=PROVINCE, period=y) for y in ("2023", "2024", "2025")] == [10, 24, 4]
    assert table.value(indicator=meetings.pk, unit=world.tanchau.pk, period="2025") is None
    assert table.value(indicator=meetings.pk, unit=world.department.pk, period="2024") == 7
    former = next(r.member for r in table.rows if r.member.key == world.tanchau.pk)
    assert former.note == "trước sắp xếp"


def test_filters_period_type_and_years(world: f.World) -> None:
    committee_history(world)
    f.approved(world, world.enterprise_form, "2024S1", world.vnpt, {"REVENUE": "120.5", "BTS": 300})
    f.approved(world, world.enterprise_form, "2024S2", world.vnpt, {"REVENUE": "131.6", "BTS": 310})
    halves = pivot(indicator_ids=[], unit_ids=[], period_type="six_months", year_from=2024, year_to=2024)
    assert [c.key for c in halves.columns] == ["2024S1", "2024S2"]
    revenue = world.elements["REVENUE"].pk
    assert halves.value(indicator=revenue, unit=PROVINCE, period="2024S2") == Decimal("131.6")
    assert all(r.member.key != world.elements["ONLINE_MEETINGS"].pk for r in halves.rows)  # yearly values are not halves
    years = pivot(indicator_ids=[], unit_ids=[], period_type="year", year_from=2024, year_to=2024)
    assert [c.key for c in years.columns] == ["2024"]
    with pytest.raises(PivotError):
        pivot(indicator_ids=[], unit_ids=[], period_type="year", year_from=2025, year_to=2020)
    with pytest.raises(PivotError):
        pivot(indicator_ids=[], unit_ids=[], period_type="year", year_from=2020, year_to=2024, rows=UNIT, cols=UNIT)


def test_a_year_rolls_up_its_halves_by_each_elements_rule_over_time(world: f.World) -> None:
    from ..analytics import series
    from ..periods import Period

    f.approved(world, world.enterprise_form, "2024S1", world.vnpt, {"REVENUE": "120.5", "BTS": 300})
    f.approved(world, world.enterprise_form, "2024S2", world.vnpt, {"REVENUE": "131.6", "BTS": 310})
    f.approved(world, world.enterprise_form, "2024S1", world.viettel, {"REVENUE": "200", "BTS": 500})
    revenue, bts = world.elements["REVENUE"], world.elements["BTS"]
    table = pivot(
        indicator_ids=[revenue.pk, bts.pk],
        unit_ids=[PROVINCE, world.vnpt.pk],
        period_type="year",
        year_from=2024,
        year_to=2024,
    )
    assert table.value(indicator=revenue.pk, unit=world.vnpt.pk, period="2024") == Decimal("252.1")  # a flow adds up
    assert table.value(indicator=bts.pk, unit=world.vnpt.pk, period="2024") == 310  # a level takes the latest
    assert table.value(indicator=revenue.pk, unit=PROVINCE, period="2024") == Decimal("452.1")
    assert table.value(indicator=bts.pk, unit=PROVINCE, period="2024") == 810
    # the same numbers as the analytics that feed the dashboard
    for element in (revenue, bts):
        expected = series(element, [Period.parse("2024")], None)[0][1]
        assert table.value(indicator=element.pk, unit=PROVINCE, period="2024") == expected


def test_disaggregated_values_add_up(world: f.World) -> None:
    f.approved(world, world.enterprise_form, "2024S1", world.vnpt, {"SUB_MOBILE.VNPT": 100, "SUB_MOBILE.VIETTEL": 50})
    table = pivot(
        indicator_ids=[world.elements["SUB_MOBILE"].pk], unit_ids=[], period_type="six_months", year_from=2024, year_to=2024
    )
    assert table.value(indicator=world.elements["SUB_MOBILE"].pk, unit=PROVINCE, period="2024S1") == 150


def test_one_query_whatever_the_size(world: f.World, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    committee_history(world)
    f.approved(world, world.enterprise_form, "2024S1", world.vnpt, {"REVENUE": "120.5", "BTS": 300})
    _units, scopes = unit_scopes([PROVINCE, world.tanchau.pk, world.chauthanh.pk, world.vnpt.pk])
    elements = list(world.elements.values())
    periods = ["2023", "2024", "2024S1", "2024S2"]
    # the aggregation, and (levels asked) the look for former organisations whose levels were handed over (none here)
    with django_assert_num_queries(2):
        rows = aggregate(elements=elements, scopes=scopes, period_ids=periods)
    assert len(rows) > 8
    with django_assert_num_queries(1):  # a flow: nothing handed over to look for
        aggregate(elements=elements[:1], scopes={PROVINCE: None}, period_ids=periods[:1])


def test_the_whole_pivot_does_not_query_per_cell(world: f.World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    committee_history(world)
    args = {"unit_ids": [PROVINCE, world.tanchau.pk], "period_type": "year", "year_from": 2015, "year_to": 2024}
    with django_assert_max_num_queries(12):
        small = pivot(indicator_ids=[world.elements["ONLINE_MEETINGS"].pk], **args)  # type: ignore[arg-type]
    with django_assert_max_num_queries(12):
        large = pivot(indicator_ids=[], **args)  # type: ignore[arg-type]
    assert large.filled > small.filled


# The page and the Excel export ------------------------------------------------------------------------------

PIVOT = reverse("indicators:pivot")
EXPORT = reverse("indicators:pivot_export")


def client_for(user):  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def query(w: f.World, **extra: object) -> dict[str, object]:
    params: dict[str, object] = {
        "rows": "unit",
        "cols": "period",
        "period_type": "year",
        "year_from": 2023,
        "year_to": 2024,
        "indicators": [w.elements["ONLINE_MEETINGS"].pk],
        "units": [PROVINCE, w.tanchau.pk, w.chauthanh.pk],
    }
    params.update(extra)
    return params


def test_the_page_shows_the_table_in_vietnamese_numbers(world: f.World) -> None:
    committee_history(world)
    f.approved(world, world.enterprise_form, "2024S1", world.vnpt, {"REVENUE": "4020.5"})
    client = client_for(world.leader)
    html = client.get(PIVOT, query(world)).content.decode()
    assert "Bảng tổng hợp đa chiều" in html
    assert '<th scope="row">Toàn tỉnh</th>' in html and ">21<" in html
    halves = client.get(
        PIVOT, query(world, period_type="six_months", indicators=[world.elements["REVENUE"].pk], units=[])
    ).content.decode()
    assert "4.020,5" in halves


def test_default_view_opens_without_parameters(world: f.World) -> None:
    committee_history(world)
    response = client_for(world.specialist).get(PIVOT)
    assert response.status_code == 200 and "Hội nghị trực tuyến" in response.content.decode()


def test_bad_parameters_give_a_vietnamese_error(world: f.World) -> None:
    client = client_for(world.leader)
    response = client.get(PIVOT, query(world, cols="unit"))
    assert response.status_code == 400 and "Cột phải khác hàng." in response.content.decode()
    response = client.get(PIVOT, query(world, year_from=2025, year_to=2020))
    assert response.status_code == 400 and "Năm kết thúc phải không nhỏ hơn năm bắt đầu." in response.content.decode()
    assert client.get(EXPORT, query(world, units=["abc"])).status_code == 400


def test_only_department_staff_and_leaders_use_it(world: f.World) -> None:
    from django.test import Client

    assert client_for(world.officer_tanchau).get(PIVOT).status_code == 403
    assert client_for(world.officer_tanchau).get(EXPORT, query(world)).status_code == 403
    assert Client().get(EXPORT).status_code == 302


def test_excel_export_has_numbers_formats_and_a_frozen_header(world: f.World) -> None:
    committee_history(world)
    f.approved(world, world.enterprise_form, "2024S1", world.vnpt, {"REVENUE": "120.5"})
    response = client_for(world.leader).get(EXPORT, query(world))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="tong-hop-chi-tieu-') and "filename*=UTF-8''T%E1%BB%95ng" in disposition
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    top = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Đơn vị")  # below the title block (H4)
    assert sheet.cell(top, 3).value.endswith("2024")
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=top + 1, values_only=True)}
    assert rows["Toàn tỉnh"] == (16, 21)
    assert sheet.freeze_panes == f"B{top + 1}"
    assert sheet.cell(top + 1, 2).number_format == "#,##0"
    revenue = client_for(world.leader).get(
        EXPORT, query(world, rows="indicator", period_type="six_months", indicators=[world.elements["REVENUE"].pk], units=[])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(revenue.content)).active
    top = next(r for r in range(1, 20) if sheet.cell(r, 2).value == "Đơn vị tính")
    assert sheet.freeze_panes == f"C{top + 1}"
    assert sheet.cell(top + 1, 3).value == 120.5 and sheet.cell(top + 1, 3).number_format == "#,##0.0"


def test_the_page_queries_do_not_grow_with_the_table(world: f.World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    committee_history(world)
    client = client_for(world.leader)
    client.get(PIVOT, query(world))  # warm the session
    with django_assert_max_num_queries(25):
        client.get(PIVOT, query(world, indicators=[], year_from=2010))
