"""Reads of the catalogue screens: lists with a search and how much each entry is used, the units and targets of
the year grid."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from eprovince.core.models import Organisation
from eprovince.core.text import fold

from .models import CategoryCombo, DataElement, Indicator, ReportForm, Target


def _search(qs: QuerySet, q: str, *fields: str) -> Any:
    """`qs` whose fields contain `q`, ignoring case and diacritics ("thue bao" finds "Thuê bao"). The catalogue
    is small (hundreds of rows), so the match runs over the folded text in Python, identically on every database."""
    needle = fold(q.strip())
    if not needle:
        return qs
    return [row for row in qs if any(needle in fold(str(getattr(row, name) or "")) for name in fields)]


def data_elements(q: str = "") -> Any:
    qs = DataElement.objects.select_related("category_combo").annotate(form_count=Count("form_entries", distinct=True))
    return _search(qs.order_by("order", "code"), q, "code", "name", "short_name")


def category_combos(q: str = "") -> Any:
    qs = CategoryCombo.objects.prefetch_related("options").annotate(element_count=Count("elements", distinct=True))
    return _search(qs.order_by("name"), q, "code", "name")


def indicators(q: str = "") -> Any:
    qs = Indicator.objects.annotate(target_count=Count("targets", distinct=True))
    return _search(qs.order_by("order", "code"), q, "code", "name", "formula")


def report_forms(q: str = "", active: str = "") -> Any:
    qs = ReportForm.objects.select_related("owner").annotate(
        element_count=Count("form_elements", distinct=True),
        unit_count=Count("organisations", distinct=True),
        round_count=Count("rounds", distinct=True),
    )
    if active in ("0", "1"):
        qs = qs.filter(active=active == "1")
    return _search(qs.order_by("-active", "code"), q, "code", "name")


def report_form(pk: int) -> ReportForm | None:
    return ReportForm.objects.select_related("owner").filter(pk=pk).first()


def target_units(year: int) -> list[Organisation]:
    """The units of the year's grid: those reporting in an active form, and any that already has a target that year."""
    reporting = ReportForm.objects.filter(active=True).values("organisations")
    with_targets = Target.objects.filter(year=year, organisation__isnull=False).values("organisation")
    return list(Organisation.objects.filter(Q(pk__in=reporting) | Q(pk__in=with_targets)).order_by("path"))


def year_targets(year: int) -> list[Target]:
    return list(Target.objects.filter(year=year, indicator__isnull=False))
