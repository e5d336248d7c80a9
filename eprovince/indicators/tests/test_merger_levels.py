"""Levels across the 2025 reorganisation: a former district's stock at 30/06/2025 is inside its successor commune's
stock at 31/12/2025, so the province's 2025 figure of a "last" element counts it once (analytics, the database
path, the pivot, results and the dashboard alike); a flow adds both halves; the former district keeps its own
history; a former unit whose successor has not reported, or that has none in the scope, still counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from eprovince.core.constants import OrganisationKind
from eprovince.core.models import AdminUnit, Organisation
from eprovince.core.services.organisations import organisation_update
from eprovince.core.services.units import units_import
from eprovince.core.testing import make_org
from eprovince.core.tests import units_testdata as td

from ..analytics import Context, aggregate_in_database, scope_organisations, series
from ..dashboard import key_rows
from ..models import DataElement
from ..periods import Period
from ..pivot import PROVINCE, pivot, scope_totals
from ..results import element_results, results
from ..services import catalogue
from ..services.values import ValueEntry, values_import_published
from . import factories as f

pytestmark = pytest.mark.django_db

LAST_LEGACY_DAY = dt.date(2025, 6, 30)
REORG_DAY = dt.date(2025, 7, 1)
YEARS = [Period.parse(y) for y in ("2024", "2025")]


def unit(code: str, *, legacy: bool) -> AdminUnit:
    qs = AdminUnit.objects.filter(code=code)
    return qs.get(valid_to=LAST_LEGACY_DAY) if legacy else qs.get(valid_to__isnull=True)


def publish(org: Organisation, period: str, data: dict[DataElement, int]) -> None:
    entries = [ValueEntry(element=e, raw=v, source="Thử nghiệm") for e, v in data.items()]
    values_import_published(acting_user=None, organisation=org, period=Period.parse(period), entries=entries)


@pytest.fixture
def merged(world: f.World) -> dict[str, Organisation]:
    """Former Tân Châu (district 100, ended 30/06/2025) and the ward that took over its communes (20001)."""
    units_import(province_codes=None, source=td.source())
    organisation_update(organisation=world.province, acting_user=None, admin_unit=unit("20", legacy=False))
    organisation_update(
        organisation=world.tanchau, acting_user=None, admin_unit=unit("100", legacy=True), valid_to=LAST_LEGACY_DAY
    )
    ward = make_org(
        "Ủy ban nhân dân phường Tân Châu",
        parent=world.province,
        kind=OrganisationKind.PEOPLES_COMMITTEE,
        admin_unit=unit("20001", legacy=False),
        valid_from=REORG_DAY,
    )
    world.tanchau.refresh_from_db()
    world.province.refresh_from_db()
    return {"district": world.tanchau, "ward": ward}


@pytest.mark.parametrize("handover", ["2025S1", "2025Q2", "202506"])
def test_a_level_handed_over_counts_once_in_the_year(world: f.World, merged, handover: str) -> None:
    bts, revenue = world.elements["BTS"], world.elements["REVENUE"]
    district, ward = merged["district"], merged["ward"]
    publish(district, "2024", {bts: 900, revenue: 50})
    publish(district, handover, {bts: 1000, revenue: 30})
    publish(ward, "2025S2", {bts: 1100, revenue: 40})

    # analytics (Python) for the province, the whole platform, the former district alone
    assert [v for _p, v in series(bts, YEARS, world.province)] == [900, 1100]
    assert [v for _p, v in series(bts, YEARS, None)] == [900, 1100]
    assert [v for _p, v in series(bts, YEARS, district)] == [900, 1000]
    assert [v for _p, v in series(bts, YEARS, ward)] == [None, 1100]
    # a flow adds both halves
    assert [v for _p, v in series(revenue, YEARS, world.province)] == [50, 70]
    # the half-year of the handover is before the end date: unaffected
    first_half = Period.parse("2025S1")
    assert [v for _p, v in series(bts, [first_half], world.province)] == [1000]

    # the database path (yearly summary and raw values) gives the same figures
    scopes = {PROVINCE: None, world.province.pk: scope_organisations(world.province), district.pk: scope_organisations(district)}
    for use_summary in (True, False):
        found = scope_totals(elements=[bts, revenue], scopes=scopes, period_ids=["2024", "2025"], use_summary=use_summary)
        assert found[(bts.pk, None, PROVINCE, "2025")] == (Decimal(1100), 1)
        assert found[(bts.pk, None, world.province.pk, "2025")] == (Decimal(1100), 1)
        assert found[(bts.pk, None, district.pk, "2025")] == (Decimal(1000), 1)
        assert found[(bts.pk, None, world.province.pk, "2024")] == (Decimal(900), 1)
        assert found[(revenue.pk, None, world.province.pk, "2025")] == (Decimal(70), 2)
    contexts = {1: Context.for_root(world.province), 2: Context.for_root(district)}
    aggregate_in_database(contexts, [bts], YEARS)
    assert contexts[1].element_value(bts, YEARS[1]) == 1100
    assert contexts[2].element_value(bts, YEARS[1]) == 1000

    # the pivot, by years and by halves
    for period_type, period, expected in (("year", "2025", 1100), ("six_months", "2025S2", 1100), ("six_months", "2025S1", 1000)):
        table = pivot(
            indicator_ids=[bts.pk],
            unit_ids=[PROVINCE, world.province.pk, district.pk],
            period_type=period_type,
            year_from=2024,
            year_to=2025,
        )
        assert table.value(indicator=bts.pk, unit=PROVINCE, period=period) == expected
        assert table.value(indicator=bts.pk, unit=world.province.pk, period=period) == expected
        assert table.value(indicator=bts.pk, unit=district.pk, period=period) == (None if period == "2025S2" else 1000)
    year_table = pivot(indicator_ids=[bts.pk], unit_ids=[world.province.pk], period_type="year", year_from=2024, year_to=2025)
    assert year_table.value(indicator=bts.pk, unit=world.province.pk, period="2024") == 900

    # results and the dashboard's key figures
    (row,) = element_results(period=YEARS[1], root=world.province, elements=[bts])
    assert (row.actual, row.last_year) == (1100, 900)
    (row,) = element_results(period=YEARS[1], root=district, elements=[bts])
    assert row.actual == 1000
    (row,) = element_results(period=Period.parse("2025S2"), root=world.province, elements=[bts])
    assert row.actual == 1100


def test_a_former_unit_counts_while_its_successor_has_not_reported(world: f.World, merged) -> None:
    bts = world.elements["BTS"]
    district = merged["district"]
    publish(district, "2025S1", {bts: 1000})
    publish(world.chauthanh, "2025S2", {bts: 300})  # active, but not a successor of Tân Châu
    assert [v for _p, v in series(bts, YEARS[1:], world.province)] == [1300]
    found = scope_totals(elements=[bts], scopes={PROVINCE: None}, period_ids=["2025"])
    assert found[(bts.pk, None, PROVINCE, "2025")] == (Decimal(1300), 2)


def test_an_organisation_taking_over_by_its_successor_link(world: f.World) -> None:
    bts = world.elements["BTS"]
    former = make_org("Sở Thông tin và Truyền thông tỉnh An Giang", parent=world.province, valid_to=dt.date(2025, 2, 28))
    organisation_update(organisation=former, acting_user=None, successor=world.department)
    publish(former, "202502", {bts: 10})
    publish(world.department, "2025", {bts: 12})
    assert [v for _p, v in series(bts, YEARS[1:], world.department)] == [12]
    assert [v for _p, v in series(bts, YEARS[1:], None)] == [12]
    # February ends on its last day: both count (the department's yearly level held for the month)
    assert [v for _p, v in series(bts, [Period.parse("202502")], None)] == [22]
    assert [v for _p, v in series(bts, [Period.parse("2025Q1")], None)] == [12]
    assert [v for _p, v in series(bts, YEARS[1:], former)] == [10]
    found = scope_totals(
        elements=[bts], scopes={PROVINCE: None, world.department.pk: scope_organisations(world.department)}, period_ids=["2025"]
    )
    assert found[(bts.pk, None, PROVINCE, "2025")] == (Decimal(12), 1)
    assert found[(bts.pk, None, world.department.pk, "2025")] == (Decimal(12), 1)


def test_the_dashboard_and_the_results_of_an_indicator(world: f.World, merged) -> None:
    bts = world.elements["BTS"]
    catalogue.indicator_save(acting_user=None, code="BTS_PER_WARD", name="Trạm BTS", formula="#{BTS}", unit="trạm", decimals=0)
    publish(merged["district"], "2024", {bts: 900})
    publish(merged["district"], "2025S1", {bts: 1000})
    publish(merged["ward"], "2025S2", {bts: 1100})
    rows = {r.code: r for r in key_rows(2025, world.province)}
    assert (rows["BTS_PER_WARD"].actual, rows["BTS_PER_WARD"].last_year) == (1100, 900)
    (row,) = [r for r in results(period=YEARS[1], root=merged["district"]) if r.code == "BTS_PER_WARD"]
    assert row.actual == 1000
