"""A ready-made process an administrator starts from (and the demo data uses): reception at the one-stop section,
appraisal by a division, optionally another agency's opinion (liên thông), the division head's review, the
leader's approval, return of the result. Everything it creates stays editable data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from eprovince.core.constants import Role
from eprovince.core.models import Organisation, User

from ..constants import ActionCode, DossierStatus, StepKind
from ..models import Procedure, ProcessAction, ProcessStep
from .catalogue import procedure_part_save


@dataclass(frozen=True)
class _Step:
    code: str
    name: str
    kind: str
    role: str
    organisation: Organisation | None
    days: int


def _durations(total: int, consulted: bool) -> dict[str, int]:
    """Head and leader one day each when there is room, the consulted agency up to 5, the appraisal the rest."""
    head = 1 if total >= 3 else 0
    leader = 1 if total >= 4 else 0
    consult = min(5, max(0, (total - head - leader) // 2)) if consulted else 0
    return {"head": head, "leader": leader, "consult": consult, "appraise": total - head - leader - consult}


@transaction.atomic
def process_apply_standard(
    *, procedure: Procedure, division: Organisation, consulted: Organisation | None = None, acting_user: User | None
) -> list[ProcessStep]:
    """Create the standard process of `procedure` (which must have none yet); `division` appraises the dossiers,
    `consulted` (optional) gives its opinion in an inter-agency step."""
    if procedure.steps.exists():
        raise ValidationError(_("Thủ tục đã có quy trình; chỉ tạo quy trình mẫu cho thủ tục chưa có bước nào."))
    d = _durations(procedure.processing_days, consulted is not None)
    specs = [_Step("tiep-nhan", _("Tiếp nhận hồ sơ"), StepKind.RECEPTION, Role.ONESTOP_CLERK, procedure.receiving_agency, 0),
             _Step("tham-dinh", _("Thẩm định hồ sơ"), StepKind.HANDLING, Role.SPECIALIST, division, d["appraise"])]  # fmt: skip
    if consulted is not None:
        specs += [
            _Step("lay-y-kien", _("Lấy ý kiến %(org)s") % {"org": consulted.short_name or consulted.name}, StepKind.INTER_AGENCY,
                  Role.SPECIALIST, consulted, d["consult"]),
            _Step("tong-hop", _("Tổng hợp ý kiến, đề xuất"), StepKind.HANDLING, Role.SPECIALIST, division, 0),
        ]  # fmt: skip
    specs += [
        _Step("truong-phong", _("Trưởng phòng xem xét"), StepKind.HANDLING, Role.DIVISION_HEAD, division, d["head"]),
        _Step("lanh-dao", _("Lãnh đạo Sở phê duyệt"), StepKind.APPROVAL, Role.LEADER, None, d["leader"]),
        _Step("tra-ket-qua", _("Trả kết quả"), StepKind.RESULT, Role.ONESTOP_CLERK, procedure.receiving_agency, 0),
    ]
    steps: dict[str, ProcessStep] = {}
    for order, s in enumerate(specs, start=1):
        steps[s.code] = procedure_part_save(
            procedure=procedure, model=ProcessStep, acting_user=acting_user, order=order * 10, code=s.code, name=s.name,
            kind=s.kind, role=s.role, organisation=s.organisation, duration_days=s.days,
        )  # fmt: skip

    def action(frm: str | None, code: str, label: str, role: str, to: str | None = None, final: str = "", **flags: bool) -> None:
        fields: dict[str, Any] = dict(flags)
        procedure_part_save(
            procedure=procedure, model=ProcessAction, acting_user=acting_user, from_step=steps[frm] if frm else None,
            to_step=steps[to] if to else None, final_status=final, code=code, label=label, allowed_role=role, **fields,
        )  # fmt: skip

    clerk, spec, head, leader = Role.ONESTOP_CLERK, Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER
    action("tiep-nhan", ActionCode.ACCEPT, _("Tiếp nhận, chuyển thẩm định"), clerk, "tham-dinh", starts_clock=True)
    action(
        "tiep-nhan",
        ActionCode.REQUEST_SUPPLEMENT,
        _("Yêu cầu bổ sung hồ sơ"),
        clerk,
        "tiep-nhan",
        requires_reason=True,
        pauses_clock=True,
    )
    action("tiep-nhan", ActionCode.RECEIVE_SUPPLEMENT, _("Nhận hồ sơ bổ sung"), clerk, "tiep-nhan", resumes_clock=True)
    action("tiep-nhan", ActionCode.REFUSE, _("Từ chối tiếp nhận"), clerk, final=DossierStatus.REFUSED, requires_reason=True)
    if consulted is not None:
        action("tham-dinh", ActionCode.FORWARD, _("Gửi lấy ý kiến liên thông"), spec, "lay-y-kien")
        action(
            "lay-y-kien",
            ActionCode.RETURN,
            _("Gửi ý kiến, trả hồ sơ"),
            spec,
            "tong-hop",
            requires_reason=True,
            requires_file=True,
        )
        action("tong-hop", ActionCode.FORWARD, _("Trình trưởng phòng"), spec, "truong-phong")
    else:
        action("tham-dinh", ActionCode.FORWARD, _("Trình trưởng phòng"), spec, "truong-phong")
    action(
        "tham-dinh",
        ActionCode.REQUEST_SUPPLEMENT,
        _("Yêu cầu bổ sung hồ sơ"),
        spec,
        "tham-dinh",
        requires_reason=True,
        pauses_clock=True,
    )
    action("tham-dinh", ActionCode.RECEIVE_SUPPLEMENT, _("Nhận hồ sơ bổ sung"), clerk, "tham-dinh", resumes_clock=True)
    action("truong-phong", ActionCode.FORWARD, _("Trình lãnh đạo Sở"), head, "lanh-dao")
    action(
        "truong-phong",
        ActionCode.RETURN,
        _("Trả lại chuyên viên"),
        head,
        "tong-hop" if consulted else "tham-dinh",
        requires_reason=True,
    )
    action("lanh-dao", ActionCode.ISSUE_RESULT, _("Phê duyệt, ban hành kết quả"), leader, "tra-ket-qua", requires_file=True)
    action("lanh-dao", ActionCode.RETURN, _("Trả lại trưởng phòng"), leader, "truong-phong", requires_reason=True)
    action("lanh-dao", ActionCode.REFUSE, _("Từ chối giải quyết"), leader, final=DossierStatus.REFUSED, requires_reason=True)
    action("tra-ket-qua", ActionCode.RETURN_RESULT, _("Trả kết quả cho người nộp"), clerk, final=DossierStatus.DONE)
    action(
        None,
        ActionCode.WITHDRAW,
        _("Rút hồ sơ theo đề nghị của người nộp"),
        clerk,
        final=DossierStatus.WITHDRAWN,
        requires_reason=True,
    )
    return list(steps.values())
