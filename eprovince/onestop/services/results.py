"""Writes of results: the result template of a procedure (administrators), and the record of each result issued
(called by dossier_act, inside its transaction): generated from the template when the leader uploads no signed
file, or the signed file the leader uploaded. Either way the result gets a number per agency and year and a public
verification page showing the file's SHA-256."""

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
from ..models import Dossier, DossierEvent, DossierFile, Procedure, ResultDocument, ResultTemplate
from ..pdf_layout import document_number, issuer_symbol
from ..result_templates import DEFAULT_SYMBOLS, fill
from .catalogue import require_procedure_administrator

_TEMPLATE_FIELDS = ("title", "symbol", "body")


def has_result_template(procedure_id: int) -> bool:
    return ResultTemplate.objects.filter(procedure_id=procedure_id).exists()


@transaction.atomic
def result_template_save(
    *, procedure: Procedure, acting_user: User | None, title: str, body: str, symbol: str = ""
) -> ResultTemplate:
    """Create or change the result template of `procedure`; every placeholder is checked against the procedure's
    form (ValidationError naming each problem, nothing saved)."""
    require_procedure_administrator(acting_user, procedure)
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


def _next_number(dossier: Dossier, template: ResultTemplate | None, day: dt.date) -> tuple[int, str]:
    """The next result number of the handling agency for `day`'s year (one counter for generated and uploaded
    results): its sequence and "01/GP-SKHCN". The counter row stays locked until the caller's commit."""
    agency = dossier.handling_agency
    sequence = numbering.next_sequence(agency, f"KQ{day.year}")
    symbol = (template.symbol if template else "") or DEFAULT_SYMBOLS.get(dossier.procedure.result_type, "")
    return sequence, document_number(sequence, symbol, issuer_symbol(agency))


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
    sequence, number = _next_number(dossier, template, day)
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


def result_record_signed(
    *, dossier: Dossier, event: DossierEvent, file: DossierFile, acting_user: User, now: dt.datetime
) -> ResultDocument:
    """Record the signed result file the leader uploaded when issuing the result (`file`, already stored and attached
    to `event`, the issue-result event): numbered like a generated result, with a verification token, so the public
    verification page shows it with the file's SHA-256. The file is kept as it is. Must run inside the caller's
    transaction."""
    template = ResultTemplate.objects.filter(procedure_id=dossier.procedure_id).first()
    agency = dossier.handling_agency
    day = timezone.localdate(now)
    sequence, number = _next_number(dossier, template, day)
    procedure = dossier.procedure
    title = (procedure.result_name or procedure.get_result_type_display() or procedure.name).strip()[:300]
    position = documents.position_title(acting_user, agency, day)
    document = ResultDocument(
        dossier=dossier, event=event, file=file, token=secrets.token_urlsafe(24), agency=agency, year=day.year,
        sequence=sequence, number=number, title=title, holder_name=dossier.applicant_name[:255], signer=acting_user,
        signer_name=str(acting_user)[:150], signer_position=position[:120], issued_at=now, signed_upload=True,
    )  # fmt: skip
    document.full_clean(exclude=["dossier", "event", "file", "agency", "signer"], validate_unique=False)
    document.save()
    audit_record(
        actor=acting_user, action=AuditAction.CREATE, obj=document,
        after={"number": number, "title": title, "dossier": dossier.code, "sha256": file.sha256, "signed_upload": True},
    )  # fmt: skip
    return document
