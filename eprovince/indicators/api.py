"""Indicators API, mounted at /api/v1/indicators: the catalogue, data value sets in bulk (JSON and CSV, in the
spirit of DHIS2's dataValueSets), results against targets, and index rankings.

Who reads what (roles in indicators.constants; "over X" means held at X or an organisation above it):

- **Unapproved values** (a report being entered, submitted or returned) are read by the reporting unit (a reporting
  officer over it) and by the form's reviewers (REVIEWER_ROLES over the division owning the form). Nobody else.
- **Approved values** (an approved report, or values written outside any round) are read by the unit itself and
  whoever holds a reading role (READER_ROLES: specialist, division head, leader, administrator) over it, and by the
  Department's staff of the division collecting the figure (a reading role over the owner of a form collecting the
  element). A leader of the Department thus reads every figure its divisions collect, province-wide; a specialist of
  a district committee reads its own district's approved figures only.
- **Results** (`/results`, computed from approved values): for an organisation, a reading role over it or over a
  collecting division; for the whole province, a reading role over a collecting division (or platform-wide).
  An organisation outside the reader's scope answers 404, as a missing one does.
- **Index rankings** (published national rankings of provinces): any holder of a reading role.

`datasets.readable_values` implements the first two rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from eprovince.core.api import ApiError, Id, api_errors, api_user, paginated, require_auth
from eprovince.core.models import Organisation
from eprovince.core.permissions import has_role, organisation_scope

from . import datasets
from .constants import READER_ROLES
from .models import DataElement, DataValue, IndexFramework, Indicator, ReportForm
from .periods import Period, PeriodError
from .permissions import can_read_results
from .rankings import index_table
from .results import results
from .services.values import values_import

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    code: str
    name: str
    formula: str
    unit: str
    decimals: int
    description: str


class DataElementOut(Schema):
    code: str
    name: str
    unit: str
    value_type: str
    aggregation: str = Field(description="Tổng hợp theo đơn vị: sum, average, last, none.")
    time_aggregation: str = Field(description="Tổng hợp theo thời gian: sum, average, last, none.")
    options: list[str] = Field(description="Mã các nhóm phân tổ (nếu có).")

    @staticmethod
    def resolve_options(obj: DataElement) -> list[str]:
        return [o.code for o in obj.category_combo.options.all()] if obj.category_combo else []


class DataValueOut(Schema):
    dataElement: str
    categoryOption: str | None
    orgUnit: int
    orgUnitName: str
    period: str
    value: Decimal
    comment: str
    source: str
    synthetic: bool
    approved: bool

    @staticmethod
    def resolve_dataElement(obj: DataValue) -> str:
        return obj.element.code

    @staticmethod
    def resolve_categoryOption(obj: DataValue) -> str | None:
        return obj.category_option.code if obj.category_option else None

    @staticmethod
    def resolve_orgUnit(obj: DataValue) -> int:
        return obj.organisation_id

    @staticmethod
    def resolve_orgUnitName(obj: DataValue) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_approved(obj: DataValue) -> bool:
        return obj.submission is None or obj.submission.is_locked


class DataValueFilters(Schema):
    dataElement: str = Field("", description="Mã chỉ tiêu, ví dụ REVENUE.")
    orgUnit: Id | None = Field(None, description="Mã (id) đơn vị.")
    period: str = Field("", description="Mã kỳ: 2024, 2024S1, 2024N9, 2024Q1, 202403.")
    year: int | None = Field(None, ge=1990, le=2100)
    approvedOnly: bool = Field(False, description="Chỉ số liệu đã phê duyệt.")


class ImportSummaryOut(Schema):
    status: str
    imported: int
    updated: int
    deleted: int
    ignored: int


class ResultOut(Schema):
    code: str
    name: str
    unit: str
    period: str
    actual: Decimal | None
    target: Decimal | None
    percent_of_target: Decimal | None
    last_year: Decimal | None
    change_percent: Decimal | None
    achieved_text: str = Field(description="Ví dụ: “đạt 102% kế hoạch”.")
    change_text: str = Field(description="Ví dụ: “tăng 1,24% so cùng kỳ”.")
    sentence: str


class RankingRowOut(Schema):
    rank: int | None
    subject: str
    subject_code: str
    score: Decimal | None
    components: dict[str, Decimal | None]
    pillars: dict[str, Decimal | None]
    previous_rank: int | None
    rank_change: int | None
    synthetic: bool


class RankingOut(Schema):
    code: str
    name: str
    year: int
    method: str
    rows: list[RankingRowOut]


@router.get("/", response=list[IndicatorOut], summary="Danh mục chỉ số (công thức trên các chỉ tiêu dữ liệu)")
@paginated
def list_indicators(request: HttpRequest) -> Any:
    return Indicator.objects.order_by("order", "code")


@router.get("/data-elements", response=list[DataElementOut], summary="Danh mục chỉ tiêu dữ liệu")
@paginated
def list_data_elements(request: HttpRequest) -> Any:
    return (
        DataElement.objects.select_related("category_combo").prefetch_related("category_combo__options").order_by("order", "code")
    )


@router.get(
    "/dataValueSets",
    response=list[DataValueOut],
    auth=require_auth,
    summary="Đọc tập giá trị số liệu",
    url_name="indicators-values",
)
@paginated
def get_data_values(request: HttpRequest, filters: Query[DataValueFilters]) -> Any:
    """Đơn vị báo cáo đọc số liệu của mình; người duyệt đọc số liệu của biểu mẫu mình duyệt, kể cả chưa phê duyệt;
    cán bộ của Sở và của đơn vị đọc số liệu đã phê duyệt trong phạm vi của mình."""
    qs = datasets.readable_values(api_user(request))
    if filters.dataElement:
        qs = qs.filter(element__code=filters.dataElement)
    if filters.orgUnit is not None:
        qs = qs.filter(organisation_id=filters.orgUnit)
    if filters.period:
        try:
            qs = qs.filter(period=Period.parse(filters.period).id)
        except PeriodError as exc:
            raise ValidationError({"period": [str(exc)]}) from exc
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.approvedOnly:
        from .analytics import APPROVED

        qs = qs.filter(APPROVED)
    return qs.order_by("element__code", "organisation_id", "period", "category_option_id")


@router.post(
    "/dataValueSets",
    response=ImportSummaryOut,
    auth=require_auth,
    summary="Gửi tập giá trị số liệu (JSON hoặc CSV)",
    url_name="indicators-values-import",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "example": {
                        "dataValues": [
                            {"dataElement": "REVENUE", "orgUnit": "12", "period": "2024S1", "value": "252.1", "comment": ""},
                            {
                                "dataElement": "SUB_MOBILE",
                                "categoryOption": "VNPT",
                                "orgUnit": "12",
                                "period": "2024S1",
                                "value": "300000",
                            },
                        ]
                    }
                },
                "text/csv": {"example": "dataElement,categoryOption,orgUnit,period,value,comment\nREVENUE,,12,2024S1,252.1,\n"},
            }
        }
    },
)
def post_data_values(request: HttpRequest) -> dict[str, Any]:
    """Mỗi giá trị vào báo cáo của đơn vị trong đợt báo cáo đang mở của kỳ đó. Số viết kiểu máy (252.1).
    Có lỗi ở bất kỳ dòng nào (chỉ tiêu, đơn vị, kỳ không tồn tại, sai kiểu, số lượng âm, báo cáo đã khóa…) thì
    không lưu gì và trả về 400, `fields` nêu từng dòng và trường: `dataValues.3.value` (JSON, đếm từ 0) hoặc
    `line.4.value` (CSV, số dòng trong tệp)."""
    content_type = request.content_type or ""
    try:
        raw = datasets.rows_from_csv(request.body) if "csv" in content_type else datasets.rows_from_json(request.body)
        rows = datasets.resolve(raw)
        summary = values_import(acting_user=api_user(request), rows=rows)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        raise ApiError(400, "validation_error", _("Dữ liệu không hợp lệ: không giá trị nào được lưu."), fields=fields) from exc
    return {
        "status": "OK",
        "imported": summary.created,
        "updated": summary.updated,
        "deleted": summary.deleted,
        "ignored": summary.unchanged,
    }


def _collects_figures(user: Any) -> bool:
    """Does the user hold a reading role over a division owning a report form (the Department's staff)?"""
    scope = organisation_scope(user, *READER_ROLES)
    return scope is None or ReportForm.objects.filter(owner__in=Organisation.objects.filter(scope).values("pk")).exists()


def _results_root(user: Any, organisation: int | None) -> Organisation | None:
    """The organisation whose results the user asks for, if the user reads them (see the module docstring)."""
    if not has_role(user, *READER_ROLES):
        raise PermissionDenied(_("Chỉ cán bộ của Sở xem được kết quả và xếp hạng."))
    if organisation is None:
        if not _collects_figures(user):
            raise PermissionDenied(_("Chỉ cán bộ của Sở xem được kết quả toàn tỉnh; hãy chọn đơn vị của mình."))
        return None
    root = Organisation.objects.filter(pk=organisation).first()
    if root is None or not (has_role(user, *READER_ROLES, organisation=root) or _collects_figures(user)):
        raise Http404
    return root


def _require_reader(request: HttpRequest) -> None:
    if not can_read_results(api_user(request)):
        raise PermissionDenied(_("Chỉ cán bộ của Sở xem được kết quả và xếp hạng."))


@router.get("/results", response=list[ResultOut], auth=require_auth, summary="Thực hiện so với kế hoạch và cùng kỳ")
@api_errors(404)
def get_results(request: HttpRequest, period: str, organisation: Id | None = None) -> list[dict[str, Any]]:
    """Tính ngay từ số liệu đã phê duyệt; `organisation` bỏ trống: toàn tỉnh."""
    root = _results_root(api_user(request), organisation)
    try:
        period_obj = Period.parse(period)
    except PeriodError as exc:
        raise ValidationError({"period": [str(exc)]}) from exc
    return [
        {
            "code": r.code,
            "name": r.name,
            "unit": r.unit,
            "period": r.period.id,
            "actual": r.actual,
            "target": r.target,
            "percent_of_target": r.percent_of_target,
            "last_year": r.last_year,
            "change_percent": r.change_percent,
            "achieved_text": r.achieved_text,
            "change_text": r.change_text,
            "sentence": r.sentence,
        }
        for r in results(period=period_obj, root=root)
    ]


@router.get("/indices/{code}/{int:year}", response=RankingOut, auth=require_auth, summary="Kết quả và xếp hạng một bộ chỉ số")
def get_ranking(request: HttpRequest, code: str, year: int) -> dict[str, Any]:
    _require_reader(request)
    framework = IndexFramework.objects.filter(code=code, year=year).first()
    if framework is None:
        raise Http404
    table = index_table(framework)
    return {
        "code": framework.code,
        "name": framework.name,
        "year": framework.year,
        "method": framework.description,
        "rows": [
            {
                "rank": r.rank,
                "subject": r.subject.name,
                "subject_code": r.subject.code,
                "score": r.score,
                "components": {c.code: s for c, s in r.components},
                "pillars": {p.code: s for p, s in r.pillars},
                "previous_rank": r.previous_rank,
                "rank_change": r.rank_change,
                "synthetic": r.synthetic,
            }
            for r in table.rows
        ],
    }
