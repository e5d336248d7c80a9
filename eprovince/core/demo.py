"""Demo accounts, one per role: created by `load_demo`, listed on the login page in demo mode only."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DEMO_PASSWORD = "demo-eProvince-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    description: str | Promise
    # Short name of the organisation the role is held for (None: the whole platform).
    organisation: str | None
    title: str = ""


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("quantri", "Nguyễn Văn Quản", "admin", _("Quản trị hệ thống"), None, "Quản trị viên"),
    DemoAccount("lanhdao", "Trần Minh Thuận", "leader", _("Lãnh đạo Sở"), "SO", "Giám đốc Sở"),
    DemoAccount(
        "truongphong", "Lê Thị Hạnh", "division_head", _("Trưởng phòng Bưu chính, Viễn thông"), "SO-BCVT", "Trưởng phòng"
    ),
    DemoAccount(
        "chuyenvien", "Phạm Quốc Bảo", "specialist", _("Chuyên viên phòng Bưu chính, Viễn thông"), "SO-BCVT", "Chuyên viên"
    ),
    DemoAccount("motcua", "Võ Thị Ngọc", "onestop_clerk", _("Cán bộ một cửa của Sở"), "SO", "Cán bộ tiếp nhận"),
    DemoAccount("vanthu", "Đặng Thu Trang", "document_clerk", _("Văn thư Sở"), "SO-VP", "Văn thư"),
    DemoAccount("bientap", "Huỳnh Diễm", "editor", _("Biên tập viên cổng thông tin"), "SO", "Biên tập viên"),
    DemoAccount("truongbbt", "Hoàng Vũ", "chief_editor", _("Trưởng ban biên tập"), "SO", "Trưởng ban biên tập"),
    DemoAccount(
        "baocao_tanchau",
        "Ngô Văn Tâm",
        "reporting_officer",
        _("Cán bộ báo cáo UBND thị xã Tân Châu (trước 2025)"),
        "UBND-TANCHAU",
        "Chuyên viên",
    ),
    DemoAccount(
        "baocao_chauthanh",
        "Lý Thị Mai",
        "reporting_officer",
        _("Cán bộ báo cáo UBND huyện Châu Thành"),
        "UBND-CHAUTHANH",
        "Chuyên viên",
    ),
    DemoAccount("doanhnghiep", "Công ty Viễn thông An Giang", "business", _("Doanh nghiệp (chi nhánh viễn thông)"), None),
    DemoAccount("congdan", "Nguyễn Thị Lan", "citizen", _("Công dân"), None),
]
