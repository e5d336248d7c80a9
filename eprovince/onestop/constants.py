"""Choices of the one-stop shop: online levels, form field types, process steps and actions, dossier statuses."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from eprovince.core.constants import Role


class OnlineLevel(models.TextChoices):
    """Decree 42/2022/NĐ-CP, art. 11."""

    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")


class LegacyLevel(models.IntegerChoices):
    """The levels 1-4 in force before Decree 42/2022, kept for historical statistics."""

    LEVEL_1 = 1, _("Mức độ 1")
    LEVEL_2 = 2, _("Mức độ 2")
    LEVEL_3 = 3, _("Mức độ 3")
    LEVEL_4 = 4, _("Mức độ 4")


class ResultType(models.TextChoices):
    LICENCE = "licence", _("Giấy phép")
    CERTIFICATE = "certificate", _("Giấy chứng nhận")
    CONFIRMATION = "confirmation", _("Văn bản xác nhận")
    DECISION = "decision", _("Quyết định")
    OTHER = "other", _("Khác")


class FormFieldType(models.TextChoices):
    TEXT = "text", _("Văn bản")
    NUMBER = "number", _("Số")
    DATE = "date", _("Ngày")
    CHOICE = "choice", _("Lựa chọn")
    FILE = "file", _("Tệp đính kèm")
    ADDRESS = "address", _("Địa chỉ (đơn vị hành chính)")


class FormFieldPrefill(models.TextChoices):
    """What a text field of the form starts with when an applicant starts a draft (from their account)."""

    NAME = "name", _("Tên doanh nghiệp, tổ chức (công dân: họ và tên)")
    ID_NUMBER = "id_number", _("Mã số doanh nghiệp (công dân: số định danh, nếu có)")


class StepKind(models.TextChoices):
    RECEPTION = "reception", _("Tiếp nhận")
    HANDLING = "handling", _("Xử lý")
    INTER_AGENCY = "inter_agency", _("Liên thông")
    APPROVAL = "approval", _("Phê duyệt")
    RESULT = "result", _("Trả kết quả")


class ActionCode(models.TextChoices):
    ACCEPT = "accept", _("Tiếp nhận")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    RECEIVE_SUPPLEMENT = "receive_supplement", _("Nhận hồ sơ bổ sung")
    REFUSE = "refuse", _("Từ chối")
    ASSIGN = "assign", _("Phân công")
    FORWARD = "forward", _("Chuyển bước tiếp theo")
    RETURN = "return", _("Trả lại bước trước")
    APPROVE = "approve", _("Phê duyệt")
    ISSUE_RESULT = "issue_result", _("Ban hành kết quả")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    WITHDRAW = "withdraw", _("Rút hồ sơ")


class DossierStatus(models.TextChoices):
    """OpenCPS-like statuses. The status of a dossier in a step follows the step's kind (see workflow.py)."""

    DRAFT = "draft", _("Đang soạn")
    NEW = "new", _("Mới nộp, chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    WAITING_SUPPLEMENT = "waiting_supplement", _("Chờ bổ sung hồ sơ")
    INTER_AGENCY = "inter_agency", _("Đang lấy ý kiến liên thông")
    WAITING_APPROVAL = "waiting_approval", _("Chờ phê duyệt")
    RESULT_READY = "result_ready", _("Có kết quả, chờ trả")
    DONE = "done", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")


FINAL_STATUSES = frozenset({DossierStatus.DONE, DossierStatus.REFUSED, DossierStatus.WITHDRAWN})
# Statuses of a dossier in the hands of the administration (neither a draft nor finished).
ACTIVE_STATUSES = frozenset(set(DossierStatus) - FINAL_STATUSES - {DossierStatus.DRAFT})
# The final statuses an action may end a dossier with.
FINAL_ACTION_STATUSES = (
    ("", _("Không (chuyển sang bước khác)")),
    (DossierStatus.DONE.value, DossierStatus.DONE.label),
    (DossierStatus.REFUSED.value, DossierStatus.REFUSED.label),
    (DossierStatus.WITHDRAWN.value, DossierStatus.WITHDRAWN.label),
)

STEP_STATUS = {
    StepKind.HANDLING: DossierStatus.PROCESSING,
    StepKind.INTER_AGENCY: DossierStatus.INTER_AGENCY,
    StepKind.APPROVAL: DossierStatus.WAITING_APPROVAL,
    StepKind.RESULT: DossierStatus.RESULT_READY,
}


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")
    POST = "post", _("Qua dịch vụ bưu chính")


class FileKind(models.TextChoices):
    APPLICATION = "application", _("Thành phần hồ sơ")
    SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
    OPINION = "opinion", _("Ý kiến, văn bản xử lý")
    RESULT = "result", _("Kết quả giải quyết")
    OTHER = "other", _("Khác")


class NumberingReset(models.TextChoices):
    DAILY = "daily", _("Hằng ngày")
    YEARLY = "yearly", _("Hằng năm")
    NEVER = "never", _("Không đặt lại")


# Roles that work in the one-stop back office.
OFFICER_ROLES: tuple[str, ...] = (Role.ONESTOP_CLERK, Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER, Role.ADMIN)
# Roles a process step or action may be given to.
PROCESS_ROLES: tuple[str, ...] = (Role.ONESTOP_CLERK, Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER)
# Roles that may issue an apology with a new appointment (Decree 61/2018, art. 19).
APOLOGY_ROLES: tuple[str, ...] = (Role.ONESTOP_CLERK, Role.DIVISION_HEAD, Role.LEADER)

DEFAULT_NUMBERING_PATTERN = "{code}-{yymmdd}-{seq:4}"
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DEFAULT_DUE_SOON_WORKING_DAYS = 2
DEFAULT_TRACKING_ATTEMPTS = 20
DEFAULT_TRACKING_WINDOW_SECONDS = 15 * 60


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp, tổ chức")


class SectionState(models.TextChoices):
    """The state of one section of an online application's task list (GOV.UK task list pattern)."""

    NOT_STARTED = "not_started", _("Chưa bắt đầu")
    IN_PROGRESS = "in_progress", _("Đang làm")
    DONE = "done", _("Đã xong")


# The satisfaction criteria asked after a dossier is finished (as provincial public-service portals do), and the
# five levels of each answer.
RATING_CRITERIA: tuple[tuple[str, Any], ...] = (
    ("timeliness", _("Thời gian giải quyết")),
    ("attitude", _("Thái độ phục vụ của cán bộ")),
    ("simplicity", _("Sự đơn giản của thủ tục, hồ sơ")),
    ("outcome", _("Kết quả giải quyết")),
)
RATING_LEVELS: tuple[tuple[int, Any], ...] = (
    (1, _("Rất không hài lòng")),
    (2, _("Không hài lòng")),
    (3, _("Bình thường")),
    (4, _("Hài lòng")),
    (5, _("Rất hài lòng")),
)
# Dossiers the applicant may rate: finished, or with a result ready to collect.
RATEABLE_STATUSES = frozenset({DossierStatus.RESULT_READY, DossierStatus.DONE, DossierStatus.REFUSED})
# Files an applicant may download from their own dossier (officers' opinions stay internal).
APPLICANT_FILE_KINDS = frozenset({FileKind.APPLICATION, FileKind.SUPPLEMENT, FileKind.RESULT})
# Events whose reason is meant for the applicant (the others' reasons are officers' internal notes).
APPLICANT_REASON_ACTIONS = frozenset(
    {ActionCode.REQUEST_SUPPLEMENT, ActionCode.RECEIVE_SUPPLEMENT, ActionCode.REFUSE, ActionCode.WITHDRAW, "apology"}
)

DEFAULT_VERIFY_MAX_AGE_SECONDS = 3 * 24 * 3600
DEFAULT_SIGNUP_ATTEMPTS = 10
