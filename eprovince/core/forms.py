from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import AuditAction


class VietnameseDateInput(forms.DateInput):
    """A text box in the Vietnamese order (15/01/2009), whatever the browser's own locale would show."""

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "pattern": r"\d{1,2}/\d{1,2}/\d{4}", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Thư điện tử hoặc tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Người thực hiện"), required=False)
    action = forms.ChoiceField(label=_("Hành động"), required=False, choices=[("", _("Tất cả")), *AuditAction.choices])
    model = forms.ChoiceField(label=_("Loại đối tượng"), required=False)
    text = forms.CharField(label=_("Đối tượng hoặc lý do"), required=False)
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=VietnameseDateInput())
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=VietnameseDateInput())

    def __init__(self, *args: object, model_choices: list[dict[str, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["model"].choices = [("", _("Tất cả"))] + [(m["value"], m["label"]) for m in (model_choices or [])]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("'Từ ngày' phải trước hoặc bằng 'Đến ngày'."))
        return data
