"""Forms of the catalogue administration: a procedure, its parts (documents, form fields, steps, actions), fields
of procedures and the numbering of dossiers. ModelForms check the input; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from eprovince.core.forms import VietnameseDateInput
from eprovince.core.models import Organisation
from eprovince.core.permissions import administered_organisations

from .constants import NumberingReset
from .models import Field, FormField, Procedure, ProcessAction, ProcessStep, RequiredDocument, ResultTemplate
from .validators import check_upload


def _current_organisations(user: Any, *keep: int | None) -> Any:
    """The current agencies `user` administers (with `keep`, a record's present choices, left as they are)."""
    administered = administered_organisations(user).values("pk")
    kept = [pk for pk in keep if pk is not None]
    qs = Organisation.objects.current().exclude(kind="enterprise")
    return qs.filter(Q(pk__in=administered) | Q(pk__in=kept)).order_by("path")


class FieldForm(forms.ModelForm):
    class Meta:
        model = Field
        fields = ["code", "name", "order", "is_active"]


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = [
            "national_code", "name", "field", "receiving_agency", "handling_agency", "online_level", "legacy_level",
            "processing_days", "fee", "fee_description", "result_type", "result_name", "legal_basis", "description",
            "is_active",
        ]  # fmt: skip
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 3}), "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_agency"].queryset = _current_organisations(user)  # type: ignore[attr-defined]
        self.fields["handling_agency"].queryset = _current_organisations(user)  # type: ignore[attr-defined]
        self.fields["field"].queryset = Field.objects.filter(is_active=True)  # type: ignore[attr-defined]


class PartForm(forms.ModelForm):
    """A form for one part of `procedure`."""

    def __init__(self, *args: Any, procedure: Procedure, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.user = user
        self.instance.procedure = procedure


class RequiredDocumentForm(PartForm):
    class Meta:
        model = RequiredDocument
        fields = ["name", "is_required", "copies", "note", "template", "order"]

    def clean_template(self) -> Any:
        value = self.cleaned_data.get("template")
        if value and hasattr(value, "content_type"):  # a new upload
            check_upload(value)
        return value


class FormFieldForm(PartForm):
    choices_text = forms.CharField(
        label=_("Các lựa chọn"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Chỉ cho kiểu lựa chọn: mỗi lựa chọn một dòng."),
    )  # fmt: skip

    class Meta:
        model = FormField
        fields = [
            "key", "label", "field_type", "required", "help_text", "group", "order", "prefill", "min_value", "max_value",
            "min_length", "max_length", "pattern", "pattern_message", "min_date", "max_date",
        ]  # fmt: skip
        widgets = {"min_date": VietnameseDateInput(), "max_date": VietnameseDateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(self.instance.choices or [])

    def clean_key(self) -> str:
        key = self.cleaned_data["key"]
        taken = FormField.objects.filter(procedure=self.procedure, key=key).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Thủ tục đã có một trường với mã này."))
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["choices"] = [line.strip() for line in data.pop("choices_text", "").splitlines() if line.strip()]
        self.instance.choices = data["choices"]
        return data


class ProcessStepForm(PartForm):
    class Meta:
        model = ProcessStep
        fields = ["order", "code", "name", "kind", "role", "organisation", "duration_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kept = self.instance.organisation_id if self.instance.pk else None
        self.fields["organisation"].queryset = _current_organisations(self.user, kept)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        others = ProcessStep.objects.filter(procedure=self.procedure).exclude(pk=self.instance.pk)
        if data.get("code") and others.filter(code=data["code"]).exists():
            self.add_error("code", _("Quy trình đã có một bước với mã này."))
        if data.get("order") is not None and others.filter(order=data["order"]).exists():
            self.add_error("order", _("Quy trình đã có một bước với thứ tự này."))
        return data


class ProcessActionForm(PartForm):
    class Meta:
        model = ProcessAction
        fields = [
            "from_step", "code", "label", "allowed_role", "to_step", "final_status", "requires_reason", "requires_file",
            "starts_clock", "pauses_clock", "resumes_clock", "requires_payment", "order",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        steps = ProcessStep.objects.filter(procedure=self.procedure).order_by("order")
        self.fields["from_step"].queryset = steps  # type: ignore[attr-defined]
        self.fields["to_step"].queryset = steps  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("final_status")) == bool(data.get("to_step")):
            raise forms.ValidationError(_("Chọn hoặc bước tiếp theo, hoặc trạng thái kết thúc hồ sơ (một trong hai)."))
        return data


class NumberingForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Cơ quan tiếp nhận"), queryset=Organisation.objects.none())
    pattern = forms.CharField(label=_("Mẫu mã hồ sơ"), max_length=100, help_text=_(
        "Dùng {code} (mã định danh cơ quan), {yyyy}, {yy}, {mm}, {dd}, {yymmdd} và {seq:4} (số thứ tự 4 chữ số)."
    ))  # fmt: skip
    reset = forms.ChoiceField(label=_("Đặt lại số thứ tự"), choices=NumberingReset.choices)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _current_organisations(user)  # type: ignore[attr-defined]


class ResultTemplateForm(forms.ModelForm):
    """The result template of a procedure; the placeholders are checked by the model (result_templates.py)."""

    class Meta:
        model = ResultTemplate
        fields = ["title", "symbol", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args: Any, procedure: Procedure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.procedure = procedure


# URL segment → (form, label). The form's model is the part's model.
PART_FORMS: dict[str, tuple[type[PartForm], Any]] = {
    "tai-lieu": (RequiredDocumentForm, _("Thành phần hồ sơ")),
    "truong": (FormFieldForm, _("Trường tờ khai")),
    "buoc": (ProcessStepForm, _("Bước xử lý")),
    "thao-tac": (ProcessActionForm, _("Thao tác xử lý")),
}
