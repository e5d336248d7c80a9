"""Public pages: the procedure catalogue and tracking a dossier without an account."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from eprovince.core.http import client_ip
from eprovince.core.search import parse_query

from . import selectors
from .forms import TrackingForm
from .throttle import tracking_attempt_allowed


def catalogue(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    field = request.GET.get("linh-vuc", "").strip()[:60]
    try:
        agency = int(request.GET.get("co-quan", "") or 0) or None
    except ValueError:
        agency = None
    query = parse_query(q)
    page = Paginator(selectors.public_procedures(q=query, field=field, agency=agency), 20).get_page(request.GET.get("page"))
    items = list(page.object_list)
    return render(
        request,
        "onestop/catalogue.html",
        {
            "page_obj": page, "procedures": items, "expected": selectors.expected_returns(items), "q": q,
            "q_ignored": query.ignored == "common",
            "field": field, "agency": agency, "fields": selectors.catalogue_fields(), "agencies": selectors.catalogue_agencies(),
        },
    )  # fmt: skip


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    procedure = selectors.public_procedure(code)
    if procedure is None:
        raise Http404
    expected = selectors.expected_returns([procedure])[procedure.pk]
    return render(request, "onestop/procedure_detail.html", {"procedure": procedure, "expected": expected, "now": timezone.now()})


@never_cache
def tracking(request: HttpRequest) -> HttpResponse:
    """Code plus the applicant's phone or email. A wrong pair and an unknown code get the same answer; attempts are
    limited per client address."""
    form = TrackingForm(request.POST or None, initial={"code": request.GET.get("ma", "")[:60]})
    context: dict[str, object] = {"form": form, "searched": False}
    status = 200
    if request.method == "POST":
        if not tracking_attempt_allowed(client_ip(request)):
            return render(request, "onestop/tracking.html", {**context, "throttled": True}, status=429)
        if form.is_valid():
            dossier = selectors.track_dossier(form.cleaned_data["code"], form.cleaned_data["contact"])
            context["searched"] = True
            if dossier is not None:
                context.update({"dossier": dossier, "events": selectors.public_events(dossier)})
            else:
                status = 404
    return render(request, "onestop/tracking.html", context, status=status)
