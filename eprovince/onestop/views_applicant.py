"""The applicant's pages: sign-up and email verification, "my dossiers", a dossier with its history, the
confirmation page after submitting, the receipt slip, files, the answer to a request to supplement, the rating.
An applicant reaches only their own dossiers: anyone else's code or a forged id is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from eprovince.core.form_errors import apply_validation_error
from eprovince.core.http import client_ip

from . import selectors
from .constants import RATEABLE_STATUSES
from .errors import OneStopError
from .forms_applicant import EmailForm, RatingForm, SignUpForm, SupplementForm
from .models import Dossier
from .payments import qr_png
from .receipt import pdf_response
from .services.applicants import (
    applicant_sign_up,
    applicant_sign_up_problems,
    applicant_verification_resend,
    applicant_verify_email,
    safe_next,
    verification_next,
)
from .services.dossiers import Upload
from .services.online import dossier_rate, dossier_supplement_submit, supplement_action
from .services.payments import payment_info
from .throttle import signup_attempt_allowed
from .views_draft import site_url

SIGNUP_EMAIL_KEY = "onestop_signup_email"


def _ip(request: HttpRequest) -> str | None:
    return client_ip(request)


def _login_url(next_url: str) -> str:
    return f"{reverse('core:login')}?{urlencode({'next': next_url})}"


# --- Sign-up ---------------------------------------------------------------------------------------------------------


def _signup_problems(form: SignUpForm) -> None:
    """The service's checks on what was typed, even when the form already found a problem: every error at once."""
    raw = {
        name: str(form.data.get(name, ""))
        for name in ("kind", "full_name", "email", "phone", "password", "business_name", "tax_code")
    }
    for name, messages_ in applicant_sign_up_problems(**raw).items():
        if name in form.fields and name not in form.errors:
            form.add_error(name, messages_)


@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "onestop:my_dossiers")
    form = SignUpForm(request.POST or None, initial={"kind": "citizen"})
    context = {"form": form, "next": next_url}
    if request.method == "POST":
        if not signup_attempt_allowed(_ip(request)):
            form.add_error(None, _("Bạn đã thử đăng ký quá nhiều lần. Vui lòng thử lại sau ít phút."))
            return render(request, "onestop/applicant/signup.html", context, status=429)
        if not form.is_valid():
            _signup_problems(form)
        else:
            data = form.cleaned_data
            try:
                user = applicant_sign_up(
                    kind=data["kind"], full_name=data["full_name"], email=data["email"], phone=data["phone"],
                    password=data["password"], business_name=data["business_name"], tax_code=data["tax_code"],
                    site_url=site_url(request), next_url=next_url,
                )  # fmt: skip
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                request.session[SIGNUP_EMAIL_KEY] = user.email
                return redirect("onestop:signup_sent")
    return render(request, "onestop/applicant/signup.html", context, status=400 if form.errors else 200)


@never_cache
def signup_sent(request: HttpRequest) -> HttpResponse:
    """Check your email: the address the link went to, and a way to have it sent again."""
    email = request.session.get(SIGNUP_EMAIL_KEY, "")
    return render(request, "onestop/applicant/signup_sent.html", {"email": email, "form": EmailForm(initial={"email": email})})


@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = applicant_verify_email(token=token[:500])
    except ValidationError as exc:
        context = {"error": exc.messages[0], "expired": exc.code == "expired", "form": EmailForm()}
        return render(request, "onestop/applicant/verify.html", context, status=400)
    next_url = verification_next(token[:500])
    if request.user.is_authenticated and request.user.pk == user.pk:
        continue_url = next_url or reverse("onestop:my_dossiers")
    else:
        continue_url = _login_url(next_url or reverse("onestop:my_dossiers"))
    context = {"verified_user": user, "login_url": continue_url, "returns_to_procedure": bool(next_url)}
    return render(request, "onestop/applicant/verify.html", context)


@never_cache
def verify_resend(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    if request.method == "POST":
        if not signup_attempt_allowed(_ip(request)):
            form.add_error(None, _("Bạn đã yêu cầu quá nhiều lần. Vui lòng thử lại sau ít phút."))
            return render(request, "onestop/applicant/resend.html", {"form": form}, status=429)
        if form.is_valid():
            applicant_verification_resend(email=form.cleaned_data["email"], site_url=site_url(request))
            return render(request, "onestop/applicant/resend.html", {"form": form, "sent": form.cleaned_data["email"]})
    return render(request, "onestop/applicant/resend.html", {"form": form}, status=400 if form.errors else 200)


# --- My dossiers ------------------------------------------------------------------------------------------------------


def my_dossiers(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "onestop/applicant/sign_in_needed.html", {"next": request.path})
    drafts, submitted = selectors.applicant_dossiers(request.user)
    return render(request, "onestop/applicant/my_dossiers.html", {"drafts": drafts, "submitted": submitted})


def _dossier_context(request: HttpRequest, dossier: Dossier, **forms: Any) -> dict[str, Any]:
    view = selectors.applicant_view(dossier)  # what the applicant reads: the same view as the applicant's API
    request_event, rating = view.supplement_request, view.rating
    supplement_form = forms.get("supplement_form")
    if request_event is not None and supplement_form is None and supplement_action(dossier) is not None:
        supplement_form = SupplementForm(initial={"version": dossier.version}, documents=list(dossier.procedure.documents.all()))
    rating_form = forms.get("rating_form")
    if rating is None and rating_form is None and dossier.status in RATEABLE_STATUSES:
        rating_form = RatingForm()
    return {
        "dossier": dossier, "events": view.events, "expected": view.expected, "own_files": view.own_files,
        "results": view.results,
        "supplement_request": request_event, "supplement_form": supplement_form, "rating": rating, "rating_form": rating_form,
        "payment": payment_info(dossier),
    }  # fmt: skip


@login_required
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    dossier = selectors.applicant_dossier(request.user, code)
    return render(request, "onestop/applicant/dossier.html", _dossier_context(request, dossier))


@login_required
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation page: bookmarkable, it reads everything from the dossier."""
    dossier = selectors.applicant_dossier(request.user, code)
    return render(
        request, "onestop/applicant/submitted.html",
        {"dossier": dossier, "expected": selectors.expected_return(dossier),
         "tracking_url": selectors.tracking_url("", dossier.code), "payment": payment_info(dossier)},
    )  # fmt: skip


@login_required
def my_receipt(request: HttpRequest, code: str) -> HttpResponse:
    return pdf_response(selectors.applicant_dossier(request.user, code), site_url=site_url(request))


@login_required
def my_payment_qr(request: HttpRequest, code: str) -> HttpResponse:
    """The VietQR code as a PNG to save (a phone cannot scan its own screen): only while the fee is due."""
    dossier = selectors.applicant_dossier(request.user, code)
    payment = payment_info(dossier)
    if payment is None or not payment.payload:
        raise Http404
    response = HttpResponse(qr_png(payment.payload), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="VietQR-{dossier.code}.png"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_file(request: HttpRequest, pk: int) -> FileResponse:
    item = selectors.applicant_file(request.user, pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type)


@login_required
@require_POST
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    dossier = selectors.applicant_dossier(request.user, code)
    form = SupplementForm(request.POST, request.FILES, documents=list(dossier.procedure.documents.all()))
    if form.is_valid():
        document = form.documents.get(form.cleaned_data["document"] or 0)
        try:
            dossier_supplement_submit(
                dossier=dossier, acting_user=request.user, note=form.cleaned_data["note"],  # type: ignore[arg-type]
                uploads=[Upload(file=f, document=document) for f in form.cleaned_data["attachments"]],
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except OneStopError as exc:
            messages.error(request, exc.message)
            return redirect("onestop:my_dossier", code=code)
        except ValidationError as exc:
            apply_validation_error(form, exc, rename={"files": "attachments"})
        else:
            messages.success(request, _("Đã gửi hồ sơ bổ sung. Thời hạn giải quyết được tính tiếp từ hôm nay."))
            return redirect("onestop:my_dossier", code=code)
    return render(request, "onestop/applicant/dossier.html", _dossier_context(request, dossier, supplement_form=form), status=400)


@login_required
@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    dossier = selectors.applicant_dossier(request.user, code)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            dossier_rate(dossier=dossier, acting_user=request.user, scores=form.scores(), comment=form.cleaned_data["comment"])  # type: ignore[arg-type]
        except ValidationError as exc:
            if getattr(exc, "code", "") == "already_rated":
                messages.info(request, exc.messages[0])
                return redirect("onestop:my_dossier", code=code)
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá. Ý kiến của bạn giúp cơ quan phục vụ tốt hơn."))
            return redirect("onestop:my_dossier", code=code)
    return render(request, "onestop/applicant/dossier.html", _dossier_context(request, dossier, rating_form=form), status=400)
