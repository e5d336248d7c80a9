"""Reading units: what existed on a date, what became of it, search."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eprovince.core.constants import UnitLevel
from eprovince.core.demo_units import DEMO_PROVINCE_CODE, load_demo_units
from eprovince.core.models import AdminUnit, UnitSuccession
from eprovince.core.selectors.units import (
    unit_children,
    unit_predecessors,
    unit_search,
    unit_successors,
    units_valid_on,
)
from eprovince.core.services.units import REFORM_DATE, units_import
from eprovince.core.text import fold

from . import units_testdata as td

pytestmark = pytest.mark.django_db

DAY_2009 = dt.date(2009, 1, 15)
# The whole range hypothesis draws dates from: before, around and long after the reorganisation.
dates = st.dates(min_value=dt.date(1976, 1, 1), max_value=dt.date(2100, 12, 31))
db_settings = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture
def an_giang() -> dict[str, AdminUnit]:
    load_demo_units()
    legacy = AdminUnit.objects.filter(valid_from=None)
    return {
        "new": AdminUnit.objects.get(level=UnitLevel.PROVINCE, code=DEMO_PROVINCE_CODE, valid_from=REFORM_DATE),
        "old": legacy.get(level=UnitLevel.PROVINCE, code="89"),
        "kien_giang": legacy.get(level=UnitLevel.PROVINCE, code="91"),
        "tan_chau": legacy.get(level=UnitLevel.DISTRICT, code="887"),
    }


def names(units: object) -> list[str]:
    return [str(u) for u in units]  # type: ignore[attr-defined]


# --- Which units existed on a date ----------------------------------------------------------------------------------


def test_units_that_existed_on_15_january_2009(an_giang: dict[str, AdminUnit]) -> None:
    districts = units_valid_on(DAY_2009, parent=an_giang["old"])
    assert "Thị xã Tân Châu" in names(districts)
    assert districts.count() == 11
    assert set(units_valid_on(DAY_2009, level=UnitLevel.PROVINCE)) == {an_giang["old"], an_giang["kien_giang"]}
    # No commune of the 2025 reorganisation existed yet.
    assert not units_valid_on(DAY_2009).filter(valid_from=REFORM_DATE).exists()
    assert not units_valid_on(DAY_2009, parent=an_giang["new"]).exists()


def test_units_valid_today_are_the_new_ones(an_giang: dict[str, AdminUnit]) -> None:
    assert list(units_valid_on(level=UnitLevel.PROVINCE)) == [an_giang["new"]]
    assert units_valid_on(parent=an_giang["new"]).count() == 102
    assert not units_valid_on(level=UnitLevel.DISTRICT).exists()
    assert units_valid_on(dt.date(2025, 6, 30), level=UnitLevel.PROVINCE).count() == 2


def test_children(an_giang: dict[str, AdminUnit]) -> None:
    assert unit_children(an_giang["tan_chau"]).count() == an_giang["tan_chau"].children.count() > 0
    assert not unit_children(an_giang["tan_chau"], on=REFORM_DATE).exists()


# --- Successors and predecessors ------------------------------------------------------------------------------------


def test_former_tan_chau_district_maps_to_current_communes_of_new_an_giang(an_giang: dict[str, AdminUnit]) -> None:
    current = unit_successors(an_giang["tan_chau"])

    assert {"Phường Tân Châu", "Phường Long Phú"} <= set(names(current))
    assert all(u.level == UnitLevel.COMMUNE and u.parent == an_giang["new"] for u in current)
    assert all(u.is_valid_on(dt.date.today()) for u in current)
    # Before the reorganisation it was its own answer.
    assert list(unit_successors(an_giang["tan_chau"], on=DAY_2009)) == [an_giang["tan_chau"]]


def test_former_kien_giang_maps_to_new_an_giang(an_giang: dict[str, AdminUnit]) -> None:
    assert list(unit_successors(an_giang["kien_giang"])) == [an_giang["new"]]
    assert set(unit_predecessors(an_giang["new"])) == {an_giang["old"], an_giang["kien_giang"]}
    assert not UnitSuccession.objects.get(predecessor=an_giang["kien_giang"]).partial


def test_successors_follow_several_reorganisations() -> None:
    # 1999: huyện A; 2009: split into thị xã B (the rest elsewhere); 2025: B merged into phường C.
    a = AdminUnit.objects.create(code="1", level=UnitLevel.DISTRICT, name="A", kind="Huyện", valid_to=dt.date(2008, 12, 31))
    b = AdminUnit.objects.create(
        code="2", level=UnitLevel.DISTRICT, name="B", kind="Thị xã", valid_from=dt.date(2009, 1, 1), valid_to=dt.date(2025, 6, 30)
    )
    c = AdminUnit.objects.create(code="3", level=UnitLevel.COMMUNE, name="C", kind="Phường", valid_from=REFORM_DATE)
    UnitSuccession.objects.create(predecessor=a, successor=b, effective_on=dt.date(2009, 1, 1), partial=True)
    UnitSuccession.objects.create(predecessor=b, successor=c, effective_on=REFORM_DATE)

    assert list(unit_successors(a)) == [c]
    assert list(unit_successors(a, on=dt.date(2010, 1, 1))) == [b]
    assert list(unit_successors(a, on=dt.date(2000, 1, 1))) == [a]
    assert not unit_successors(c, on=dt.date(2000, 1, 1)).exists()  # did not exist yet
    assert list(unit_predecessors(c)) == [b]


# --- Search ---------------------------------------------------------------------------------------------------------


def test_search_ignores_diacritics(an_giang: dict[str, AdminUnit]) -> None:
    assert unit_search("kien giang").first() == an_giang["kien_giang"]
    assert unit_search("KIÊN GIANG").first() == an_giang["kien_giang"]
    assert an_giang["tan_chau"] in unit_search("tan chau")
    assert list(unit_search("thi xa tan chau")) == [an_giang["tan_chau"]]
    assert "Phường Tân Châu" in names(unit_search("tân châu", on=dt.date.today()))
    assert not unit_search("   ").exists()


def test_search_ranks_exact_diacritics_first() -> None:
    units_import(province_codes=None, source=td.source())

    assert names(unit_search("Tấn Châu")) == ["Xã Tấn Châu", "Thị xã Tân Châu", "Phường Tân Châu"]
    assert names(unit_search("Tân Châu"))[-1] == "Xã Tấn Châu"
    # Without diacritics nothing is exact: current units come before former ones.
    assert names(unit_search("tan chau", level=UnitLevel.COMMUNE)) == ["Phường Tân Châu", "Xã Tấn Châu"]


# --- Laws -----------------------------------------------------------------------------------------------------------


@given(text=st.text(max_size=40))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@db_settings
@given(day=dates)
def test_a_unit_and_its_successor_are_never_valid_on_the_same_day(an_giang: dict[str, AdminUnit], day: dt.date) -> None:
    valid = set(units_valid_on(day).values_list("pk", flat=True))
    links = UnitSuccession.objects.values_list("predecessor_id", "successor_id")
    assert not [link for link in links if link[0] in valid and link[1] in valid]
    # And each day has exactly one period's provinces: the two former ones or the new one.
    assert len(units_valid_on(day, level=UnitLevel.PROVINCE)) in {1, 2}


@db_settings
@given(day=dates, index=st.integers(min_value=0))
def test_successors_exist_on_the_day_asked(an_giang: dict[str, AdminUnit], day: dt.date, index: int) -> None:
    legacy = list(AdminUnit.objects.filter(valid_from=None).order_by("pk"))
    unit = legacy[index % len(legacy)]
    successors = list(unit_successors(unit, on=day))
    assert successors and all(u.is_valid_on(day) for u in successors)


@db_settings
@given(data=st.data())
def test_every_unit_is_found_by_its_folded_name_and_first_by_its_exact_name(
    an_giang: dict[str, AdminUnit], data: st.DataObject
) -> None:
    unit = data.draw(st.sampled_from(list(AdminUnit.objects.order_by("pk"))))
    assert unit in unit_search(fold(unit.name))
    assert unit_search(unit.name).first().name == unit.name  # type: ignore[union-attr]
