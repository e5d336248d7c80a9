"""Forms of the dossier pages: counter reception (built from the procedure's form fields and documents), process
actions, apology, queue filters, public tracking. They parse input; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from eprovince.core.constants import UnitLevel
from eprovince.core.forms import VietnameseDateInput
from eprovince.core.models import AdminUnit

from .constants import Channel, DossierStatus, FormFieldType
from .models import FormField, Procedure, RequiredDocument
from .services.dossiers import Upload
from .validators import ACCEPT_ATTR, check_upload, display_answer


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each checked from its content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if self.required and not items:
            raise ValidationError(self.error_messages["required"], code="required")
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in items]
        for item in cleaned:
            check_upload(item)
        return cleaned


class CheckedFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if value:
            check_upload(value)
        return value


def address_choices() -> list[tuple[Any, Any]]:
    """The current communes grouped by province (one <optgroup> each), for address fields."""
    communes = AdminUnit.objects.current().filter(level=UnitLevel.COMMUNE).select_related("parent")
    groups: dict[str, list[tuple[int, str]]] = {}
    for unit in sorted(communes, key=lambda u: (u.parent.full_name if u.parent else "", u.name)):
        groups.setdefault(unit.parent.full_name if unit.parent else "", []).append((unit.pk, unit.full_name))
    return [("", "—"), *((province or "—", items) for province, items in groups.items())]


def answer_fields(f: FormField, *, required: bool | None = None) -> dict[str, forms.Field]:
    """The form field(s) asking the answer of `f` (an address asks the commune and the street), named f_<key>."""
    common: dict[str, Any] = {
        "label": f.label,
        "required": f.required if required is None else required,
        "help_text": f.help_text,
    }
    name = f"f_{f.key}"
    if f.field_type == FormFieldType.TEXT:
        return {name: forms.CharField(max_length=2000, **common)}
    if f.field_type == FormFieldType.NUMBER:
        return {name: forms.CharField(max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)}
    if f.field_type == FormFieldType.DATE:
        return {name: forms.DateField(widget=VietnameseDateInput(), **common)}
    if f.field_type == FormFieldType.CHOICE:
        return {name: forms.ChoiceField(choices=[("", "—")] + [(c, c) for c in f.choices], **common)}
    if f.field_type == FormFieldType.FILE:
        return {name: CheckedFileField(**common)}
    street = forms.CharField(
        label=_("%(label)s: số nhà, đường, ấp, khu phố") % {"label": f.label}, max_length=300, required=False
    )
    return {
        name: forms.TypedChoiceField(choices=address_choices, coerce=int, empty_value=None, **common),
        f"{name}__street": street,
    }


def answer_value(f: FormField, cleaned_data: dict[str, Any]) -> Any:
    """The answer of `f` from a form's cleaned data, in the shape validators.validate_form_data expects."""
    value = cleaned_data.get(f"f_{f.key}")
    if f.field_type == FormFieldType.FILE or value in (None, ""):
        return None
    if f.field_type == FormFieldType.ADDRESS:
        return {"unit": value, "street": cleaned_data.get(f"f_{f.key}__street", "")}
    return value


def answer_initial(f: FormField, stored: Any) -> dict[str, Any]:
    """The initial value(s) of the form field(s) of `f` from the stored answer."""
    name = f"f_{f.key}"
    if stored is None or f.field_type == FormFieldType.FILE:
        return {}
    if f.field_type == FormFieldType.ADDRESS and isinstance(stored, dict):
        return {name: stored.get("unit"), f"{name}__street": stored.get("street", "")}
    if f.field_type == FormFieldType.DATE and isinstance(stored, str):
        try:
            return {name: dt.date.fromisoformat(stored)}
        except ValueError:
            return {}
    if f.field_type == FormFieldType.NUMBER:
        return {name: display_answer(stored)}
    return {name: stored}


class ApplicationForm(forms.Form):
    """The applicant, the answers of the procedure's form and one upload per required document."""

    applicant_name = forms.CharField(label=_("Tên tổ chức, cá nhân"), max_length=255)
    applicant_id_number = forms.CharField(label=_("Số định danh cá nhân hoặc mã số doanh nghiệp"), max_length=20, required=False)
    applicant_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))  # fmt: skip
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=500, required=False)
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[(Channel.COUNTER.value, Channel.COUNTER.label), (Channel.POST.value, Channel.POST.label)],
    )

    def __init__(self, *args: Any, procedure: Procedure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.form_fields: list[FormField] = list(procedure.form_fields.all())
        self.documents: list[RequiredDocument] = list(procedure.documents.all())
        for f in self.form_fields:
            self.fields.update(answer_fields(f))
        for doc in self.documents:
            help_text = ", ".join(x for x in [doc.note, ngettext("%(n)s bản", "%(n)s bản", doc.copies) % {"n": doc.copies}] if x)
            self.fields[f"doc_{doc.pk}"] = MultipleFileField(label=doc.name, required=doc.is_required, help_text=help_text)

    APPLICANT_FIELDS = (
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "channel",
    )

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields in three groups for the page: the applicant, the form's answers, the documents."""
        applicant = [self[name] for name in self.APPLICANT_FIELDS]
        answers = [self[name] for name in self.fields if name.startswith("f_")]
        documents = [self[name] for name in self.fields if name.startswith("doc_")]
        groups = [(_("Người nộp hồ sơ"), applicant), (_("Nội dung tờ khai"), answers), (_("Thành phần hồ sơ"), documents)]
        return [(title, fields) for title, fields in groups if fields]

    def form_data(self) -> dict[str, Any]:
        """The answers keyed by form field, in the shape validators.validate_form_data expects."""
        answers = {f.key: answer_value(f, self.cleaned_data) for f in self.form_fields}
        return {key: value for key, value in answers.items() if value is not None}

    def uploads(self) -> list[Upload]:
        result = [
            Upload(file=item, document=doc) for doc in self.documents for item in self.cleaned_data.get(f"doc_{doc.pk}") or []
        ]
        for f in self.form_fields:
            item = self.cleaned_data.get(f"f_{f.key}") if f.field_type == FormFieldType.FILE else None
            if item:
                result.append(Upload(file=item, field_key=f.key))
        return result

    def applicant(self) -> dict[str, Any]:
        keys = ("applicant_name", "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address")
        return {k: self.cleaned_data.get(k, "") for k in keys}

    def apply_errors(self, exc: ValidationError) -> None:
        """Errors from the service, put on the matching fields."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for key, messages in exc.message_dict.items():
            name = f"f_{key.removeprefix('form_data.')}" if key.startswith("form_data.") else key
            self.add_error(name if name in self.fields else None, messages)


class ActionForm(forms.Form):
    reason = forms.CharField(label=_("Lý do, ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("Tệp đính kèm"), required=False, help_text=_("PDF, JPEG, PNG hoặc DOCX."))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ApologyForm(forms.Form):
    reason = forms.CharField(label=_("Lý do chậm trả kết quả"), widget=forms.Textarea(attrs={"rows": 3}))
    new_due_date = forms.DateField(label=_("Ngày hẹn trả kết quả mới"), widget=VietnameseDateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Mã hồ sơ, tên người nộp"), required=False, widget=forms.TextInput(attrs={"type": "search"}))
    procedure = forms.TypedChoiceField(label=_("Thủ tục"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    channel = forms.ChoiceField(label=_("Hình thức nộp"), required=False, choices=[("", _("Tất cả")), *list(Channel.choices)])
    received_from = forms.DateField(label=_("Tiếp nhận từ ngày"), required=False, widget=VietnameseDateInput())
    received_to = forms.DateField(label=_("Đến ngày"), required=False, widget=VietnameseDateInput())

    def __init__(self, *args: Any, procedures: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", _("Tất cả")), *procedures]  # type: ignore[attr-defined]
        statuses = [s for s in DossierStatus.choices if s[0] != DossierStatus.DRAFT]
        self.fields["status"].choices = [("", _("Tất cả")), *statuses]  # type: ignore[attr-defined]


class TrackingForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=60, help_text=_("Ghi trên giấy tiếp nhận và hẹn trả kết quả."))
    contact = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử đã khai khi nộp hồ sơ"), max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
