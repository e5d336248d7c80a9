"""Fees and VietQR: the payload banks read, the payment a dossier owes, officers confirming it, and the process
refusing to move a dossier on while its fee is unpaid."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from qr_pay import QRDecodeError, verify_checksum

from eprovince.core.models import AuditEvent
from eprovince.onestop.constants import DossierStatus
from eprovince.onestop.errors import ActionNotAllowed
from eprovince.onestop.models import Dossier, DossierEvent, Payment, PaymentAccount, PaymentStatus, Procedure, ProcessAction
from eprovince.onestop.payments import TransferDetails, clean_memo, decode_payload, transfer_memo, vietqr_payload
from eprovince.onestop.services.catalogue import procedure_part_save
from eprovince.onestop.services.dossiers import Upload
from eprovince.onestop.services.payments import payment_account_save, payment_confirm, payment_due, payment_info

from .factories import World, act, pdf, receive, submit_online

# --- The VietQR payload (no database) ---------------------------------------------------------------------------------


def test_the_payload_decodes_back_to_the_bank_account_amount_and_memo_with_a_valid_crc() -> None:
    memo = transfer_memo("000.20.00.H99-260309-0007")
    payload = vietqr_payload(TransferDetails("970436", "0011001234567", 704, memo))
    assert verify_checksum(payload)
    assert payload.startswith("000201010212")  # format 01, dynamic (one amount, one use)
    assert "5303704" in payload and "5802VN" in payload  # đồng, Viet Nam
    assert decode_payload(payload) == TransferDetails("970436", "0011001234567", 704, "000.20.00.H99-260309-0007 NOP PHI")


def test_a_corrupted_payload_is_refused_by_its_crc() -> None:
    payload = vietqr_payload(TransferDetails("970436", "0011001234567", 704, "HS 1"))
    tampered = payload.replace("5403704", "5403705")
    assert not verify_checksum(tampered)
    with pytest.raises(QRDecodeError):
        decode_payload(tampered)


def test_the_memo_is_plain_ascii_banks_accept() -> None:
    assert transfer_memo("Hồ sơ Đông-01") == "HO SO DONG-01 NOP PHI"
    with pytest.raises(ValueError):
        vietqr_payload(TransferDetails("970436", "1", 0, "x"))


@given(
    amount=st.integers(min_value=1, max_value=10**12),
    account=st.text(alphabet="0123456789ABCDEFGHJK", min_size=1, max_size=19),
    bank=st.from_regex(r"^9704[0-9]{2}$", fullmatch=True),
    memo=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=120),
)
def test_any_transfer_round_trips_through_the_payload(amount: int, account: str, bank: str, memo: str) -> None:
    payload = vietqr_payload(TransferDetails(bank, account, amount, memo))
    assert payload.isascii() and verify_checksum(payload)
    back = decode_payload(payload)
    assert (back.bank_bin, back.account_number, back.amount) == (bank, account, amount)
    assert back.memo == clean_memo(memo) and len(back.memo) <= 90


# --- Dossiers with a fee ----------------------------------------------------------------------------------------------


def _require_payment_to_issue(procedure: Procedure) -> None:
    action = ProcessAction.objects.get(procedure=procedure, code="issue_result")
    procedure_part_save(procedure=procedure, model=ProcessAction, acting_user=None, instance=action, requires_payment=True)


def _account(world: World) -> PaymentAccount:
    return payment_account_save(
        acting_user=world.admin, organisation=world.dept, bank_bin="970415", bank_name="VietinBank",
        account_number="113000246810", account_name="SO KHCN TINH THU NGHIEM",
    )  # fmt: skip


def _at_leader(world: World, dossier: Dossier) -> Dossier:
    return act(act(dossier, "forward", world.specialist), "forward", world.head)


@pytest.mark.django_db
def test_a_submitted_dossier_owes_the_fee_of_its_procedure_with_its_code_in_the_memo(world: World) -> None:
    d = submit_online(world)
    payment = Payment.objects.get(dossier=d)
    assert (payment.amount, payment.status) == (1_500_000, PaymentStatus.PENDING)
    assert d.code in payment.reference
    world.procedure.fee = 2_000_000  # a later change to the catalogue does not change what is owed
    world.procedure.save()
    assert Payment.objects.get(dossier=d).amount == 1_500_000
    assert not Payment.objects.filter(dossier=receive(world, procedure=world.bts)).exists()  # no fee, nothing owed


@pytest.mark.django_db
def test_the_qr_shown_carries_the_agency_account_the_amount_and_the_memo(world: World) -> None:
    _account(world)
    d = submit_online(world)
    info = payment_info(d)
    assert info is not None and info.is_due and "<svg" in info.svg
    back = decode_payload(info.payload)
    assert back == TransferDetails("970415", "113000246810", 1_500_000, f"{d.code} NOP PHI")


@pytest.mark.django_db
def test_an_unpaid_dossier_cannot_be_approved_and_a_paid_one_can(world: World) -> None:
    _require_payment_to_issue(world.procedure)
    d = _at_leader(world, receive(world))
    before = DossierEvent.objects.filter(dossier=d).count()
    with pytest.raises(ActionNotAllowed, match="chưa nộp phí"):
        act(d, "issue_result", world.leader, uploads=[Upload(file=pdf())])
    d.refresh_from_db()
    assert d.status == DossierStatus.WAITING_APPROVAL and DossierEvent.objects.filter(dossier=d).count() == before
    payment_confirm(dossier=d, acting_user=world.clerk, method="cash", transaction_reference="BL-0001")
    d = act(d, "issue_result", world.leader, uploads=[Upload(file=pdf())])
    assert d.status == DossierStatus.RESULT_READY
    assert not payment_due(d)


@pytest.mark.django_db
def test_a_dossier_without_a_fee_moves_on_freely(world: World) -> None:
    _require_payment_to_issue(world.bts)
    d = receive(world, procedure=world.bts)
    d = act(d, "forward", world.specialist)
    d = act(d, "return", world.builder, reason="Đồng ý", uploads=[Upload(file=pdf())])
    d = act(act(d, "forward", world.specialist), "forward", world.head)
    assert act(d, "issue_result", world.leader, uploads=[Upload(file=pdf())]).status == DossierStatus.RESULT_READY


@pytest.mark.django_db
def test_confirmation_records_who_when_how_in_the_history_and_the_audit_trail(world: World) -> None:
    d = receive(world)
    payment = payment_confirm(
        dossier=d, acting_user=world.clerk, method="transfer", transaction_reference=" FT26068 ", note="Sao kê"
    )
    assert payment.status == PaymentStatus.CONFIRMED and payment.confirmed_by == world.clerk
    assert payment.transaction_reference == "FT26068" and payment.confirmed_at is not None
    event = DossierEvent.objects.get(dossier=d, action="payment_confirm")
    assert "1.500.000" in event.label and "FT26068" in event.reason and event.actor == world.clerk
    audit = AuditEvent.objects.filter(content_type__model="payment", actor=world.clerk).latest("pk")
    assert audit.before is not None and audit.after is not None
    assert audit.before["status"] == "pending" and audit.after["status"] == "confirmed"


@pytest.mark.django_db
def test_a_second_confirmation_is_refused_and_changes_nothing(world: World) -> None:
    d = receive(world)
    first = payment_confirm(dossier=d, acting_user=world.clerk, method="transfer", transaction_reference="FT1")
    with pytest.raises(ValidationError, match="đã được xác nhận"):
        payment_confirm(dossier=d, acting_user=world.clerk, method="cash", transaction_reference="BL2")
    again = Payment.objects.get(pk=first.pk)
    assert (again.method, again.transaction_reference) == ("transfer", "FT1")
    assert DossierEvent.objects.filter(dossier=d, action="payment_confirm").count() == 1


@pytest.mark.django_db
def test_only_clerks_of_the_receiving_agency_confirm_and_bad_input_changes_nothing(world: World) -> None:
    d = receive(world)
    for user in (world.specialist, world.outsider, world.citizen):
        with pytest.raises(PermissionDenied):
            payment_confirm(dossier=d, acting_user=user, method="transfer", transaction_reference="FT1")
    with pytest.raises(ValidationError) as exc:
        payment_confirm(dossier=d, acting_user=world.clerk, method="bitcoin", transaction_reference=" ")
    assert set(exc.value.message_dict) == {"method", "transaction_reference"}
    assert Payment.objects.get(dossier=d).status == PaymentStatus.PENDING
    assert not DossierEvent.objects.filter(dossier=d, action="payment_confirm").exists()


@pytest.mark.django_db
def test_an_account_needs_a_valid_bin_and_number(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        payment_account_save(acting_user=world.admin, organisation=world.dept, bank_bin="97", bank_name="X",
                             account_number="12 34-5", account_name="Y")  # fmt: skip
    assert set(exc.value.message_dict) == {"bank_bin", "account_number"}
    assert not PaymentAccount.objects.exists()


# --- Pages ------------------------------------------------------------------------------------------------------------


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.mark.django_db
def test_the_applicant_sees_the_qr_account_and_memo_after_submitting(world: World) -> None:
    _account(world)
    d = submit_online(world)
    client = _client(world.citizen)
    for url in (f"/ho-so-cua-toi/{d.code}/da-nop/", f"/ho-so-cua-toi/{d.code}/"):
        page = client.get(url).content.decode()
        assert "<svg" in page and "113000246810" in page and f"{d.code} NOP PHI" in page and "1.500.000 đồng" in page
    payment_confirm(dossier=d, acting_user=world.clerk, method="transfer", transaction_reference="FT9")
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert "Đã nộp phí" in page and "<svg" not in page


@pytest.mark.django_db
def test_the_officer_confirms_on_the_dossier_page(world: World) -> None:
    d = receive(world)
    url = f"/can-bo/mot-cua/ho-so/{d.pk}/"
    assert "Xác nhận đã thu phí" in _client(world.clerk).get(url).content.decode()
    assert "Xác nhận đã thu phí" not in _client(world.specialist).get(url).content.decode()
    bad = _client(world.clerk).post(f"{url}thu-phi/", {"method": "cash", "transaction_reference": ""})
    assert bad.status_code == 400 and Payment.objects.get(dossier=d).status == PaymentStatus.PENDING
    ok = _client(world.clerk).post(f"{url}thu-phi/", {"method": "cash", "transaction_reference": "BL-77"})
    assert ok.status_code == 302 and Payment.objects.get(dossier=d).transaction_reference == "BL-77"
    page = _client(world.clerk).get(url).content.decode()
    assert "BL-77" in page and "Đã nộp phí" in page


@pytest.mark.django_db
def test_other_organisations_get_404_and_applicants_cannot_confirm(world: World) -> None:
    d = submit_online(world)
    url = f"/can-bo/mot-cua/ho-so/{d.pk}/thu-phi/"
    data = {"method": "transfer", "transaction_reference": "FT1"}
    assert _client(world.outsider).post(url, data).status_code == 404
    assert _client(world.citizen).post(url, data).status_code in (403, 404)
    assert _client(world.specialist).post(url, data).status_code == 403  # sees the dossier, may not confirm
    assert Payment.objects.get(dossier=d).status == PaymentStatus.PENDING


@pytest.mark.django_db
def test_an_unpaid_approval_from_the_page_shows_a_vietnamese_message(world: World) -> None:
    _require_payment_to_issue(world.procedure)
    d = _at_leader(world, receive(world))
    url = f"/can-bo/mot-cua/ho-so/{d.pk}/"
    response = _client(world.leader).post(
        f"{url}thao-tac/",
        {"panel-action": "issue_result", "panel-version": d.version, "panel-attachments": pdf()},
        follow=True,
    )  # type: ignore[attr-defined]
    assert "chưa nộp phí" in response.content.decode()


@pytest.mark.django_db
def test_administrators_set_the_account_of_an_agency(world: World) -> None:
    url = "/can-bo/mot-cua/tai-khoan-thu-phi/"
    assert _client(world.clerk).get(url).status_code == 403
    data = {"organisation": world.dept.pk, "bank_bin": "970436", "bank_name": "Vietcombank", "account_number": "0011001234567",
            "account_name": "SO KHCN", "is_active": "on"}  # fmt: skip
    assert _client(world.admin).post(url, data).status_code == 302
    assert PaymentAccount.objects.get(organisation=world.dept).bank_bin == "970436"
    assert _client(world.admin).post(url, {**data, "bank_bin": "12"}).status_code == 400
    assert PaymentAccount.objects.get(organisation=world.dept).bank_bin == "970436"


@pytest.mark.django_db
def test_the_api_shows_the_payment_of_a_dossier(world: World) -> None:
    d = receive(world)
    body = _client(world.clerk).get(f"/api/v1/onestop/dossiers/{d.pk}").json()
    assert body["payment"]["status"] == "pending" and body["payment"]["amount"] == 1_500_000
