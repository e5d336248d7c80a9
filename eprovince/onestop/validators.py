"""Rules shared by the forms, the API and the services: uploaded files and the answers of an application form."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eprovince.core.models import AdminUnit

from .constants import DEFAULT_MAX_UPLOAD_BYTES, FormFieldType
from .models import FormField

# Formats accepted for dossier files, judged from the content: (label, MIME type, extensions).
FILE_FORMATS: dict[str, tuple[Any, str, tuple[str, ...]]] = {
    "pdf": ("PDF", "application/pdf", (".pdf",)),
    "png": (gettext_lazy("ảnh PNG"), "image/png", (".png",)),
    "jpeg": (gettext_lazy("ảnh JPEG"), "image/jpeg", (".jpg", ".jpeg")),
    "docx": ("Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
}
ACCEPT_ATTR = ".pdf,.png,.jpg,.jpeg,.docx"
_MAX_TEXT = 2000


def max_upload_bytes() -> int:
    return int(getattr(settings, "ONESTOP_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


@dataclass(frozen=True)
class CheckedFile:
    format: str
    content_type: str
    size: int
    sha256: str


def _sniff(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    try:
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpeg"
        if head.startswith(b"PK\x03\x04"):
            upload.seek(0)
            try:
                with zipfile.ZipFile(upload) as archive:
                    names = set(archive.namelist())
            except (zipfile.BadZipFile, OSError, ValueError):
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
        return None
    finally:
        upload.seek(0)


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Accept a PDF, PNG, JPEG or DOCX no larger than the limit, whose content matches its extension.
    Raises ValidationError with a message naming the file; stores nothing."""
    name = PurePath(upload.name or "").name
    limit = max_upload_bytes()
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name}, code="empty_file")
    if size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn: tối đa %(limit)s, tệp đã chọn %(size)s.")
            % {"name": name, "limit": filesizeformat(limit), "size": filesizeformat(size)},
            code="file_too_large",
        )
    extension = PurePath(name).suffix.lower()
    expected = next((key for key, (_l, _m, exts) in FILE_FORMATS.items() if extension in exts), None)
    if expected is None:
        raise ValidationError(
            _("Tệp “%(name)s” không được chấp nhận. Chỉ nhận tệp PDF, ảnh JPEG, ảnh PNG hoặc Word (DOCX).") % {"name": name},
            code="file_type",
        )
    actual = _sniff(upload)
    if actual != expected:
        label = FILE_FORMATS[expected][0]
        if actual is None:
            message = _("Nội dung tệp “%(name)s” không phải là %(label)s hợp lệ.") % {"name": name, "label": label}
        else:
            message = _("Tệp “%(name)s” có đuôi %(ext)s nhưng nội dung là %(actual)s, không phải %(label)s.") % {
                "name": name, "ext": extension, "actual": FILE_FORMATS[actual][0], "label": label,
            }  # fmt: skip
        raise ValidationError(message, code="file_content_mismatch")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(format=actual, content_type=FILE_FORMATS[actual][1], size=size, sha256=digest.hexdigest())


_NOT_DIGITS = re.compile(r"\D+")
_CODE_SPACES = re.compile(r"\s+")
# Dashes a phone keyboard or a word processor puts where the code has a hyphen.
_CODE_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})


def normalise_dossier_code(code: str) -> str:
    """A dossier code as typed, the way codes are stored: stripped, inner spaces removed, dashes made hyphens,
    upper case ("000.20.00.h99 - 261207 - 0007" → "000.20.00.H99-261207-0007"). Codes are upper case by construction
    (numbering.render_code), so every lookup by code goes through this one function and stays an indexed equality."""
    return _CODE_SPACES.sub("", unicodedata.normalize("NFKC", code or "")).translate(_CODE_DASHES).upper()[:60]


def normalise_phone(phone: str) -> str:
    """Digits only, +84 written as 0: "+84 912 345 678" → "0912345678"."""
    digits = _NOT_DIGITS.sub("", phone or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


# --- Application forms ---------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValidationError(_("Phải là một chuỗi ký tự."))
    text = str(value).strip()
    if len(text) > _MAX_TEXT:
        raise ValidationError(_("Không được quá %(n)s ký tự.") % {"n": _MAX_TEXT})
    return text


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValidationError(_("Phải là một số."))
    if isinstance(value, (int, float)):
        number = Decimal(str(value))
    else:
        raw = str(value).strip().replace(" ", "")
        # Vietnamese writing: 1.500.000 or 12,5.
        if "," in raw:
            raw = raw.replace(".", "").replace(",", ".")
        elif raw.count(".") > 1 or (raw.count(".") == 1 and len(raw.split(".")[1]) == 3):
            raw = raw.replace(".", "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(_("Phải là một số.")) from None
    if not number.is_finite() or abs(number) > Decimal(10) ** 15:
        raise ValidationError(_("Phải là một số."))
    return int(number) if number == number.to_integral_value() else float(number)


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValidationError(_("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."))


def _address(value: Any) -> dict[str, Any]:
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        value = {"unit": value}
    if not isinstance(value, dict):
        raise ValidationError(_("Địa chỉ không hợp lệ."))
    try:
        unit_id = int(value.get("unit"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(_("Vui lòng chọn đơn vị hành chính.")) from None
    unit = AdminUnit.objects.filter(pk=unit_id).first()
    if unit is None or not unit.is_valid_on(timezone.localdate()):
        raise ValidationError(_("Đơn vị hành chính không tồn tại hoặc không còn hiệu lực."))
    street = _text(value.get("street", ""))
    return {"unit": unit.pk, "unit_name": unit.full_name, "street": street}


def display_decimal(value: Decimal) -> str:
    """A constraint's number as people read it: 1.500, 2,5."""
    number = value.normalize()
    as_number: int | float = int(number) if number == number.to_integral_value() else float(number)
    return display_answer(as_number)


def check_constraints(f: FormField, value: Any) -> None:
    """The administrator's constraints of `f` on a normalised answer (validate_form_data's output): the same
    definition the form renders as HTML attributes (forms.constraint_attrs). Raises ValidationError."""
    if f.field_type == FormFieldType.NUMBER:
        number = Decimal(str(value))
        if f.min_value is not None and number < f.min_value:
            raise ValidationError(
                _("“%(label)s” phải từ %(min)s trở lên.") % {"label": f.label, "min": display_decimal(f.min_value)}
            )
        if f.max_value is not None and number > f.max_value:
            raise ValidationError(
                _("“%(label)s” không được lớn hơn %(max)s.") % {"label": f.label, "max": display_decimal(f.max_value)}
            )
    elif f.field_type == FormFieldType.TEXT:
        if f.min_length is not None and len(value) < f.min_length:
            raise ValidationError(_("“%(label)s” cần ít nhất %(n)s ký tự.") % {"label": f.label, "n": f.min_length})
        if f.max_length is not None and len(value) > f.max_length:
            raise ValidationError(_("“%(label)s” không được quá %(n)s ký tự.") % {"label": f.label, "n": f.max_length})
        if f.pattern and re.fullmatch(f.pattern, value) is None:
            raise ValidationError(f.pattern_message or _("“%(label)s” chưa đúng định dạng.") % {"label": f.label})
    elif f.field_type == FormFieldType.DATE:
        day = dt.date.fromisoformat(value)
        if f.min_date is not None and day < f.min_date:
            raise ValidationError(
                _("“%(label)s” không được trước ngày %(date)s.") % {"label": f.label, "date": f.min_date.strftime("%d/%m/%Y")}
            )
        if f.max_date is not None and day > f.max_date:
            raise ValidationError(
                _("“%(label)s” không được sau ngày %(date)s.") % {"label": f.label, "date": f.max_date.strftime("%d/%m/%Y")}
            )


def validate_form_data(
    fields: Iterable[FormField], data: dict[str, Any] | None, *, file_keys: Iterable[str] = (), partial: bool = False
) -> dict[str, Any]:
    """The answers `data` checked against the form `fields`, normalised for storage (dates as ISO, numbers as
    numbers, addresses with the unit's name). `file_keys`: the file fields that have a file attached. With
    `partial` (a draft being saved), missing answers are allowed. Raises ValidationError({key: [message]})."""
    data = dict(data or {})
    fields = list(fields)
    known = {f.key for f in fields}
    attached = set(file_keys)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for key in sorted(set(data) - known):
        errors[key] = [_("Tờ khai không có trường này.")]
    for f in fields:
        if f.field_type == FormFieldType.FILE:
            if f.required and not partial and f.key not in attached:
                errors[f.key] = [_("Vui lòng đính kèm tệp cho mục “%(label)s”.") % {"label": f.label}]
            continue
        value = data.get(f.key)
        if value is None or (isinstance(value, str) and not value.strip()) or value == {}:
            if f.required and not partial:
                errors[f.key] = [_("Vui lòng nhập “%(label)s”.") % {"label": f.label}]
            continue
        try:
            if f.field_type == FormFieldType.TEXT:
                cleaned[f.key] = _text(value)
            elif f.field_type == FormFieldType.NUMBER:
                cleaned[f.key] = _number(value)
            elif f.field_type == FormFieldType.DATE:
                cleaned[f.key] = _date(value)
            elif f.field_type == FormFieldType.CHOICE:
                if value not in f.choices:
                    raise ValidationError(_("Lựa chọn không hợp lệ."))
                cleaned[f.key] = value
            elif f.field_type == FormFieldType.ADDRESS:
                cleaned[f.key] = _address(value)
            check_constraints(f, cleaned[f.key])
        except ValidationError as exc:
            errors[f.key] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def display_answer(value: Any) -> str:
    """A stored answer as people read it: dates dd/mm/yyyy, numbers grouped with dots, addresses in one line."""
    if isinstance(value, dict):
        return ", ".join(part for part in (value.get("street", ""), value.get("unit_name", "")) if part)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        return f"{value:,}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if isinstance(value, str) and _ISO_DATE.match(value):
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    return str(value)


# --- The applicant of an online application -------------------------------------------------------------------------

_PHONE = re.compile(r"^0\d{9}$")
_ID_NUMBER = re.compile(r"^(\d{12}|\d{10}(-?\d{3})?)$")

APPLICANT_LABELS: dict[str, Any] = {
    "applicant_name": gettext_lazy("Họ và tên hoặc tên tổ chức"),
    "applicant_id_number": gettext_lazy("Số định danh cá nhân hoặc mã số doanh nghiệp"),
    "applicant_phone": gettext_lazy("Số điện thoại"),
    "applicant_email": gettext_lazy("Thư điện tử"),
    "applicant_address": gettext_lazy("Địa chỉ liên hệ"),
}


def phone_problem(phone: str) -> str:
    """ "" when `phone` is a Vietnamese phone number (10 digits from 0, or +84…), else the message."""
    if _PHONE.match(normalise_phone(phone)):
        return ""
    return _("Số điện thoại không hợp lệ: nhập 10 chữ số, ví dụ 0912 345 678.")


def applicant_problems(values: dict[str, str], *, partial: bool = False) -> dict[str, list[str]]:
    """The problems of the applicant's details of an online application, by field. Every field is needed to submit;
    with `partial` (a draft being saved) a missing one is allowed, a malformed one is not."""
    errors: dict[str, list[str]] = {}
    for key, label in APPLICANT_LABELS.items():
        value = (values.get(key) or "").strip()
        if not value:
            if not partial:
                errors[key] = [_("Vui lòng nhập “%(label)s”.") % {"label": label}]
            continue
        message = ""
        if key == "applicant_phone":
            message = phone_problem(value)
        elif key == "applicant_id_number" and not _ID_NUMBER.match(value):
            message = _("Nhập số định danh cá nhân (12 chữ số) hoặc mã số doanh nghiệp (10 chữ số, có thể kèm -xxx).")
        elif key == "applicant_email":
            try:
                validate_email(value)
            except ValidationError:
                message = _("Địa chỉ thư điện tử không hợp lệ.")
        if message:
            errors[key] = [message]
    return errors
