from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import OrganisationKind, Role
from .forms import VietnameseDateInput
from .models import AdminUnit, Organisation, User
from .services.organisations import ORGANISATION_FIELDS


class OrganisationForm(forms.ModelForm):
    reason = forms.CharField(label=_("Lý do thay đổi"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)
        widgets = {"valid_from": VietnameseDateInput(), "valid_to": VietnameseDateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["successor"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]
        units = AdminUnit.objects.filter(level__in=["province", "district"]).order_by("level", "name")
        self.fields["admin_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["electronic_code"].widget.attrs["placeholder"] = "000.00.00.H30"
        self.fields["kind"].choices = OrganisationKind.choices  # type: ignore[attr-defined]


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Tên đăng nhập"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Tên đăng nhập chỉ gồm chữ, số và các ký tự . @ + - _")},
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        widget=forms.PasswordInput,
        min_length=10,
        help_text=_("Ít nhất 10 ký tự; người dùng nên đổi sau lần đăng nhập đầu."),
    )
    reason = forms.CharField(label=_("Lý do"), max_length=500, required=False)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Tên đăng nhập này đã được sử dụng."))
        return username


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Phạm vi (cơ quan)"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Để trống: toàn hệ thống."),
    )
    reason = forms.CharField(label=_("Lý do"), max_length=500)
