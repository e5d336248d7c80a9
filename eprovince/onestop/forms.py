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
from eprovince.core.form_errors import apply_validation_error, form_data_field
from eprovince.core.forms import VietnameseDateInput
from eprovince.core.models import AdminUnit

from .constants import Channel, DossierStatus, FormFieldType
from .models import FormField, Procedure, ProcessAction, RequiredDocument
from .services.dossiers import Upload
from .validators import ACCEPT_ATTR, check_upload, display_answer, display_decimal, max_upload_bytes, normalise_dossier_code
from .workflow import is_destructive


class CheckedFileInput(forms.ClearableFileInput):
    """A file input that tells the browser the limit (data-max-bytes, read by static/onestop/upload-check.js)."""

    def build_attrs(self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"data-max-bytes": str(max_upload_bytes()), **super().build_attrs(base_attrs, extra_attrs)}


class MultipleFileInput(CheckedFileInput):
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
        kwargs.setdefault("widget", CheckedFileInput(attrs={"accept": ACCEPT_ATTR}))
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


def _number_text(value: Any) -> str:
    number = value.normalize()
    return str(int(number)) if number == number.to_integral_value() else str(number)


def constraint_attrs(f: FormField) -> dict[str, str]:
    """The administrator's constraints of `f` as HTML attributes, so the browser checks what the server checks
    (validators.check_constraints)."""
    attrs: dict[str, str] = {}
    if f.field_type == FormFieldType.NUMBER:
        if f.min_value is not None:
            attrs["min"] = _number_text(f.min_value)
        if f.max_value is not None:
            attrs["max"] = _number_text(f.max_value)
    elif f.field_type == FormFieldType.TEXT:
        if f.min_length is not None:
            attrs["minlength"] = str(f.min_length)
        attrs["maxlength"] = str(f.max_length if f.max_length is not None else 2000)
        if f.pattern:
            attrs["pattern"] = f.pattern
            if f.pattern_message:
                attrs["title"] = f.pattern_message
    elif f.field_type == FormFieldType.DATE:
        if f.min_date is not None:
            attrs["data-min-date"] = f.min_date.strftime("%d/%m/%Y")
        if f.max_date is not None:
            attrs["data-max-date"] = f.max_date.strftime("%d/%m/%Y")
    return attrs


def constraint_hint(f: FormField) -> str:
    """The constraints said up front, in the field's hint: "Từ 1 đến 500.", "Tối đa 40 ký tự."…"""
    low: str | None = None
    high: str | None = None
    if f.field_type == FormFieldType.NUMBER:
        low = display_decimal(f.min_value) if f.min_value is not None else None
        high = display_decimal(f.max_value) if f.max_value is not None else None
    elif f.field_type == FormFieldType.DATE:
        low = f.min_date.strftime("%d/%m/%Y") if f.min_date else None
        high = f.max_date.strftime("%d/%m/%Y") if f.max_date else None
    elif f.field_type == FormFieldType.TEXT and f.max_length is not None:
        return str(_("Tối đa %(n)s ký tự.") % {"n": f.max_length})
    if low is not None and high is not None:
        return str(_("Từ %(low)s đến %(high)s.") % {"low": low, "high": high})
    if low is not None:
        return str(_("Từ %(low)s trở lên.") % {"low": low})
    if high is not None:
        return str(_("Không quá %(high)s.") % {"high": high})
    return ""


def has_number_range(f: FormField) -> bool:
    return f.field_type == FormFieldType.NUMBER and (f.min_value is not None or f.max_value is not None)


def answer_fields(f: FormField, *, required: bool | None = None) -> dict[str, forms.Field]:
    """The form field(s) asking the answer of `f` (an address asks the commune and the street), named f_<key>."""
    common: dict[str, Any] = {
        "label": f.label,
        "required": f.required if required is None else required,
        "help_text": " ".join(part for part in (f.help_text, constraint_hint(f)) if part),
    }
    name = f"f_{f.key}"
    attrs = constraint_attrs(f)
    if f.field_type == FormFieldType.TEXT:
        text = forms.CharField(max_length=2000, **common)
        text.widget.attrs.update(attrs)  # the administrator's maxlength, not the field's own 2000
        return {name: text}
    if has_number_range(f):  # a range: a number input the browser checks (min, max); the server parses the same way
        widget: forms.Widget = forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", **attrs})
        return {name: forms.CharField(max_length=30, widget=widget, **common)}
    if f.field_type == FormFieldType.NUMBER:
        return {name: forms.CharField(max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)}
    if f.field_type == FormFieldType.DATE:
        return {name: forms.DateField(widget=VietnameseDateInput(attrs=attrs), **common)}
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
        return {name: str(stored) if has_number_range(f) else display_answer(stored)}
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
        apply_validation_error(self, exc, rename=form_data_field)


class ActionForm(forms.Form):
    """The one action panel of the dossier page: the actions the officer may do now (in the engine's offered order,
    the first preselected), one reason box, one file input, and a confirmation the destructive actions need. Which
    action needs a reason is checked here too, so that every missing piece is shown at once; the service decides."""

    action = forms.ChoiceField(label=_("Thao tác"), widget=forms.RadioSelect,
                               error_messages={"required": _("Vui lòng chọn thao tác cần thực hiện."),
                                               "invalid_choice": _("Thao tác này không còn thực hiện được; vui lòng chọn lại.")})  # fmt: skip
    reason = forms.CharField(label=_("Lý do, ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(label=_("Tệp đính kèm"), required=False, help_text=_("PDF, JPEG, PNG hoặc DOCX."))
    confirm = forms.BooleanField(label=_("Tôi xác nhận kết thúc hồ sơ (không thể hoàn tác)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    PREFIX = "panel"  # the apology form on the same page has a reason and a version too: distinct ids

    def __init__(self, *args: Any, actions: list[ProcessAction], generated: frozenset[str] = frozenset(), **kwargs: Any) -> None:
        """`generated`: the codes of the actions whose file the service generates when none is attached."""
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)
        self.generated = generated
        self.actions: dict[str, ProcessAction] = {}
        for a in actions:  # one choice per code (a step's own action before an any-step one with the same code)
            self.actions.setdefault(a.code, a)
        self.fields["action"].choices = [(code, a.label) for code, a in self.actions.items()]  # type: ignore[attr-defined]
        if self.actions and not self.is_bound:
            self.initial.setdefault("action", next(iter(self.actions)))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = self.actions.get(data.get("action") or "")
        if action is None:
            return data
        if action.requires_reason and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Vui lòng nêu lý do hoặc nội dung cho thao tác “%(label)s”.") % {"label": action.label})
        if action.requires_file and not data.get("attachments") and action.code not in self.generated:
            self.add_error("attachments", _("Thao tác “%(label)s” cần đính kèm ít nhất một tệp.") % {"label": action.label})
        if is_destructive(action) and not data.get("confirm"):
            self.add_error("confirm", _("Vui lòng đánh dấu ô xác nhận để thực hiện “%(label)s”.") % {"label": action.label})
        return data


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

    def clean_code(self) -> str:
        return normalise_dossier_code(self.cleaned_data["code"])
