"""Fees: an officer confirms a dossier's payment; an administrator sets the agencies' collection accounts.
Thin: forms parse, selectors read (404 outside the user's scope), services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors
from .forms_payments import PaymentAccountForm, PaymentConfirmForm
from .models import PaymentAccount
from .permissions import can_manage_catalogue, is_officer
from .services.payments import payment_account_save, payment_confirm
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
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Đã xác nhận thu phí, lệ phí của hồ sơ %(code)s (%(ref)s).") % {
                "code": dossier.code, "ref": payment.transaction_reference})  # fmt: skip
            return redirect("onestop:dossier_detail", pk=pk)
    context = _detail_context(request, dossier)
    context["payment_form"] = form
    return render(request, "onestop/dossier_detail.html", context, status=400)


@login_required
def accounts(request: HttpRequest) -> HttpResponse:
    if not can_manage_catalogue(request.user):
        raise PermissionDenied
    form = PaymentAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment_account_save(acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Đã lưu tài khoản thu phí, lệ phí."))
            return redirect("onestop:payment_accounts")
    rows = PaymentAccount.objects.select_related("organisation").order_by("organisation__name")
    status = 400 if request.method == "POST" else 200
    return render(request, "onestop/admin/payment_accounts.html", {"form": form, "rows": rows}, status=status)
