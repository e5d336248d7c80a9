"""Pages of the annual review (/can-bo/chi-tieu/tong-ket-nam/): request a report, follow its progress (htmx
polling, or a plain refresh without JavaScript), retry a failed one, download the DOCX and the PDF through a view
that checks who asks (the files are never public media). Views only parse, check and call services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eprovince.core.form_errors import apply_validation_error
from eprovince.core.http import content_disposition

from ..models import ReviewReportJob, ReviewStatus
from ..views import module_required
from . import permissions, services
from .forms import ReviewRequestForm

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
POLL_SECONDS = 2


def _check(request: HttpRequest) -> None:
    if not permissions.can_use(request.user):
        raise PermissionDenied(_("Chỉ cán bộ, lãnh đạo Sở mới lập được báo cáo tổng kết năm."))


def _job_or_404(request: HttpRequest, pk: int) -> ReviewReportJob:
    job = permissions.visible_jobs(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404(_("Không tìm thấy báo cáo."))
    return job


@module_required
def review_home(request: HttpRequest) -> HttpResponse:
    _check(request)
    organisations = permissions.issuing_organisations(request.user)
    form = ReviewRequestForm(request.POST or None, organisations=organisations)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = services.review_report_request(
                    acting_user=request.user,  # type: ignore[arg-type]
                    year=form.cleaned_data["year"],
                    organisation=form.cleaned_data["organisation"],
                    symbol=form.cleaned_data["symbol"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request, _("Đã nhận yêu cầu tạo báo cáo tổng kết. Trang này tự cập nhật tiến độ cho đến khi báo cáo xong.")
                )
                return redirect("indicators:review_job", pk=job.pk)
        status = 400
    return render(
        request,
        "indicators/review/home.html",
        {"form": form, "jobs": list(permissions.visible_jobs(request.user)[:20]), "can_request": organisations.exists()},
        status=status,
    )


@module_required
def review_job(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    job = _job_or_404(request, pk)
    context = {"job": job, "poll_seconds": POLL_SECONDS}
    if getattr(request, "htmx", False):
        return render(request, "indicators/review/_progress.html", context)
    return render(request, "indicators/review/job.html", context)


@require_POST
@module_required
def review_retry(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    job = _job_or_404(request, pk)
    try:
        services.review_report_retry(acting_user=request.user, job=job)  # type: ignore[arg-type]
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã xếp báo cáo vào hàng đợi để tạo lại."))
    return redirect("indicators:review_job", pk=job.pk)


@module_required
def review_download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    _check(request)
    if kind not in CONTENT_TYPES:
        raise Http404
    job = _job_or_404(request, pk)
    stored = job.docx if kind == "docx" else job.pdf
    if job.status != ReviewStatus.DONE or not stored:
        raise Http404(_("Báo cáo chưa tạo xong."))
    services.review_report_download(acting_user=request.user, job=job, kind=kind)  # type: ignore[arg-type]
    response = FileResponse(stored.open("rb"), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition(f"{job.base_filename}.{kind}")
    response["Cache-Control"] = "private, no-store"
    return response  # type: ignore[return-value]  # a streaming response, served like any other
