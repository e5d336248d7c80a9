"""Importing the collection account's bank statement: the clerk uploads it, sees what each credit would do (nothing
saved), and confirms the matching fees in one POST, all or none, through the same confirmation as by hand; the
import is audited. Other agencies' dossiers stay invisible, and only the agency's clerks may import."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from eprovince.core.models import AuditEvent
from eprovince.onestop.models import Dossier, DossierEvent, Payment, PaymentStatus
from eprovince.onestop.models.payments import StatementImport
from eprovince.onestop.services import payments as payment_services
from eprovince.onestop.services.dossiers import dossier_receive_at_counter
from eprovince.onestop.services.payments import payment_account_save, payment_confirm, statement_confirm, statement_preview
from eprovince.onestop.statements import Outcome, parse_statement

from .factories import World, make_procedure, receive
from .test_statements import HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = "/can-bo/mot-cua/doi-chieu-sao-ke/"
CONFIRM_URL = "/can-bo/mot-cua/doi-chieu-sao-ke/xac-nhan/"
FEE = "1.500.000"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def account(world: World, organisation: Any = None) -> None:
    payment_account_save(
        acting_user=world.admin, organisation=organisation or world.dept, bank_bin="970415", bank_name="VietinBank",
        account_number="113000246810", account_name="SO KHCN TINH THU NGHIEM",
    )  # fmt: skip


def mangle(code: str) -> str:
    """How a bank's app may write "<code> NOP PHI": dashes and dots gone, spaces, lower case."""
    return code.replace(".", " ").replace("-", "").lower() + " nop phi"


def other_agency_dossier(world: World) -> Dossier:
    health = make_procedure(code="1.000099", name="Cấp phép hành nghề Y tế tư nhân", field=world.field,
                            agency=world.other_dept, division=world.other_dept, fee=1_500_000, form=False)  # fmt: skip
    return dossier_receive_at_counter(
        acting_user=world.outsider, procedure=health, applicant_name="Lê Thị Bí Mật", applicant_phone="0900000001",
        applicant_email="", form_data={}, uploads=world.documents(health),
    )  # fmt: skip


def upload(client: Client, world: World, data: bytes, name: str = "sao-ke.csv", organisation: Any = None) -> Any:
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(URL, {"organisation": (organisation or world.dept).pk, "file": file})


def token_of(response: Any) -> str:
    match = re.search(r'name="statement" value="([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def rows_proposed(response: Any) -> list[str]:
    return re.findall(r'name="dong" value="(\d+)" checked', response.content.decode())


@pytest.fixture
def scene(world: World) -> dict[str, Any]:
    """The agency's account, four dossiers owing 1.500.000 đồng (one already paid) and another agency's dossier."""
    account(world)
    owing = [receive(world) for _ in range(3)]
    paid = receive(world)
    payment_confirm(dossier=paid, acting_user=world.clerk, method="transfer", transaction_reference="FT-OLD-1")
    return {"owing": owing, "paid": paid, "foreign": other_agency_dossier(world)}


def statement_rows(scene: dict[str, Any]) -> list[list[str]]:
    a, b, c = scene["owing"]
    return [
        ["SAO KÊ TÀI KHOẢN 113000246810"],
        HEADER,
        ["10/03/2026", FEE, f"MBVCB.334.{mangle(a.code)}.CT tu 0011 NGUYEN VAN DONG", "FT001"],  # row 3: confirm
        ["10/03/2026", "1.000.000", f"{b.code} NOP PHI", "FT002"],  # row 4: amount differs
        ["10/03/2026", FEE, f"{scene['paid'].code} NOP PHI", "FT003"],  # row 5: already paid
        ["10/03/2026", FEE, "000.20.00.H99-260101-9999 NOP PHI", "FT004"],  # row 6: no such dossier
        ["10/03/2026", FEE, f"{scene['foreign'].code} NOP PHI", "FT005"],  # row 7: another agency's
        ["10/03/2026", FEE, f"{c.code} NOP PHI", "FT-OLD-1"],  # row 8: reference already used
        ["11/03/2026", FEE, f"IBFT {c.code.upper()} NOP PHI", "FT006"],  # row 9: confirm
        ["11/03/2026", FEE, f"{c.code} NOP PHI lan 2", "FT006"],  # row 10: same reference as row 9
    ]


# --- Preview ----------------------------------------------------------------------------------------------------------


def test_the_preview_proposes_each_line_and_saves_nothing(world: World, scene: dict[str, Any]) -> None:
    audits, events = AuditEvent.objects.count(), DossierEvent.objects.count()
    response = upload(client_for(world.clerk), world, csv_bytes(statement_rows(scene), delimiter=";", bom=True))
    assert response.status_code == 200
    page = response.content.decode()
    assert rows_proposed(response) == ["3", "9"]
    a = scene["owing"][0]
    for expected in [
        a.code, "Số tiền khác phí phải nộp", "Chuyển 1.000.000 đồng, phí phải nộp 1.500.000 đồng", "Hồ sơ đã nộp phí",
        "Không tìm thấy hồ sơ", f"Số tham chiếu đã dùng để xác nhận phí của hồ sơ {scene['paid'].code}",
        "Trùng số tham chiếu với dòng 9", "Xác nhận thu phí: 2", "Đề xuất xác nhận 2 khoản phí, tổng 3.000.000 đồng",
        hashlib.sha256(csv_bytes(statement_rows(scene), delimiter=";", bom=True)).hexdigest(), "chưa có khoản phí nào",
    ]:  # fmt: skip
        assert expected in page, expected
    assert f"/can-bo/mot-cua/ho-so/{a.pk}/" in page
    assert Payment.objects.filter(status=PaymentStatus.PENDING).count() == 4  # three here, one of the other agency
    assert (AuditEvent.objects.count(), DossierEvent.objects.count()) == (audits, events)
    assert not StatementImport.objects.exists()


def test_another_agency_s_dossier_is_shown_as_not_found(world: World, scene: dict[str, Any]) -> None:
    foreign = scene["foreign"]
    statement = parse_statement(csv_bytes(statement_rows(scene)), "s.csv")
    preview = statement_preview(organisation=world.dept, acting_user=world.clerk, statement=statement)
    match = next(m for m in preview.matches if m.line.row == 7)
    assert match.outcome == Outcome.OTHER_AGENCY and match.dossier is None
    page = upload(client_for(world.clerk), world, csv_bytes(statement_rows(scene))).content.decode()
    row = page[page.index(f"{foreign.code} NOP PHI") :]
    row = row[: row.index("</tr>")]
    assert "Không tìm thấy hồ sơ" in row and "Nội dung chuyển khoản không có mã hồ sơ nào của cơ quan" in row
    for secret in ["Lê Thị Bí Mật", f"/ho-so/{foreign.pk}/", "Y tế tư nhân", "Phí phải nộp"]:
        assert secret not in row, secret
    assert "Không tìm thấy hồ sơ: 2" in page  # counted with the unknown code, not apart


def test_an_excel_statement_and_an_administrator(world: World, scene: dict[str, Any]) -> None:
    a = scene["owing"][0]
    data = xlsx_bytes(
        [["NGÂN HÀNG"], ["Ngày", "Ghi có", "Diễn giải", "Mã giao dịch"], ["10/03/2026", 1_500_000, f"{a.code} NOP PHI", "FT9"]]
    )
    response = upload(client_for(world.admin), world, data, "sao-ke.xlsx")
    assert response.status_code == 200 and rows_proposed(response) == ["3"]


# --- Confirming -------------------------------------------------------------------------------------------------------


def test_confirming_goes_through_the_payment_confirmation_and_the_import_is_audited(world: World, scene: dict[str, Any]) -> None:
    data = csv_bytes(statement_rows(scene))
    clerk = client_for(world.clerk)
    token = token_of(upload(clerk, world, data, "saoke-10-03.csv"))
    response = clerk.post(CONFIRM_URL, {"statement": token, "dong": ["3", "9"]}, follow=True)
    assert response.status_code == 200
    assert "Đã xác nhận 2 khoản phí (3.000.000 đồng) từ sao kê “saoke-10-03.csv”" in response.content.decode()
    a, b, c = scene["owing"]
    for dossier, reference in ((a, "FT001"), (c, "FT006")):
        payment = Payment.objects.get(dossier=dossier)
        assert (payment.status, payment.method, payment.transaction_reference) == ("confirmed", "transfer", reference)
        assert payment.confirmed_by == world.clerk and "saoke-10-03.csv" in payment.note
        event = DossierEvent.objects.get(dossier=dossier, action="payment_confirm")
        assert reference in event.reason and event.actor == world.clerk
        assert AuditEvent.objects.filter(content_type__model="payment", object_id=str(payment.pk), actor=world.clerk).exists()
    assert Payment.objects.get(dossier=b).status == PaymentStatus.PENDING
    record = StatementImport.objects.get()
    assert (record.organisation, record.imported_by, record.file_name) == (world.dept, world.clerk, "saoke-10-03.csv")
    assert record.sha256 == hashlib.sha256(data).hexdigest()
    assert (record.line_count, record.confirmed_count, record.confirmed_amount) == (8, 2, 3_000_000)
    assert record.counts == {"confirm": 2, "amount_differs": 1, "already_paid": 1, "not_found": 1, "other_agency": 1,
                             "duplicate_reference": 2, "skipped": 0}  # fmt: skip
    audit = AuditEvent.objects.get(content_type__model="statementimport", object_id=str(record.pk))
    assert audit.actor == world.clerk and audit.after is not None
    assert (audit.after["sha256"], audit.after["file_name"], audit.after["confirmed"], audit.after["rows"]) == (
        record.sha256, "saoke-10-03.csv", 2, [3, 9]
    )  # fmt: skip
    page = clerk.get(URL).content.decode()
    assert "saoke-10-03.csv" in page and record.sha256 in page and "3.000.000 đồng" in page
    again = upload(clerk, world, data, "saoke-10-03.csv")  # the same file once more: nothing left to confirm
    assert "Tệp sao kê này đã được đối chiếu lúc" in again.content.decode() and rows_proposed(again) == []


def test_the_clerk_may_leave_out_a_proposed_line(world: World, scene: dict[str, Any]) -> None:
    clerk = client_for(world.clerk)
    token = token_of(upload(clerk, world, csv_bytes(statement_rows(scene))))
    assert clerk.post(CONFIRM_URL, {"statement": token, "dong": ["9"]}).status_code == 302
    a, _b, c = scene["owing"]
    assert Payment.objects.get(dossier=a).status == PaymentStatus.PENDING
    assert Payment.objects.get(dossier=c).status == PaymentStatus.CONFIRMED
    assert clerk.post(CONFIRM_URL, {"statement": token}).status_code == 400  # nothing chosen
    assert StatementImport.objects.count() == 1


def test_all_or_nothing_when_one_confirmation_fails(world: World, scene: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    statement = parse_statement(csv_bytes(statement_rows(scene)), "s.csv")
    real, calls = payment_services.payment_confirm, []

    def failing_second(**kwargs: Any) -> Any:
        calls.append(kwargs["transaction_reference"])
        if len(calls) == 2:
            raise ValidationError("Lỗi giả lập ở khoản thứ hai.")
        return real(**kwargs)

    monkeypatch.setattr(payment_services, "payment_confirm", failing_second)
    audits, events = AuditEvent.objects.count(), DossierEvent.objects.count()
    with pytest.raises(ValidationError, match="Lỗi giả lập"):
        statement_confirm(organisation=world.dept, acting_user=world.clerk, statement=statement, rows=[3, 9])
    assert len(calls) == 2  # the first one was written, then undone
    assert Payment.objects.filter(dossier__in=scene["owing"], status=PaymentStatus.CONFIRMED).count() == 0
    assert (AuditEvent.objects.count(), DossierEvent.objects.count()) == (audits, events)
    assert not StatementImport.objects.exists()


def test_a_fee_confirmed_meanwhile_refuses_the_whole_import(world: World, scene: dict[str, Any]) -> None:
    clerk = client_for(world.clerk)
    token = token_of(upload(clerk, world, csv_bytes(statement_rows(scene))))
    a, _b, c = scene["owing"]
    payment_confirm(dossier=a, acting_user=world.clerk, method="cash", transaction_reference="BL-01")  # by hand, first
    response = clerk.post(CONFIRM_URL, {"statement": token, "dong": ["3", "9"]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dòng 3 không còn xác nhận được: hồ sơ đã nộp phí." in page and "Chưa xác nhận khoản phí nào" in page
    assert Payment.objects.get(dossier=c).status == PaymentStatus.PENDING and not StatementImport.objects.exists()
    assert rows_proposed(response) == ["9"]  # the fresh preview still offers the other line


def test_a_bank_reference_confirms_one_fee_only_by_hand_too(world: World, scene: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        payment_confirm(dossier=scene["owing"][0], acting_user=world.clerk, method="transfer", transaction_reference="FT-OLD-1")
    assert scene["paid"].code in info.value.message_dict["transaction_reference"][0]
    payment_confirm(dossier=scene["owing"][0], acting_user=world.clerk, method="cash", transaction_reference="FT-OLD-1")


# --- Bad files through the page ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 hello", "sao-ke.pdf", "không phải là bảng tính"),
        (
            csv_bytes([["Ngày giao dịch", "Số tiền ghi có", "Nội dung"], ["10/03/2026", "1", "x"]]),
            "s.csv",
            "Thiếu cột “Số tham chiếu”",
        ),
        (
            csv_bytes([HEADER, ["10/03/2026", "abc", "x", "FT1"]]),
            "s.csv",
            "Dòng 2, cột 2 (“Số tiền ghi có”): “abc” không phải là số tiền.",
        ),
        (b"", "s.csv", "Tệp đã chọn rỗng"),
        (b"\r\n", "s.csv", "rỗng"),
    ],
)
def test_bad_files_get_a_vietnamese_error_and_nothing_is_saved(
    world: World, scene: dict[str, Any], data: bytes, name: str, message: str
) -> None:
    audits = AuditEvent.objects.count()
    response = upload(client_for(world.clerk), world, data, name)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Không đọc được sao kê" in page and 'name="statement"' not in page
    assert AuditEvent.objects.count() == audits and not StatementImport.objects.exists()
    assert not Payment.objects.filter(status=PaymentStatus.CONFIRMED).exclude(dossier=scene["paid"]).exists()


def test_a_file_over_the_upload_limit_is_refused(world: World, scene: dict[str, Any], settings: Any) -> None:
    settings.ONESTOP_MAX_UPLOAD_BYTES = 200
    data = csv_bytes(statement_rows(scene))
    assert len(data) > 200
    response = upload(client_for(world.clerk), world, data)
    assert response.status_code == 400 and "quá lớn: tối đa 200" in response.content.decode()


def test_a_forged_or_foreign_token_confirms_nothing(world: World, scene: dict[str, Any]) -> None:
    clerk = client_for(world.clerk)
    token = token_of(upload(clerk, world, csv_bytes(statement_rows(scene))))
    forged = token[:10] + ("x" if token[10] != "x" else "y") + token[11:]
    response = clerk.post(CONFIRM_URL, {"statement": forged, "dong": ["3"]}, follow=True)
    assert "Dữ liệu đối chiếu không hợp lệ" in response.content.decode()
    account(world, world.other_dept)  # the other agency has an account: its clerk may import its own statements
    assert client_for(world.outsider).post(CONFIRM_URL, {"statement": token, "dong": ["3"]}).status_code == 403
    assert not StatementImport.objects.exists()
    assert Payment.objects.get(dossier=scene["owing"][0]).status == PaymentStatus.PENDING


# --- Who may import ---------------------------------------------------------------------------------------------------


def test_only_the_agency_s_clerks_and_administrators_import(world: World, scene: dict[str, Any]) -> None:
    data = csv_bytes(statement_rows(scene))
    anonymous = Client()
    assert anonymous.get(URL).status_code == 302
    assert anonymous.post(URL, {"organisation": world.dept.pk}).status_code == 302
    assert anonymous.post(CONFIRM_URL, {"statement": "x"}).status_code == 302
    for user in (world.citizen, world.specialist, world.leader):
        assert client_for(user).get(URL).status_code == 403
        assert upload(client_for(user), world, data).status_code == 403
    outsider = client_for(world.outsider)  # a clerk of another agency
    page = outsider.get(URL).content.decode()
    assert "chưa có tài khoản thu phí" in page and world.dept.name not in page
    account(world, world.other_dept)
    assert world.dept.name not in outsider.get(URL).content.decode()
    response = upload(outsider, world, data)  # the Department's account: not a choice
    assert response.status_code == 400 and 'name="statement"' not in response.content.decode()
    with pytest.raises(PermissionDenied):
        statement_preview(organisation=world.dept, acting_user=world.outsider, statement=parse_statement(data, "s.csv"))
    with pytest.raises(PermissionDenied):
        statement_confirm(organisation=world.dept, acting_user=world.outsider, statement=parse_statement(data, "s.csv"), rows=[3])
    own = upload(outsider, world, data, organisation=world.other_dept)  # its own statement: the Department's dossiers hidden
    assert own.status_code == 200 and rows_proposed(own) == ["7"]
    own_page = own.content.decode()
    assert "Nguyễn Văn Đông" not in own_page and f"/ho-so/{scene['owing'][0].pk}/" not in own_page
    assert not StatementImport.objects.exists()


def test_the_page_is_linked_where_clerks_confirm_payments(world: World, scene: dict[str, Any]) -> None:
    page = client_for(world.clerk).get(f"/can-bo/mot-cua/ho-so/{scene['owing'][0].pk}/").content.decode()
    assert f'href="{URL}"' in page
    form = client_for(world.clerk).get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'accept=".xlsx,.csv"' in form
    assert '<label for="id_file">' in form and "tối đa 10,0" in form


def test_the_preview_reads_a_fixed_number_of_queries_whatever_its_length(
    world: World, scene: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    a = scene["owing"][0]
    lines = [["10/03/2026", FEE, f"{a.code} NOP PHI x{n}", f"FT{n:05d}"] for n in range(300)]
    statement = parse_statement(csv_bytes([HEADER, *lines]), "s.csv")
    with django_assert_max_num_queries(12):
        preview = statement_preview(organisation=world.dept, acting_user=world.clerk, statement=statement)
    assert [m.outcome for m in preview.matches[:2]] == [Outcome.CONFIRM, Outcome.SAME_DOSSIER]


@pytest.mark.django_db(transaction=True)
def test_two_clerks_importing_at_once_confirm_each_fee_once(world: World) -> None:
    from .test_numbering import run_together

    account(world)
    a, c = receive(world), receive(world)
    forward = [HEADER, ["10/03/2026", FEE, f"{a.code} NOP PHI", "FT1"], ["10/03/2026", FEE, f"{c.code} NOP PHI", "FT2"]]
    backward = [HEADER, forward[2], forward[1]]  # the same credits, listed the other way round
    jobs = [
        (world.clerk, parse_statement(csv_bytes(forward), "a.csv")),
        (world.admin, parse_statement(csv_bytes(backward), "b.csv")),
    ]
    results = run_together(
        2, lambda i: statement_confirm(organisation=world.dept, acting_user=jobs[i][0], statement=jobs[i][1], rows=[2, 3])
    )
    winners = [r for r in results if isinstance(r, StatementImport)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1 and isinstance(losers[0], ValidationError), results
    assert StatementImport.objects.count() == 1
    assert Payment.objects.filter(dossier__in=[a, c], status=PaymentStatus.CONFIRMED).count() == 2
    assert DossierEvent.objects.filter(dossier__in=[a, c], action="payment_confirm").count() == 2


@pytest.mark.django_db(transaction=True)
def test_one_bank_reference_cannot_confirm_two_fees_even_at_the_same_moment(world: World) -> None:
    """Two clerks confirm two different dossiers by hand with the same bank reference at once: the agency's
    confirmations by transfer are serialised, so exactly one succeeds and the other is told the reference is used."""
    from .test_numbering import run_together

    account(world)
    dossiers = [receive(world), receive(world)]
    results = run_together(
        2,
        lambda i: payment_confirm(
            dossier=dossiers[i], acting_user=world.clerk, method="transfer", transaction_reference="FT26069ABCDE"
        ),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), results
    assert "FT26069ABCDE" in " ".join(errors[0].messages)
    assert Payment.objects.filter(transaction_reference="FT26069ABCDE", status=PaymentStatus.CONFIRMED).count() == 1
