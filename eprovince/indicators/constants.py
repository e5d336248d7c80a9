"""Choices of the indicators app: value types, aggregation rules, period types and conventions, statuses, roles."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from eprovince.core.constants import Role


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Số nguyên")
    DECIMAL = "decimal", _("Số thập phân")
    PERCENTAGE = "percentage", _("Tỉ lệ phần trăm (0–100)")
    BOOLEAN = "boolean", _("Có/Không")


class Aggregation(models.TextChoices):
    """How values of several organisations (or, for time, several periods) combine into one."""

    SUM = "sum", _("Cộng")
    AVERAGE = "average", _("Trung bình")
    LAST = "last", _("Giá trị cuối kỳ")
    NONE = "none", _("Không tổng hợp")


class PeriodType(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    SIX_MONTHS = "six_months", _("6 tháng")
    NINE_MONTHS = "nine_months", _("9 tháng")
    YEAR = "year", _("Năm")


class PeriodConvention(models.TextChoices):
    CALENDAR = "calendar", _("Theo lịch (thống kê, Nghị định 60/2018)")
    DECREE_09 = "decree_09", _("Chốt số liệu từ ngày 15 đến ngày 14 (Nghị định 09/2019)")


class Operator(models.TextChoices):
    LE = "<=", "≤"
    LT = "<", "<"
    EQ = "==", "="
    NE = "!=", "≠"
    GE = ">=", "≥"
    GT = ">", ">"


class Severity(models.TextChoices):
    ERROR = "error", _("Lỗi (không cho nộp)")
    WARNING = "warning", _("Cảnh báo")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã nộp, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã phê duyệt")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã đóng")


class ValueChange(models.TextChoices):
    CREATE = "create", _("Nhập mới")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xóa")


class Normalisation(models.TextChoices):
    MIN_MAX = "min_max", _("Min–max giữa các đơn vị được so sánh")
    REFERENCE = "reference", _("Tỉ lệ so với giá trị tham chiếu")
    RAW = "raw", _("Điểm sẵn có trong khoảng [0, 1]")


class IndexAggregation(models.TextChoices):
    WEIGHTED_MEAN = "weighted_mean", _("Trung bình có trọng số")
    POINTS = "points", _("Tổng điểm / tổng điểm tối đa")


# Who does what. Reporting officers enter and submit their unit's values; reviewers of the Department approve or
# return (for the forms their organisation owns); Department staff read rounds and results.
REPORTER_ROLES: tuple[str, ...] = (Role.REPORTING_OFFICER,)
REVIEWER_ROLES: tuple[str, ...] = (Role.DIVISION_HEAD, Role.LEADER, Role.ADMIN)
READER_ROLES: tuple[str, ...] = (Role.SPECIALIST, *REVIEWER_ROLES)
CATALOGUE_ROLES: tuple[str, ...] = (Role.ADMIN,)

# Max digits of a stored value: 18 before the decimal point, 6 after.
VALUE_MAX_DIGITS = 24
VALUE_DECIMAL_PLACES = 6
