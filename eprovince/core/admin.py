"""Django admin for administrators: browsing units and the trail; writes go through the services."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .admin_base import ReadOnlyAdmin, ReadOnlyTabularInline
from .models import AdminUnit, AuditEvent, UnitSuccession

admin.site.site_header = _("Quản trị e-Province")
admin.site.site_title = _("Quản trị e-Province")
admin.site.index_title = _("Dữ liệu nền")


class SuccessorInline(ReadOnlyTabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    raw_id_fields = ("successor",)
    verbose_name = _("đơn vị kế thừa")
    verbose_name_plural = _("đơn vị kế thừa")


@admin.register(AdminUnit)
class AdminUnitAdmin(ReadOnlyAdmin):
    """Units come from the maintained datasets (`manage.py load_units`), never typed by hand."""

    list_display = ("code", "kind", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level", "valid_to")
    search_fields = ("code", "name", "search_name")
    raw_id_fields = ("parent",)
    inlines = [SuccessorInline]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "action", "content_type", "object_repr", "reason")
    list_filter = ("action", "content_type")
    search_fields = ("actor_name", "object_repr", "reason")
    date_hierarchy = "created_at"
