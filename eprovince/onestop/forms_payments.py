"""Forms of fees: an officer confirming a dossier's payment, a clerk uploading the account's bank statement, an
administrator setting an agency's account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from eprovince.core.models import Organisation

from . import statements
from .models import PaymentMethod
from .models.payments import ACCOUNT_VALIDATOR, BIN_VALIDATOR
from .validators import max_upload_bytes


class PaymentConfirmForm(forms.Form):
    method = forms.ChoiceField(label=_("Hình thức nộp"), choices=PaymentMethod.choices, initial=PaymentMethod.TRANSFER)
    transaction_reference = forms.CharField(
        label=_("Mã giao dịch ngân hàng hoặc số biên lai"), max_length=100,
        help_text=_("Đối chiếu số tiền và nội dung chuyển khoản trên sao kê trước khi xác nhận."),
    )  # fmt: skip
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class StatementUploadForm(forms.Form):
    """The agency (its collection account) and the statement file; the file is read here (cleaned_data["statement"]),
    every problem reported on the file field."""

    organisation = forms.ModelChoiceField(
        label=_("Tài khoản thu phí của cơ quan"), queryset=Organisation.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Tệp sao kê"),
        error_messages={"required": _("Vui lòng chọn tệp sao kê."), "empty": _("Tệp đã chọn rỗng: hãy chọn tệp sao kê có dữ liệu.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )  # fmt: skip

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisations  # type: ignore[attr-defined]
        field.label_from_instance = _account_label  # type: ignore[attr-defined]
        self.fields["file"].help_text = _(
            "Excel (.xlsx) hoặc CSV (UTF-8, phân cách bằng dấu phẩy hoặc dấu chấm phẩy), tối đa %(limit)s."
        ) % {"limit": filesizeformat(max_upload_bytes())}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            try:
                name, content = statements.read_upload(upload, max_bytes=max_upload_bytes())
                data["statement"] = statements.parse_statement(content, name)
            except forms.ValidationError as exc:
                self.add_error("file", exc.messages)
        return data


def _account_label(organisation: Organisation) -> str:
    account = getattr(organisation, "onestop_payment_account", None)
    return f"{organisation.name} – {account.account_number} ({account.bank_name})" if account else organisation.name


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
