from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .constants import OrganisationKind, Role
from .form_errors import apply_validation_error
from .forms import VietnameseDateInput
from .models import AdminUnit, Organisation, User
from .permissions import administered_organisations, administers_platform
from .services.accounts import user_create_problems
from .services.organisations import ORGANISATION_FIELDS


def _in_scope(user: Any, *keep: int | None) -> Any:
    """The organisations `user` administers (and the ones in `keep`, a record's current links, left as they are)."""
    scope = administered_organisations(user)
    extra = [pk for pk in keep if pk is not None]
    if extra and not administers_platform(user):
        scope = scope | Organisation.objects.filter(pk__in=extra)
    return scope.order_by("name")


class OrganisationForm(forms.ModelForm):
    reason = forms.CharField(label=_("Lý do thay đổi"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)
        widgets = {"valid_from": VietnameseDateInput(), "valid_to": VietnameseDateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance if self.instance.pk else None
        self.fields["parent"].queryset = _in_scope(user, current.parent_id if current else None)  # type: ignore[attr-defined]
        self.fields["successor"].queryset = _in_scope(user, current.successor_id if current else None)  # type: ignore[attr-defined]
        if not administers_platform(user) and (current is None or current.parent_id is not None):
            self.fields["parent"].required = True
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
    organisation = forms.ModelChoiceField(
        label=_("Cơ quan, đơn vị"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Nơi người dùng công tác; cần chọn vai trò hoặc nhập chức vụ tại đây."),
    )
    role = forms.ChoiceField(label=_("Vai trò tại cơ quan"), choices=[("", "—"), *Role.choices], required=False)
    title = forms.CharField(label=_("Chức vụ"), max_length=120, required=False)
    reason = forms.CharField(label=_("Lý do"), max_length=500, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _in_scope(user)  # type: ignore[attr-defined]
        if not administers_platform(user):
            self.fields["organisation"].required = True

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Tên đăng nhập này đã được sử dụng."))
        return username

    def clean(self) -> dict[str, Any]:
        """The service's own checks (role or title, password rules) beside the fields' errors: all in one round."""
        data = super().clean() or {}
        names = ("username", "password", "full_name", "email", "phone", "organisation", "role", "title")
        problems = user_create_problems(**{name: data[name] for name in names if data.get(name) is not None})
        # A field the form already refused keeps its own message.
        remaining = {name: messages for name, messages in problems.items() if name not in self.errors}
        if remaining:
            apply_validation_error(self, ValidationError(remaining))
        return data


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Phạm vi (cơ quan)"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("Để trống: toàn hệ thống."),
    )
    reason = forms.CharField(label=_("Lý do"), max_length=500)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = _in_scope(user)  # type: ignore[attr-defined]
        if not administers_platform(user):
            field.required = True
            field.help_text = _("Chỉ các cơ quan, đơn vị trong phạm vi bạn quản trị.")
