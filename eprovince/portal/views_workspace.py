"""The editorial workspace (/can-bo/tin-bai/): editors write and submit, chief editors publish or return."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from eprovince.core.form_errors import apply_validation_error
from eprovince.core.selectors.audit import audit_events

from . import selectors, services
from .constants import TRANSITIONS, ArticleStatus
from .forms import ArticleForm, ReasonForm, WorkspaceFilterForm
from .models import Article
from .permissions import available_transitions, can_approve, can_edit, can_use_workspace

View = Callable[..., HttpResponse]


def workspace_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_use_workspace(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _article_or_404(request: HttpRequest, pk: int) -> Article:
    item = selectors.workspace_article(user=request.user, pk=pk)
    if item is None:
        raise Http404(_("Không tìm thấy bài viết."))
    return item


@workspace_required
def editor_list(request: HttpRequest) -> HttpResponse:
    form = WorkspaceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    articles = selectors.workspace_articles(user=request.user, status=filters.get("status") or None, query=filters.get("q") or "")
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    counts = selectors.status_counts(user=request.user)
    return render(
        request,
        "portal/editor/list.html",
        {
            "form": form,
            "page_obj": page,
            "status_tabs": [(s.value, s.label, counts.get(s.value, 0)) for s in ArticleStatus],
            "review_count": counts.get(ArticleStatus.REVIEW, 0),
            "is_approver": can_approve(request.user),
            "current_status": filters.get("status") or "",
        },
    )


@workspace_required
def editor_create(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.article_create(
                acting_user=request.user,  # type: ignore[arg-type]
                cover_image=form.cleaned_data["cover_image"],
                **form.content(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu bản nháp “%(title)s”.") % {"title": item.title})
            return redirect("portal:editor_detail", pk=item.pk)
    return render(request, "portal/editor/form.html", {"form": form, "article": None})


@workspace_required
def editor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _article_or_404(request, pk)
    if not can_edit(request.user, item):
        messages.error(request, _("Không thể sửa bài viết ở trạng thái “%(status)s”.") % {"status": item.get_status_display()})
        return redirect("portal:editor_detail", pk=item.pk)
    form = ArticleForm(request.POST or None, request.FILES or None, article=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.article_update(
                article=item,
                acting_user=request.user,  # type: ignore[arg-type]
                cover_image=form.cleaned_data["cover_image"],
                remove_cover=form.cleaned_data.get("remove_cover", False),
                **form.content(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("portal:editor_detail", pk=item.pk)
    return render(request, "portal/editor/form.html", {"form": form, "article": item})


@workspace_required
def editor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _article_or_404(request, pk)
    history = audit_events(model="portal.article", object_id=str(item.pk))[:20]
    return render(
        request,
        "portal/editor/detail.html",
        {
            "article": item,
            "transitions": available_transitions(request.user, item),
            "can_edit": can_edit(request.user, item),
            "reason_form": ReasonForm(),
            "history": history,
        },
    )


@require_POST
@workspace_required
def editor_transition(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    item = _article_or_404(request, pk)
    if key not in TRANSITIONS:
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.article_transition(article=item, key=key, acting_user=request.user, reason=reason)  # type: ignore[arg-type]
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.success(
            request,
            _("“%(title)s”: %(action)s – trạng thái mới: %(status)s.")
            % {"title": item.title, "action": TRANSITIONS[key].label, "status": item.get_status_display()},
        )
    return redirect("portal:editor_detail", pk=item.pk)
