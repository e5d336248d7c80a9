"""Demo result templates: each demo procedure's result as the system generates it (title, text with placeholders
for the applicant and the answers of its form). Idempotent: a procedure that has a template keeps it."""

from __future__ import annotations

from .constants import FormFieldType, ResultType
from .models import Procedure, ResultTemplate
from .services.results import result_template_save

_DECISION_WORD: dict[str, str] = {
    ResultType.LICENCE: "CẤP PHÉP",
    ResultType.CERTIFICATE: "CHỨNG NHẬN",
    ResultType.CONFIRMATION: "XÁC NHẬN",
    ResultType.DECISION: "QUYẾT ĐỊNH",
}


def template_text(procedure: Procedure) -> tuple[str, str]:
    """The demo title and body of `procedure`'s result, from its result name, legal basis and form."""
    name = procedure.result_name or procedure.name
    lines = [
        f"Căn cứ {procedure.legal_basis.rstrip('.;')};" if procedure.legal_basis else "",
        "Xét hồ sơ số {dossier_code} tiếp nhận ngày {received_on} của {applicant_name}, địa chỉ {applicant_address},",
        "",
        _DECISION_WORD.get(procedure.result_type, "ĐỒNG Ý"),
        "",
    ]
    for field in procedure.form_fields.all():
        if field.field_type != FormFieldType.FILE:
            lines.append(f"- {field.label}: {{field:{field.key}}}.")
    lines += [
        "",
        "Tổ chức, cá nhân được cấp có trách nhiệm thực hiện đúng nội dung ghi trong văn bản này và các quy định của pháp "
        "luật có liên quan.",
        f"{name} này có hiệu lực kể từ ngày {{issued_on}}.",
    ]
    return name.upper(), "\n".join(lines).strip()


def load_templates(procedures: list[Procedure]) -> None:
    have = set(ResultTemplate.objects.filter(procedure__in=procedures).values_list("procedure_id", flat=True))
    for procedure in procedures:
        if procedure.pk not in have:
            title, body = template_text(procedure)
            result_template_save(procedure=procedure, acting_user=None, title=title, body=body)
