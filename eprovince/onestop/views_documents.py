"""The official documents of a dossier: forms 02, 03 and 04 as PDFs for the officers of the organisation and for
the applicant (their own dossier only), and the public verification page of a generated result. Forged or foreign
ids answer 404, like missing ones."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import documents, selectors
from .constants import DossierStatus
from .models import ResultDocument
from .permissions import is_officer
from .views_draft import site_url

TOKEN_MAX = 64


@login_required
def officer_form(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    if not is_officer(request.user):
        raise Http404
    dossier = selectors.dossier_for_user(request.user, pk)
    return documents.form_response(dossier, documents.form_event(dossier, event_pk), site_url=site_url(request))


@login_required
def applicant_form(request: HttpRequest, code: str, event_pk: int) -> HttpResponse:
    dossier = selectors.applicant_dossier(request.user, code)
    return documents.form_response(dossier, documents.form_event(dossier, event_pk), site_url=site_url(request))


def verify_result(request: HttpRequest, token: str) -> HttpResponse:
    """What a QR code on a result leads to: the document's essentials, nothing more personal than the holder."""
    document = (
        ResultDocument.objects.filter(token=token).select_related("dossier", "dossier__procedure", "agency", "file").first()
        if 20 <= len(token) <= TOKEN_MAX
        else None
    )
    if document is None:
        # A forged, mistyped or cut-short code: say plainly that nothing is verified, and what to do (404).
        return render(request, "onestop/verify_result_unknown.html", status=404)
    valid = document.dossier.status in (DossierStatus.RESULT_READY, DossierStatus.DONE)
    return render(request, "onestop/verify_result.html", {"document": document, "valid": valid})
