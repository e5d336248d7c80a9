"""Reading Vietnam's administrative units from the maintained PyPI datasets, without importing their heavy parts.

- Current units (34 provinces and their communes/wards, valid from 1 July 2025): `vietnam_provinces`,
  `data/nested-divisions.json`.
- Legacy units (63 provinces, their districts and communes, until 30 June 2025): `vietnamadminunits`,
  the `admin_units_legacy` table of `data/dataset.db` (read with sqlite3; importing the package itself would pull in
  shapely and geopy).
- Old commune → new commune links: the official conversion table shipped by `vietnam_provinces`
  (`_ward_conversion_2025`, keyed by the Statistics Office codes, with a "partly merged" flag). Legacy units it does
  not cover (a few communes and the island districts that had no communes) fall back to `vietnamadminunits`'
  `data/converter_2025.json`, whose links are keyed by folded names and so are resolved to codes here.

Everything is returned as plain records (`UnitsDataset`); `services.units.units_import` validates and stores them.
Tests pass their own `UnitsSource` to feed small or broken data.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, util
from pathlib import Path
from typing import Any, Protocol

from django.utils.translation import gettext as _

from .constants import UnitLevel


@dataclass(frozen=True, slots=True)
class UnitRecord:
    code: str
    level: str
    name: str  # without the kind: "An Giang", "Tân Châu", "Phường 1" (numbered units keep their kind)
    kind: str  # "Tỉnh", "Thành phố", "Thị xã", "Huyện", "Phường", "Xã", "Thị trấn", "Đặc khu"
    parent_code: str | None = None


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """All (or, when `partial`, part) of the legacy unit `old_code` became the current unit `new_code`."""

    old_level: str
    old_code: str
    new_level: str
    new_code: str
    partial: bool
    source: str


@dataclass(frozen=True)
class UnitsDataset:
    legacy: tuple[UnitRecord, ...]
    current: tuple[UnitRecord, ...]
    # Links of legacy communes (and of districts that had no communes) to current communes; links of districts and
    # provinces are derived from these.
    links: tuple[LinkRecord, ...]
    legacy_source: str
    current_source: str


class UnitsDataError(ValueError):
    """The data source is missing, malformed or inconsistent."""


class UnitsSource(Protocol):
    def read(self) -> UnitsDataset: ...


def _package_dir(name: str) -> Path:
    spec = util.find_spec(name)  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise UnitsDataError(_("Không tìm thấy gói dữ liệu %(name)s.") % {"name": name})
    return Path(next(iter(spec.submodule_search_locations)))


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "?"


def _split_kind(full_name: str, kind: str) -> tuple[str, str]:
    """("Phường Ba Đình", "phường") → ("Ba Đình", "Phường"); numbered units keep their kind: ("Phường 1", "Phường")."""
    kind = kind.strip()
    kind = kind[:1].upper() + kind[1:]
    if full_name.lower().startswith(kind.lower() + " "):
        rest = full_name[len(kind) + 1 :].strip()
        if rest and not rest.isdigit():
            return rest, kind
        return kind + " " + rest, kind
    return full_name.strip(), kind


_CURRENT_KINDS = {"thành phố trung ương": "Thành phố"}


def read_current(path: Path) -> tuple[UnitRecord, ...]:
    """Provinces and communes of `vietnam_provinces`' nested-divisions.json."""
    with path.open(encoding="utf-8") as fh:
        provinces = json.load(fh)
    records: list[UnitRecord] = []
    for province in provinces:
        pcode = f"{int(province['code']):02d}"
        kind = _CURRENT_KINDS.get(province["division_type"], province["division_type"])
        name, kind = _split_kind(province["name"], kind)
        records.append(UnitRecord(pcode, UnitLevel.PROVINCE, name, kind))
        for ward in province["wards"]:
            name, kind = _split_kind(ward["name"], ward["division_type"])
            records.append(UnitRecord(f"{int(ward['code']):05d}", UnitLevel.COMMUNE, name, kind, pcode))
    return tuple(records)


def _legacy_rows(db_path: Path) -> list[sqlite3.Row]:
    if not db_path.is_file():
        raise UnitsDataError(_("Không tìm thấy tệp dữ liệu %(path)s.") % {"path": db_path})
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        conn.row_factory = sqlite3.Row
        return conn.execute(
            "SELECT province, provinceShort, provinceCode, provinceKey, district, districtShort, districtType, "
            "districtCode, districtKey, ward, wardType, wardCode, wardKey FROM admin_units_legacy"
        ).fetchall()
    finally:
        conn.close()


def read_legacy(rows: list[sqlite3.Row]) -> tuple[UnitRecord, ...]:
    """Provinces, districts and communes of `vietnamadminunits`' admin_units_legacy table (one row per commune)."""
    records: dict[tuple[str, str], UnitRecord] = {}
    for row in rows:
        pcode, dcode = row["provinceCode"], row["districtCode"]
        province_kind = row["province"][: -len(row["provinceShort"])].strip() or "Tỉnh"
        records.setdefault(
            (UnitLevel.PROVINCE, pcode), UnitRecord(pcode, UnitLevel.PROVINCE, row["provinceShort"], province_kind)
        )
        name, kind = _split_kind(row["district"], row["districtType"])
        records.setdefault((UnitLevel.DISTRICT, dcode), UnitRecord(dcode, UnitLevel.DISTRICT, name, kind, pcode))
        if row["wardCode"]:
            name, kind = _split_kind(row["ward"], row["wardType"])
            records[(UnitLevel.COMMUNE, row["wardCode"])] = UnitRecord(row["wardCode"], UnitLevel.COMMUNE, name, kind, dcode)
    return tuple(records.values())


def read_official_links(source: str) -> tuple[LinkRecord, ...]:
    """The conversion table shipped by `vietnam_provinces` since 2026 (old commune code → new commune codes)."""
    from vietnam_provinces import _ward_conversion_2025 as conversion  # data-only module, imported on demand

    links: list[LinkRecord] = []
    for entry in conversion.OLD_TO_NEW.values():
        old = entry.old_ward
        partial = bool(old.is_partly_merged) or len(entry.new_wards) > 1
        for new in entry.new_wards:
            links.append(LinkRecord(UnitLevel.COMMUNE, f"{old.code:05d}", UnitLevel.COMMUNE, f"{new.code:05d}", partial, source))
    return tuple(links)


def read_converter_links(converter_path: Path, db_path: Path, rows: list[sqlite3.Row], source: str) -> tuple[LinkRecord, ...]:
    """`vietnamadminunits`' converter data, its name keys resolved to codes through its own tables."""
    with converter_path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    old_by_key: dict[str, tuple[str, str]] = {}
    for row in rows:
        key = f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey'] or ''}"
        if row["wardCode"]:
            old_by_key[key] = (UnitLevel.COMMUNE, row["wardCode"])
        else:
            old_by_key[key] = (UnitLevel.DISTRICT, row["districtCode"])
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        new_by_key = {(p, w): c for p, w, c in conn.execute("SELECT provinceKey, wardKey, wardCode FROM admin_units")}
    finally:
        conn.close()

    links: list[LinkRecord] = []

    def add(old_key: str, province_key: str, ward_key: str, partial: bool) -> None:
        old, new_code = old_by_key.get(old_key), new_by_key.get((province_key, ward_key))
        if old is None or new_code is None:
            raise UnitsDataError(
                _("Bảng chuyển đổi tham chiếu đơn vị không có trong dữ liệu: %(old)s → %(new)s.")
                % {"old": old_key, "new": ward_key}
            )
        links.append(LinkRecord(old[0], old[1], UnitLevel.COMMUNE, new_code, partial, source))

    for province_key, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            for old_key in old_keys:
                add(old_key, province_key, ward_key, False)
    for province_key, divided in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, new_wards in divided.items():
            for new in new_wards:
                add(old_key, province_key, new["newWardKey"], True)
    return tuple(links)


@dataclass(frozen=True)
class PackageUnitsSource:
    """The installed packages' data files; each path can be overridden (tests point them at broken files)."""

    current_json: Path | None = None
    legacy_db: Path | None = None
    converter_json: Path | None = None
    official_links: bool = True

    def read(self) -> UnitsDataset:
        try:
            return self._read()
        except UnitsDataError:
            raise
        except (OSError, ValueError, KeyError, TypeError, IndexError, sqlite3.Error) as exc:
            raise UnitsDataError(_("Dữ liệu đơn vị hành chính không đọc được: %(error)r") % {"error": exc}) from exc

    def _read(self) -> UnitsDataset:
        vam_data = _package_dir("vietnamadminunits") / "data"
        current_json = self.current_json or _package_dir("vietnam_provinces") / "data" / "nested-divisions.json"
        legacy_db = self.legacy_db or vam_data / "dataset.db"
        converter_json = self.converter_json or vam_data / "converter_2025.json"
        current_source = f"vietnam-provinces {_version('vietnam-provinces')}"
        legacy_source = f"vietnamadminunits {_version('vietnamadminunits')}"

        rows = _legacy_rows(legacy_db)
        legacy = read_legacy(rows)
        current = read_current(current_json)
        fallback = read_converter_links(converter_json, legacy_db, rows, legacy_source)
        try:
            official = read_official_links(f"{current_source} (bảng chuyển đổi 2025)") if self.official_links else ()
        except ImportError:  # an older vietnam-provinces without the conversion table
            official = ()
        covered = {(link.old_level, link.old_code) for link in official}
        extra = tuple(link for link in fallback if (link.old_level, link.old_code) not in covered)
        return UnitsDataset(legacy, current, official + extra, legacy_source, current_source)


@lru_cache(maxsize=1)
def _installed_dataset() -> UnitsDataset:
    return PackageUnitsSource().read()


class InstalledUnitsSource:
    """The installed packages, read once per process (the files do not change while it runs)."""

    def read(self) -> UnitsDataset:
        return _installed_dataset()


def dataset_summary(dataset: UnitsDataset) -> dict[str, Any]:
    def count(records: tuple[UnitRecord, ...], level: str) -> int:
        return sum(1 for r in records if r.level == level)

    return {
        "legacy": {level: count(dataset.legacy, level) for level in UnitLevel.values},
        "current": {level: count(dataset.current, level) for level in UnitLevel.values},
        "links": len(dataset.links),
    }
