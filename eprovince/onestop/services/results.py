"""Writes of results: the result template of a procedure (administrators), and the result generated from it when
a leader issues the result without uploading a signed file (called by dossier_act, inside its transaction)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction
from eprovince.core.models import User
from eprovince.core.services.audit import audit_record, snapshot

from .. import documents, numbering
from ..constants import FileKind
from ..models import Dossier, DossierEvent, Procedure, ResultDocument, ResultTemplate
from ..pdf_layout import document_number, issuer_symbol
from ..result_templates import DEFAULT_SYMBOLS, fill

_TEMPLATE_FIELDS = ("title", "symbol", "body")


def has_result_template(procedure_id: int) -> bool:
    return ResultTemplate.objects.filter(procedure_id=procedure_id).exists()


@transaction.atomic
def result_template_save(
    *, procedure: Procedure, acting_user: User | None, title: str, body: str, symbol: str = ""
) -> ResultTemplate:
    """Create or change the result template of `procedure`; every placeholder is checked against the procedure's
    form (ValidationError naming each problem, nothing saved)."""
    obj = ResultTemplate.objects.select_for_update().filter(procedure=procedure).first()
    created = obj is None
    obj = obj or ResultTemplate(procedure=procedure)
    before = None if created else snapshot(obj, list(_TEMPLATE_FIELDS))
    obj.title, obj.body, obj.symbol = title.strip(), body.strip(), symbol.strip()
    obj.full_clean()
    obj.save()
    audit_record(
        actor=acting_user, action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=obj, before=before,
        after=snapshot(obj, list(_TEMPLATE_FIELDS)),
    )  # fmt: skip
    return obj


def site_url_default() -> str:
    return str(getattr(settings, "ONESTOP_SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def result_generate(
    *, dossier: Dossier, event: DossierEvent, acting_user: User, now: dt.datetime, site_url: str = ""
) -> ResultDocument:
    """Generate the result of `dossier` from its procedure's template, store it as the dossier's result file
    (attached to `event`, the issue-result event) and record it with its verification token. Must run inside the
    caller's transaction (the yearly counter row of the agency stays locked until the commit)."""
    from .dossiers import Upload, _check_uploads, _store  # services.dossiers imports this module

    template = ResultTemplate.objects.filter(procedure_id=dossier.procedure_id).first()
    if template is None:
        raise ValidationError({"files": _("Thủ tục chưa có mẫu kết quả: vui lòng đính kèm văn bản kết quả đã ký.")})
    agency = dossier.handling_agency
    day = timezone.localdate(now)
    sequence = numbering.next_sequence(agency, f"KQ{day.year}")
    symbol = template.symbol or DEFAULT_SYMBOLS.get(dossier.procedure.result_type, "")
    number = document_number(sequence, symbol, issuer_symbol(agency))
    values = documents.result_values(dossier, number=number, issued_on=day, agency=agency)

    def answer(key: str) -> str:
        return documents.answer_text(dossier, key)

    title = fill(template.title, values, answer).strip()[:300]
    token = secrets.token_urlsafe(24)
    position = documents.position_title(acting_user, agency, day)
    base = (site_url or site_url_default()).rstrip("/")
    data = documents.ResultData(
        dossier=dossier, agency=agency, number=number, title=title, body=fill(template.body, values, answer), issued_on=day,
        signer_name=str(acting_user), signer_position=position, verify_url=base + documents.verification_path(token),
    )  # fmt: skip
    content = documents.render_result(data)
    name = f"ket-qua-{dossier.code}.pdf"
    upload = Upload(file=SimpleUploadedFile(name, content, content_type="application/pdf"))
    [stored] = _store(dossier, _check_uploads([upload]), kind=FileKind.RESULT, event=event, user=acting_user)
    document = ResultDocument(
        dossier=dossier, event=event, file=stored, token=token, agency=agency, year=day.year, sequence=sequence,
        number=number, title=title, holder_name=dossier.applicant_name[:255], signer=acting_user,
        signer_name=str(acting_user)[:150], signer_position=position[:120], issued_at=now,
    )  # fmt: skip
    document.full_clean(exclude=["dossier", "event", "file", "agency", "signer"], validate_unique=False)
    document.save()
    audit_record(
        actor=acting_user, action=AuditAction.CREATE, obj=document,
        after={"number": number, "title": title, "dossier": dossier.code, "sha256": stored.sha256},
    )  # fmt: skip
    return document
