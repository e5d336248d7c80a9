"""Demo data of the core app: the demo province An Giang (units before and after 1 July 2025), its agencies,
enterprises and one demo account per role. Idempotent: everything is looked up by its natural key first."""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.db.models import Q

from .constants import OrganisationKind
from .demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from .models import AdminUnit, Organisation, Position, RoleAssignment, User
from .services.accounts import position_assign, role_grant, user_create
from .services.organisations import organisation_create
from .text import fold

REORG_DAY = dt.date(2025, 7, 1)
LAST_LEGACY_DAY = dt.date(2025, 6, 30)
MINISTRY_MERGE_DAY = dt.date(2025, 3, 1)


def _unit(level: str, name: str, *, legacy: bool, province: str = "An Giang") -> AdminUnit | None:
    """The unit of that level and name inside `province` (former or current): both the former An Giang and the
    former Kiên Giang had a Châu Thành district."""
    qs = AdminUnit.objects.filter(level=level, search_name=fold(name))
    qs = qs.filter(valid_to=LAST_LEGACY_DAY) if legacy else qs.filter(valid_to__isnull=True)
    if level == "district":
        qs = qs.filter(parent__search_name=fold(province))
    elif level == "commune":
        qs = qs.filter(Q(parent__search_name=fold(province)) | Q(parent__parent__search_name=fold(province)))
    return qs.order_by("pk").first()


# Each entry: a key for the demo accounts, the organisation's fields, its parent/successor keys and its unit
# (level, name, legacy?).
# Electronic codes here are demonstration values in the shape of Decision 20/2020/QĐ-TTg, not official ones.
ORGANISATIONS: list[dict[str, Any]] = [
    {
        "key": "UBND-TINH",
        "name": "Ủy ban nhân dân tỉnh An Giang",
        "short_name": "UBND tỉnh",
        "kind": OrganisationKind.PEOPLES_COMMITTEE,
        "unit": ("province", "An Giang", False),
        "electronic_code": "000.00.00.H01",
    },
    {
        "key": "SO",
        "name": "Sở Khoa học và Công nghệ tỉnh An Giang",
        "short_name": "Sở KH&CN",
        "kind": OrganisationKind.DEPARTMENT,
        "parent": "UBND-TINH",
        "unit": ("province", "An Giang", False),
        "electronic_code": "000.20.00.H01",
        "valid_from": MINISTRY_MERGE_DAY,
    },
    {
        "key": "SO-TTTT",
        "name": "Sở Thông tin và Truyền thông tỉnh An Giang",
        "short_name": "Sở TT&TT An Giang",
        "kind": OrganisationKind.DEPARTMENT,
        "parent": "UBND-TINH",
        "unit": ("province", "An Giang", True),
        "electronic_code": "000.21.00.H01",
        "valid_from": dt.date(2008, 4, 1),
        "valid_to": dt.date(2025, 2, 28),
        "successor": "SO",
    },
    {
        "key": "SO-VP",
        "name": "Văn phòng Sở",
        "short_name": "Văn phòng",
        "kind": OrganisationKind.DIVISION,
        "parent": "SO",
        "electronic_code": "000.20.01.H01",
        "valid_from": MINISTRY_MERGE_DAY,
    },
    {
        "key": "SO-BCVT",
        "name": "Phòng Bưu chính, Viễn thông",
        "short_name": "Phòng BCVT",
        "kind": OrganisationKind.DIVISION,
        "parent": "SO",
        "electronic_code": "000.20.02.H01",
        "valid_from": MINISTRY_MERGE_DAY,
    },
    {
        "key": "SO-CDS",
        "name": "Phòng Công nghệ thông tin và Chuyển đổi số",
        "short_name": "Phòng CNTT&CĐS",
        "kind": OrganisationKind.DIVISION,
        "parent": "SO",
        "electronic_code": "000.20.03.H01",
        "valid_from": MINISTRY_MERGE_DAY,
    },
    {
        "key": "SO-TTRA",
        "name": "Thanh tra Sở",
        "short_name": "Thanh tra",
        "kind": OrganisationKind.DIVISION,
        "parent": "SO",
        "electronic_code": "000.20.04.H01",
        "valid_from": MINISTRY_MERGE_DAY,
    },
    {
        "key": "SO-TTTT-KG",
        "name": "Sở Thông tin và Truyền thông tỉnh Kiên Giang",
        "short_name": "Sở TT&TT Kiên Giang",
        "kind": OrganisationKind.DEPARTMENT,
        "unit": ("province", "Kiên Giang", True),
        "electronic_code": "000.21.00.H33",
        "valid_to": dt.date(2025, 2, 28),
        "successor": "SO",
    },
    {
        "key": "UBND-TANCHAU",
        "name": "Ủy ban nhân dân thị xã Tân Châu",
        "short_name": "UBND TX Tân Châu",
        "kind": OrganisationKind.PEOPLES_COMMITTEE,
        "parent": "UBND-TINH",
        "unit": ("district", "Tân Châu", True),
        "electronic_code": "000.00.05.H01",
        "valid_to": LAST_LEGACY_DAY,
    },
    {
        "key": "UBND-CHAUTHANH",
        "name": "Ủy ban nhân dân huyện Châu Thành",
        "short_name": "UBND H. Châu Thành",
        "kind": OrganisationKind.PEOPLES_COMMITTEE,
        "parent": "UBND-TINH",
        "unit": ("district", "Châu Thành", True),
        "electronic_code": "000.00.09.H01",
        "valid_to": LAST_LEGACY_DAY,
    },
    {
        "key": "UBND-LONGXUYEN",
        "name": "Ủy ban nhân dân phường Long Xuyên",
        "short_name": "UBND P. Long Xuyên",
        "kind": OrganisationKind.PEOPLES_COMMITTEE,
        "parent": "UBND-TINH",
        "unit": ("commune", "Long Xuyên", False),
        "electronic_code": "000.01.01.H01",
        "valid_from": REORG_DAY,
    },
    {
        "key": "VNPT",
        "name": "VNPT An Giang",
        "short_name": "VNPT",
        "kind": OrganisationKind.ENTERPRISE,
        "tax_code": "0100684378-089",
    },
    {
        "key": "VIETTEL",
        "name": "Viettel An Giang – Chi nhánh Tập đoàn Công nghiệp – Viễn thông Quân đội",
        "short_name": "Viettel",
        "kind": OrganisationKind.ENTERPRISE,
        "tax_code": "0100109106-054",
    },
    {"key": "MOBIFONE", "name": "MobiFone tỉnh An Giang", "short_name": "MobiFone", "kind": OrganisationKind.ENTERPRISE},
    {"key": "VNPOST", "name": "Bưu điện tỉnh An Giang", "short_name": "Bưu điện", "kind": OrganisationKind.ENTERPRISE},
]


def _load_units(stdout: TextIO) -> None:
    try:
        from .demo_units import load_demo_units
    except ImportError:  # pragma: no cover - the loader ships with the app
        stdout.write("  Chưa có bộ nạp đơn vị hành chính.")
        return
    load_demo_units()
    stdout.write(f"  Đơn vị hành chính: {AdminUnit.objects.count()}")


def _load_organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        existing = Organisation.objects.filter(name=spec["name"]).first()
        if existing is not None:
            orgs[spec["key"]] = existing
            continue
        unit = None
        if "unit" in spec:
            level, name, legacy = spec["unit"]
            unit = _unit(level, name, legacy=legacy)
        orgs[spec["key"]] = organisation_create(
            acting_user=None,
            reason="Dữ liệu trình diễn",
            name=spec["name"],
            short_name=spec.get("short_name", ""),
            kind=spec["kind"],
            parent=orgs.get(spec.get("parent", "")),
            admin_unit=unit,
            electronic_code=spec.get("electronic_code", ""),
            tax_code=spec.get("tax_code", ""),
            valid_from=spec.get("valid_from"),
            valid_to=spec.get("valid_to"),
        )
    for spec in ORGANISATIONS:
        if spec.get("successor"):
            org = orgs[spec["key"]]
            if org.successor_id is None:
                Organisation.objects.filter(pk=org.pk).update(successor=orgs[spec["successor"]])
    return orgs


def _load_accounts(orgs: dict[str, Organisation]) -> None:
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = user_create(
                acting_user=None,
                username=account.username,
                password=DEMO_PASSWORD,
                full_name=account.full_name,
                email=f"{account.username}@demo.eprovince.local",
                is_staff=account.role == "admin",
                is_superuser=account.role == "admin",
                reason="Dữ liệu trình diễn",
            )
        org = orgs.get(account.organisation) if account.organisation else None
        if not RoleAssignment.objects.filter(user=user, role=account.role, organisation=org).exists():
            role_grant(user=user, role=account.role, organisation=org, acting_user=None, reason="Dữ liệu trình diễn")
        if org is not None and account.title and not Position.objects.filter(user=user, organisation=org).exists():
            position_assign(user=user, organisation=org, title=account.title, acting_user=None)
    # The business account reports for its enterprise, too.
    business = User.objects.get(username="doanhnghiep")
    if not RoleAssignment.objects.filter(user=business, role="reporting_officer", organisation=orgs["VNPT"]).exists():
        role_grant(
            user=business, role="reporting_officer", organisation=orgs["VNPT"], acting_user=None, reason="Dữ liệu trình diễn"
        )


def load(stdout: TextIO) -> None:
    _load_units(stdout)
    orgs = _load_organisations()
    stdout.write(f"  Cơ quan, tổ chức: {Organisation.objects.count()}")
    _load_accounts(orgs)
    stdout.write(f"  Tài khoản: {User.objects.count()}")
