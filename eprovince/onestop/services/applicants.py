"""Citizens and businesses signing up on the portal to apply online, and verifying their email.

The account is made with the core services (user_create, role_grant): the email is the login name, the role is
citizen or business. It may sign in at once but applies online only once the emailed link was followed: a signed,
expiring token (django.core.signing) carrying the account and the email it was sent to."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from eprovince.core.constants import AuditAction, Role
from eprovince.core.models import User
from eprovince.core.services.accounts import role_grant, user_create
from eprovince.core.services.audit import audit_record

from ..constants import DEFAULT_VERIFY_MAX_AGE_SECONDS, ApplicantKind
from ..models import ApplicantProfile
from ..models.applicants import TAX_CODE_VALIDATOR
from ..tasks import email_on_commit
from ..validators import normalise_phone, phone_problem

_SALT = "eprovince.onestop.verify-email"
_LOGIN_SAFE = re.compile(r"^[\w.@+-]+\Z")


def verify_max_age() -> int:
    return int(getattr(settings, "ONESTOP_VERIFY_MAX_AGE_SECONDS", DEFAULT_VERIFY_MAX_AGE_SECONDS))


def safe_next(url: str | None) -> str:
    """`url` when it is a path on this site ("/thu-tuc/…"), else "": what sign-up carries back to the applicant."""
    url = (url or "").strip()
    if not url.startswith("/") or len(url) > 500 or not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return ""
    return url


def verification_token(user: User, next_url: str = "") -> str:
    """Signed: the account, the email the link went to and (when safe) the page to return to after verifying."""
    data: dict[str, Any] = {"u": user.pk, "e": user.email.strip().lower()}
    if next_url := safe_next(next_url):
        data["n"] = next_url
    return signing.dumps(data, salt=_SALT, compress=True)


def verification_next(token: str) -> str:
    """The page a verification link returns to ("" when none or the token is not ours); read after verifying."""
    try:
        data: Any = signing.loads(token, salt=_SALT, max_age=verify_max_age())
    except signing.BadSignature:
        return ""
    return safe_next(data.get("n")) if isinstance(data, dict) else ""


def _duplicate_message() -> str:
    return _(
        "Địa chỉ thư điện tử này đã được dùng để đăng ký. Hãy đăng nhập, hoặc yêu cầu gửi lại thư xác nhận nếu bạn chưa xác nhận."
    )


def _send_verification(user: User, *, site_url: str, next_url: str = "") -> None:
    link = site_url.rstrip("/") + reverse("onestop:verify", args=[verification_token(user, next_url)])
    email_on_commit(
        to=user.email, subject=_("Xác nhận địa chỉ thư điện tử – %(platform)s") % {"platform": settings.PLATFORM_NAME},
        template="onestop/email/verify.txt",
        context={"name": str(user), "link": link, "hours": verify_max_age() // 3600, "platform": settings.PLATFORM_NAME},
    )  # fmt: skip


def applicant_sign_up_problems(
    *, kind: str, full_name: str, email: str, phone: str, password: str, business_name: str = "", tax_code: str = ""
) -> dict[str, list[str]]:
    """Every problem of a sign-up at once, by field (a taken email, a weak password, a missing business name…)."""
    email, full_name = email.strip().lower(), " ".join(full_name.split())
    business_name, tax_code = " ".join(business_name.split()), tax_code.strip()
    errors: dict[str, list[str]] = {}
    if kind not in ApplicantKind.values:
        errors["kind"] = [_("Vui lòng chọn đăng ký cho công dân hay cho doanh nghiệp, tổ chức.")]
    if not full_name:
        errors["full_name"] = [_("Vui lòng nhập họ và tên.")]
    if not email:
        errors["email"] = [_("Vui lòng nhập địa chỉ thư điện tử.")]
    elif len(email) > 150 or not _LOGIN_SAFE.match(email):
        errors["email"] = [_("Địa chỉ thư điện tử quá dài hoặc có ký tự không dùng được làm tên đăng nhập.")]
    elif User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        errors["email"] = [_duplicate_message()]
    if message := (phone_problem(phone) if phone.strip() else _("Vui lòng nhập số điện thoại.")):
        errors["phone"] = [message]
    if kind == ApplicantKind.BUSINESS:
        if not business_name:
            errors["business_name"] = [_("Vui lòng nhập tên doanh nghiệp, tổ chức.")]
        try:
            TAX_CODE_VALIDATOR(tax_code)
        except ValidationError as exc:
            errors["tax_code"] = [_("Vui lòng nhập mã số doanh nghiệp.")] if not tax_code else exc.messages
    if not password:
        errors["password"] = [_("Vui lòng nhập mật khẩu.")]
    else:
        try:
            password_validation.validate_password(password, User(username=email, email=email, full_name=full_name))
        except ValidationError as exc:
            errors["password"] = exc.messages
    return errors


@transaction.atomic
def applicant_sign_up(
    *,
    kind: str,
    full_name: str,
    email: str,
    phone: str,
    password: str,
    business_name: str = "",
    tax_code: str = "",
    site_url: str,
    next_url: str = "",
) -> User:
    """A new citizen or business account and the email asking to verify its address. Raises one ValidationError
    listing every problem (applicant_sign_up_problems); nothing is then created."""
    errors = applicant_sign_up_problems(
        kind=kind, full_name=full_name, email=email, phone=phone, password=password, business_name=business_name,
        tax_code=tax_code,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    email, full_name = email.strip().lower(), " ".join(full_name.split())
    business_name, tax_code = " ".join(business_name.split()), tax_code.strip()
    try:
        with transaction.atomic():
            user = user_create(
                acting_user=None, username=email, password=password, full_name=full_name, email=email,
                phone=normalise_phone(phone), reason=_("Đăng ký tài khoản trên cổng dịch vụ công"),
            )  # fmt: skip
    except ValidationError as exc:  # another sign-up with the same email won the race
        if "username" in exc.message_dict or "email" in exc.message_dict:
            raise ValidationError({"email": [_duplicate_message()]}) from None
        raise
    except IntegrityError:
        raise ValidationError({"email": [_duplicate_message()]}) from None
    role_grant(
        user=user, role=Role.BUSINESS if kind == ApplicantKind.BUSINESS else Role.CITIZEN, organisation=None, acting_user=None
    )
    profile = ApplicantProfile(
        user=user, kind=kind, business_name=business_name if kind == ApplicantKind.BUSINESS else "",
        tax_code=tax_code if kind == ApplicantKind.BUSINESS else "",
    )  # fmt: skip
    profile.full_clean()
    profile.save()
    audit_record(actor=user, action=AuditAction.CREATE, obj=profile, after={"kind": kind, "business": profile.business_name})
    _send_verification(user, site_url=site_url, next_url=next_url)
    return user


def _invalid() -> ValidationError:
    return ValidationError(
        _("Liên kết xác nhận không hợp lệ. Hãy mở đúng liên kết trong thư, hoặc yêu cầu gửi lại thư xác nhận."), code="invalid"
    )


@transaction.atomic
def applicant_verify_email(*, token: str) -> User:
    """Mark the email of the account in `token` verified (once; following the link again changes nothing).
    Raises ValidationError with code "expired" or "invalid"."""
    try:
        data: Any = signing.loads(token, salt=_SALT, max_age=verify_max_age())
    except signing.SignatureExpired:
        raise ValidationError(_("Liên kết xác nhận đã hết hạn. Vui lòng yêu cầu gửi lại thư xác nhận."), code="expired") from None
    except signing.BadSignature:
        raise _invalid() from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise _invalid()
    profile = ApplicantProfile.objects.select_for_update(of=("self",)).select_related("user").filter(user_id=data["u"]).first()
    if profile is None or profile.user.email.strip().lower() != data.get("e") or not profile.user.is_active:
        raise _invalid()
    if profile.email_verified_at is None:
        profile.email_verified_at = timezone.now()
        profile.save(update_fields=["email_verified_at"])
        audit_record(actor=profile.user, action=AuditAction.UPDATE, obj=profile, after={"email_verified": True})
    return profile.user


def applicant_verification_resend(*, email: str, site_url: str) -> None:
    """Send the verification link again if `email` belongs to an account not verified yet; says nothing either way
    (the page answers the same, so nobody learns which addresses have accounts)."""
    profile = (
        ApplicantProfile.objects.select_related("user")
        .filter(user__email__iexact=email.strip(), email_verified_at__isnull=True, user__is_active=True)
        .first()
    )
    if profile is not None:
        with transaction.atomic():
            _send_verification(profile.user, site_url=site_url)


def applicant_prefill(user: User) -> dict[str, str]:
    """What a new draft starts with: the account's name (or the business's), tax code, phone and email."""
    profile = ApplicantProfile.objects.filter(user=user).first()
    values = {"applicant_name": str(user), "applicant_phone": user.phone, "applicant_email": user.email}
    if profile is not None and profile.kind == ApplicantKind.BUSINESS:
        values.update(applicant_name=profile.business_name, applicant_id_number=profile.tax_code)
    return values
