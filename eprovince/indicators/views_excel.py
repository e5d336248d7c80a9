"""Excel template of a unit's report: download it (anyone who may see the report), upload it filled (the unit's
reporting officers while the report is editable). Views only parse and check; excel.py reads, the services save."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import excel
from .permissions import can_report_for
from .views import _submission_or_404, module_required

MAX_ERRORS_SHOWN = 30


@require_GET
@module_required  # type: ignore[arg-type]  # a streamed FileResponse, which View's HttpResponse does not cover
def template_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    submission = _submission_or_404(request, pk)
    content = excel.template_bytes(submission)
    response = FileResponse(io.BytesIO(content), content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = excel.content_disposition(excel.template_filename(submission))
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@module_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    back = redirect("indicators:submission", pk=submission.pk)
    if not can_report_for(request.user, submission.organisation):
        messages.error(request, _("Bạn không sửa được báo cáo này."))
        return back
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("Hãy chọn tệp Excel (.xlsx) đã điền để tải lên."))
        return back
    name = uploaded.name or ""
    try:
        data = excel.read_upload(uploaded)
        result = excel.excel_import(acting_user=request.user, submission=submission, data=data, filename=name)  # type: ignore[arg-type]
    except excel.ExcelImportError as exc:
        errors = exc.cell_errors
        messages.error(
            request,
            _("Chưa nhập được tệp “%(name)s”: %(n)d lỗi, không có số liệu nào của tệp được lưu.")
            % {"name": name, "n": len(errors)},
        )
        for error in errors[:MAX_ERRORS_SHOWN]:
            messages.error(request, str(error))
        if len(errors) > MAX_ERRORS_SHOWN:
            messages.error(request, _("… và %(n)d lỗi khác.") % {"n": len(errors) - MAX_ERRORS_SHOWN})
        return back
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
        return back
    messages.success(request, _("Đã nhập tệp “%(name)s”: %(summary)s") % {"name": name, "summary": excel.summary(result)})
    if result.blocking:
        messages.warning(request, _("Số liệu đã lưu nhưng còn lỗi kiểm tra: xem mục “Kết quả kiểm tra số liệu”."))
    return back
