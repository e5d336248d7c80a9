"""API for administrative units, with their history: /api/v1/units/ (public reference data)."""

# No `from __future__ import annotations`: ninja reads the endpoint annotations (Query[...]) at runtime.

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from .api import Id, paginated
from .constants import UnitLevel
from .models import AdminUnit
from .selectors.units import (
    unit_predecessor_links,
    unit_search,
    unit_successor_links,
    unit_successors,
    units_valid_on,
)

router = Router(tags=["units"])


class UnitRefOut(Schema):
    """A unit named by another: its parent, predecessor or successor."""

    id: int = Field(description="Mã số nội bộ của đơn vị (dùng trong /api/v1/units/{id}).")
    code: str = Field(description="Mã đơn vị hành chính của Tổng cục Thống kê.", examples=["91"])
    full_name: str = Field(description="Tên đầy đủ, kèm loại đơn vị.", examples=["Tỉnh An Giang"])
    level: UnitLevel = Field(description="Cấp: province (tỉnh), district (huyện), commune (xã).")
    valid_from: dt.date | None = Field(description="Ngày bắt đầu hiệu lực; null nếu không rõ.")
    valid_to: dt.date | None = Field(description="Ngày cuối cùng còn hiệu lực; null nếu còn hiệu lực.")


class UnitOut(UnitRefOut):
    name: str = Field(description="Tên, không kèm loại đơn vị.", examples=["An Giang"])
    kind: str = Field(description="Loại đơn vị: Tỉnh, Thành phố, Huyện, Quận, Thị xã, Phường, Xã, Thị trấn, Đặc khu.")
    parent: UnitRefOut | None = Field(description="Đơn vị cấp trên trong cùng thời kỳ; null với cấp tỉnh.")


class UnitLinkOut(Schema):
    """One succession: all (or, when `partial`, part) of the predecessor became the successor."""

    unit: UnitOut = Field(description="Đơn vị tiền nhiệm hoặc kế nhiệm.")
    effective_on: dt.date = Field(description="Ngày quan hệ kế thừa có hiệu lực.")
    partial: bool = Field(description="true nếu chỉ một phần địa bàn của đơn vị tiền nhiệm chuyển sang đơn vị kế nhiệm.")
    legal_basis: str = Field(description="Căn cứ pháp lý.")


class UnitDetailOut(UnitOut):
    predecessors: list[UnitLinkOut] = Field(description="Các đơn vị đã hợp thành (toàn bộ hoặc một phần) đơn vị này.")
    successors: list[UnitLinkOut] = Field(description="Các đơn vị trực tiếp kế thừa (toàn bộ hoặc một phần) đơn vị này.")


class UnitSuccessorsOut(Schema):
    unit: UnitRefOut = Field(description="Đơn vị được hỏi.")
    on: dt.date = Field(description="Ngày tra cứu.")
    items: list[UnitOut] = Field(
        description=(
            "Các đơn vị có hiệu lực vào ngày tra cứu bao trùm (toàn bộ hoặc một phần) đơn vị được hỏi, theo quan hệ kế "
            "thừa qua mọi lần sắp xếp. Đơn vị còn hiệu lực vào ngày đó là chính nó; đơn vị chưa thành lập thì không có."
        )
    )


class UnitFilters(Schema):
    on: dt.date | None = Field(None, description="Ngày (YYYY-MM-DD): chỉ các đơn vị có hiệu lực vào ngày này; mặc định hôm nay.")
    level: UnitLevel | None = Field(None, description="Chỉ các đơn vị của cấp này.")
    parent: Id | None = Field(None, description="Chỉ các đơn vị trực thuộc đơn vị có mã số nội bộ này.")
    q: str = Field(
        "",
        max_length=100,
        description=(
            'Tìm theo tên, không phân biệt hoa thường và dấu: "kien giang" tìm thấy "Kiên Giang". Tên khớp đúng dấu xếp trước.'
        ),
    )


class OnFilter(Schema):
    on: dt.date | None = Field(None, description="Ngày tra cứu (YYYY-MM-DD); mặc định hôm nay.")


def _link(link: Any, unit: AdminUnit) -> dict[str, Any]:
    return {"unit": unit, "effective_on": link.effective_on, "partial": link.partial, "legal_basis": link.legal_basis}


@router.get("/", response=list[UnitOut], summary="Danh sách đơn vị hành chính", url_name="unit-list")
@paginated
def list_units(request: HttpRequest, filters: Query[UnitFilters]) -> Any:
    """Các đơn vị hành chính có hiệu lực vào một ngày (mặc định hôm nay), lọc theo cấp, đơn vị cấp trên và tên.

    Ví dụ: `?on=2009-01-15&parent=<id tỉnh An Giang cũ>` cho các huyện, thị xã, thành phố của An Giang năm 2009."""
    on = filters.on or timezone.localdate()
    level = filters.level.value if filters.level else None
    if filters.q.strip():
        return unit_search(filters.q, on=on, level=level, parent=filters.parent)
    return units_valid_on(on, level=level, parent=filters.parent)


@router.get("/{int:unit_id}", response=UnitDetailOut, summary="Thông tin một đơn vị hành chính", url_name="unit-detail")
def get_unit(request: HttpRequest, unit_id: Id) -> dict[str, Any]:
    """Đơn vị cấp trên, thời gian hiệu lực, các đơn vị tiền nhiệm và kế nhiệm trực tiếp."""
    unit = get_object_or_404(AdminUnit.objects.select_related("parent"), pk=unit_id)
    return {
        **{name: getattr(unit, name) for name in ("id", "code", "name", "full_name", "kind", "level", "valid_from", "valid_to")},
        "parent": unit.parent,
        "predecessors": [_link(link, link.predecessor) for link in unit_predecessor_links(unit)],
        "successors": [_link(link, link.successor) for link in unit_successor_links(unit)],
    }


@router.get(
    "/{int:unit_id}/successors",
    response=UnitSuccessorsOut,
    summary="Các đơn vị kế thừa vào một ngày",
    url_name="unit-successors",
)
def get_unit_successors(request: HttpRequest, unit_id: Id, filters: Query[OnFilter]) -> dict[str, Any]:
    """Đơn vị nào có hiệu lực vào ngày `on` (mặc định hôm nay) bao trùm đơn vị này, ví dụ: thị xã Tân Châu cũ nay
    thuộc những phường, xã nào của tỉnh An Giang."""
    unit = get_object_or_404(AdminUnit, pk=unit_id)
    on = filters.on or timezone.localdate()
    return {"unit": unit, "on": on, "items": list(unit_successors(unit, on))}
