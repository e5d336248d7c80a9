"""Template helpers for the official documents of a dossier (forms 02-04, the generated result)."""

from __future__ import annotations

from typing import Any

from django import template

from ..documents import FormKind, form_of
from ..models import Procedure, ResultTemplate

register = template.Library()


@register.filter
def official_form(event: Any) -> FormKind | None:
    """The form (02, 03, 04) an event of a dossier's history gives rise to, or None."""
    return form_of(event)


@register.filter
def has_result_template(procedure: Procedure) -> bool:
    return ResultTemplate.objects.filter(procedure_id=procedure.pk).exists()


@register.filter
def result_template_of(procedure: Procedure) -> ResultTemplate | None:
    return ResultTemplate.objects.filter(procedure_id=procedure.pk).first()


@register.filter
def result_documents_of(dossier: Any) -> list[Any]:
    """The results generated for a dossier, with their files (one query)."""
    from ..models import ResultDocument

    return list(ResultDocument.objects.filter(dossier_id=dossier.pk).select_related("file").order_by("issued_at", "pk"))


@register.filter
def official_forms(events: list[Any]) -> list[tuple[Any, FormKind]]:
    """The events of a history that have a form, each with its form (no query)."""
    from ..documents import form_links

    return form_links(events)
