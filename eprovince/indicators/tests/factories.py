"""Named example units, people and a small catalogue, built through the real services."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from eprovince.core.constants import OrganisationKind, Role
from eprovince.core.models import Organisation, User
from eprovince.core.testing import make_org, make_user

from ..constants import Aggregation, Operator, PeriodConvention, PeriodType, Severity, ValueType
from ..models import DataElement, ReportForm, ReportingRound, Submission
from ..services import catalogue, rounds, values
from ..services.values import SaveResult, entries_from_mapping


@dataclass
class World:
    province: Organisation
    department: Organisation
    division: Organisation
    tanchau: Organisation
    chauthanh: Organisation
    vnpt: Organisation
    viettel: Organisation
    officer_tanchau: User
    officer_chauthanh: User
    officer_vnpt: User
    reviewer: User
    leader: User
    specialist: User
    elements: dict[str, DataElement] = field(default_factory=dict)
    enterprise_form: ReportForm | None = None
    committee_form: ReportForm | None = None


def organisations() -> dict[str, Organisation]:
    province = make_org("Ủy ban nhân dân tỉnh An Giang", kind=OrganisationKind.PEOPLES_COMMITTEE)
    department = make_org("Sở Khoa học và Công nghệ tỉnh An Giang", parent=province)
    division = make_org("Phòng Bưu chính, Viễn thông", parent=department, kind=OrganisationKind.DIVISION)
    tanchau = make_org("Ủy ban nhân dân thị xã Tân Châu", parent=province, kind=OrganisationKind.PEOPLES_COMMITTEE)
    chauthanh = make_org("Ủy ban nhân dân huyện Châu Thành", parent=province, kind=OrganisationKind.PEOPLES_COMMITTEE)
    vnpt = make_org("VNPT An Giang", kind=OrganisationKind.ENTERPRISE)
    viettel = make_org("Viettel An Giang", kind=OrganisationKind.ENTERPRISE)
    return {
        "province": province,
        "department": department,
        "division": division,
        "tanchau": tanchau,
        "chauthanh": chauthanh,
        "vnpt": vnpt,
        "viettel": viettel,
    }


def catalogue_elements() -> dict[str, DataElement]:
    operators = catalogue.category_combo_save(
        acting_user=None,
        code="OPERATOR",
        name="Theo doanh nghiệp",
        options=[("VNPT", "VNPT"), ("VIETTEL", "Viettel"), ("MOBIFONE", "MobiFone"), ("OTHER", "Khác")],
    )
    specs: list[dict[str, Any]] = [
        {
            "code": "REVENUE",
            "name": "Doanh thu bưu chính, viễn thông, CNTT",
            "unit": "tỷ đồng",
            "value_type": ValueType.DECIMAL,
            "decimals": 1,
        },
        {"code": "SUB_PHONE", "name": "Thuê bao điện thoại", "unit": "thuê bao", "time_aggregation": Aggregation.LAST},
        {"code": "SUB_INTERNET", "name": "Thuê bao Internet", "unit": "thuê bao", "time_aggregation": Aggregation.LAST},
        {
            "code": "SUB_BROADBAND",
            "name": "Thuê bao Internet băng rộng cố định",
            "unit": "thuê bao",
            "time_aggregation": Aggregation.LAST,
        },
        {
            "code": "SUB_MOBILE",
            "name": "Thuê bao di động",
            "unit": "thuê bao",
            "time_aggregation": Aggregation.LAST,
            "category_combo": operators,
        },
        {"code": "BTS", "name": "Trạm BTS", "unit": "trạm", "time_aggregation": Aggregation.LAST},
        {"code": "POPULATION", "name": "Dân số", "unit": "người", "time_aggregation": Aggregation.LAST},
        {
            "code": "EMAIL_OFFICIALS_PCT",
            "name": "Tỉ lệ cán bộ dùng thư điện tử",
            "unit": "%",
            "value_type": ValueType.PERCENTAGE,
            "aggregation": Aggregation.AVERAGE,
            "time_aggregation": Aggregation.LAST,
        },
        {"code": "ONLINE_MEETINGS", "name": "Hội nghị trực tuyến", "unit": "cuộc"},
    ]
    return {s["code"]: catalogue.data_element_save(acting_user=None, **s) for s in specs}


def world() -> World:
    orgs = organisations()
    w = World(
        **orgs,
        officer_tanchau=make_user("baocao_tanchau", (Role.REPORTING_OFFICER, orgs["tanchau"]), full_name="Ngô Văn Tâm"),
        officer_chauthanh=make_user("baocao_chauthanh", (Role.REPORTING_OFFICER, orgs["chauthanh"]), full_name="Lý Thị Mai"),
        officer_vnpt=make_user("baocao_vnpt", (Role.REPORTING_OFFICER, orgs["vnpt"]), full_name="Công ty VNPT"),
        reviewer=make_user("truongphong", (Role.DIVISION_HEAD, orgs["division"]), full_name="Lê Thị Hạnh"),
        leader=make_user("lanhdao", (Role.LEADER, orgs["department"]), full_name="Trần Minh Thuận"),
        specialist=make_user("chuyenvien", (Role.SPECIALIST, orgs["division"]), full_name="Phạm Quốc Bảo"),
    )
    w.elements = catalogue_elements()
    e = w.elements
    w.enterprise_form = catalogue.report_form_save(
        acting_user=None,
        code="DN_VT",
        name="Báo cáo của doanh nghiệp viễn thông",
        owner=w.division,
        period_type=PeriodType.SIX_MONTHS,
        convention=PeriodConvention.DECREE_09,
        deadline_days=10,
        change_comment_threshold=Decimal(50),
        elements=[e["REVENUE"], e["SUB_PHONE"], e["SUB_INTERNET"], e["SUB_BROADBAND"], e["SUB_MOBILE"], e["BTS"]],
        organisations=[w.vnpt, w.viettel],
    )
    catalogue.validation_rule_save(
        acting_user=None,
        form=w.enterprise_form,
        name="Băng rộng không vượt tổng thuê bao Internet",
        left="#{SUB_BROADBAND}",
        operator=Operator.LE,
        right="#{SUB_INTERNET}",
        severity=Severity.ERROR,
        message="Thuê bao băng rộng cố định không được lớn hơn tổng số thuê bao Internet.",
    )
    catalogue.validation_rule_save(
        acting_user=None,
        form=w.enterprise_form,
        name="Có trạm BTS khi có thuê bao di động",
        left="#{BTS}",
        operator=Operator.GT,
        right="0",
        severity=Severity.WARNING,
        message="Doanh nghiệp có thuê bao di động nhưng báo 0 trạm BTS: kiểm tra lại.",
    )
    w.committee_form = catalogue.report_form_save(
        acting_user=None,
        code="UBND_HUYEN",
        name="Báo cáo ứng dụng CNTT của UBND cấp huyện",
        owner=w.division,
        period_type=PeriodType.YEAR,
        convention=PeriodConvention.DECREE_09,
        deadline_days=5,
        elements=[e["POPULATION"], e["EMAIL_OFFICIALS_PCT"], e["ONLINE_MEETINGS"]],
        organisations=[w.tanchau, w.chauthanh],
    )
    return w


def open_round(w: World, form: ReportForm, period: str) -> ReportingRound:
    return rounds.round_open(acting_user=w.reviewer, form=form, period=period)


def submission(round_: ReportingRound, organisation: Organisation) -> Submission:
    return Submission.objects.get(round=round_, organisation=organisation)


def save(w: World, sub: Submission, user: User | None, data: dict[str, Any], **kwargs: Any) -> SaveResult:
    return values.values_save(acting_user=user, submission=sub, entries=entries_from_mapping(w.elements, data), **kwargs)


def approved(w: World, form: ReportForm, period: str, organisation: Organisation, data: dict[str, Any]) -> Submission:
    """A report entered, submitted and approved by the system (for building history)."""
    round_ = ReportingRound.objects.filter(form=form, period=period).first() or rounds.round_open(
        acting_user=None, form=form, period=period
    )
    sub = submission(round_, organisation)
    save(w, sub, None, data)
    rounds.submission_submit(acting_user=None, submission=sub)
    return rounds.submission_approve(acting_user=None, submission=sub)
