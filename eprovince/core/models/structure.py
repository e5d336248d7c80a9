"""A token that changes whenever the administrative structure changes: organisations, administrative units or their
succession links. Database triggers (migration 0005) write a new random token on every insert, update or delete of
those tables, whoever writes (services, the admin, bulk loads, raw SQL), in the writing transaction itself; readers
compare it to decide whether what they worked out from the structure still holds (`core.selectors.structure`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StructureVersion(models.Model):
    """A single row (id 1). Not edited by code: the triggers keep it."""

    token = models.CharField(_("mã phiên bản"), max_length=40)

    class Meta:
        verbose_name = _("phiên bản cơ cấu tổ chức")
        verbose_name_plural = _("phiên bản cơ cấu tổ chức")
        default_permissions = ()

    def __str__(self) -> str:
        return self.token
