"""Emails to the applicant when their dossier needs them or has news: a request to supplement (form 02), a refusal
(form 03), the result ready or returned, and the apology with a new appointment (form 04). Sent after the action's
transaction commits (eprovince.core.tasks), in the language of the officer's request, with links to the applicant's
dossier page (online applicants) and to the public tracking page (everyone with an email address)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eprovince.core.tasks import email_on_commit

from .constants import DossierStatus
from .models import Dossier
from .selectors import tracking_url

# The statuses an applicant is told about, with the email's subject.
NOTIFIED = {
    DossierStatus.WAITING_SUPPLEMENT: lambda code: _("Hồ sơ %(code)s cần bổ sung") % {"code": code},
    DossierStatus.REFUSED: lambda code: _("Hồ sơ %(code)s bị từ chối giải quyết") % {"code": code},
    DossierStatus.RESULT_READY: lambda code: _("Hồ sơ %(code)s đã có kết quả") % {"code": code},
    DossierStatus.DONE: lambda code: _("Hồ sơ %(code)s đã được trả kết quả") % {"code": code},
}


def _base(site_url: str) -> str:
    return (site_url or str(getattr(settings, "ONESTOP_SITE_URL", "") or "http://127.0.0.1:8000")).rstrip("/")


def _links(dossier: Dossier, site_url: str) -> dict[str, str]:
    base = _base(site_url)
    links = {"tracking_url": tracking_url(base, dossier.code)}
    if dossier.applicant_id:
        links["dossier_url"] = base + reverse("onestop:my_dossier", args=[dossier.code])
    return links


def status_changed(dossier: Dossier, *, previous_status: str, reason: str = "", site_url: str = "") -> bool:
    """Email the applicant if the dossier has just entered a status they must hear about. True if an email is queued."""
    if dossier.status == previous_status or dossier.status not in NOTIFIED or not dossier.applicant_email:
        return False
    email_on_commit(
        to=dossier.applicant_email,
        subject=NOTIFIED[DossierStatus(dossier.status)](dossier.code),
        template="onestop/email/status.txt",
        context={"dossier": dossier, "reason": reason, "platform": settings.PLATFORM_NAME, **_links(dossier, site_url)},
    )
    return True


def apology_issued(dossier: Dossier, *, site_url: str = "") -> bool:
    """Email the apology and the new appointment (form 04) to the applicant. True if an email is queued."""
    if not dossier.applicant_email or dossier.apology_due_at is None:
        return False
    email_on_commit(
        to=dossier.applicant_email,
        subject=_("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s") % {"code": dossier.code},
        template="onestop/email/apology.txt",
        context={
            "dossier": dossier, "new_due": timezone.localtime(dossier.apology_due_at), "platform": settings.PLATFORM_NAME,
            **_links(dossier, site_url),
        },
    )  # fmt: skip
    return True
