"""Forms of fees: an officer confirming a dossier's payment, an administrator setting an agency's account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from .models import PaymentMethod
from .models.payments import ACCOUNT_VALIDATOR, BIN_VALIDATOR


class PaymentConfirmForm(forms.Form):
    method = forms.ChoiceField(label=_("Hình thức nộp"), choices=PaymentMethod.choices, initial=PaymentMethod.TRANSFER)
    transaction_reference = forms.CharField(
        label=_("Mã giao dịch ngân hàng hoặc số biên lai"), max_length=100,
        help_text=_("Đối chiếu số tiền và nội dung chuyển khoản trên sao kê trước khi xác nhận."),
    )  # fmt: skip
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class PaymentAccountForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Cơ quan thu phí"), queryset=Organisation.objects.none())
    bank_bin = forms.CharField(
        label=_("Mã BIN ngân hàng"), max_length=6, validators=[BIN_VALIDATOR],
        help_text=_("6 chữ số theo danh sách ngân hàng của NAPAS, ví dụ 970436 (Vietcombank), 970415 (VietinBank)."),
    )  # fmt: skip
    bank_name = forms.CharField(label=_("Tên ngân hàng"), max_length=200)
    account_number = forms.CharField(label=_("Số tài khoản"), max_length=19, validators=[ACCOUNT_VALIDATOR])
    account_name = forms.CharField(label=_("Tên chủ tài khoản"), max_length=200)
    is_active = forms.BooleanField(label=_("Đang sử dụng"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.current().exclude(kind="enterprise").order_by("path")  # type: ignore[attr-defined]
