"""Rules shared by the web forms, the API and the services: numbers as people type them, values against their
element's type, formulas against the catalogue. Each raises Django's ValidationError with a Vietnamese message."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import formula
from .constants import VALUE_DECIMAL_PLACES, VALUE_MAX_DIGITS, ValueType

# "4.020", "1.234.567", "252,1", "4.020,5": Vietnamese grouping with "." and decimals with ",".
_VI_GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_VI_PLAIN = re.compile(r"^[+-]?\d+(,\d+)?$")
_MACHINE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_TRUE = {"true", "1", "có", "co", "yes", "x"}
_FALSE = {"false", "0", "không", "khong", "no"}
_MAX_ABS = Decimal(10) ** (VALUE_MAX_DIGITS - VALUE_DECIMAL_PLACES)


def parse_number(text: str | int | float | Decimal, *, localized: bool = True) -> Decimal:
    """A Decimal from what a person (localized: "4.020", "252,1", "252.1") or a machine ("4020", "252.1") wrote.

    In localized input a dot followed by groups of three digits is a thousands separator ("4.020" is 4020); any
    other dot is a decimal point ("252.1"), as people pasting from spreadsheets type it."""
    if isinstance(text, bool):
        raise ValidationError(_("Phải là một số."), code="not_a_number")
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if not raw:
        raise ValidationError(_("Chưa nhập giá trị."), code="required")
    try:
        if localized and _VI_GROUPED.match(raw):
            return Decimal(raw.replace(".", "").replace(",", "."))
        if localized and _VI_PLAIN.match(raw):
            return Decimal(raw.replace(",", "."))
        if _MACHINE.match(raw):
            return Decimal(raw)
    except InvalidOperation:
        pass
    raise ValidationError(
        _("“%(text)s” không phải là số (ví dụ hợp lệ: 4.020 hoặc 252,1).") % {"text": text}
        if localized
        else _("“%(text)s” không phải là số (dùng dấu chấm cho phần thập phân, ví dụ 252.1).") % {"text": text},
        code="not_a_number",
    )


def parse_boolean(text: str) -> Decimal:
    folded = str(text).strip().lower()
    if folded in _TRUE:
        return Decimal(1)
    if folded in _FALSE:
        return Decimal(0)
    raise ValidationError(_("Phải là Có hoặc Không (1 hoặc 0)."), code="not_a_boolean")


def clean_value(
    value_type: str, raw: str | int | float | Decimal, *, allow_negative: bool = False, localized: bool = True
) -> Decimal:
    """The stored value of `raw` for an element of `value_type`, or a ValidationError saying what is wrong."""
    if value_type == ValueType.BOOLEAN:
        if isinstance(raw, bool):
            return Decimal(int(raw))
        number = parse_boolean(str(raw))
        return number
    number = parse_number(raw, localized=localized)
    if not number.is_finite() or abs(number) >= _MAX_ABS:
        raise ValidationError(_("Giá trị quá lớn."), code="too_large")
    if number.as_tuple().exponent < -VALUE_DECIMAL_PLACES:  # type: ignore[operator]
        raise ValidationError(_("Không được quá %(n)d chữ số thập phân.") % {"n": VALUE_DECIMAL_PLACES}, code="too_many_decimals")
    if value_type == ValueType.INTEGER:
        if number != number.to_integral_value():
            raise ValidationError(_("Phải là số nguyên (không có phần thập phân)."), code="not_an_integer")
        if number < 0 and not allow_negative:
            raise ValidationError(_("Số lượng không được âm."), code="negative")
        return number.quantize(Decimal(1))
    if value_type == ValueType.PERCENTAGE:
        if not Decimal(0) <= number <= Decimal(100):
            raise ValidationError(_("Tỉ lệ phần trăm phải từ 0 đến 100."), code="out_of_range")
        return number
    if number < 0 and not allow_negative:
        raise ValidationError(_("Giá trị không được âm."), code="negative")
    return number


def validate_formula(text: str, *, field: str = "formula", known_codes: set[str] | None = None) -> formula.Node:
    """The parsed formula; a ValidationError on `field` when it cannot be read or names unknown data elements."""
    try:
        tree = formula.parse(text)
    except formula.FormulaError as exc:
        raise ValidationError({field: [exc.message]}) from exc
    refs = formula.references(tree)
    if known_codes is None:
        from .models import CategoryOption, DataElement

        codes = {r.code for r in refs}
        known_codes = set(DataElement.objects.filter(code__in=codes).values_list("code", flat=True))
        options = {(r.code, r.option) for r in refs if r.option}
        if options:
            found = set(
                CategoryOption.objects.filter(
                    combo__elements__code__in={c for c, _ in options}, code__in={o for _, o in options}
                ).values_list("combo__elements__code", "code")
            )
            missing_options = sorted(f"{c}.{o}" for c, o in options - found)
            if missing_options:
                raise ValidationError({field: [_("Không có nhóm phân tổ: %(codes)s.") % {"codes": ", ".join(missing_options)}]})
    unknown = sorted({r.code for r in refs} - known_codes)
    if unknown:
        raise ValidationError({field: [_("Không có chỉ tiêu dữ liệu mã: %(codes)s.") % {"codes": ", ".join(unknown)}]})
    return tree


def clean_target_value(raw: str | int | float | Decimal) -> Decimal:
    """A target as typed in the plan ("1.234,5"): a number, not negative, within the stored precision."""
    number = parse_number(raw)
    if not number.is_finite() or abs(number) >= _MAX_ABS:
        raise ValidationError(_("Giá trị quá lớn."), code="too_large")
    if number.as_tuple().exponent < -VALUE_DECIMAL_PLACES:  # type: ignore[operator]
        raise ValidationError(_("Không được quá %(n)d chữ số thập phân.") % {"n": VALUE_DECIMAL_PLACES}, code="too_many_decimals")
    if number < 0:
        raise ValidationError(_("Chỉ tiêu kế hoạch không được âm."), code="negative")
    return number
