"""Demo data of the one-stop shop: procedures a Department of Information and Communications handled (now with the
Department of Science and Technology), each with its documents, form and process; the Department of Construction
consulted for BTS stations; a few dozen dossiers in every state, driven through the real services.

Idempotent: procedures are looked up by code, dossiers are created only when none of the demo procedures has any.
National codes, fees and times here are demonstration values in the shape of the real ones, not official data."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from eprovince.core.constants import OrganisationKind, Role
from eprovince.core.demo import DEMO_PASSWORD
from eprovince.core.models import Organisation, RoleAssignment, User
from eprovince.core.services.accounts import position_assign, role_grant, user_create
from eprovince.core.services.organisations import organisation_create

from . import deadlines, demo_results
from .constants import Channel, FormFieldType, OnlineLevel, ResultType
from .models import Dossier, Field, FormField, PaymentAccount, Procedure, ProcessAction, RequiredDocument
from .services.catalogue import field_save, procedure_part_save, procedure_save
from .services.dossiers import (
    Upload,
    dossier_act,
    dossier_draft_create,
    dossier_file_add,
    dossier_issue_apology,
    dossier_receive_at_counter,
    dossier_submit_online,
)
from .services.payments import payment_account_save, payment_confirm, payment_due
from .services.presets import process_apply_standard

REASON = "Dữ liệu trình diễn"
DEPARTMENT = "Sở Khoa học và Công nghệ tỉnh An Giang"
DIVISION = "Phòng Bưu chính, Viễn thông"
CONSTRUCTION = "Sở Xây dựng tỉnh An Giang"
PROVINCE = "Ủy ban nhân dân tỉnh An Giang"

FIELDS = [
    ("xuat-ban-in-phat-hanh", "Xuất bản, In và Phát hành", 10),
    ("bao-chi", "Báo chí", 20),
    ("thong-tin-dien-tu", "Phát thanh, truyền hình và thông tin điện tử", 30),
    ("buu-chinh", "Bưu chính", 40),
    ("vien-thong", "Viễn thông và Internet", 50),
]

APPLICATION = "Đơn đề nghị cấp giấy phép (theo mẫu)"
BUSINESS_REG = "Bản sao giấy chứng nhận đăng ký doanh nghiệp hoặc quyết định thành lập"


# (key, label, type, required, choices) of a form field.
FormSpec = tuple[str, str, str, bool, list[str]]


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    field_code: str
    days: int
    fee: int
    fee_description: str
    level: str
    legacy: int
    result: str
    result_name: str
    legal_basis: str
    documents: list[tuple[str, bool, int, str]]
    form: list[FormSpec] = field(default_factory=list)
    consulted: bool = False


# Constraints and prefill of the demo form fields (FormField columns): counts are at least 1, heights plausible.
_FIELD_RULES: dict[str, dict[str, Any]] = {
    "ten_to_chuc": {"prefill": "name", "min_length": 3, "max_length": 255},
    "so_may_in": {"min_value": 1, "max_value": 500},
    "so_luong": {"min_value": 1, "max_value": 1_000_000},
    "so_diem_phuc_vu": {"min_value": 1, "max_value": 10_000},
    "so_luong_xbp": {"min_value": 1, "max_value": 100_000},
    "chieu_cao_cot": {"min_value": 1, "max_value": 150},
}

_COMPANY: FormSpec = ("ten_to_chuc", "Tên tổ chức đề nghị", FormFieldType.TEXT, True, [])
_ADDRESS: FormSpec = ("dia_chi_tru_so", "Địa chỉ trụ sở", FormFieldType.ADDRESS, True, [])

PROCEDURES = [
    Spec("1.901001", "Cấp giấy phép hoạt động in", "xuat-ban-in-phat-hanh", 10, 0, "Không thu phí", OnlineLevel.PARTIAL, 3,
         ResultType.LICENCE, "Giấy phép hoạt động in", "Nghị định số 60/2014/NĐ-CP; Nghị định số 25/2018/NĐ-CP",
         [(APPLICATION, True, 1, "Bản chính"), (BUSINESS_REG, True, 1, "Bản sao"),
          ("Danh mục thiết bị in", True, 1, ""), ("Giấy tờ chứng minh quyền sử dụng mặt bằng sản xuất", False, 1, "")],
         [_COMPANY, _ADDRESS, ("so_may_in", "Số máy in", FormFieldType.NUMBER, True, []),
          ("loai_may", "Loại máy in chủ yếu", FormFieldType.CHOICE, True, ["Offset", "Flexo", "Kỹ thuật số", "Khác"])]),
    Spec("1.901002", "Cấp giấy phép xuất bản bản tin", "bao-chi", 10, 0, "Không thu phí", OnlineLevel.FULL, 4,
         ResultType.LICENCE, "Giấy phép xuất bản bản tin", "Luật Báo chí 2016; Thông tư số 48/2016/TT-BTTTT",
         [(APPLICATION, True, 1, "Bản chính"), ("Mẫu trình bày tên gọi và măng-sét bản tin", True, 1, "")],
         [_COMPANY, ("ten_ban_tin", "Tên bản tin", FormFieldType.TEXT, True, []),
          ("ky_han", "Kỳ hạn xuất bản", FormFieldType.CHOICE, True, ["Hằng tháng", "Hằng quý", "Sáu tháng"]),
          ("so_luong", "Số lượng in mỗi kỳ", FormFieldType.NUMBER, True, [])]),
    Spec("1.901003", "Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp", "thong-tin-dien-tu", 10, 0, "Không thu phí",
         OnlineLevel.FULL, 4, ResultType.LICENCE, "Giấy phép thiết lập trang thông tin điện tử tổng hợp",
         "Nghị định số 72/2013/NĐ-CP; Nghị định số 27/2018/NĐ-CP",
         [(APPLICATION, True, 1, "Bản chính"), (BUSINESS_REG, True, 1, "Bản sao"),
          ("Đề án hoạt động có chữ ký, dấu của người đứng đầu tổ chức", True, 1, "")],
         [_COMPANY, ("ten_mien", "Tên miền", FormFieldType.TEXT, True, []),
          ("ngay_du_kien", "Ngày dự kiến hoạt động", FormFieldType.DATE, False, [])]),
    Spec("1.901004", "Cấp giấy phép bưu chính (phạm vi nội tỉnh)", "buu-chinh", 15, 1_500_000,
         "Phí thẩm định điều kiện hoạt động bưu chính", OnlineLevel.FULL, 4, ResultType.LICENCE, "Giấy phép bưu chính",
         "Luật Bưu chính 2010; Nghị định số 47/2011/NĐ-CP; Thông tư số 291/2016/TT-BTC",
         [(APPLICATION, True, 1, "Bản chính"), (BUSINESS_REG, True, 1, "Bản sao"),
          ("Mẫu hợp đồng cung ứng và sử dụng dịch vụ bưu chính", True, 1, ""), ("Bảng giá cước dịch vụ", False, 1, "")],
         [_COMPANY, _ADDRESS, ("so_diem_phuc_vu", "Số điểm phục vụ", FormFieldType.NUMBER, True, [])]),
    Spec("1.901005", "Xác nhận đăng ký nhập khẩu xuất bản phẩm không kinh doanh", "xuat-ban-in-phat-hanh", 5, 0, "Không thu phí",
         OnlineLevel.FULL, 4, ResultType.CONFIRMATION, "Văn bản xác nhận đăng ký nhập khẩu",
         "Luật Xuất bản 2012; Nghị định số 195/2013/NĐ-CP",
         [("Đơn đề nghị cấp giấy phép nhập khẩu xuất bản phẩm", True, 1, ""), ("Danh mục xuất bản phẩm nhập khẩu", True, 1, "")],
         [_COMPANY, ("so_luong_xbp", "Số lượng xuất bản phẩm", FormFieldType.NUMBER, True, [])]),
    Spec("1.901006", "Cấp giấy phép tổ chức triển lãm xuất bản phẩm", "xuat-ban-in-phat-hanh", 8, 0, "Không thu phí",
         OnlineLevel.PARTIAL, 3, ResultType.LICENCE, "Giấy phép tổ chức triển lãm", "Luật Xuất bản 2012; Thông tư số 01/2020/TT-BTTTT",
         [(APPLICATION, True, 1, "Bản chính"), ("Danh mục xuất bản phẩm triển lãm", True, 1, "")],
         [_COMPANY, ("dia_diem", "Địa điểm triển lãm", FormFieldType.TEXT, True, []),
          ("ngay_khai_mac", "Ngày khai mạc", FormFieldType.DATE, True, [])]),
    Spec("1.901007", "Cấp giấy phép lắp đặt trạm thu phát sóng thông tin di động (trạm BTS)", "vien-thong", 12, 150_000,
         "Lệ phí cấp giấy phép", OnlineLevel.PARTIAL, 3, ResultType.LICENCE, "Giấy phép lắp đặt trạm BTS",
         "Luật Viễn thông 2023; Luật Xây dựng 2014; Thông tư liên tịch số 15/2016/TTLT-BTTTT-BXD",
         [(APPLICATION, True, 1, "Bản chính"), ("Bản vẽ thiết kế vị trí lắp đặt trạm", True, 1, ""),
          ("Giấy tờ về quyền sử dụng đất hoặc hợp đồng thuê vị trí", True, 1, "Bản sao")],
         [_COMPANY, ("vi_tri", "Vị trí lắp đặt", FormFieldType.ADDRESS, True, []),
          ("chieu_cao_cot", "Chiều cao cột ăng-ten (m)", FormFieldType.NUMBER, True, []),
          ("loai_tram", "Loại trạm", FormFieldType.CHOICE, True, ["Cột cồng kềnh (A2b)", "Cột không cồng kềnh (A1)"])],
         consulted=True),
]  # fmt: skip

DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _construction(province: Organisation | None) -> Organisation:
    existing = Organisation.objects.filter(name=CONSTRUCTION).first()
    if existing is not None:
        return existing
    return organisation_create(
        acting_user=None, reason=REASON, name=CONSTRUCTION, short_name="Sở Xây dựng", kind=OrganisationKind.DEPARTMENT,
        parent=province, electronic_code="" if Organisation.objects.filter(electronic_code="000.23.00.H01").exists() else "000.23.00.H01",
    )  # fmt: skip


def _construction_officer(construction: Organisation) -> None:
    user = User.objects.filter(username="sxd_chuyenvien").first()
    if user is None:
        user = user_create(acting_user=None, username="sxd_chuyenvien", password=DEMO_PASSWORD, full_name="Nguyễn Hữu Tài",
                           email="sxd_chuyenvien@demo.eprovince.local", reason=REASON)  # fmt: skip
        position_assign(user=user, organisation=construction, title="Chuyên viên", acting_user=None)
    if not RoleAssignment.objects.filter(user=user, role=Role.SPECIALIST, organisation=construction).exists():
        role_grant(user=user, role=Role.SPECIALIST, organisation=construction, acting_user=None, reason=REASON)


def _procedures(dept: Organisation, division: Organisation, construction: Organisation) -> list[Procedure]:
    fields = {}
    for code, name, order in FIELDS:
        fields[code] = Field.objects.filter(code=code).first() or field_save(acting_user=None, code=code, name=name, order=order)
    result = []
    for spec in PROCEDURES:
        existing = Procedure.objects.filter(national_code=spec.code).first()
        if existing is not None:
            result.append(existing)
            continue
        procedure = procedure_save(
            acting_user=None, reason=REASON, national_code=spec.code, name=spec.name, field=fields[spec.field_code],
            receiving_agency=dept, handling_agency=dept, online_level=spec.level, legacy_level=spec.legacy,
            processing_days=spec.days, fee=spec.fee, fee_description=spec.fee_description, result_type=spec.result,
            result_name=spec.result_name, legal_basis=spec.legal_basis,
            description="Tổ chức, cá nhân nộp hồ sơ trực tuyến hoặc trực tiếp tại Bộ phận Một cửa của Sở; nhận kết quả "
                        "trực tiếp, trực tuyến hoặc qua dịch vụ bưu chính công ích.",
        )  # fmt: skip
        for order, (name, required, copies, note) in enumerate(spec.documents, start=1):
            procedure_part_save(procedure=procedure, model=RequiredDocument, acting_user=None, name=name, is_required=required,
                                copies=copies, note=note, order=order)  # fmt: skip
        for order, (key, label, kind, required, choices) in enumerate(spec.form, start=1):
            procedure_part_save(procedure=procedure, model=FormField, acting_user=None, key=key, label=label, field_type=kind,
                                required=required, choices=choices, order=order, **_FIELD_RULES.get(key, {}))  # fmt: skip
        process_apply_standard(
            procedure=procedure, division=division, consulted=construction if spec.consulted else None, acting_user=None
        )
        result.append(procedure)
    return result


# --- Dossiers --------------------------------------------------------------------------------------------------------

APPLICANTS = [
    ("Công ty TNHH In Long Xuyên", "0296 3852 111", "inlongxuyen@example.vn", "1600123456"),
    ("Công ty Cổ phần Truyền thông Mê Kông", "0918 222 333", "mekong.media@example.vn", "1600234567"),
    ("Nguyễn Văn Đông", "0912 345 678", "dong.nguyen@example.vn", "089085000123"),
    ("Trần Thị Thu Hà", "0903 456 789", "thuha.tran@example.vn", "089186000456"),
    ("Công ty TNHH Chuyển phát nhanh Châu Đốc", "0296 3868 686", "chuyenphat.cd@example.vn", "1600345678"),
    ("Tổng công ty Viễn thông MobiFone – Chi nhánh An Giang", "0296 3999 999", "mobifone.ag@example.vn", "0100686209-091"),
    ("Lê Hoàng Phúc", "0987 654 321", "", "089090000789"),
    ("Hợp tác xã Dịch vụ Tân Châu", "0296 3822 822", "htx.tanchau@example.vn", "1600456789"),
]

# Where each demo dossier ends up: the actions after reception, by (action code, role key).
SCENARIOS: list[tuple[str, list[str]]] = [
    ("new", []), ("new", []), ("processing", ["accept"]), ("processing", ["accept"]), ("processing", ["accept"]),
    ("overdue", ["accept"]), ("overdue", ["accept"]), ("due_soon", ["accept"]),
    ("supplement", ["accept", "request_supplement"]), ("supplement_at_reception", ["request_supplement"]),
    ("resumed", ["accept", "request_supplement", "receive_supplement"]),
    ("head", ["accept", "forward"]), ("head", ["accept", "forward"]), ("leader", ["accept", "forward", "forward"]),
    ("returned", ["accept", "forward", "return"]), ("result", ["accept", "forward", "forward", "issue_result"]),
    ("done", ["accept", "forward", "forward", "issue_result", "return_result"]),
    ("done", ["accept", "forward", "forward", "issue_result", "return_result"]),
    ("done", ["accept", "forward", "forward", "issue_result", "return_result"]),
    ("done_late", ["accept", "forward", "forward", "issue_result", "return_result"]),
    ("refused", ["refuse"]), ("refused", ["accept", "forward", "forward", "refuse"]), ("withdrawn", ["accept", "withdraw"]),
    ("apology", ["accept"]), ("new", []), ("due_soon", ["accept"]), ("processing", ["accept"]),
    ("head", ["accept", "forward"]), ("result", ["accept", "forward", "forward", "issue_result"]),
    ("done", ["accept", "forward", "forward", "issue_result", "return_result"]),
]  # fmt: skip
BTS_SCENARIOS: list[tuple[str, list[str]]] = [
    ("processing", ["accept"]), ("inter_agency", ["accept", "forward"]), ("inter_agency", ["accept", "forward"]),
    ("back", ["accept", "forward", "return"]), ("done", ["accept", "forward", "return", "forward", "forward", "issue_result", "return_result"]),
]  # fmt: skip

REASONS = {
    "request_supplement": "Đề nghị bổ sung bản sao có chứng thực giấy chứng nhận đăng ký doanh nghiệp.",
    "return": "Đề nghị làm rõ thông tin trong hồ sơ.",
    "refuse": "Hồ sơ không đáp ứng điều kiện theo quy định.",
    "withdraw": "Người nộp đề nghị rút hồ sơ để hoàn thiện lại.",
}


def _actor(dossier: Dossier, code: str, people: dict[str, User]) -> User:
    step = dossier.current_step
    assert step is not None
    if step.kind == "inter_agency":
        return people["sxd_chuyenvien"]
    if code in ("accept", "receive_supplement", "return_result", "withdraw") or step.code == "tiep-nhan":
        return people["motcua"]
    return {"specialist": people["chuyenvien"], "division_head": people["truongphong"]}.get(
        dossier.current_role, people["lanhdao"]
    )


def _form_data(procedure: Procedure, applicant: str, rng: random.Random) -> dict[str, Any]:
    from eprovince.core.constants import UnitLevel
    from eprovince.core.models import AdminUnit

    units = list(AdminUnit.objects.current().filter(level=UnitLevel.COMMUNE).values_list("pk", flat=True)[:40])
    data: dict[str, Any] = {}
    for f in procedure.form_fields.all():
        if f.field_type == FormFieldType.TEXT:
            data[f.key] = applicant if f.key == "ten_to_chuc" else f"{f.label} của {applicant}"[:200]
        elif f.field_type == FormFieldType.NUMBER:
            data[f.key] = rng.randint(2, 40)
        elif f.field_type == FormFieldType.DATE:
            data[f.key] = (timezone.localdate() + dt.timedelta(days=rng.randint(20, 60))).isoformat()
        elif f.field_type == FormFieldType.CHOICE:
            data[f.key] = rng.choice(f.choices)
        elif f.field_type == FormFieldType.ADDRESS and units:
            data[f.key] = {"unit": rng.choice(units), "street": f"Số {rng.randint(1, 300)} đường Trần Hưng Đạo"}
        elif f.field_type == FormFieldType.ADDRESS and not f.required:
            continue
    return data


def _uploads(procedure: Procedure) -> list[Upload]:
    return [Upload(file=_pdf(f"thanh-phan-{d.order}.pdf"), document=d) for d in procedure.documents.all() if d.is_required]


def _dossier(
    procedure: Procedure, scenario: str, steps: list[str], index: int, people: dict[str, User], rng: random.Random
) -> Dossier:
    """One dossier received `back` working days ago, taken through `steps` spread over the days since."""
    name, phone, email, id_number = APPLICANTS[index % len(APPLICANTS)]
    back = {"new": 0, "overdue": procedure.processing_days + 5, "due_soon": procedure.processing_days - 1,
            "apology": procedure.processing_days - 1,  # an apology is issued once the dossier is due soon
            "done_late": procedure.processing_days + 6}.get(scenario)  # fmt: skip
    if back is None:  # within the processing time, so that the dossier is on time
        back = min(max(len(steps) + 1, rng.randint(3, 9)), procedure.processing_days)
    moment = deadlines.working_days_ago(back, 8 + index % 2, 15 * (index % 4))
    form = _form_data(procedure, name, rng)
    if not steps or steps[0] != "accept" or index % 3 == 0:
        citizen = people["doanhnghiep"] if index % 2 else people["congdan"]
        draft = dossier_draft_create(acting_user=citizen, procedure=procedure, form_data=form, applicant_name=name,
                                     applicant_phone=phone, applicant_email=email, applicant_id_number=id_number)  # fmt: skip
        for upload in _uploads(procedure):
            dossier_file_add(dossier=draft, acting_user=citizen, upload=upload)
        dossier = dossier_submit_online(dossier=draft, acting_user=citizen, now=moment - dt.timedelta(hours=14))
    else:
        dossier = dossier_receive_at_counter(
            acting_user=people["motcua"], procedure=procedure, applicant_name=name, applicant_phone=phone, applicant_email=email,
            applicant_id_number=id_number, form_data=form, uploads=_uploads(procedure), now=moment,
            channel=Channel.POST if index % 7 == 0 else Channel.COUNTER,
        )  # fmt: skip
        steps = steps[1:]  # the counter reception already passed it on
    end = 2 if scenario == "done_late" else 1
    later, k = len([code for code in steps if code != "accept"]), 0
    for j, code in enumerate(steps, start=1):
        # Reception the morning after an online submission; the other actions spread until `end` days ago.
        k += code != "accept"
        days_back = back if code == "accept" or back <= end else back - (k * (back - end)) // later
        at = deadlines.working_days_ago(days_back, 9 + min(j, 7), 10 * (j % 5))
        assert dossier.current_step is not None
        kind = dossier.current_step.kind
        files = (
            [Upload(file=_pdf(f"{code}.pdf"))]
            if (code == "issue_result" and index % 2) or (code == "return" and kind == "inter_agency")
            else []  # every other result is generated from the procedure's template (demo_results.py)
        )
        if code == "issue_result" and payment_due(dossier):  # the fee is paid before the licence is issued
            payment_confirm(dossier=dossier, acting_user=people["motcua"], method="transfer",
                            transaction_reference=f"FT{dossier.pk:08d}", now=at - dt.timedelta(minutes=30))  # fmt: skip
        dossier = dossier_act(dossier=dossier, action_code=code, acting_user=_actor(dossier, code, people),
                              reason=REASONS.get(code, "Đồng ý" if files and code == "return" else ""), uploads=files, now=at)  # fmt: skip
    if scenario == "apology" and dossier.due_at:
        new_day = timezone.localdate(dossier.due_at) + dt.timedelta(days=7)
        while not deadlines.is_working_day(new_day):
            new_day += dt.timedelta(days=1)
        dossier = dossier_issue_apology(dossier=dossier, acting_user=people["lanhdao"], new_due_date=new_day,
                                        reason="Cần thêm thời gian kiểm tra thực tế tại cơ sở.")  # fmt: skip
    return dossier


def _dossiers(procedures: list[Procedure], stdout: TextIO) -> None:
    names = ["motcua", "chuyenvien", "truongphong", "lanhdao", "sxd_chuyenvien", "congdan", "doanhnghiep"]
    people = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(people) < len(names):
        stdout.write("  Hồ sơ một cửa: bỏ qua (thiếu tài khoản trình diễn của nền tảng).")
        return
    rng = random.Random(2026)
    bts = procedures[-1]
    others = procedures[:-1]
    index = 0
    for scenario, steps in SCENARIOS:
        _dossier(others[index % len(others)], scenario, steps, index, people, rng)
        index += 1
    for scenario, steps in BTS_SCENARIOS:
        _dossier(bts, scenario, steps, index, people, rng)
        index += 1


def _payments(dept: Organisation, procedures: list[Procedure]) -> None:
    """The Department's fee account (demonstration values) and, for procedures with a fee, the leader's approval
    waits until the fee is confirmed."""
    if not PaymentAccount.objects.filter(organisation=dept).exists():
        payment_account_save(acting_user=None, organisation=dept, bank_bin="970415", bank_name="VietinBank – Chi nhánh An Giang",
                             account_number="113000246810", account_name="SO KHOA HOC VA CONG NGHE TINH AN GIANG",
                             reason=REASON)  # fmt: skip
    for procedure in procedures:
        if procedure.fee <= 0:
            continue
        for action in ProcessAction.objects.filter(procedure=procedure, code="issue_result", requires_payment=False):
            procedure_part_save(
                procedure=procedure, model=ProcessAction, acting_user=None, instance=action, requires_payment=True
            )


def load(stdout: TextIO) -> None:
    dept = Organisation.objects.filter(name=DEPARTMENT).first()
    division = Organisation.objects.filter(name=DIVISION, parent=dept).first() if dept else None
    if dept is None or division is None:
        stdout.write("  Một cửa: bỏ qua (chưa có Sở và phòng chuyên môn trình diễn).")
        return
    construction = _construction(Organisation.objects.filter(name=PROVINCE).first())
    _construction_officer(construction)
    procedures = _procedures(dept, division, construction)
    _payments(dept, procedures)
    demo_results.load_templates(procedures)  # before the dossiers: half of the results are generated from them
    stdout.write(f"  Thủ tục hành chính: {Procedure.objects.count()}")
    if not Dossier.objects.filter(procedure__in=procedures).exists():
        _dossiers(procedures, stdout)
    stdout.write(f"  Hồ sơ một cửa: {Dossier.objects.filter(procedure__in=procedures).count()}")
