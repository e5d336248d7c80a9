"""Read-only admin views for browsing the catalogue and values: every change goes through the services (and their
audit); the workspace screens and the API are where values are entered."""

from __future__ import annotations

from django.contrib import admin

from eprovince.core.admin_base import ReadOnlyAdmin

from .models import DataElement, DataValue, DataValueAudit, IndexFramework, Indicator, ReportForm, ReportingRound, Target


@admin.register(DataElement)
class DataElementAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "unit", "value_type", "aggregation", "time_aggregation", "category_combo")
    list_filter = ("value_type", "aggregation")
    search_fields = ("code", "name")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "formula", "unit")
    search_fields = ("code", "name")


@admin.register(ReportForm)
class ReportFormAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "period_type", "convention", "deadline_days", "owner")


@admin.register(ReportingRound)
class ReportingRoundAdmin(ReadOnlyAdmin):
    list_display = ("form", "period", "deadline", "status")
    list_filter = ("status", "form")
    list_select_related = ("form",)


@admin.register(DataValue)
class DataValueAdmin(ReadOnlyAdmin):
    list_display = ("element", "category_option", "organisation", "period", "value", "synthetic", "source")
    list_filter = ("synthetic", "element")
    search_fields = ("element__code", "organisation__name", "period")
    list_select_related = ("element", "category_option", "organisation")


@admin.register(DataValueAudit)
class DataValueAuditAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "change", "element", "organisation", "period", "value_before", "value_after")
    list_select_related = ("element", "organisation")


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("year", "indicator", "element", "organisation", "value", "source_decision", "synthetic")
    list_select_related = ("indicator", "element", "organisation")


@admin.register(IndexFramework)
class IndexFrameworkAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "year", "aggregation", "total_points")
