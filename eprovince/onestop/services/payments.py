"""Fees of dossiers: the agencies' collection accounts, opening a dossier's payment, an officer confirming it.

A dossier owes its procedure's fee (copied when it is submitted or received). A process action flagged
`requires_payment` cannot be done while the fee is unpaid (workflow.payment_block). Officers confirm a payment
after seeing the transfer on the agency's account (or taking cash at the counter): who, when, how, the bank
transaction or receipt number; the dossier's history and the audit trail record it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction, Role
from eprovince.core.models import Organisation, User
from eprovince.core.permissions import has_role
from eprovince.core.services.audit import audit_record, snapshot

from ..constants import DossierStatus
from ..models import Dossier, Payment, PaymentAccount, PaymentMethod, PaymentStatus
from ..payments import TransferDetails, qr_svg, transfer_memo, vietqr_payload

_PAYMENT_FIELDS = ("amount", "reference", "status", "method", "transaction_reference", "note", "confirmed_by_id", "confirmed_at")
_ACCOUNT_FIELDS = ("organisation_id", "bank_bin", "bank_name", "account_number", "account_name", "is_active")


# --- Reads ------------------------------------------------------------------------------------------------------------


def payment_of(dossier: Dossier) -> Payment | None:
    try:
        return dossier.payment
    except Payment.DoesNotExist:
        return None


def payment_due(dossier: Dossier) -> bool:
    """Does the dossier owe a fee not yet confirmed? (A dossier from before payments existed owes its procedure's.)"""
    payment = payment_of(dossier)
    if payment is not None:
        return payment.status == PaymentStatus.PENDING and payment.amount > 0
    return dossier.procedure.fee > 0


def collection_account(organisation_id: int | None) -> PaymentAccount | None:
    if organisation_id is None:
        return None
    return PaymentAccount.objects.filter(organisation_id=organisation_id, is_active=True).first()


@dataclass(frozen=True)
class PaymentInfo:
    """What a page shows about a dossier's fee: the payment, where to transfer, and the VietQR code."""

    payment: Payment
    account: PaymentAccount | None
    payload: str
    svg: str

    @property
    def is_due(self) -> bool:
        return not self.payment.is_confirmed


def payment_info(dossier: Dossier) -> PaymentInfo | None:
    """None when the dossier owes nothing (or is still a draft)."""
    payment = payment_of(dossier)
    if payment is None or payment.amount <= 0:
        return None
    account = collection_account(dossier.receiving_agency_id)
    payload = svg = ""
    if account is not None and not payment.is_confirmed:
        payload = vietqr_payload(TransferDetails(account.bank_bin, account.account_number, payment.amount, payment.reference))
        svg = qr_svg(payload, title=_("Mã VietQR nộp phí hồ sơ %(code)s") % {"code": dossier.code})
    return PaymentInfo(payment=payment, account=account, payload=payload, svg=svg)


def can_confirm_payment(user: Any, dossier: Dossier) -> bool:
    """One-stop clerks of the receiving agency (which collects the fee), and administrators."""
    return has_role(user, Role.ONESTOP_CLERK, organisation=dossier.receiving_agency) or has_role(user, Role.ADMIN)


# --- Writes -----------------------------------------------------------------------------------------------------------


def payment_open(*, dossier: Dossier, acting_user: User | None) -> Payment | None:
    """Called by the dossier services, inside their transaction, once the dossier has its code: the fee it owes."""
    fee = dossier.procedure.fee
    if fee <= 0 or Payment.objects.filter(dossier=dossier).exists():
        return None
    payment = Payment(
        dossier=dossier, amount=fee, description=dossier.procedure.fee_description[:500], reference=transfer_memo(dossier.code)
    )
    # A new payment is pending: its check constraint (a confirmed payment has a method and a time) holds, no query.
    payment.full_clean(exclude=["dossier"], validate_constraints=False)
    payment.save()
    dossier.payment = payment  # the instance's cached "no payment" is replaced
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=payment, after=snapshot(payment, _PAYMENT_FIELDS))
    return payment


@transaction.atomic
def payment_confirm(
    *,
    dossier: Dossier,
    acting_user: User,
    method: str,
    transaction_reference: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Payment:
    """An officer confirms the dossier's fee was received: by transfer (with the bank's transaction reference) or
    in cash at the counter (with the receipt number). Confirmed once; a second confirmation is refused."""
    from .dossiers import _locked, _record  # the dossier's lock and history are the dossier services'

    locked = _locked(dossier)
    if not can_confirm_payment(acting_user, locked):
        raise PermissionDenied(_("Chỉ cán bộ một cửa của cơ quan tiếp nhận mới được xác nhận thu phí, lệ phí."))
    if locked.status == DossierStatus.DRAFT:
        raise ValidationError(_("Hồ sơ chưa nộp, chưa thể thu phí."))
    errors: dict[str, str] = {}
    if method not in PaymentMethod.values:
        errors["method"] = _("Vui lòng chọn hình thức nộp phí.")
    reference = transaction_reference.strip()
    if not reference:
        errors["transaction_reference"] = _("Vui lòng nhập mã giao dịch ngân hàng hoặc số biên lai thu tiền.")
    if errors:
        raise ValidationError(errors)
    payment = Payment.objects.select_for_update().filter(dossier=locked).first()
    if payment is None:
        if locked.procedure.fee <= 0:
            raise ValidationError(_("Thủ tục của hồ sơ này không thu phí, lệ phí."))
        payment = payment_open(dossier=locked, acting_user=acting_user)
        assert payment is not None
    if payment.is_confirmed:
        raise ValidationError(
            _("Phí, lệ phí của hồ sơ %(code)s đã được xác nhận lúc %(at)s; không xác nhận lại.")
            % {"code": locked.code, "at": timezone.localtime(payment.confirmed_at).strftime("%d/%m/%Y %H:%M")}
        )
    now = now or timezone.now()
    before = snapshot(payment, _PAYMENT_FIELDS)
    payment.status, payment.method = PaymentStatus.CONFIRMED, method
    payment.transaction_reference, payment.note = reference[:100], note.strip()[:500]
    payment.confirmed_by, payment.confirmed_at = acting_user, now
    payment.full_clean(exclude=["dossier", "confirmed_by"])
    payment.save()
    amount = f"{payment.amount:,}".replace(",", ".")
    label = _("Xác nhận đã thu phí, lệ phí: %(amount)s đồng (%(method)s)") % {
        "amount": amount, "method": payment.get_method_display()
    }  # fmt: skip
    reason = _("Mã giao dịch, số biên lai: %(ref)s") % {"ref": payment.transaction_reference}
    if payment.note:
        reason += f". {payment.note}"
    _record(locked, actor=acting_user, action="payment_confirm", label=label, transition=None, reason=reason, now=now)
    audit_record(
        actor=acting_user, action=AuditAction.UPDATE, obj=payment, before=before, after=snapshot(payment, _PAYMENT_FIELDS),
        reason=reason,
    )  # fmt: skip
    return payment


@transaction.atomic
def payment_account_save(
    *,
    acting_user: User | None,
    organisation: Organisation,
    bank_bin: str,
    bank_name: str,
    account_number: str,
    account_name: str,
    is_active: bool = True,
    reason: str = "",
) -> PaymentAccount:
    """Create or change the account `organisation` collects fees on."""
    account = PaymentAccount.objects.select_for_update().filter(organisation=organisation).first()
    created = account is None
    account = account or PaymentAccount(organisation=organisation)
    before = None if created else snapshot(account, _ACCOUNT_FIELDS)
    account.bank_bin, account.bank_name = bank_bin.strip(), bank_name.strip()
    account.account_number, account.account_name = account_number.strip().replace(" ", ""), account_name.strip()
    account.is_active = is_active
    account.full_clean()
    account.save()
    audit_record(
        actor=acting_user, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=account, before=before,
        after=snapshot(account, _ACCOUNT_FIELDS), reason=reason,
    )  # fmt: skip
    return account
