"""Choices shared by the whole platform: unit levels, organisation kinds, roles, audit actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DIVISION = "division", _("Phòng, đơn vị trực thuộc")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    MINISTRY = "ministry", _("Bộ, cơ quan trung ương")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    OTHER = "other", _("Khác")


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp")
    ONESTOP_CLERK = "onestop_clerk", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    DIVISION_HEAD = "division_head", _("Trưởng phòng")
    LEADER = "leader", _("Lãnh đạo Sở")
    DOCUMENT_CLERK = "document_clerk", _("Văn thư")
    REPORTING_OFFICER = "reporting_officer", _("Cán bộ báo cáo của đơn vị")
    EDITOR = "editor", _("Biên tập viên")
    CHIEF_EDITOR = "chief_editor", _("Trưởng ban biên tập")
    ADMIN = "admin", _("Quản trị hệ thống")


# Roles held by people outside the administration; everyone else is staff.
PUBLIC_ROLES = frozenset({Role.CITIZEN, Role.BUSINESS})


class AuditAction(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Cập nhật")
    DELETE = "delete", _("Xóa")
    TRANSITION = "transition", _("Chuyển trạng thái")
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOCKED = "locked", _("Khóa tài khoản")
    LOGOUT = "logout", _("Đăng xuất")
    IMPORT = "import", _("Nhập dữ liệu")
    GRANT = "grant", _("Cấp quyền")
    REVOKE = "revoke", _("Thu hồi quyền")
    DOWNLOAD = "download", _("Tải về")
