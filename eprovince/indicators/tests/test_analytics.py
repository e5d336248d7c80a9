"""Analytics on the fly: approved values only, aggregation over units and time, and the series of the current
province rolled up from the former units that make it up (the 2025 reorganisation)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from eprovince.core.constants import OrganisationKind
from eprovince.core.models import AdminUnit
from eprovince.core.services.organisations import organisation_update
from eprovince.core.services.units import units_import
from eprovince.core.testing import make_org
from eprovince.core.tests import units_testdata as td

from ..analytics import Context, scope_organisations, series
from ..constants import Aggregation, PeriodConvention, PeriodType
from ..models import Indicator
from ..periods import Period
from ..services import catalogue, rounds
from ..services.values import ValueEntry, values_import_published
from . import factories as f

pytestmark = pytest.mark.django_db

LAST_LEGACY_DAY = dt.date(2025, 6, 30)
REORG_DAY = dt.date(2025, 7, 1)


def unit(code: str, *, legacy: bool) -> AdminUnit:
    qs = AdminUnit.objects.filter(code=code)
    return qs.get(valid_to=LAST_LEGACY_DAY) if legacy else qs.get(valid_to__isnull=True)


@pytest.fixture
def reorganised(world: f.World):
    """The made-up province of core's unit tests: former Sông Hậu (10) and Cửu Long (11) merged into Sông Hậu (20)."""
    units_import(province_codes=None, source=td.source())
    organisation_update(organisation=world.province, acting_user=None, admin_unit=unit("20", legacy=False))
    organisation_update(
        organisation=world.tanchau, acting_user=None, admin_unit=unit("100", legacy=True), valid_to=LAST_LEGACY_DAY
    )
    cuu_long = make_org(
        "Sở Thông tin và Truyền thông tỉnh Cửu Long", admin_unit=unit("11", legacy=True), valid_to=dt.date(2025, 2, 28)
    )
    organisation_update(organisation=cuu_long, acting_user=None, successor=world.department)
    hon_dat = make_org(
        "Ủy ban nhân dân huyện Hòn Đất",
        kind=OrganisationKind.PEOPLES_COMMITTEE,
        admin_unit=unit("111", legacy=True),
        valid_to=LAST_LEGACY_DAY,
    )
    ward = make_org(
        "Ủy ban nhân dân phường Tân Châu",
        parent=world.province,
        kind=OrganisationKind.PEOPLES_COMMITTEE,
        admin_unit=unit("20001", legacy=False),
        valid_from=REORG_DAY,
    )
    form = catalogue.report_form_save(
        acting_user=None,
        code="HOI_NGHI",
        name="Hội nghị trực tuyến",
        owner=world.division,
        period_type=PeriodType.YEAR,
        convention=PeriodConvention.CALENDAR,
        elements=[world.elements["ONLINE_MEETINGS"]],
        organisations=[world.tanchau, hon_dat, ward, cuu_long],
    )
    for org, year, value in (
        (world.tanchau, "2023", 10),
        (world.tanchau, "2024", 12),
        (hon_dat, "2024", 5),
        (cuu_long, "2024", 7),
        (ward, "2025", 4),
    ):
        f.approved(world, form, year, org, {"ONLINE_MEETINGS": value})
    return {"form": form, "cuu_long": cuu_long, "hon_dat": hon_dat, "ward": ward}


def values_of(element, root, years=("2023", "2024", "2025")) -> list[Decimal | None]:
    return [v for _p, v in series(element, [Period.parse(y) for y in years], root)]


def test_the_current_province_adds_up_the_former_units_that_make_it_up(world: f.World, reorganised) -> None:
    meetings = world.elements["ONLINE_MEETINGS"]
    # 2024: former Tân Châu (under the province) + Hòn Đất and the Cửu Long department (former province 11 → 20)
    assert values_of(meetings, world.province) == [10, 24, 4]
    assert values_of(meetings, None) == [10, 24, 4]


def test_a_former_district_keeps_its_own_history(world: f.World, reorganised) -> None:
    assert values_of(world.elements["ONLINE_MEETINGS"], world.tanchau) == [10, 12, None]


def test_a_new_commune_does_not_take_a_district_that_was_split(world: f.World, reorganised) -> None:
    # Former Tân Châu became parts of two communes: its values belong to neither, only to the province.
    ward = reorganised["ward"]
    assert world.tanchau.pk not in scope_organisations(ward)  # type: ignore[operator]
    assert values_of(world.elements["ONLINE_MEETINGS"], ward) == [None, None, 4]


def test_a_successor_organisation_takes_its_predecessors_history(world: f.World, reorganised) -> None:
    assert values_of(world.elements["ONLINE_MEETINGS"], world.department) == [None, 7, None]


def test_only_approved_values_count_and_they_count_at_once(world: f.World) -> None:
    meetings = world.elements["ONLINE_MEETINGS"]
    round_ = f.open_round(world, world.committee_form, "2024")
    sub = f.submission(round_, world.tanchau)
    f.save(world, sub, world.officer_tanchau, {"ONLINE_MEETINGS": "11"})
    rounds.submission_submit(acting_user=world.officer_tanchau, submission=sub)
    assert values_of(meetings, None, ("2024",)) == [None]
    rounds.submission_approve(acting_user=world.reviewer, submission=sub)
    assert values_of(meetings, None, ("2024",)) == [11]
    rounds.submission_reopen(acting_user=world.reviewer, submission=sub, reason="Kiểm tra lại")
    assert values_of(meetings, None, ("2024",)) == [None]


def test_published_figures_count_as_they_are(world: f.World) -> None:
    values_import_published(
        acting_user=None,
        organisation=world.department,
        period=Period.parse("2009S1"),
        entries=[ValueEntry(world.elements["REVENUE"], Decimal("252.1"), source="Mic.gov.vn, 2009")],
    )
    assert values_of(world.elements["REVENUE"], None, ("2009S1", "2009")) == [Decimal("252.1"), Decimal("252.1")]


def test_aggregation_over_time_follows_the_element(world: f.World) -> None:
    revenue, phone = world.elements["REVENUE"], world.elements["SUB_PHONE"]
    for period, data in (
        ("2024S1", {"REVENUE": "100", "SUB_PHONE": "1000"}),
        ("2024S2", {"REVENUE": "120", "SUB_PHONE": "1100"}),
    ):
        f.approved(world, world.enterprise_form, period, world.vnpt, data)
    f.approved(world, world.enterprise_form, "2024S1", world.viettel, {"REVENUE": "50", "SUB_PHONE": "500"})
    assert values_of(revenue, None, ("2024S1", "2024")) == [150, 270]  # sums over periods and units
    assert values_of(phone, None, ("2024S1", "2024")) == [1500, 1600]  # last value of each unit, summed
    assert values_of(phone, world.vnpt, ("2024",)) == [1100]


def test_average_and_none_over_units(world: f.World) -> None:
    pct = world.elements["EMAIL_OFFICIALS_PCT"]
    f.approved(world, world.committee_form, "2024", world.tanchau, {"EMAIL_OFFICIALS_PCT": "90"})
    f.approved(world, world.committee_form, "2024", world.chauthanh, {"EMAIL_OFFICIALS_PCT": "100"})
    assert values_of(pct, None, ("2024",)) == [95]
    catalogue.data_element_save(acting_user=None, code=pct.code, aggregation=Aggregation.NONE)
    pct.refresh_from_db()
    assert values_of(pct, None, ("2024",)) == [None]
    assert values_of(pct, world.tanchau, ("2024",)) == [90]


def test_indicators_aggregate_numerator_and_denominator_first(world: f.World) -> None:
    density = catalogue.indicator_save(
        acting_user=None,
        code="PHONE_DENSITY",
        name="Mật độ thuê bao điện thoại",
        formula="#{SUB_PHONE} / #{POPULATION} * 100",
        unit="thuê bao/100 dân",
        decimals=1,
    )
    f.approved(world, world.enterprise_form, "2024S2", world.vnpt, {"SUB_PHONE": "1200"})
    f.approved(world, world.enterprise_form, "2024S2", world.viettel, {"SUB_PHONE": "2300"})
    f.approved(world, world.committee_form, "2024", world.tanchau, {"POPULATION": "1000"})
    f.approved(world, world.committee_form, "2024", world.chauthanh, {"POPULATION": "1000"})
    assert values_of(density, None, ("2024",)) == [Decimal(175)]


def test_disaggregated_values_add_up_and_can_be_read_by_option(world: f.World) -> None:
    f.approved(world, world.enterprise_form, "2024S1", world.vnpt, {"SUB_MOBILE.VNPT": "300", "SUB_MOBILE.OTHER": "20"})
    ctx = Context.for_root(None)
    mobile = world.elements["SUB_MOBILE"]
    assert ctx.element_value(mobile, Period.parse("2024S1")) == 320
    option = mobile.category_combo.options.get(code="VNPT")  # type: ignore[union-attr]
    assert ctx.element_value(mobile, Period.parse("2024S1"), option.pk) == 300
    share = Indicator(code="X", name="x", formula="#{SUB_MOBILE.VNPT} / #{SUB_MOBILE} * 100")
    assert ctx.indicator_value(share, Period.parse("2024S1"), {"SUB_MOBILE": mobile}) == Decimal(300) / 320 * 100


def test_a_yearly_level_serves_the_periods_inside_it_but_a_flow_is_not_split(world: f.World) -> None:
    f.approved(world, world.committee_form, "2009", world.tanchau, {"POPULATION": "2.150.000"})
    values_import_published(
        acting_user=None,
        organisation=world.department,
        period=Period.parse("2009S1"),
        entries=[ValueEntry(world.elements["SUB_PHONE"], Decimal(402800), source="Mic.gov.vn, 2009")],
    )
    density = catalogue.indicator_save(
        acting_user=None, code="PHONE_DENSITY", name="Mật độ", formula="#{SUB_PHONE} / #{POPULATION} * 100"
    )
    (value,) = values_of(density, None, ("2009S1",))
    assert value is not None and round(value, 2) == Decimal("18.73")
    f.approved(world, world.committee_form, "2009", world.chauthanh, {"ONLINE_MEETINGS": "12"})
    assert values_of(world.elements["ONLINE_MEETINGS"], None, ("2009S1",)) == [None]
