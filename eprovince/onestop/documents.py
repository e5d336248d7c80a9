"""The official documents of a dossier as PDFs (Circular 01/2018/TT-VPCP forms, laid out per Decree 30/2020/NĐ-CP):

- form 02, request to supplement and complete the dossier (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ),
- form 03, refusal to receive or handle the dossier (phiếu từ chối tiếp nhận, giải quyết hồ sơ),
- form 04, apology and new appointment (phiếu xin lỗi và hẹn lại ngày trả kết quả),

each generated on demand from the dossier's event for that action (events never change, so neither does the
document), with a QR code to the public tracking page; and the result of a procedure generated from its template,
with a QR code to its public verification page (rendered once, when issued, and stored as the result file).

A form's number is its rank among the same form's events of the same agency in the year ("03/PYCBS-SKHCN"): events
are append-only, so the number is stable without being stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.models import Organisation, Position, User
from eprovince.core.text import fold

from . import selectors
from .constants import ActionCode, StepKind
from .models import Dossier, DossierEvent
from .pdf_layout import OfficialPage, document_number, issuer_symbol, place_and_date

APOLOGY = "apology"


@dataclass(frozen=True)
class FormKind:
    number: str  # "02"
    symbol: str  # in the document's number
    title: str
    slug: str  # in the file name


FORMS: dict[str, FormKind] = {
    ActionCode.REQUEST_SUPPLEMENT.value: FormKind(
        "02", "PYCBS", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "phieu-yeu-cau-bo-sung"
    ),
    ActionCode.REFUSE.value: FormKind("03", "PTC", "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ", "phieu-tu-choi"),
    APOLOGY: FormKind("04", "PXL", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "phieu-xin-loi"),
}


def form_of(event: DossierEvent) -> FormKind | None:
    """The form an event gives rise to, if any."""
    return FORMS.get(event.action)


def form_event(dossier: Dossier, event_pk: int) -> DossierEvent:
    """The event `event_pk` of `dossier` that has a form; Http404 otherwise (a foreign or forged id)."""
    from django.http import Http404

    event = (
        DossierEvent.objects.filter(dossier=dossier, pk=event_pk, action__in=list(FORMS))
        .select_related("organisation", "actor", "from_step")
        .first()
    )
    if event is None:
        raise Http404
    return event


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _date(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else "—"


def form_sequence(event: DossierEvent, agency: Organisation) -> int:
    """The rank of `event` among the events of its kind at dossiers of `agency` in its (local) year."""
    year = _local_day(event.created_at).year
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    return (
        DossierEvent.objects.filter(action=event.action, created_at__gte=start, created_at__lt=end, pk__lte=event.pk)
        .filter(Q(dossier__receiving_agency=agency) if event.action != APOLOGY else Q(dossier__handling_agency=agency))
        .count()
    )


def position_title(user: User | None, agency: Organisation, on: dt.date) -> str:
    """The title (Giám đốc, Phó Giám đốc…) `user` held on `on` in `agency` or above it, else in any organisation."""
    if user is None:
        return ""
    positions = list(Position.objects.valid_on(on).filter(user=user).select_related("organisation"))
    if not positions:
        return ""

    def rank(p: Position) -> tuple[int, int]:
        inside = (
            agency.path.startswith(p.organisation.path) if p.organisation.path and agency.path else p.organisation_id == agency.pk
        )
        return (0 if p.organisation_id == agency.pk else 1 if inside else 2, 0 if p.is_primary else 1)

    return min(positions, key=rank).title


def signer_lines(position: str, *, fallback: str) -> list[str]:
    """The lines above a signature: "GIÁM ĐỐC"; a deputy signs on behalf: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"."""
    if not position:
        return [fallback]
    upper = position.upper()
    if fold(position).startswith("pho "):
        return [f"KT. {upper[4:].strip()}", upper]
    return [upper]


def _reason_lines(text: str) -> tuple[list[str], str]:
    """The items of a reason (one per line, list marks removed) and a separate "Lý do: …" line if one is given."""
    items, why = [], ""
    for raw in (text or "").splitlines():
        line = raw.strip().lstrip("-–•*").strip()
        if not line:
            continue
        if fold(line).startswith("ly do"):
            why = line.split(":", 1)[1].strip() if ":" in line else line
            continue
        items.append(line)
    return items, why


def _head(pdf: OfficialPage, agency: Organisation, number: str, day: dt.date) -> None:
    parent = agency.parent.name if agency.parent_id and agency.parent else ""
    pdf.head(parent=parent, agency=agency.name, number=_("Số: %(n)s") % {"n": number}, place_date=place_and_date(agency, day))


def _applicant_block(pdf: OfficialPage, dossier: Dossier, *, label: str) -> None:
    pdf.labelled(label, dossier.applicant_name)
    pdf.labelled(_("Mã hồ sơ"), dossier.code)
    pdf.labelled(_("Nội dung yêu cầu giải quyết"), f"{dossier.procedure.name} ({dossier.procedure.national_code})")
    if dossier.applicant_address:
        pdf.labelled(_("Địa chỉ"), dossier.applicant_address)
    contact = " – ".join(x for x in (dossier.applicant_phone, dossier.applicant_email) if x)
    if contact:
        pdf.labelled(_("Điện thoại, thư điện tử"), contact)


def _numbered(pdf: OfficialPage, items: list[str]) -> None:
    for number, item in enumerate(items, start=1):
        pdf.text_line(f"{number}. {item}")


def render_form(dossier: Dossier, event: DossierEvent, *, tracking_url: str) -> bytes:
    """Form 02, 03 or 04 of `event` (which must have one)."""
    kind = form_of(event)
    if kind is None:
        raise ValueError(f"No form for action {event.action!r}")
    agency = dossier.handling_agency if event.action == APOLOGY else dossier.receiving_agency
    day = _local_day(event.created_at)
    number = document_number(form_sequence(event, agency), kind.symbol, issuer_symbol(agency))
    pdf = OfficialPage(title=_("Mẫu số %(n)s – Hồ sơ %(code)s") % {"n": kind.number, "code": dossier.code}, author=agency.name)
    _head(pdf, agency, number, day)
    pdf.title_block(kind.title)
    items, why = _reason_lines(event.reason)
    where = event.organisation.name if event.organisation else agency.name
    qr_caption = _("Quét mã để tra cứu tình trạng hồ sơ %(code)s tại %(url)s") % {"code": dossier.code, "url": tracking_url}
    if event.action == ActionCode.REQUEST_SUPPLEMENT:
        _applicant_block(pdf, dossier, label=_("Hồ sơ của"))
        pdf.ln(1)
        pdf.text_line(
            _("Sau khi xem xét hồ sơ, đối chiếu với các quy định hiện hành, %(org)s đề nghị Ông/Bà bổ sung, hoàn thiện "
              "hồ sơ gồm những nội dung sau:") % {"org": where}
        )  # fmt: skip
        _numbered(pdf, items or [_("(không ghi nội dung)")])
        pdf.text_line(_("Lý do: %(why)s") % {"why": why or _("hồ sơ chưa đầy đủ, hợp lệ theo quy định của thủ tục.")})
        pdf.text_line(
            _("Thời hạn giải quyết hồ sơ tạm dừng từ ngày %(day)s cho đến khi nhận đủ hồ sơ bổ sung. Ông/Bà nộp hồ sơ "
              "bổ sung trực tuyến hoặc tại Bộ phận tiếp nhận và trả kết quả.") % {"day": _date(event.created_at)}
        )  # fmt: skip
        phone = f", {_('số điện thoại')} {agency.phone}" if agency.phone else ""
        pdf.text_line(
            _("Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với %(officer)s – %(org)s%(phone)s để "
              "được hướng dẫn.") % {"officer": event.actor_name or _("cán bộ tiếp nhận"), "org": where, "phone": phone}
        )  # fmt: skip
        pdf.signature([_("NGƯỜI HƯỚNG DẪN")], _("(Ký và ghi rõ họ tên)"), event.actor_name)
    elif event.action == ActionCode.REFUSE:
        pdf.text_line(_("Bộ phận tiếp nhận và trả kết quả – %(agency)s tiếp nhận hồ sơ của:") % {"agency": agency.name})
        _applicant_block(pdf, dossier, label=_("Tổ chức, cá nhân"))
        pdf.ln(1)
        at_reception = event.from_step is not None and event.from_step.kind == StepKind.RECEPTION
        pdf.text_line(
            _("Qua xem xét, %(org)s thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:") % {"org": where}
        )
        _numbered(pdf, items + ([why] if why else []) or [_("(không ghi lý do)")])
        pdf.text_line(_("Xin thông báo cho Ông/Bà được biết và thực hiện./."))
        if at_reception:
            pdf.signature([_("NGƯỜI TIẾP NHẬN")], _("(Ký và ghi rõ họ tên)"), event.actor_name)
        else:
            title = position_title(event.actor, agency, day)
            pdf.signature(signer_lines(title, fallback=_("NGƯỜI CÓ THẨM QUYỀN")), _("(Ký, ghi rõ họ tên)"), event.actor_name)
    else:
        pdf.text_line(_("Kính gửi: %(name)s") % {"name": dossier.applicant_name}, style="B", align="C")
        pdf.ln(1)
        received = _date(dossier.received_at)
        pdf.text_line(
            _("Ngày %(day)s, %(agency)s tiếp nhận giải quyết hồ sơ mã %(code)s của Ông/Bà.")
            % {"day": received, "agency": agency.name, "code": dossier.code}
        )
        pdf.labelled(_("Nội dung yêu cầu giải quyết"), f"{dossier.procedure.name} ({dossier.procedure.national_code})")
        pdf.labelled(_("Thời hạn trả kết quả đã hẹn"), _date(event.due_at or dossier.due_at))
        reason = "; ".join(items + ([why] if why else [])) or "—"
        pdf.text_line(
            _("Tuy nhiên đến nay, %(agency)s chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng thời hạn ghi trên Giấy "
              "tiếp nhận hồ sơ và hẹn trả kết quả, lý do: %(reason)s") % {"agency": agency.name, "reason": reason}
        )  # fmt: skip
        new_day = _local_day(dossier.apology_due_at) if dossier.apology_due_at else None
        new_words = (
            _("ngày %(d)s tháng %(m)s năm %(y)s") % {"d": f"{new_day:%d}", "m": f"{new_day:%m}", "y": f"{new_day:%Y}"}
            if new_day
            else "—"
        )
        pdf.text_line(
            _("Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. %(agency)s xin lỗi Ông/Bà và sẽ trả "
              "kết quả giải quyết hồ sơ cho Ông/Bà vào %(new)s.") % {"agency": agency.name, "new": new_words}
        )  # fmt: skip
        pdf.text_line(_("Xin trân trọng cảm ơn sự hợp tác của Ông/Bà./."))
        title = position_title(event.actor, agency, day)
        pdf.signature(signer_lines(title, fallback=_("THỦ TRƯỞNG CƠ QUAN")), _("(Ký tên, đóng dấu)"), event.actor_name)
    pdf.qr_block(tracking_url, qr_caption)
    return pdf.output_bytes()


def form_filename(dossier: Dossier, event: DossierEvent) -> str:
    kind = form_of(event)
    slug = kind.slug if kind else "phieu"
    return f"{slug}-{dossier.code}-{event.pk}.pdf"


def form_response(dossier: Dossier, event: DossierEvent, *, site_url: str) -> HttpResponse:
    """The form of `event` as an inline PDF (shown by the browser, ready to print or save)."""
    content = render_form(dossier, event, tracking_url=selectors.tracking_url(site_url, dossier.code))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{form_filename(dossier, event)}"'
    return response


def form_links(events: list[DossierEvent]) -> list[tuple[DossierEvent, FormKind]]:
    """The events of a history that have a form, with the form (no query)."""
    return [(e, FORMS[e.action]) for e in events if e.action in FORMS]


# --- The result --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultData:
    """Everything a generated result prints."""

    dossier: Dossier
    agency: Organisation
    number: str
    title: str
    body: str
    issued_on: dt.date
    signer_name: str
    signer_position: str
    verify_url: str


def verification_path(token: str) -> str:
    return reverse("onestop:verify_result", args=[token])


def render_result(data: ResultData) -> bytes:
    d = data.dossier
    pdf = OfficialPage(title=f"{data.title} – {data.number}", author=data.agency.name)
    _head(pdf, data.agency, data.number, data.issued_on)
    pdf.title_block(data.title.upper())
    for paragraph in data.body.splitlines():
        if paragraph.strip():
            pdf.text_line(paragraph.strip())
        else:
            pdf.ln(2)
    receivers = [_("Nơi nhận:"), f"- {d.applicant_name};", _("- Lưu: VT, hồ sơ %(code)s.") % {"code": d.code}]
    pdf.signature(signer_lines(data.signer_position, fallback=_("THỦ TRƯỞNG CƠ QUAN")), "", data.signer_name, left=receivers)
    pdf.qr_block(
        data.verify_url,
        _("Văn bản được tạo trên hệ thống một cửa điện tử. Quét mã hoặc truy cập %(url)s để xác thực văn bản "
          "(mã hồ sơ %(code)s, số %(number)s).") % {"url": data.verify_url, "code": d.code, "number": data.number},
    )  # fmt: skip
    return pdf.output_bytes()


def result_values(dossier: Dossier, *, number: str, issued_on: dt.date, agency: Organisation) -> dict[str, str]:
    """The values of the template's named placeholders."""
    return {
        "applicant_name": dossier.applicant_name,
        "applicant_address": dossier.applicant_address,
        "applicant_id_number": dossier.applicant_id_number,
        "dossier_code": dossier.code,
        "procedure_name": dossier.procedure.name,
        "agency_name": agency.name,
        "document_number": number,
        "issued_on": issued_on.strftime("%d/%m/%Y"),
        "received_on": _date(dossier.received_at),
    }


def answer_text(dossier: Dossier, key: str) -> str:
    from .validators import display_answer

    value: Any = (dossier.form_data or {}).get(key)
    return "" if value in (None, "") else display_answer(value)
