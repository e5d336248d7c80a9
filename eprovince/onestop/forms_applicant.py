"""Forms of the applicant's pages: sign-up, the sections of an online application, the answer to a request to
supplement, the satisfaction rating. They parse input; the services decide (and say what is missing)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from eprovince.core.form_errors import apply_validation_error, form_data_field

from .constants import RATING_CRITERIA, RATING_LEVELS, ApplicantKind, FormFieldType
from .forms import MultipleFileField, answer_fields, answer_initial, answer_value
from .models import FormField, RequiredDocument
from .validators import APPLICANT_LABELS


class ServiceErrorsMixin:
    """Errors raised by a service, put on the matching fields (the rest on the form)."""

    prefixes: tuple[str, ...] = ("form_data.",)

    def apply_errors(self, exc: ValidationError) -> None:
        apply_validation_error(self, exc, rename=form_data_field)  # type: ignore[arg-type]


class SignUpForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Bạn đăng ký cho"), choices=ApplicantKind.choices, widget=forms.RadioSelect)
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Với doanh nghiệp: họ và tên người đại diện hoặc người được giao nộp hồ sơ."),
    )  # fmt: skip
    business_name = forms.CharField(label=_("Tên doanh nghiệp, tổ chức"), max_length=255, required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "organization"}))  # fmt: skip
    tax_code = forms.CharField(
        label=_("Mã số doanh nghiệp"), max_length=14, required=False, help_text=_("10 chữ số, ví dụ 0312345678."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    email = forms.EmailField(
        label=_("Thư điện tử"), max_length=150, help_text=_("Dùng làm tên đăng nhập; chúng tôi gửi thư xác nhận đến địa chỉ này."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )  # fmt: skip
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))  # fmt: skip
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False, help_text=_("Ít nhất 10 ký tự, không toàn chữ số, không quá phổ biến."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )  # fmt: skip
    password_again = forms.CharField(
        label=_("Nhập lại mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    BUSINESS_FIELDS = ("business_name", "tax_code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("Hai mật khẩu đã nhập không giống nhau."))
        return data


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Thư điện tử đã dùng để đăng ký"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ApplicantForm(ServiceErrorsMixin, forms.Form):
    """The applicant's details; what is required is the service's to say."""

    applicant_name = forms.CharField(label=APPLICANT_LABELS["applicant_name"], max_length=255, required=False,
                                     widget=forms.TextInput(attrs={"autocomplete": "name"}))  # fmt: skip
    applicant_id_number = forms.CharField(
        label=APPLICANT_LABELS["applicant_id_number"], max_length=20, required=False,
        help_text=_("Công dân: số căn cước (12 chữ số). Doanh nghiệp: mã số doanh nghiệp."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    applicant_phone = forms.CharField(label=APPLICANT_LABELS["applicant_phone"], max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))  # fmt: skip
    applicant_email = forms.CharField(label=APPLICANT_LABELS["applicant_email"], max_length=254, required=False,
                                      widget=forms.EmailInput(attrs={"autocomplete": "email"}))  # fmt: skip
    applicant_address = forms.CharField(
        label=APPLICANT_LABELS["applicant_address"], max_length=500, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        help_text=_("Số nhà, đường, xã (phường), tỉnh (thành phố)."),
    )  # fmt: skip
    required_names = frozenset(APPLICANT_LABELS)  # all needed to submit


class AnswersForm(ServiceErrorsMixin, forms.Form):
    """The answers of one group of the procedure's form fields. Every field is optional here, so a draft can be saved
    half-done; "save and continue" asks the service for completeness. Required fields are marked."""

    def __init__(self, *args: Any, fields: list[FormField], stored: dict[str, Any], attached: set[str], **kwargs: Any) -> None:
        initial: dict[str, Any] = dict(kwargs.pop("initial", None) or {})
        for f in fields:
            initial.update(answer_initial(f, stored.get(f.key)))
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.form_fields = fields
        self.required_names: set[str] = set()
        for f in fields:
            self.fields.update(answer_fields(f, required=False))
            if f.required:
                self.required_names.add(f"f_{f.key}")
            if f.key in attached:
                self.fields[f"f_{f.key}"].help_text = _("Đã có tệp; chọn tệp khác để thay thế.")

    def answers(self) -> dict[str, Any]:
        values = {f.key: answer_value(f, self.cleaned_data) for f in self.form_fields}
        return {key: value for key, value in values.items() if value is not None}

    def files_by_key(self) -> dict[str, Any]:
        """The files chosen for file fields, by field key."""
        chosen = {f.key: self.cleaned_data.get(f"f_{f.key}") for f in self.form_fields if f.field_type == FormFieldType.FILE}
        return {key: item for key, item in chosen.items() if item}


class UploadForm(forms.Form):
    attachments = MultipleFileField(label=_("Chọn tệp"), help_text=_("PDF, ảnh JPEG, ảnh PNG hoặc Word (DOCX)."))


class SupplementForm(forms.Form):
    document = forms.TypedChoiceField(label=_("Giấy tờ được bổ sung"), required=False, coerce=int, empty_value=None)
    attachments = MultipleFileField(label=_("Tệp hồ sơ bổ sung"), help_text=_("PDF, ảnh JPEG, ảnh PNG hoặc Word (DOCX)."))
    note = forms.CharField(label=_("Ghi chú cho cán bộ (không bắt buộc)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, documents: list[RequiredDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.documents = {d.pk: d for d in documents}
        self.fields["document"].choices = [("", _("Giấy tờ khác")), *((d.pk, d.name) for d in documents)]  # type: ignore[attr-defined]


class RatingForm(forms.Form):
    comment = forms.CharField(label=_("Góp ý thêm (không bắt buộc)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in RATING_CRITERIA:
            self.fields[key] = forms.TypedChoiceField(
                label=label, choices=RATING_LEVELS, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": _("Vui lòng chọn mức độ hài lòng về “%(label)s”.") % {"label": label}},
            )  # fmt: skip
        self.order_fields([key for key, _label in RATING_CRITERIA] + ["comment"])

    def scores(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key, _label in RATING_CRITERIA}
