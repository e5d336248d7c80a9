"""Fees of dossiers: the agencies' collection accounts, opening a dossier's payment, an officer confirming it.

A dossier owes its procedure's fee (copied when it is submitted or received). A process action flagged
`requires_payment` cannot be done while the fee is unpaid (workflow.payment_block). Officers confirm a payment
after seeing the transfer on the agency's account (or taking cash at the counter): who, when, how, the bank
transaction or receipt number; the dossier's history and the audit trail record it. A bank reference confirms one
transfer only. A clerk may also import the account's statement: its credits are matched to the fees owed
(statements.py), previewed, and the matching ones confirmed together, all or none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction, Role
from eprovince.core.models import Organisation, User
from eprovince.core.permissions import (
    administered_organisations,
    can_administer,
    has_role,
    is_administrator,
    organisation_scope,
)
from eprovince.core.services.audit import audit_record, snapshot

from .. import numbering, statements
from ..constants import DEFAULT_NUMBERING_PATTERN, DossierStatus
from ..models import Dossier, DossierNumbering, Payment, PaymentAccount, PaymentMethod, PaymentStatus, Procedure
from ..models.payments import StatementImport
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
    """One-stop clerks of the receiving agency (which collects the fee), and the administrators of that agency."""
    return can_import_statement(user, dossier.receiving_agency)


def reference_used(organisation_id: int | None, references: Iterable[str]) -> dict[str, str]:
    """Which of these bank references already confirm a transfer to the agency's account (→ that dossier's code)."""
    wanted = {r for r in references if r}
    if organisation_id is None or not wanted:
        return {}
    rows = Payment.objects.filter(
        transaction_reference__in=wanted, method=PaymentMethod.TRANSFER, dossier__receiving_agency_id=organisation_id
    ).values_list("transaction_reference", "dossier__code")
    return dict(rows)


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


def _lock_references(agency_id: int | None) -> None:
    """Serialise the confirmations by bank transfer of one agency (its collection account's row, locked until the
    commit), so that two clerks confirming different dossiers with the same bank reference at the same moment cannot
    both pass the "one reference, one fee" check. Taken before any dossier's lock: the order is always the account,
    then the dossiers (by id), so confirmations never deadlock."""
    if agency_id is not None:
        PaymentAccount.objects.select_for_update().filter(organisation_id=agency_id).values_list("pk").first()


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

    if method == PaymentMethod.TRANSFER:
        _lock_references(dossier.receiving_agency_id)
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
    if method == PaymentMethod.TRANSFER:
        used = reference_used(locked.receiving_agency_id, [reference[:100]]).get(reference[:100])
        if used:
            raise ValidationError(
                {"transaction_reference": _("Mã giao dịch “%(ref)s” đã được dùng để xác nhận phí của hồ sơ %(code)s; mỗi "
                                            "giao dịch ngân hàng chỉ xác nhận một khoản phí.") % {"ref": reference, "code": used}}
            )  # fmt: skip
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
    """Create or change the account `organisation` collects fees on (its administrators only)."""
    if acting_user is not None and not can_administer(acting_user, organisation):
        raise PermissionDenied(
            _("Bạn không có quyền quản trị %(organisation)s nên không thể sửa tài khoản thu phí của cơ quan này.")
            % {"organisation": organisation}
        )
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


# --- Bank statements --------------------------------------------------------------------------------------------------


def can_import_statement(user: Any, organisation: Organisation) -> bool:
    """Whoever confirms the fees `organisation` collects (as can_confirm_payment): its one-stop clerks and the
    administrators of `organisation`."""
    return has_role(user, Role.ONESTOP_CLERK, organisation=organisation) or can_administer(user, organisation)


def can_manage_payment_accounts(user: Any) -> bool:
    """May open the collection accounts' page: an administrator anywhere; each account is then the administrators'
    of its agency (payment_accounts_for, payment_account_save)."""
    return is_administrator(user)


def payment_accounts_for(user: Any) -> QuerySet[PaymentAccount]:
    """The collection accounts of the agencies `user` administers."""
    return PaymentAccount.objects.filter(organisation__in=administered_organisations(user).values("pk"))


def may_import_statements(user: Any) -> bool:
    return has_role(user, Role.ONESTOP_CLERK, Role.ADMIN)


def statement_organisations(user: Any) -> QuerySet[Organisation]:
    """The agencies with a collection account whose statements `user` may import: where they are a one-stop clerk
    or an administrator (can_import_statement)."""
    agencies = Organisation.objects.filter(onestop_payment_account__isnull=False).select_related("onestop_payment_account")
    scope = organisation_scope(user, Role.ONESTOP_CLERK, Role.ADMIN)
    return (agencies if scope is None else agencies.filter(scope)).order_by("path")


def recent_statement_imports(user: Any, *, limit: int = 10) -> list[StatementImport]:
    agencies = statement_organisations(user).values("pk")
    return list(StatementImport.objects.filter(organisation__in=agencies).select_related("organisation", "imported_by")[:limit])


def code_matchers() -> list[statements.CodeMatcher]:
    """A matcher per receiving agency of the catalogue: its numbering pattern, and the default one (its older
    dossiers may carry it)."""
    agency_ids = set(Procedure.objects.values_list("receiving_agency_id", flat=True).distinct())
    patterns = dict(DossierNumbering.objects.filter(organisation_id__in=agency_ids).values_list("organisation_id", "pattern"))
    matchers = []
    for org in Organisation.objects.filter(pk__in=agency_ids).order_by("pk"):
        code = numbering.agency_code(org)
        for pattern in dict.fromkeys((patterns.get(org.pk, DEFAULT_NUMBERING_PATTERN), DEFAULT_NUMBERING_PATTERN)):
            matchers.append(statements.code_matcher(pattern, code, org.pk))
    return matchers


def _dossier_facts(organisation: Organisation, codes: set[str]) -> dict[str, statements.DossierFacts]:
    """The dossiers with these codes: the agency's with their fee; of any other agency, nothing but that."""
    facts: dict[str, statements.DossierFacts] = {}
    mine: dict[int, tuple[str, str, int]] = {}
    wanted = sorted(codes)
    for start in range(0, len(wanted), 500):
        rows = (
            Dossier.objects.filter(code__in=wanted[start : start + 500])
            .exclude(status=DossierStatus.DRAFT)
            .values_list("pk", "code", "receiving_agency_id", "applicant_name", "procedure__fee")
        )
        for pk, code, agency_id, name, fee in rows:
            if agency_id == organisation.pk:
                mine[pk] = (code, name, fee)
            else:
                facts[code] = statements.DossierFacts(code=code, in_agency=False)
    payments = {p.dossier_id: p for p in Payment.objects.filter(dossier_id__in=list(mine)).only("dossier_id", "status", "amount")}
    for pk, (code, name, fee) in mine.items():
        payment = payments.get(pk)
        if payment is not None:
            paid = payment.is_confirmed
            due = payment.amount if not paid and payment.amount > 0 else None
        else:  # a dossier from before payments existed owes its procedure's fee
            paid, due = False, (fee if fee > 0 else None)
        facts[code] = statements.DossierFacts(code=code, in_agency=True, pk=pk, applicant_name=name, due=due, paid=paid)
    return facts


@dataclass(frozen=True)
class StatementPreview:
    """What importing a statement would do, line by line; nothing saved."""

    organisation: Organisation
    statement: statements.Statement
    matches: list[statements.LineMatch]
    previous: StatementImport | None  # the same file, confirmed before

    @property
    def to_confirm(self) -> list[statements.LineMatch]:
        return [m for m in self.matches if m.confirmable]

    @property
    def amount_to_confirm(self) -> str:
        return statements.format_amount(sum((m.line.amount for m in self.to_confirm), Decimal(0)))

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(outcome, label, number of lines) as a clerk sees them (another agency's dossier counts as not found)."""
        counts = statements.outcome_counts(self.matches, shown=True)
        return [(o.value, str(o.label), counts[o.value]) for o in statements.Outcome if counts.get(o.value)]


def statement_preview(*, organisation: Organisation, acting_user: User, statement: statements.Statement) -> StatementPreview:
    """Match each credit of `statement` (a statement of `organisation`'s collection account) to the fee a dossier of
    the agency owes; see statements.match_lines for the rules. Reads only."""
    if not can_import_statement(acting_user, organisation):
        raise PermissionDenied(_("Chỉ cán bộ một cửa của cơ quan mới được đối chiếu sao kê tài khoản thu phí của cơ quan."))
    matchers = code_matchers()
    codes = {line.row: statements.find_codes(line.memo, matchers) for line in statement.lines}
    facts = _dossier_facts(organisation, {c for found in codes.values() for c in found})
    used = reference_used(organisation.pk, (line.reference[:100] for line in statement.lines))
    matches = statements.match_lines(statement.lines, codes=codes, dossiers=facts, used_references=used)
    previous = (
        StatementImport.objects.filter(organisation=organisation, sha256=statement.sha256).select_related("imported_by").first()
    )
    return StatementPreview(organisation=organisation, statement=statement, matches=matches, previous=previous)


@transaction.atomic
def statement_confirm(
    *,
    organisation: Organisation,
    acting_user: User,
    statement: statements.Statement,
    rows: Collection[int],
    now: dt.datetime | None = None,
) -> StatementImport:
    """Confirm the fees of the chosen lines (their row numbers) of a previewed statement, all or none. The statement is
    matched again first: a chosen line that can no longer be confirmed (another clerk confirmed that fee meanwhile,
    the reference was used...) is named in a ValidationError and nothing is saved. Each fee is confirmed through
    payment_confirm (its checks, the dossier's history, the audit row); the import itself is recorded and audited
    (file name, SHA-256, how many lines of each kind, which rows)."""
    _lock_references(organisation.pk)
    preview = statement_preview(organisation=organisation, acting_user=acting_user, statement=statement)
    chosen = sorted(set(rows))
    if not chosen:
        raise ValidationError(_("Chưa chọn giao dịch nào để xác nhận."))
    by_row = {m.line.row: m for m in preview.matches}
    errors = []
    for row in chosen:
        match = by_row.get(row)
        if match is None:
            errors.append(_("Dòng %(row)d không có trong sao kê.") % {"row": row})
        elif not match.confirmable:
            errors.append(_("Dòng %(row)d không còn xác nhận được: %(outcome)s.") % {"row": row, "outcome": match.label.lower()})
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    chosen_matches = [by_row[row] for row in chosen]
    dossiers = Dossier.objects.in_bulk([m.dossier.pk for m in chosen_matches if m.dossier])
    total = 0
    # In the order of the dossiers' ids: two imports at once lock the dossiers in the same order (no deadlock).
    for match in sorted(chosen_matches, key=lambda m: m.dossier.pk if m.dossier else 0):
        assert match.dossier is not None
        line = match.line
        note = _("Đối chiếu sao kê “%(file)s”, dòng %(row)d, ngày giao dịch %(date)s.") % {
            "file": statement.file_name, "row": line.row, "date": line.date.strftime("%d/%m/%Y")
        }  # fmt: skip
        try:
            payment_confirm(
                dossier=dossiers[match.dossier.pk], acting_user=acting_user, method=PaymentMethod.TRANSFER,
                transaction_reference=line.reference, note=note, now=now,
            )  # fmt: skip
        except ValidationError as exc:
            raise ValidationError(
                _("Dòng %(row)d (hồ sơ %(code)s): %(error)s")
                % {"row": line.row, "code": match.dossier.code, "error": " ".join(exc.messages)}
            ) from exc
        total += int(line.amount)
    counts = statements.outcome_counts(preview.matches)
    record = StatementImport(
        organisation=organisation, file_name=statement.file_name[:255], sha256=statement.sha256,
        line_count=len(statement.lines), confirmed_count=len(chosen_matches), confirmed_amount=total,
        counts={**counts, "skipped": statement.skipped}, imported_by=acting_user, imported_at=now,
    )  # fmt: skip
    record.full_clean(exclude=["organisation", "imported_by"])
    record.save()
    audit_record(
        actor=acting_user, action=AuditAction.CREATE, obj=record,
        after={
            "organisation_id": organisation.pk, "file_name": record.file_name, "sha256": record.sha256,
            "lines": record.line_count, "confirmed": record.confirmed_count, "confirmed_amount": total,
            "counts": record.counts, "rows": chosen,
        },
        reason=_("Đối chiếu sao kê tài khoản thu phí"),
    )  # fmt: skip
    return record
