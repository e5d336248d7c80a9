"""Importing administrative units: real package data for the demo province and the country, small data for edge cases."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from eprovince.core.constants import AuditAction, UnitLevel
from eprovince.core.demo_units import DEMO_PROVINCE_CODE, load_demo_units
from eprovince.core.models import AdminUnit, AuditEvent, UnitSuccession
from eprovince.core.services import units as units_service
from eprovince.core.services.units import LEGACY_VALID_TO, REFORM_DATE, units_import
from eprovince.core.testing import make_user
from eprovince.core.text import fold
from eprovince.core.units_data import PackageUnitsSource, UnitRecord, UnitsDataError

from . import units_testdata as td

pytestmark = pytest.mark.django_db


def db_state() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    units = list(
        AdminUnit.objects.order_by("level", "code", "valid_from").values_list(
            "code", "level", "name", "kind", "parent__code", "search_name", "source", "valid_from", "valid_to"
        )
    )
    links = list(
        UnitSuccession.objects.order_by("predecessor__code", "successor__code").values_list(
            "predecessor__code", "successor__code", "effective_on", "partial", "legal_basis", "source"
        )
    )
    return units, links


def unit(code: str, level: str, *, current: bool) -> AdminUnit:
    return AdminUnit.objects.get(code=code, level=level, valid_from=REFORM_DATE if current else None)


# --- The demo province, from the installed packages -----------------------------------------------------------------


def test_demo_province_loads_new_an_giang_and_the_provinces_that_merged_into_it() -> None:
    load_demo_units()

    legacy_provinces = AdminUnit.objects.filter(level=UnitLevel.PROVINCE, valid_from=None)
    assert sorted(legacy_provinces.values_list("code", "name")) == [("89", "An Giang"), ("91", "Kiên Giang")]
    assert set(legacy_provinces.values_list("valid_to", flat=True)) == {LEGACY_VALID_TO}
    an_giang = unit(DEMO_PROVINCE_CODE, UnitLevel.PROVINCE, current=True)
    assert (an_giang.full_name, an_giang.valid_from, an_giang.valid_to) == ("Tỉnh An Giang", REFORM_DATE, None)
    assert AdminUnit.objects.filter(level=UnitLevel.PROVINCE).count() == 3

    districts = AdminUnit.objects.filter(level=UnitLevel.DISTRICT)
    assert districts.filter(parent__code="89").count() == 11  # Long Xuyên, Châu Đốc, Tân Châu, Tịnh Biên, 7 huyện
    assert districts.filter(parent__code="91").count() == 15
    assert str(districts.get(code="887")) == "Thị xã Tân Châu"
    new_communes = AdminUnit.objects.filter(level=UnitLevel.COMMUNE, parent=an_giang)
    assert new_communes.count() == 102
    assert set(new_communes.values_list("kind", flat=True)) == {"Phường", "Xã", "Đặc khu"}
    assert not AdminUnit.objects.filter(level=UnitLevel.COMMUNE, valid_from=REFORM_DATE).exclude(parent=an_giang).exists()
    assert all(u.search_name == fold(u.name) for u in AdminUnit.objects.all())

    # Every former unit leads somewhere, every new commune comes from somewhere.
    assert not AdminUnit.objects.filter(valid_from=None, successor_links__isnull=True).exists()
    assert not new_communes.filter(predecessor_links__isnull=True).exists()


def test_import_is_idempotent() -> None:
    first = units_import(province_codes=[DEMO_PROVINCE_CODE])
    before = db_state()
    second = units_import(province_codes=[DEMO_PROVINCE_CODE])

    assert first.changes == sum(first.created.values()) + first.successions_created > 0
    assert second.changes == 0
    assert second.unchanged == first.legacy_units + first.current_units
    assert second.successions_unchanged == first.successions_created
    assert db_state() == before


def test_import_writes_one_audit_event_with_the_report() -> None:
    admin = make_user("quantri", "admin")
    report = units_import(province_codes=[DEMO_PROVINCE_CODE], acting_user=admin)

    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.actor == admin
    assert event.after is not None and event.after["changes"] == report.changes
    assert event.after["province_codes"] == [DEMO_PROVINCE_CODE]


def test_whole_country() -> None:
    report = units_import(province_codes=None)

    counts = {
        (valid_from is None, level): AdminUnit.objects.filter(level=level, valid_from=valid_from).count()
        for valid_from in (None, REFORM_DATE)
        for level in UnitLevel.values
    }
    assert counts[(True, UnitLevel.PROVINCE)] == 63
    assert counts[(False, UnitLevel.PROVINCE)] == 34
    assert counts[(False, UnitLevel.DISTRICT)] == 0
    assert counts[(True, UnitLevel.DISTRICT)] > 690 and counts[(True, UnitLevel.COMMUNE)] > 10_000
    assert counts[(False, UnitLevel.COMMUNE)] == 3321
    assert report.seconds < 30
    # Each former province went wholly into one current province.
    province_links = UnitSuccession.objects.filter(predecessor__level=UnitLevel.PROVINCE)
    assert province_links.count() == 63 and not province_links.filter(partial=True).exists()
    assert set(province_links.values_list("successor__level", flat=True)) == {UnitLevel.PROVINCE}


def test_unknown_province_code_is_refused() -> None:
    with pytest.raises(UnitsDataError, match="99"):
        units_import(province_codes=["99"])
    assert not AdminUnit.objects.exists()


# --- Edge cases, from a small dataset -------------------------------------------------------------------------------


def test_links_are_derived_for_districts_and_provinces() -> None:
    units_import(province_codes=None, source=td.source())

    links = {(pred, succ): partial for pred, succ, _, partial, _, _ in db_state()[1]}
    assert links[("10001", "20001")] is False
    assert links[("10002", "20001")] is True and links[("10002", "20002")] is True
    # A district's successors are the new communes covering its former communes; partial when there are several.
    assert links[("100", "20001")] is True and links[("100", "20002")] is True
    assert links[("101", "20002")] is False
    assert links[("110", "20003")] is False  # an island district without communes maps directly
    assert links[("10", "20")] is False and links[("11", "20")] is False
    assert len(links) == 7 + 4 + 2  # given; derived for districts 100 (2), 101, 111; derived for provinces
    legal_basis = UnitSuccession.objects.get(predecessor__code="10").legal_basis
    assert "202/2025/QH15" in legal_basis


def test_limited_load_takes_the_legacy_provinces_that_merged_into_the_province() -> None:
    other = UnitRecord("30", UnitLevel.PROVINCE, "Tây Đô", "Thành phố")
    data = td.source(current=(*td.CURRENT, other, UnitRecord("30001", UnitLevel.COMMUNE, "Ninh Kiều", "Phường", "30")))

    report = units_import(province_codes=["20"], source=data)

    assert report.legacy_units == len(td.LEGACY) and report.current_units == len(td.CURRENT)
    assert not AdminUnit.objects.filter(code__startswith="30").exists()


def test_changed_data_updates_only_what_changed() -> None:
    units_import(province_codes=None, source=td.source())
    renamed = tuple(
        r if r.code != "20002" else UnitRecord("20002", r.level, "Chợ Mới A", r.kind, r.parent_code) for r in td.CURRENT
    )
    # Xã Kiến An now went only partly to Chợ Mới; the link of Tấn Châu is gone.
    links = tuple(
        replace(link, partial=link.old_code == "10101" or link.partial) for link in td.LINKS if link.old_code != "10102"
    )

    report = units_import(province_codes=None, source=td.source(current=renamed, links=links))

    assert report.updated == {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 0, UnitLevel.COMMUNE: 1}
    assert sum(report.created.values()) == 0
    assert (report.successions_updated, report.successions_removed) == (1, 1)  # 10101 now partial; 10102 gone
    changed = unit("20002", UnitLevel.COMMUNE, current=True)
    assert (changed.name, changed.search_name) == ("Chợ Mới A", "cho moi a")


def test_links_entered_by_hand_survive_a_reimport() -> None:
    units_import(province_codes=None, source=td.source())
    UnitSuccession.objects.create(
        predecessor=unit("10102", UnitLevel.COMMUNE, current=False),
        successor=unit("20003", UnitLevel.COMMUNE, current=True),
        effective_on=REFORM_DATE,
        partial=True,
        legal_basis="Nhập tay",
    )

    report = units_import(province_codes=None, source=td.source())

    assert report.successions_removed == 0
    assert UnitSuccession.objects.filter(legal_basis="Nhập tay").exists()


# --- Failures change nothing ----------------------------------------------------------------------------------------


def test_a_malformed_data_file_changes_nothing(tmp_path: Any) -> None:
    units_import(province_codes=None, source=td.source())
    before = db_state()
    broken = tmp_path / "nested-divisions.json"
    broken.write_text('[{"name": "Tỉnh An Giang", "code": 91, "wards": [', encoding="utf-8")

    with pytest.raises(UnitsDataError):
        units_import(province_codes=None, source=PackageUnitsSource(current_json=broken))
    missing_field = tmp_path / "missing.json"
    missing_field.write_text(json.dumps([{"name": "Tỉnh An Giang", "code": 91}]), encoding="utf-8")
    with pytest.raises(UnitsDataError):
        units_import(province_codes=None, source=PackageUnitsSource(current_json=missing_field))

    assert db_state() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"links": (*td.LINKS, td._link(UnitLevel.COMMUNE, "10001", "29999"))},  # successor that does not exist
        {"legacy": (*td.LEGACY, UnitRecord("10003", UnitLevel.COMMUNE, "Mồ Côi", "Xã", "999"))},  # parent missing
        {"legacy": (*td.LEGACY, td.LEGACY[0])},  # duplicate code
        {"current": (*td.CURRENT, UnitRecord("20004", UnitLevel.COMMUNE, " ", "Xã", "20"))},  # no name
    ],
)
def test_inconsistent_data_changes_nothing(changes: dict[str, Any]) -> None:
    units_import(province_codes=None, source=td.source())
    before = db_state()

    with pytest.raises(UnitsDataError):
        units_import(province_codes=None, source=td.source(**changes))

    assert db_state() == before


def test_a_failure_during_the_writes_rolls_everything_back(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(**kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(units_service, "audit_record", fail)
    with pytest.raises(RuntimeError):
        units_import(province_codes=None, source=td.source())

    assert not AdminUnit.objects.exists() and not UnitSuccession.objects.exists()


# --- The management command -----------------------------------------------------------------------------------------


def test_load_units_command_prints_the_report_in_vietnamese() -> None:
    out = io.StringIO()
    call_command("load_units", "--province", DEMO_PROVINCE_CODE, stdout=out)
    call_command("load_units", "--province", DEMO_PROVINCE_CODE, stdout=(again := io.StringIO()))

    assert "Đơn vị cấp xã: thêm mới 400" in out.getvalue()
    assert "Tổng số thay đổi: 0" in again.getvalue()
    with pytest.raises(CommandError, match="không có thay đổi nào"):
        call_command("load_units", "--province", "99", stdout=io.StringIO())
    assert AdminUnit.objects.filter(valid_from=REFORM_DATE, level=UnitLevel.PROVINCE).count() == 1
