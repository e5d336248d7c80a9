"""Fees (phí, lệ phí) of dossiers: the account each receiving agency collects on, and the payment of a dossier.

The amount is copied from the procedure when the dossier is submitted or received, so a later change to the
catalogue does not change what an applicant owes. The transfer memo carries the dossier code: it is how an
officer matches a bank transfer to a dossier before confirming it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from .dossiers import Dossier

BIN_VALIDATOR = RegexValidator(r"^\d{6}$", _("Mã BIN ngân hàng gồm đúng 6 chữ số (ví dụ 970436)."), code="invalid_bin")
ACCOUNT_VALIDATOR = RegexValidator(
    r"^[0-9A-Za-z]{1,19}$", _("Số tài khoản chỉ gồm chữ số và chữ cái không dấu, tối đa 19 ký tự."), code="invalid_account"
)


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chưa nộp phí")
    CONFIRMED = "confirmed", _("Đã nộp phí")


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Chuyển khoản (VietQR)")
    CASH = "cash", _("Nộp tiền mặt tại bộ phận một cửa")


class PaymentAccount(models.Model):
    """The bank account an agency receives fees on (tài khoản thu phí, lệ phí)."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="onestop_payment_account"
    )
    bank_bin = models.CharField(_("mã BIN ngân hàng"), max_length=6, validators=[BIN_VALIDATOR])
    bank_name = models.CharField(_("tên ngân hàng"), max_length=200)
    account_number = models.CharField(_("số tài khoản"), max_length=19, validators=[ACCOUNT_VALIDATOR])
    account_name = models.CharField(_("tên chủ tài khoản"), max_length=200)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tài khoản thu phí")
        verbose_name_plural = _("tài khoản thu phí")
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"{self.account_number} – {self.bank_name}"


class Payment(models.Model):
    """What the applicant of a dossier owes, and how and when it was paid."""

    dossier = models.OneToOneField(Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="payment")
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    description = models.CharField(_("nội dung phí, lệ phí"), max_length=500, blank=True)
    reference = models.CharField(_("nội dung chuyển khoản"), max_length=90)
    status = models.CharField(_("trạng thái"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING)
    method = models.CharField(_("hình thức nộp"), max_length=10, choices=PaymentMethod.choices, blank=True)
    transaction_reference = models.CharField(
        _("mã giao dịch, số biên lai"), max_length=100, blank=True,
        help_text=_("Mã giao dịch ngân hàng khi chuyển khoản; số biên lai khi nộp tiền mặt."),
    )  # fmt: skip
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xác nhận"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khoản phí của hồ sơ")
        verbose_name_plural = _("khoản phí của hồ sơ")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=PaymentStatus.PENDING) | (Q(confirmed_at__isnull=False) & ~Q(method="")),
                name="onestop_payment_confirmed_complete",
                violation_error_message=_("Khoản phí đã nộp phải có hình thức nộp và thời điểm xác nhận."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="onestop_payment_status"),
            # A bank reference confirms one payment: statement imports look the references up.
            models.Index(fields=["transaction_reference"], name="onestop_payment_txref"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.amount}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == PaymentStatus.CONFIRMED


class StatementImport(models.Model):
    """A bank statement of an agency's collection account whose matching credits a clerk confirmed in one go: who,
    when, which file (its name and SHA-256) and how its lines were classified. Never changed."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    line_count = models.PositiveIntegerField(_("số giao dịch ghi có"))
    confirmed_count = models.PositiveIntegerField(_("số khoản phí đã xác nhận"))
    confirmed_amount = models.PositiveBigIntegerField(_("tổng tiền đã xác nhận (đồng)"))
    counts = models.JSONField(_("số dòng theo kết quả đối chiếu"), default=dict)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("nhập lúc"))

    class Meta:
        verbose_name = _("lần đối chiếu sao kê")
        verbose_name_plural = _("lần đối chiếu sao kê")
        ordering = ["-imported_at", "-pk"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["organisation", "sha256"], name="onestop_stmt_org_sha")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%d/%m/%Y %H:%M})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Lần đối chiếu sao kê đã ghi không được sửa.")
        super().save(*args, **kwargs)
