"""Applying online (GOV.UK patterns): start from a procedure, a task list per draft, one page per section saved as
the applicant goes ("save and continue" or "save and come back later"), "check your answers" with a change link per
section, then submit. Thin: forms parse, selectors read (another user's draft is a 404), services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import drafts, selectors
from .forms_applicant import AnswersForm, ApplicantForm, UploadForm
from .models import Dossier, RequiredDocument
from .permissions import may_apply_online, needs_email_verification
from .services.dossiers import Upload
from .services.online import dossier_draft_file_remove, dossier_draft_save, dossier_draft_start, dossier_online_submit
from .validators import ACCEPT_ATTR, max_upload_bytes

BACK_TO_CHECK = "kiem-tra"


def site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _back(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    """After a section: the check page when the applicant came from it, else the task list."""
    if request.POST.get("tiep") == BACK_TO_CHECK or request.GET.get("tiep") == BACK_TO_CHECK:
        return redirect("onestop:draft_check", pk=dossier.pk)
    return redirect("onestop:draft", pk=dossier.pk)


def _later(request: HttpRequest) -> HttpResponse:
    messages.success(request, _("Đã lưu bản nháp. Bạn có thể làm tiếp bất cứ lúc nào từ mục “Hồ sơ của tôi”."))
    return redirect("onestop:my_dossiers")


def _section_context(request: HttpRequest, dossier: Dossier, **extra: Any) -> dict[str, Any]:
    return {
        "dossier": dossier,
        "procedure": dossier.procedure,
        "tiep": request.GET.get("tiep") or request.POST.get("tiep", ""),
        **extra,
    }


def apply_start(request: HttpRequest, code: str) -> HttpResponse:
    """Before you start (GET) and the creation of a draft (POST). Signed-out visitors are asked to sign in or up."""
    procedure = selectors.public_procedure(code)
    if procedure is None or not procedure.accepts_online:
        raise Http404
    if not request.user.is_authenticated:
        return render(request, "onestop/applicant/sign_in_needed.html", {"procedure": procedure, "next": request.path})
    drafts_of_procedure = [d for d in selectors.applicant_dossiers(request.user)[0] if d.procedure_id == procedure.pk]
    if request.method == "POST":
        try:
            dossier = dossier_draft_start(acting_user=request.user, procedure=procedure)  # type: ignore[arg-type]
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            return redirect("onestop:apply_start", code=code)
        return redirect("onestop:draft", pk=dossier.pk)
    return render(
        request, "onestop/applicant/start.html",
        {"procedure": procedure, "drafts": drafts_of_procedure, "may_apply": may_apply_online(request.user),
         "needs_verification": needs_email_verification(request.user)},
    )  # fmt: skip


def _layout_and_sections(dossier: Dossier) -> tuple[drafts.Layout, list[drafts.Section]]:
    layout = drafts.Layout.of(dossier.procedure)
    return layout, drafts.sections(dossier, layout, selectors.dossier_files(dossier))


@login_required
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = selectors.applicant_draft(request.user, pk)
    _layout, sections = _layout_and_sections(dossier)
    done = sum(1 for s in sections if s.state == "done")
    return render(
        request, "onestop/applicant/tasklist.html",
        {"dossier": dossier, "procedure": dossier.procedure, "sections": sections, "done": done,
         "complete": done == len(sections)},
    )  # fmt: skip


@login_required
def draft_applicant(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = selectors.applicant_draft(request.user, pk)
    form = ApplicantForm(request.POST or None, initial=drafts.applicant_values(dossier))
    if request.method == "POST" and form.is_valid():
        later = "luu-nhap" in request.POST
        try:
            dossier_draft_save(
                dossier=dossier, acting_user=request.user, section=drafts.APPLICANT,  # type: ignore[arg-type]
                applicant=form.cleaned_data, complete=not later,
            )  # fmt: skip
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _later(request) if later else _back(request, dossier)
    status = 400 if request.method == "POST" else 200
    context = _section_context(request, dossier, form=form, title=_("Thông tin người nộp hồ sơ"))
    return render(request, "onestop/applicant/section.html", context, status=status)


@login_required
def draft_answers(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    dossier = selectors.applicant_draft(request.user, pk)
    layout = drafts.Layout.of(dossier.procedure)
    group = layout.group(number)
    if group is None:
        raise Http404
    files = [f for f in selectors.dossier_files(dossier) if f.field_key in group.keys]
    attached = {f.field_key for f in files}
    form = AnswersForm(
        request.POST or None, request.FILES or None, fields=list(group.fields), stored=dossier.form_data, attached=attached
    )
    if request.method == "POST" and form.is_valid():
        later = "luu-nhap" in request.POST
        uploads = [Upload(file=item, field_key=key) for key, item in form.files_by_key().items()]
        try:
            dossier_draft_save(
                dossier=dossier, acting_user=request.user, section=group.key, answers=form.answers(),  # type: ignore[arg-type]
                answer_keys=group.keys, uploads=uploads, complete=not later,
            )  # fmt: skip
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _later(request) if later else _back(request, dossier)
    status = 400 if request.method == "POST" else 200
    context = _section_context(request, dossier, form=form, title=group.title, files=files, multipart=True)
    return render(request, "onestop/applicant/section.html", context, status=status)


def _documents_context(request: HttpRequest, dossier: Dossier, **extra: Any) -> dict[str, Any]:
    files = [f for f in selectors.dossier_files(dossier) if f.document_id]
    documents = [(d, [f for f in files if f.document_id == d.pk]) for d in dossier.procedure.documents.order_by("order", "pk")]
    return _section_context(
        request, dossier, documents=documents, accept=ACCEPT_ATTR, limit=max_upload_bytes(), upload_form=UploadForm(), **extra
    )


@login_required
def draft_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """The documents page: one upload per document; "continue" checks that every required document is there."""
    dossier = selectors.applicant_draft(request.user, pk)
    errors: list[str] = []
    if request.method == "POST":
        later = "luu-nhap" in request.POST
        try:
            dossier_draft_save(dossier=dossier, acting_user=request.user, section=drafts.DOCUMENTS, complete=not later)  # type: ignore[arg-type]
        except ValidationError as exc:
            errors = exc.messages
        else:
            return _later(request) if later else _back(request, dossier)
    status = 400 if errors else 200
    return render(request, "onestop/applicant/documents.html", _documents_context(request, dossier, errors=errors), status=status)


@login_required
@require_POST
def draft_upload(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    dossier = selectors.applicant_draft(request.user, pk)
    document = RequiredDocument.objects.filter(pk=document_pk, procedure_id=dossier.procedure_id).first()
    if document is None:
        raise Http404
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            dossier_draft_save(
                dossier=dossier, acting_user=request.user, section=drafts.DOCUMENTS,  # type: ignore[arg-type]
                uploads=[Upload(file=item, document=document) for item in form.cleaned_data["attachments"]],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error("attachments", exc.messages)
        else:
            names = ", ".join(item.name for item in form.cleaned_data["attachments"])
            messages.success(request, _("Đã tải lên %(names)s cho “%(doc)s”.") % {"names": names, "doc": document.name})
            url = reverse("onestop:draft_documents", args=[pk])
            tiep = request.POST.get("tiep") == BACK_TO_CHECK
            return redirect(f"{url}?tiep={BACK_TO_CHECK}#tai-lieu-{document.pk}" if tiep else f"{url}#tai-lieu-{document.pk}")
    context = _documents_context(request, dossier, failed=document.pk, failed_form=form, errors=[])
    return render(request, "onestop/applicant/documents.html", context, status=400)


@login_required
@require_POST
def draft_file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    dossier = selectors.applicant_draft(request.user, pk)
    item = next((f for f in selectors.dossier_files(dossier) if f.pk == file_pk), None)
    if item is None:
        raise Http404
    dossier_draft_file_remove(dossier=dossier, acting_user=request.user, item=item)  # type: ignore[arg-type]
    messages.success(request, _("Đã xóa tệp %(name)s.") % {"name": item.original_name})
    return redirect("onestop:draft_documents", pk=pk)


@login_required
def draft_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers (GET) and submit (POST): an unfinished draft is refused with what is missing, unchanged."""
    dossier = selectors.applicant_draft(request.user, pk)
    _layout, sections = _layout_and_sections(dossier)
    problems: dict[str, list[str]] = {}
    if request.method == "POST":
        problems = drafts.submission_problems(sections)
        if not problems:
            try:
                submitted = dossier_online_submit(dossier=dossier, acting_user=request.user, site_url=site_url(request))  # type: ignore[arg-type]
            except (ValidationError, PermissionDenied) as exc:
                problems = {"": list(getattr(exc, "messages", [str(exc)]))}
            else:
                return redirect("onestop:submitted", code=submitted.code)
    return render(
        request, "onestop/applicant/check.html",
        {"dossier": dossier, "procedure": dossier.procedure, "sections": sections, "problems": problems,
         "may_apply": may_apply_online(request.user), "expected": selectors.expected_returns([dossier.procedure])[dossier.procedure_id]},
        status=400 if problems else 200,
    )  # fmt: skip
