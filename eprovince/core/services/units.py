"""Loading administrative units and their successions from the national datasets (see `core.units_data`).

Legacy units (63 provinces, districts, communes) are valid until 30 June 2025 with an unknown start; current units
(34 provinces and their communes) from 1 July 2025. Each unit is upserted by its natural key (code, level,
valid_from); successions by their (predecessor, successor) pair. Running an import twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ..constants import AuditAction, UnitLevel
from ..models import AdminUnit, UnitSuccession, User
from ..text import fold
from ..units_data import InstalledUnitsSource, LinkRecord, UnitRecord, UnitsDataError, UnitsDataset, UnitsSource
from .audit import audit_record

LEGACY_VALID_TO = dt.date(2025, 6, 30)
REFORM_DATE = dt.date(2025, 7, 1)
LEVELS = (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)
_PARENT_LEVEL: dict[str, str] = {UnitLevel.DISTRICT: UnitLevel.PROVINCE, UnitLevel.COMMUNE: UnitLevel.DISTRICT}
# What each kind of link rests on (Resolution 202/2025/QH15 on the provinces, the 2025 Law on the Organisation of Local
# Government which ended the district level, the Standing Committee's resolutions on each province's communes).
LEGAL_BASIS: dict[str, str] = {
    UnitLevel.PROVINCE: "Nghị quyết số 202/2025/QH15 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh",
    UnitLevel.DISTRICT: "Luật Tổ chức chính quyền địa phương số 72/2025/QH15",
    UnitLevel.COMMUNE: "Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã năm 2025",
}
_BATCH = 500

Key = tuple[str, str]  # (level, code)


@dataclass
class ImportReport:
    province_codes: list[str] | None
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(UnitLevel.values, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(UnitLevel.values, 0))
    unchanged: int = 0
    legacy_units: int = 0
    current_units: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    successions_removed: int = 0
    successions_unchanged: int = 0
    seconds: float = 0.0

    @property
    def changes(self) -> int:
        return (
            sum(self.created.values())
            + sum(self.updated.values())
            + self.successions_created
            + self.successions_updated
            + self.successions_removed
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "province_codes": self.province_codes,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": self.unchanged,
            "legacy_units": self.legacy_units,
            "current_units": self.current_units,
            "successions_created": self.successions_created,
            "successions_updated": self.successions_updated,
            "successions_removed": self.successions_removed,
            "successions_unchanged": self.successions_unchanged,
            "changes": self.changes,
        }

    def lines(self) -> list[str]:
        """The report in the user's language (Vietnamese by default), one line each."""
        scope = ", ".join(self.province_codes) if self.province_codes else _("toàn quốc")
        levels = {UnitLevel.PROVINCE: _("cấp tỉnh"), UnitLevel.DISTRICT: _("cấp huyện"), UnitLevel.COMMUNE: _("cấp xã")}
        lines = [
            _("Phạm vi: %(scope)s.") % {"scope": scope},
            _("Đơn vị trước 01/07/2025: %(legacy)d; đơn vị từ 01/07/2025: %(current)d.")
            % {"legacy": self.legacy_units, "current": self.current_units},
        ]
        for level in LEVELS:
            lines.append(
                _("Đơn vị %(level)s: thêm mới %(created)d, cập nhật %(updated)d.")
                % {"level": levels[level], "created": self.created[level], "updated": self.updated[level]}
            )
        lines += [
            _("Đơn vị không thay đổi: %(count)d.") % {"count": self.unchanged},
            _("Quan hệ kế thừa: thêm mới %(created)d, cập nhật %(updated)d, xóa %(removed)d, không đổi %(unchanged)d.")
            % {
                "created": self.successions_created,
                "updated": self.successions_updated,
                "removed": self.successions_removed,
                "unchanged": self.successions_unchanged,
            },
            _("Tổng số thay đổi: %(changes)d (%(seconds).1f giây).") % {"changes": self.changes, "seconds": self.seconds},
        ]
        return lines


def units_import(
    *, province_codes: list[str] | None, acting_user: User | None = None, source: UnitsSource | None = None
) -> ImportReport:
    """Load or update legacy and current units and their successions, for the whole country (`province_codes=None`)
    or for the given current provinces together with every legacy province that merged (wholly or partly) into them.

    Raises `UnitsDataError` when the data is malformed or a code is unknown; nothing is then changed.
    """
    started = time.monotonic()
    dataset = (source or InstalledUnitsSource()).read()
    _check(dataset)
    links = _derive_links(dataset)
    legacy, current = _scope(dataset, links, province_codes)
    links = {k: v for k, v in links.items() if (k[0], k[1]) in legacy and (k[2], k[3]) in current}

    report = ImportReport(province_codes=sorted(province_codes) if province_codes is not None else None)
    report.legacy_units, report.current_units = len(legacy), len(current)
    with transaction.atomic():
        legacy_ids = _sync_units(
            [r for r in dataset.legacy if (r.level, r.code) in legacy],
            valid_from=None,
            valid_to=LEGACY_VALID_TO,
            source=dataset.legacy_source,
            report=report,
        )
        current_ids = _sync_units(
            [r for r in dataset.current if (r.level, r.code) in current],
            valid_from=REFORM_DATE,
            valid_to=None,
            source=dataset.current_source,
            report=report,
        )
        _sync_successions(links, legacy_ids, current_ids, report)
        report.seconds = round(time.monotonic() - started, 2)
        if report.changes == 0:
            # A re-import that finds everything as it is changes nothing, so it records nothing.
            return report
        audit_record(
            actor=acting_user,
            action=AuditAction.IMPORT,
            after=report.as_dict(),
            object_repr=_("Nhập đơn vị hành chính (%(scope)s)")
            % {"scope": ", ".join(report.province_codes) if report.province_codes else _("toàn quốc")},
        )
    return report


def _check(dataset: UnitsDataset) -> None:
    """Every code unique within its period, every parent and every link pointing at a unit of the right level."""
    for label, records, levels in (
        ("legacy", dataset.legacy, set(LEVELS)),
        ("current", dataset.current, {UnitLevel.PROVINCE, UnitLevel.COMMUNE}),
    ):
        keys: set[Key] = set()
        for r in records:
            if r.level not in levels or not r.code or not r.name.strip() or len(r.code) > 10:
                raise UnitsDataError(_("Bản ghi đơn vị không hợp lệ: %(record)r") % {"record": r})
            if (r.level, r.code) in keys:
                raise UnitsDataError(_("Mã đơn vị bị trùng: %(level)s %(code)s") % {"level": r.level, "code": r.code})
            keys.add((r.level, r.code))
        for r in records:
            expected = _PARENT_LEVEL.get(r.level)
            if r.level == UnitLevel.COMMUNE and label == "current":
                expected = UnitLevel.PROVINCE
            if (expected is None) != (r.parent_code is None) or (expected is not None and (expected, r.parent_code) not in keys):
                raise UnitsDataError(_("Đơn vị cấp trên không hợp lệ: %(record)r") % {"record": r})
    legacy_keys = {(r.level, r.code) for r in dataset.legacy}
    current_keys = {(r.level, r.code) for r in dataset.current}
    for link in dataset.links:
        if (link.old_level, link.old_code) not in legacy_keys or (link.new_level, link.new_code) not in current_keys:
            raise UnitsDataError(_("Quan hệ kế thừa tham chiếu đơn vị không tồn tại: %(link)r") % {"link": link})


# (old level, old code, new level, new code) → (partial, source)
Links = dict[tuple[str, str, str, str], tuple[bool, str]]


def _derive_links(dataset: UnitsDataset) -> Links:
    """The given commune links, plus district → commune and province → province links derived from them.

    A commune link is partial when the data says so or when the old commune went to several new ones; a district or
    province link is partial when the old unit went to several successors."""
    legacy_parent = {(r.level, r.code): r.parent_code or "" for r in dataset.legacy}
    current_parent = {(r.level, r.code): r.parent_code or "" for r in dataset.current}
    given: dict[Key, dict[Key, LinkRecord]] = defaultdict(dict)
    for record in dataset.links:
        given[(record.old_level, record.old_code)][(record.new_level, record.new_code)] = record

    derived: dict[Key, dict[Key, str]] = defaultdict(dict)  # district or province → successor → source
    links: Links = {}
    for old, successors in given.items():
        for new, record in successors.items():
            links[(*old, *new)] = (record.partial or len(successors) > 1, record.source)
            district: Key = (UnitLevel.DISTRICT, legacy_parent[old]) if old[0] == UnitLevel.COMMUNE else old
            if old[0] != UnitLevel.DISTRICT:  # a district given directly (no communes) needs nothing derived
                derived[district].setdefault(new, record.source)
            province: Key = (UnitLevel.PROVINCE, legacy_parent[district])
            new_province: Key = (UnitLevel.PROVINCE, current_parent[new]) if new[0] == UnitLevel.COMMUNE else new
            derived[province].setdefault(new_province, record.source)
    for old, targets in derived.items():
        for new, source in targets.items():
            links[(*old, *new)] = (len(targets) > 1, source)
    return links


def _scope(dataset: UnitsDataset, links: Links, province_codes: list[str] | None) -> tuple[set[Key], set[Key]]:
    """The (level, code) of the legacy and current units to load."""
    if province_codes is None:
        return {(r.level, r.code) for r in dataset.legacy}, {(r.level, r.code) for r in dataset.current}
    provinces = {code.strip() for code in province_codes}
    known = {r.code for r in dataset.current if r.level == UnitLevel.PROVINCE}
    if unknown := provinces - known:
        raise UnitsDataError(_("Không có tỉnh, thành phố hiện hành với mã: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    current = {(r.level, r.code) for r in dataset.current if r.code in provinces or r.parent_code in provinces}
    old_provinces = {
        old_code
        for (old_level, old_code, new_level, new_code) in links
        if old_level == UnitLevel.PROVINCE and new_level == UnitLevel.PROVINCE and new_code in provinces
    }
    districts = {r.code for r in dataset.legacy if r.level == UnitLevel.DISTRICT and r.parent_code in old_provinces}
    legacy = {
        (r.level, r.code)
        for r in dataset.legacy
        if (r.level == UnitLevel.PROVINCE and r.code in old_provinces)
        or (r.level == UnitLevel.DISTRICT and r.code in districts)
        or (r.level == UnitLevel.COMMUNE and r.parent_code in districts)
    }
    return legacy, current


def _chunks(items: list[Any], size: int = _BATCH) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_UNIT_FIELDS = ("name", "kind", "parent_id", "search_name", "source", "valid_to")
_LINK_FIELDS = ("partial", "source", "legal_basis")


def _rows(qs: QuerySet[Any], key: str, wanted: Collection[Any]) -> list[tuple[Any, ...]]:
    """(id, key, *fields) of the rows of `qs`: only those whose `key` is wanted when few are, else all of them."""
    fields = _UNIT_FIELDS if qs.model is AdminUnit else ("successor_id", *_LINK_FIELDS)
    qs = qs.values_list("id", key, *fields)
    if len(wanted) > _BATCH:
        return list(qs)
    keys = [w.code for w in wanted] if key == "code" else list(wanted)
    return list(qs.filter(**{f"{key}__in": keys}))


def _sync_units(
    records: list[UnitRecord],
    *,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    source: str,
    report: ImportReport,
) -> dict[Key, int]:
    """Upsert one period's units, level by level (parents first); returns their ids by (level, code)."""
    ids: dict[Key, int] = {}
    parent_levels = dict(_PARENT_LEVEL)
    if valid_from is not None:  # current communes sit directly under their province
        parent_levels[UnitLevel.COMMUNE] = UnitLevel.PROVINCE
    for level in LEVELS:
        wanted = [r for r in records if r.level == level]
        if not wanted:
            continue
        existing = {row[1]: row for row in _rows(AdminUnit.objects.filter(level=level, valid_from=valid_from), "code", wanted)}
        to_create: list[AdminUnit] = []
        to_update: list[AdminUnit] = []
        for r in wanted:
            values = {
                "name": r.name,
                "kind": r.kind,
                "parent_id": ids[(parent_levels[level], r.parent_code)] if r.parent_code else None,
                "search_name": fold(r.name),
                "source": source,
                "valid_to": valid_to,
            }
            row = existing.get(r.code)
            if row is None:
                to_create.append(AdminUnit(code=r.code, level=level, valid_from=valid_from, **values))
                continue
            ids[(level, r.code)] = row[0]
            if row[2:] != tuple(values.values()):
                to_update.append(AdminUnit(pk=row[0], code=r.code, level=level, valid_from=valid_from, **values))
            else:
                report.unchanged += 1
        created = AdminUnit.objects.bulk_create(to_create, batch_size=_BATCH)
        AdminUnit.objects.bulk_update(to_update, list(_UNIT_FIELDS), batch_size=_BATCH)
        if any(u.pk is None for u in created):  # a backend that does not return ids from bulk inserts
            fresh = dict(AdminUnit.objects.filter(level=level, valid_from=valid_from).values_list("code", "id"))
            for u in created:
                u.pk = fresh[u.code]
        ids.update({(level, u.code): u.pk for u in created})
        report.created[level] += len(created)
        report.updated[level] += len(to_update)
    return ids


def _sync_successions(links: Links, legacy_ids: dict[Key, int], current_ids: dict[Key, int], report: ImportReport) -> None:
    wanted: dict[tuple[int, int], tuple[bool, str, str]] = {}
    for (old_level, old_code, new_level, new_code), (partial, source) in links.items():
        pair = (legacy_ids[(old_level, old_code)], current_ids[(new_level, new_code)])
        wanted[pair] = (partial, source, LEGAL_BASIS[old_level])
    legacy_set, current_set = set(legacy_ids.values()), set(current_ids.values())
    existing = {
        (row[1], row[2]): row
        for row in _rows(UnitSuccession.objects.filter(effective_on=REFORM_DATE), "predecessor_id", legacy_set)
        if row[1] in legacy_set and row[2] in current_set
    }
    to_create: list[UnitSuccession] = []
    to_update: list[UnitSuccession] = []
    for (pred, succ), (partial, source, basis) in wanted.items():
        row = existing.get((pred, succ))
        if row is None:
            to_create.append(
                UnitSuccession(
                    predecessor_id=pred,
                    successor_id=succ,
                    effective_on=REFORM_DATE,
                    partial=partial,
                    source=source,
                    legal_basis=basis,
                )
            )
        elif row[3:] != (partial, source, basis):
            to_update.append(UnitSuccession(pk=row[0], partial=partial, source=source, legal_basis=basis))
        else:
            report.successions_unchanged += 1
    # Links an earlier import made that the data no longer has (hand-entered links, without a source, stay).
    stale = [row[0] for pair, row in existing.items() if pair not in wanted and row[4]]
    UnitSuccession.objects.bulk_create(to_create, batch_size=_BATCH)
    UnitSuccession.objects.bulk_update(to_update, list(_LINK_FIELDS), batch_size=_BATCH)
    for chunk in _chunks(stale):
        UnitSuccession.objects.filter(pk__in=chunk).delete()
    report.successions_created = len(to_create)
    report.successions_updated = len(to_update)
    report.successions_removed = len(stale)
