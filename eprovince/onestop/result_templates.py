"""The result template of a procedure (mẫu kết quả giải quyết): a title and a body with placeholders, checked when
an administrator saves it and filled in when a leader issues the result.

Placeholders are written in braces: {applicant_name}, {dossier_code}, {issued_on}… and {field:<code>} for an answer
of the application form. A literal brace is written twice: {{ and }}. One rule, written once here, used by the
model's clean() (hence the admin form and the service) and by the renderer."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .constants import FormFieldType, ResultType

# name → what it is replaced with (shown to administrators as help).
PLACEHOLDERS: dict[str, Any] = {
    "applicant_name": gettext_lazy("tên tổ chức, cá nhân được cấp"),
    "applicant_address": gettext_lazy("địa chỉ của tổ chức, cá nhân"),
    "applicant_id_number": gettext_lazy("số định danh cá nhân hoặc mã số doanh nghiệp"),
    "dossier_code": gettext_lazy("mã hồ sơ"),
    "procedure_name": gettext_lazy("tên thủ tục"),
    "agency_name": gettext_lazy("tên cơ quan ban hành"),
    "document_number": gettext_lazy("số, ký hiệu của văn bản kết quả"),
    "issued_on": gettext_lazy("ngày ban hành (dd/mm/yyyy)"),
    "received_on": gettext_lazy("ngày tiếp nhận hồ sơ (dd/mm/yyyy)"),
}
FIELD_PREFIX = "field:"
MAX_BODY = 10_000

# Decree 30/2020/NĐ-CP style type abbreviations for the number of a result, by the procedure's result type.
DEFAULT_SYMBOLS: dict[str, str] = {
    ResultType.LICENCE: "GP",
    ResultType.CERTIFICATE: "GCN",
    ResultType.DECISION: "QĐ",
    ResultType.CONFIRMATION: "",
    ResultType.OTHER: "",
}

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Piece:
    """A literal text (`placeholder` False) or a placeholder's name (`placeholder` True)."""

    text: str
    placeholder: bool


def parse(template: str) -> tuple[list[Piece], list[str]]:
    """The template split into literal text and placeholders, and the syntax problems found (Vietnamese)."""
    pieces: list[Piece] = []
    problems: list[str] = []
    literal: list[str] = []
    i, n = 0, len(template)
    while i < n:
        ch = template[i]
        if ch == "{" and template.startswith("{{", i):
            literal.append("{")
            i += 2
        elif ch == "}" and template.startswith("}}", i):
            literal.append("}")
            i += 2
        elif ch == "{":
            end = template.find("}", i + 1)
            nested = template.find("{", i + 1)
            if end == -1 or (nested != -1 and nested < end):
                problems.append(
                    _(
                        "Dấu “{” ở ký tự thứ %(pos)s chưa được đóng bằng “}”. Muốn viết dấu ngoặc nhọn, hãy gõ hai lần: {{ hoặc }}."
                    )
                    % {"pos": i + 1}
                )
                literal.append(ch)
                i += 1
                continue
            if literal:
                pieces.append(Piece("".join(literal), False))
                literal = []
            pieces.append(Piece(template[i + 1 : end].strip(), True))
            i = end + 1
        elif ch == "}":
            problems.append(
                _(
                    "Dấu “}” ở ký tự thứ %(pos)s không có dấu “{” mở tương ứng. Muốn viết dấu ngoặc nhọn, hãy gõ hai lần: {{ hoặc }}."
                )
                % {"pos": i + 1}
            )
            literal.append(ch)
            i += 1
        else:
            literal.append(ch)
            i += 1
    if literal:
        pieces.append(Piece("".join(literal), False))
    return pieces, problems


def placeholder_problems(name: str, fields: Mapping[str, str]) -> list[str]:
    """What is wrong with the placeholder `name`, given the procedure's form fields {key: type}."""
    if not name:
        return [_("Có cặp ngoặc nhọn “{}” trống: hãy ghi tên trường thay thế hoặc xóa cặp ngoặc.")]
    if name.startswith(FIELD_PREFIX):
        key = name[len(FIELD_PREFIX) :].strip()
        if not key:
            return [_("Trường thay thế “{field:}” thiếu mã trường tờ khai, ví dụ {field:ten_to_chuc}.")]
        if key not in fields:
            known = ", ".join(sorted(fields)) or _("(thủ tục chưa có trường tờ khai nào)")
            return [
                _("Tờ khai của thủ tục không có trường mã “%(key)s” (dùng trong {%(name)s}). Các mã trường hiện có: %(known)s.")
                % {"key": key, "name": name, "known": known}
            ]
        if fields[key] == FormFieldType.FILE:
            return [
                _("Trường “%(key)s” là tệp đính kèm, không thể đưa vào nội dung kết quả.") % {"key": key},
            ]
        return []
    if name not in PLACEHOLDERS:
        return [
            _(
                "Không có trường thay thế “{%(name)s}”. Các trường dùng được: %(known)s và {field:mã_trường} cho câu trả lời trong tờ khai."
            )
            % {"name": name, "known": ", ".join(f"{{{k}}}" for k in PLACEHOLDERS)}
        ]
    return []


def template_problems(text: str, fields: Mapping[str, str]) -> list[str]:
    pieces, problems = parse(text)
    seen: set[str] = set()
    for piece in pieces:
        if piece.placeholder and piece.text not in seen:
            seen.add(piece.text)
            problems.extend(placeholder_problems(piece.text, fields))
    return problems


def validate_result_template(*, title: str, body: str, fields: Mapping[str, str]) -> None:
    """Raise a ValidationError naming every problem of the title and the body; `fields` maps the procedure's form
    field codes to their types."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Vui lòng nhập tên văn bản kết quả, ví dụ “GIẤY PHÉP HOẠT ĐỘNG IN”.")]
    elif title_problems := template_problems(title, fields):
        errors["title"] = title_problems
    if not body.strip():
        errors["body"] = [_("Vui lòng nhập nội dung văn bản kết quả.")]
    elif len(body) > MAX_BODY:
        errors["body"] = [_("Nội dung quá dài (tối đa %(n)s ký tự).") % {"n": f"{MAX_BODY:,}".replace(",", ".")}]
    elif body_problems := template_problems(body, fields):
        errors["body"] = body_problems
    if errors:
        raise ValidationError(errors)


def fill(text: str, values: Mapping[str, str], field_value: Callable[[str], str]) -> str:
    """`text` with its placeholders replaced. Tolerant: a placeholder that became invalid since the template was
    saved (a form field deleted) is left empty rather than stopping the issue of a result."""
    pieces, _problems = parse(text)
    out: list[str] = []
    for piece in pieces:
        if not piece.placeholder:
            out.append(piece.text)
        elif piece.text.startswith(FIELD_PREFIX):
            out.append(field_value(piece.text[len(FIELD_PREFIX) :].strip()))
        else:
            out.append(values.get(piece.text, ""))
    return "".join(out)


def field_types(form_fields: Iterable[Any]) -> dict[str, str]:
    return {f.key: f.field_type for f in form_fields}
