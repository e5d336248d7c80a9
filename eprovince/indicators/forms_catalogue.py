"""Web forms of the catalogue screens. They parse and check what was typed (formulas through the app's own parser,
numbers the Vietnamese way); the services in services/catalogue_admin.py check the rest and save."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eprovince.core.constants import OrganisationKind
from eprovince.core.models import Organisation

from . import formula
from .models import CategoryCombo, DataElement, Indicator, ReportForm, Target, ValidationRule
from .models.catalogue import CODE_VALIDATOR
from .results import format_number
from .services.catalogue_admin import TargetCell
from .validators import clean_target_value, validate_formula

REPORTING_KINDS = (
    OrganisationKind.PEOPLES_COMMITTEE,
    OrganisationKind.DEPARTMENT,
    OrganisationKind.DIVISION,
    OrganisationKind.ENTERPRISE,
    OrganisationKind.OTHER,
)
OWNER_KINDS = (OrganisationKind.DEPARTMENT, OrganisationKind.DIVISION)


def check_formula(text: str, *, known_codes: set[str] | None = None) -> str:
    """`text` if it reads and names known data elements; else the parser's message and where it stopped."""
    text = text.strip()
    try:
        formula.parse(text)
    except formula.FormulaError as exc:
        pos = min(exc.position, len(text))
        before = ("…" if pos > 20 else "") + text[max(0, pos - 20) : pos]
        excerpt = f"{before}▸{text[pos : pos + 20]}" + ("…" if len(text) > pos + 20 else "")
        raise ValidationError(
            [exc.message, _("Lỗi ở ký tự thứ %(pos)d: %(excerpt)s") % {"pos": pos + 1, "excerpt": excerpt}]
        ) from exc
    try:
        validate_formula(text, field="formula", known_codes=known_codes)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict["formula"]) from exc
    return text


class CatalogueModelForm(forms.ModelForm):
    """Model forms whose instance the service validates and saves: the form itself only parses the fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "code" in self.fields:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Mã không đổi được sau khi tạo (công thức và tệp mẫu dùng mã).")

    def _post_clean(self) -> None:  # the service runs the model's validation, on the saved values
        pass

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or () if name != "code" and name in self.cleaned_data}


class CategoryComboForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Mã"), max_length=50, validators=[CODE_VALIDATOR])
    name = forms.CharField(label=gettext_lazy("Tên cách phân tổ"), max_length=200)
    options = forms.CharField(
        label=gettext_lazy("Các nhóm"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Mỗi dòng một nhóm: mã | tên, ví dụ “VNPT | VNPT”. Thứ tự các dòng là thứ tự hiển thị."),
    )

    def __init__(self, *args: Any, instance: CategoryCombo | None = None, **kwargs: Any) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": instance.code,
                    "name": instance.name,
                    "options": "\n".join(f"{o.code} | {o.name}" for o in instance.options.all()),
                },
            )
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            self.fields["code"].disabled = True

    def clean_options(self) -> list[tuple[str, str]]:
        options: list[tuple[str, str]] = []
        errors: list[str] = []
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, name = line.partition("|")
            code, name = code.strip(), name.strip()
            if not sep or not code or not name:
                errors.append(_("Dòng %(n)d: cần có mã và tên, cách nhau bởi dấu “|”.") % {"n": number})
                continue
            try:
                CODE_VALIDATOR(code)
            except ValidationError:
                errors.append(
                    _("Dòng %(n)d: mã “%(code)s” không hợp lệ (chữ in hoa không dấu, chữ số, “_”).") % {"n": number, "code": code}
                )
                continue
            if len(name) > 200:
                errors.append(_("Dòng %(n)d: tên dài quá 200 ký tự.") % {"n": number})
                continue
            options.append((code, name))
        if errors:
            raise ValidationError(errors)
        if not options:
            raise ValidationError(_("Cách phân tổ phải có ít nhất một nhóm."))
        codes = [c for c, _n in options]
        if len(set(codes)) != len(codes):
            raise ValidationError(
                _("Mã nhóm bị trùng: %(codes)s.") % {"codes": ", ".join(sorted({c for c in codes if codes.count(c) > 1}))}
            )
        return options


class DataElementForm(CatalogueModelForm):
    class Meta:
        model = DataElement
        fields = [
            "code",
            "name",
            "short_name",
            "description",
            "unit",
            "value_type",
            "allow_negative",
            "decimals",
            "aggregation",
            "time_aggregation",
            "category_combo",
            "order",
            "outlier_ratio",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        localized_fields = ["outlier_ratio"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category_combo"].empty_label = _("Không phân tổ")  # type: ignore[attr-defined]
        self.fields["category_combo"].help_text = _("Ví dụ “Theo doanh nghiệp”: giá trị được nhập riêng cho từng nhóm.")


class IndicatorForm(CatalogueModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "description", "formula", "unit", "decimals", "order"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "formula": forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "mono"}),
        }

    def clean_formula(self) -> str:
        return check_formula(self.cleaned_data["formula"])


class ReportFormForm(CatalogueModelForm):
    elements = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Chỉ tiêu dữ liệu của biểu mẫu"),
        queryset=DataElement.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Biểu mẫu phải có ít nhất một chỉ tiêu dữ liệu.")},
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Đơn vị báo cáo"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ReportForm
        fields = [
            "code",
            "name",
            "description",
            "owner",
            "period_type",
            "convention",
            "deadline_days",
            "change_comment_threshold",
            "outlier_ratio",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        localized_fields = ["change_comment_threshold", "outlier_ratio"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.current().filter(kind__in=OWNER_KINDS).order_by("path")  # type: ignore[attr-defined]
        self.fields["owner"].empty_label = _("— Chọn đơn vị chủ trì —")  # type: ignore[attr-defined]
        for name, blank in (("period_type", _("— Chọn loại kỳ —")), ("convention", _("— Chọn cách tính ngày —"))):
            field = self.fields[name]
            field.choices = [("", blank), *[c for c in field.choices if c[0] != ""]]  # type: ignore[attr-defined]
        self.fields["elements"].queryset = DataElement.objects.order_by("order", "code")  # type: ignore[attr-defined]
        units = Organisation.objects.filter(kind__in=REPORTING_KINDS)
        if self.instance.pk is not None:
            chosen = list(self.instance.organisations.values_list("pk", flat=True))
            self.fields["organisations"].queryset = (units.current() | units.filter(pk__in=chosen)).order_by("path")  # type: ignore[attr-defined]
            self.initial.setdefault("elements", list(self.instance.elements.values_list("pk", flat=True)))
            self.initial.setdefault("organisations", chosen)
        else:
            self.fields["organisations"].queryset = units.current().order_by("path")  # type: ignore[attr-defined]
        self.fields["elements"].label_from_instance = lambda e: f"{e.code} – {e.name}"  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        fields.pop("elements", None)
        fields.pop("organisations", None)
        return fields


class ValidationRuleForm(CatalogueModelForm):
    class Meta:
        model = ValidationRule
        fields = ["name", "left", "operator", "right", "severity", "message", "order"]
        widgets = {
            "left": forms.TextInput(attrs={"spellcheck": "false", "class": "mono"}),
            "right": forms.TextInput(attrs={"spellcheck": "false", "class": "mono"}),
        }

    def __init__(self, *args: Any, form: ReportForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report_form = form
        self.known_codes = set(form.elements.values_list("code", flat=True))
        help_text = _("Công thức trên các chỉ tiêu của biểu mẫu, ví dụ #{SUB_BROADBAND}. Mã dùng được: %(codes)s.") % {
            "codes": ", ".join(sorted(self.known_codes)) or "—"
        }
        self.fields["left"].help_text = help_text
        self.fields["right"].help_text = _("Ví dụ #{SUB_INTERNET} hoặc một số như 0.")

    def clean_left(self) -> str:
        return check_formula(self.cleaned_data["left"], known_codes=self.known_codes)

    def clean_right(self) -> str:
        return check_formula(self.cleaned_data["right"], known_codes=self.known_codes)


class TargetYearForm(forms.Form):
    source_decision = forms.CharField(
        label=gettext_lazy("Căn cứ giao chỉ tiêu"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Ví dụ: Quyết định số …/QĐ-UBND ngày … về kế hoạch năm. Ghi vào các ô được thay đổi."),
    )


def _shown(value: Decimal) -> str:
    exponent = value.normalize().as_tuple().exponent
    return format_number(value, max(0, -exponent) if isinstance(exponent, int) else 0)


@dataclass
class GridCell:
    name: str
    indicator: Indicator
    organisation: Organisation | None
    text: str
    stored: Decimal | None
    error: str = ""
    value: Decimal | None = None


@dataclass
class GridRow:
    organisation: Organisation | None
    label: str
    cells: list[GridCell] = field(default_factory=list)


class TargetGrid:
    """The targets of a year: one row per unit (the first, the whole province), one column per indicator, one text
    box per cell typed the Vietnamese way (1.234,5). Names of cells outside the grid are ignored."""

    def __init__(
        self,
        *,
        units: list[Organisation],
        indicators: list[Indicator],
        targets: list[Target],
        data: Any = None,
        province_label: str = "",
    ) -> None:
        stored = {(t.indicator_id, t.organisation_id): t.value for t in targets}
        self.indicators = indicators
        self.bound = data is not None
        self.rows: list[GridRow] = []
        for org in [None, *units]:
            row = GridRow(org, province_label if org is None else org.name)
            for indicator in indicators:
                name = f"t_{org.pk if org else 0}_{indicator.pk}"
                value = stored.get((indicator.pk, org.pk if org else None))
                text = data.get(name, "").strip() if data is not None else ("" if value is None else _shown(value))
                row.cells.append(GridCell(name, indicator, org, text, value))
            self.rows.append(row)

    def is_valid(self) -> bool:
        ok = True
        for cell in self.cells:
            if not cell.text:
                cell.value = None
                continue
            try:
                cell.value = clean_target_value(cell.text)
            except ValidationError as exc:
                cell.error = " ".join(exc.messages)
                ok = False
        return ok

    @property
    def cells(self) -> list[GridCell]:
        return [cell for row in self.rows for cell in row.cells]

    @property
    def errors(self) -> list[GridCell]:
        return [cell for cell in self.cells if cell.error]

    def target_cells(self) -> list[TargetCell]:
        return [TargetCell(cell.indicator, cell.organisation, cell.value) for cell in self.cells]
