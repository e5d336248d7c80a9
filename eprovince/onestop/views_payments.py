"""Fees: an officer confirms a dossier's payment, or many at once from the account's bank statement (upload, preview,
confirm); an administrator sets the agencies' collection accounts. Thin: forms parse, selectors read (404 outside
the user's scope), services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from eprovince.core.form_errors import apply_validation_error
from eprovince.core.permissions import administered_organisations

from . import selectors, statements
from .forms_payments import PaymentAccountForm, PaymentConfirmForm, StatementUploadForm
from .permissions import is_officer
from .services.payments import (
    can_manage_payment_accounts,
    may_import_statements,
    payment_account_save,
    payment_accounts_for,
    payment_confirm,
    recent_statement_imports,
    statement_confirm,
    statement_organisations,
    statement_preview,
)
from .views_officer import _detail_context


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_officer(request.user):
        raise PermissionDenied
    dossier = selectors.dossier_for_user(request.user, pk)
    form = PaymentConfirmForm(request.POST)
    if form.is_valid():
        try:
            payment = payment_confirm(dossier=dossier, acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã xác nhận thu phí, lệ phí của hồ sơ %(code)s (%(ref)s).") % {
                "code": dossier.code, "ref": payment.transaction_reference})  # fmt: skip
            return redirect("onestop:dossier_detail", pk=pk)
    context = _detail_context(request, dossier)
    context["payment_form"] = form
    return render(request, "onestop/dossier_detail.html", context, status=400)


@login_required
def accounts(request: HttpRequest) -> HttpResponse:
    if not can_manage_payment_accounts(request.user):
        raise PermissionDenied
    form = PaymentAccountForm(request.POST or None)
    agencies = form.fields["organisation"].queryset.filter(pk__in=administered_organisations(request.user).values("pk"))  # type: ignore[attr-defined]
    form.fields["organisation"].queryset = agencies  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            payment_account_save(acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu tài khoản thu phí, lệ phí."))
            return redirect("onestop:payment_accounts")
    rows = payment_accounts_for(request.user).select_related("organisation").order_by("organisation__name")
    status = 400 if request.method == "POST" else 200
    return render(request, "onestop/admin/payment_accounts.html", {"form": form, "rows": rows}, status=status)


# --- Bank statements --------------------------------------------------------------------------------------------------


@login_required
def statements_upload(request: HttpRequest) -> HttpResponse:
    """Upload the account's statement: the preview of what would be confirmed (nothing saved), or the errors."""
    if not may_import_statements(request.user):
        raise PermissionDenied
    organisations = statement_organisations(request.user)
    form = StatementUploadForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid() and "statement" in form.cleaned_data:
        organisation, statement = form.cleaned_data["organisation"], form.cleaned_data["statement"]
        preview = statement_preview(organisation=organisation, acting_user=request.user, statement=statement)  # type: ignore[arg-type]
        token = statements.dump_statement(statement, organisation_id=organisation.pk, user_id=request.user.pk)  # type: ignore[arg-type]
        chosen = {m.line.row for m in preview.to_confirm}
        return render(request, "onestop/payments/statement_preview.html", {"preview": preview, "token": token, "chosen": chosen})
    context = {"form": form, "has_accounts": organisations.exists(), "imports": recent_statement_imports(request.user)}
    return render(request, "onestop/payments/statement_import.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def statements_confirm(request: HttpRequest) -> HttpResponse:
    """Confirm the chosen lines of a previewed statement, all or none."""
    if not may_import_statements(request.user):
        raise PermissionDenied
    token = request.POST.get("statement", "")
    try:
        carried = statements.load_statement(token)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("onestop:statement_import")
    organisation = statement_organisations(request.user).filter(pk=carried.organisation_id).first()
    if organisation is None or carried.user_id != request.user.pk:
        raise PermissionDenied
    rows = {int(v) for v in request.POST.getlist("dong") if v.isdigit() and len(v) < 10}
    try:
        record = statement_confirm(
            organisation=organisation,
            acting_user=request.user,
            statement=carried.statement,
            rows=rows,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        preview = statement_preview(organisation=organisation, acting_user=request.user, statement=carried.statement)  # type: ignore[arg-type]
        context = {"preview": preview, "token": token, "chosen": rows, "errors": exc.messages}
        return render(request, "onestop/payments/statement_preview.html", context, status=400)
    amount = statements.format_amount(record.confirmed_amount)
    messages.success(
        request,
        ngettext(
            "Đã xác nhận %(n)d khoản phí (%(amount)s đồng) từ sao kê “%(file)s”.",
            "Đã xác nhận %(n)d khoản phí (%(amount)s đồng) từ sao kê “%(file)s”.",
            record.confirmed_count,
        )
        % {"n": record.confirmed_count, "amount": amount, "file": record.file_name},
    )
    return redirect("onestop:statement_import")
