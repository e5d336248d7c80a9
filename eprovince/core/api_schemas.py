"""Request and response shapes of the core API: errors, organisations, the current user.

Descriptions are in Vietnamese: they are what the interactive docs at /api/v1/docs show."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import annotated_types
from ninja import Field, Schema
from pydantic import field_validator

from .constants import OrganisationKind
from .models import AdminUnit, Organisation, RoleAssignment

ID_MAX = 2**63 - 1
"""The largest primary key the database stores: DEFAULT_AUTO_FIELD is BigAutoField (PostgreSQL bigint, SQLite's
64-bit INTEGER). A larger number in a query string used to reach the database and fail there (500)."""

Id = Annotated[int, annotated_types.Ge(1), annotated_types.Le(ID_MAX)]
"""The type of every id the API reads, in a path (`unit_id: Id`: out of range is 404, as a missing record is) or in
a query string (`parent: Id | None = None`: out of range is 400 naming the parameter). The bounds are published in
the OpenAPI document (minimum, maximum), so clients and property-based testers see them."""


class ErrorOut(Schema):
    """Mọi lỗi của API đều có dạng này."""

    code: str = Field(
        description=(
            "Mã lỗi cố định, dùng cho máy: validation_error, bad_request, unauthenticated, permission_denied, "
            "not_found, method_not_allowed, conflict, throttled, server_error."
        ),
        examples=["validation_error"],
    )
    message: str = Field(description="Thông báo cho người dùng.", examples=["Dữ liệu không hợp lệ."])
    fields: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Lỗi theo từng trường (tham số truy vấn hoặc trường của nội dung gửi lên); '__all__' là lỗi chung.",
        examples=[{"on": ["Ngày không hợp lệ, hãy dùng định dạng YYYY-MM-DD."]}],
    )


class OrganisationFilters(Schema):
    """Query parameters of GET /organisations/."""

    q: str = Field("", max_length=100, description="Tìm theo tên hoặc tên viết tắt, không phân biệt hoa thường và dấu.")
    kind: OrganisationKind | None = Field(None, description="Loại cơ quan, tổ chức.")
    parent: Id | None = Field(None, description="Chỉ các đơn vị trực thuộc trực tiếp cơ quan có mã (id) này.")
    on: dt.date | None = Field(
        None,
        description="Chỉ các cơ quan còn hiệu lực vào ngày này (YYYY-MM-DD). Bỏ trống: mọi cơ quan, kể cả đã giải thể.",
    )

    @field_validator("kind", "parent", "on", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        """An empty parameter (`?on=`, as an HTML form sends it) means no filter."""
        return None if value == "" else value


class OrganisationRef(Schema):
    id: int
    name: str = Field(description="Tên đầy đủ.")
    short_name: str = Field(description="Tên viết tắt (có thể trống).")


class AdminUnitRef(Schema):
    id: int
    code: str = Field(description="Mã đơn vị hành chính của Tổng cục Thống kê.")
    name: str = Field(description="Tên đầy đủ, ví dụ 'Thành phố Rạch Giá'.")

    @staticmethod
    def resolve_name(obj: AdminUnit) -> str:
        return obj.full_name


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: OrganisationKind
    kind_label: str = Field(description="Tên loại cơ quan, tổ chức.")
    electronic_code: str = Field(description="Mã định danh điện tử theo Quyết định 20/2020/QĐ-TTg (có thể trống).")
    parent: OrganisationRef | None = Field(description="Cơ quan cấp trên trực tiếp.")
    admin_unit: AdminUnitRef | None = Field(description="Địa bàn (đơn vị hành chính).")
    valid_from: dt.date | None = Field(description="Hiệu lực từ ngày (trống: không rõ).")
    valid_to: dt.date | None = Field(description="Ngày cuối cùng còn hiệu lực (trống: đang hoạt động).")

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return str(obj.get_kind_display())


class OrganisationDetailOut(OrganisationOut):
    address: str
    phone: str
    email: str
    successor: OrganisationRef | None = Field(description="Cơ quan kế nhiệm, khi cơ quan này đã giải thể hay sáp nhập.")
    predecessors: list[OrganisationRef] = Field(description="Các cơ quan mà cơ quan này kế nhiệm.")
    children_count: int = Field(description="Số đơn vị trực thuộc trực tiếp, kể cả đơn vị đã hết hiệu lực.")

    @staticmethod
    def resolve_predecessors(obj: Organisation) -> list[Organisation]:
        return list(obj.predecessors.all())


class RoleOut(Schema):
    role: str = Field(description="Mã vai trò.")
    label: str = Field(description="Tên vai trò.")
    organisation: OrganisationRef | None = Field(
        description="Phạm vi: vai trò có hiệu lực tại cơ quan này và mọi đơn vị cấp dưới; trống là toàn hệ thống."
    )

    @staticmethod
    def resolve_label(obj: RoleAssignment) -> str:
        return str(obj.get_role_display())


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    is_superuser: bool = Field(description="Quản trị tối cao: có mọi vai trò trên toàn hệ thống.")
    roles: list[RoleOut]
