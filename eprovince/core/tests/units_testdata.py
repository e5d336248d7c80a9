"""A small, made-up dataset of administrative units for the edge cases the national data cannot pin down.

Two legacy provinces (10 Sông Hậu, 11 Cửu Long) merge into the current province 20 Sông Hậu:

    10 Sông Hậu ── 100 Thị xã Tân Châu ── 10001 Xã Long Phú        → 20001 Phường Tân Châu
               │                       └─ 10002 Phường Long Sơn   → 20001 Phường Tân Châu (part), 20002 Xã Chợ Mới (part)
               └─ 101 Huyện Chợ Mới ──── 10101 Xã Kiến An         → 20002 Xã Chợ Mới
                                     └── 10102 Xã Tấn Châu        → 20002 Xã Chợ Mới
    11 Cửu Long ── 110 Huyện Đảo Ngọc (no communes)               → 20003 Đặc khu Đảo Ngọc
               └─ 111 Huyện Hòn Đất ── 11101 Xã Bình Sơn          → 20002 Xã Chợ Mới
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from eprovince.core.constants import UnitLevel
from eprovince.core.units_data import LinkRecord, UnitRecord, UnitsDataset

P, D, C = UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE

LEGACY = (
    UnitRecord("10", P, "Sông Hậu", "Tỉnh"),
    UnitRecord("11", P, "Cửu Long", "Tỉnh"),
    UnitRecord("100", D, "Tân Châu", "Thị xã", "10"),
    UnitRecord("101", D, "Chợ Mới", "Huyện", "10"),
    UnitRecord("110", D, "Đảo Ngọc", "Huyện", "11"),
    UnitRecord("111", D, "Hòn Đất", "Huyện", "11"),
    UnitRecord("10001", C, "Long Phú", "Xã", "100"),
    UnitRecord("10002", C, "Long Sơn", "Phường", "100"),
    UnitRecord("10101", C, "Kiến An", "Xã", "101"),
    UnitRecord("10102", C, "Tấn Châu", "Xã", "101"),
    UnitRecord("11101", C, "Bình Sơn", "Xã", "111"),
)
CURRENT = (
    UnitRecord("20", P, "Sông Hậu", "Tỉnh"),
    UnitRecord("20001", C, "Tân Châu", "Phường", "20"),
    UnitRecord("20002", C, "Chợ Mới", "Xã", "20"),
    UnitRecord("20003", C, "Đảo Ngọc", "Đặc khu", "20"),
)


def _link(old_level: str, old: str, new: str, partial: bool = False) -> LinkRecord:
    return LinkRecord(old_level, old, C, new, partial, "test")


LINKS = (
    _link(C, "10001", "20001"),
    _link(C, "10002", "20001", partial=True),
    _link(C, "10002", "20002", partial=True),
    _link(C, "10101", "20002"),
    _link(C, "10102", "20002"),
    _link(C, "11101", "20002"),
    _link(D, "110", "20003"),
)


def dataset(**changes: object) -> UnitsDataset:
    base = UnitsDataset(LEGACY, CURRENT, LINKS, "test-legacy", "test-current")
    return replace(base, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class StaticSource:
    """A `UnitsSource` returning the given dataset."""

    data: UnitsDataset

    def read(self) -> UnitsDataset:
        return self.data


def source(**changes: object) -> StaticSource:
    return StaticSource(dataset(**changes))
