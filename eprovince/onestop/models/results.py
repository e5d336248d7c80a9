"""Results of dossiers as data: the result template of a procedure, and each result document issued, generated from
the template or uploaded by the leader as a signed file (its number, who signed, and the unguessable token of its
public verification page)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from ..result_templates import field_types, validate_result_template
from .catalogue import Procedure
from .dossiers import Dossier, DossierEvent, DossierFile


class ResultTemplate(models.Model):
    """How the result of a procedure reads when the system generates it (the leader uploads no signed file)."""

    procedure = models.OneToOneField(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="result_template"
    )
    title = models.CharField(_("tên văn bản kết quả"), max_length=200, help_text=_("Ví dụ: GIẤY PHÉP HOẠT ĐỘNG IN."))
    symbol = models.CharField(
        _("ký hiệu loại văn bản"), max_length=10, blank=True,
        help_text=_("Dùng trong số, ký hiệu: GP (giấy phép), GCN (giấy chứng nhận), QĐ (quyết định)… Để trống: theo loại "
                    "kết quả của thủ tục (GP, GCN, QĐ; loại khác: không có ký hiệu)."),
    )  # fmt: skip
    body = models.TextField(_("nội dung"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu kết quả giải quyết")
        verbose_name_plural = _("mẫu kết quả giải quyết")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        fields = field_types(self.procedure.form_fields.all()) if self.procedure_id else {}
        validate_result_template(title=self.title, body=self.body, fields=fields)


class ResultDocument(models.Model):
    """A result issued with the dossier's issue-result action: generated from the template, or the signed file the
    leader uploaded (`signed_upload`); either way the dossier's result file, numbered per agency and year. Never
    changed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="result_documents")
    event = models.OneToOneField(DossierEvent, on_delete=models.PROTECT, related_name="result_document")
    file = models.OneToOneField(DossierFile, on_delete=models.PROTECT, related_name="result_document")
    # The public verification page is /tra-cuu/xac-thuc/<token>/: random, never derived from the code or the id.
    token = models.CharField(max_length=64, unique=True)
    agency = models.ForeignKey(Organisation, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    sequence = models.PositiveIntegerField(_("số thứ tự"))
    number = models.CharField(_("số, ký hiệu"), max_length=60)
    title = models.CharField(_("tên văn bản"), max_length=300)
    holder_name = models.CharField(_("tổ chức, cá nhân được cấp"), max_length=255)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("người ký"), max_length=150)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    issued_at = models.DateTimeField(_("ban hành lúc"))
    signed_upload = models.BooleanField(_("tệp đã ký do người ký tải lên"), default=False)

    class Meta:
        verbose_name = _("văn bản kết quả")
        verbose_name_plural = _("văn bản kết quả")
        ordering = ["-issued_at", "-pk"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "sequence"], name="onestop_resultdoc_number_uniq"),
            models.CheckConstraint(condition=~Q(token=""), name="onestop_resultdoc_token_set"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Văn bản kết quả đã ban hành không được sửa.")
        super().save(*args, **kwargs)
