"""Results against targets, phrased as the articles phrase them, with Vietnamese number formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from ..periods import Period
from ..results import achieved_phrase, change_phrase, format_number, results
from ..services import catalogue
from . import factories as f

D = Decimal


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(4020, 0, "4.020"), (D("252.1"), 1, "252,1"), (D("175"), 1, "175,0"), (D("64000000"), 0, "64.000.000"), (None, 0, "—")],
)
def test_numbers_are_written_the_vietnamese_way(value, decimals, text) -> None:
    assert format_number(value, decimals) == text


def test_phrases() -> None:
    assert achieved_phrase(D(4020) / D(3941) * 100) == "đạt 102% kế hoạch"
    assert achieved_phrase(D(61)) == "đạt 61% kế hoạch"
    assert achieved_phrase(D("55.2"), whole_year=False) == "đạt 55% kế hoạch năm"
    assert change_phrase((D(402800) - D(397866)) / D(397866) * 100) == "tăng 1,24% so cùng kỳ"
    assert change_phrase((D(4521) - D(4472)) / D(4472) * 100) == "tăng 1,1% so cùng kỳ"
    assert change_phrase(D("-3.5")) == "giảm 3,5% so cùng kỳ"
    assert change_phrase(D("0.001")) == "bằng cùng kỳ"
    assert change_phrase(None) == ""


@pytest.mark.django_db
def test_results_give_actual_target_and_change(world: f.World) -> None:
    e = world.elements
    f.approved(world, world.enterprise_form, "2012S2", world.vnpt, {"REVENUE": "3900"})
    f.approved(world, world.enterprise_form, "2013S1", world.vnpt, {"REVENUE": "2000", "SUB_PHONE": "397.866"})
    f.approved(world, world.enterprise_form, "2013S2", world.vnpt, {"REVENUE": "2020"})
    catalogue.target_set(
        acting_user=world.reviewer, year=2013, element=e["REVENUE"], value=D(3941), source_decision="Kế hoạch năm 2013"
    )
    rows = {r.code: r for r in results(period=Period.parse("2013"), indicators=[])}
    assert set(rows) == {"REVENUE", "SUB_PHONE"}  # elements with a value or a target
    row = rows["REVENUE"]
    assert (row.code, row.actual_display, row.target_display) == ("REVENUE", "4.020,0", "3.941,0")
    assert row.achieved_text == "đạt 102% kế hoạch" and row.change_text == "tăng 3,08% so cùng kỳ"
    assert row.sentence == "Doanh thu bưu chính, viễn thông, CNTT: 4.020,0 tỷ đồng, đạt 102% kế hoạch, tăng 3,08% so cùng kỳ"


@pytest.mark.django_db
def test_an_indicator_row_and_a_missing_target(world: f.World) -> None:
    catalogue.indicator_save(
        acting_user=None,
        code="PHONE_DENSITY",
        name="Mật độ thuê bao điện thoại",
        formula="#{SUB_PHONE} / #{POPULATION} * 100",
        unit="thuê bao/100 dân",
        decimals=1,
    )
    f.approved(world, world.enterprise_form, "2024S2", world.vnpt, {"SUB_PHONE": "3.500"})
    f.approved(world, world.committee_form, "2024", world.tanchau, {"POPULATION": "2.000"})
    row = next(r for r in results(period=Period.parse("2024")) if r.code == "PHONE_DENSITY")
    assert row.actual_display == "175,0" and row.target is None and row.achieved_text == "" and row.change_text == ""


@pytest.mark.django_db
def test_targets_are_set_by_reviewers_and_need_one_subject(world: f.World) -> None:
    with pytest.raises(PermissionDenied):
        catalogue.target_set(acting_user=world.officer_vnpt, year=2024, element=world.elements["BTS"], value=D(10))
    with pytest.raises(ValidationError):
        catalogue.target_set(acting_user=None, year=2024, value=D(10))
    first = catalogue.target_set(acting_user=world.reviewer, year=2024, element=world.elements["BTS"], value=D(10))
    second = catalogue.target_set(acting_user=world.reviewer, year=2024, element=world.elements["BTS"], value=D(12))
    assert first.pk == second.pk and second.value == 12


@pytest.mark.django_db
def test_a_change_indicator_is_not_compared_with_itself_and_percent_units_stick(world: f.World) -> None:
    catalogue.indicator_save(
        acting_user=None,
        code="GROWTH",
        name="Tăng trưởng",
        formula="(#{BTS} - last_year(#{BTS})) / last_year(#{BTS}) * 100",
        unit="%",
        decimals=2,
    )
    for period, value in (("2022S1", "100"), ("2023S1", "110"), ("2024S1", "121")):
        f.approved(world, world.enterprise_form, period, world.vnpt, {"BTS": value})
    row = next(r for r in results(period=Period.parse("2024S1")) if r.code == "GROWTH")
    assert row.actual_display == "10,00" and row.change_text == "" and row.sentence == "Tăng trưởng: 10,00%"
