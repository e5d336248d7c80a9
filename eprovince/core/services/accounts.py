"""Accounts: creating users, granting and revoking roles, logging in with lockout, API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ..constants import AuditAction, Role
from ..models import ApiToken, Organisation, Position, RoleAssignment, User
from ..permissions import administers_platform, can_administer, can_administer_user, forget_cached_roles
from .audit import audit_record, snapshot

_USER_FIELDS = ("username", "full_name", "email", "phone", "is_active", "is_staff")

# Who may do what to accounts and roles (acting_user None is the system itself: demo data, sign-up, commands):
# - a role is granted or revoked only by someone administering its organisation (no organisation: the whole platform,
#   so only a platform administrator), never by the holder: nobody grants a role wider than their own, nobody
#   changes their own roles;
# - an account is changed or unlocked only by someone administering every place it holds a role or position
#   (core.permissions.can_administer_user);
# - a scoped administrator creates an account inside their organisations: with an organisation and a role or a
#   position there, so the new account is in their scope at once; only a platform administrator creates an account
#   with no organisation, and only a superuser creates a superuser.


def _require_administers(acting_user: User | None, organisation: Organisation | None) -> None:
    if acting_user is None or can_administer(acting_user, organisation):
        return
    if organisation is None:
        raise PermissionDenied(_("Chỉ quản trị viên toàn hệ thống mới được cấp hoặc thu hồi quyền trên toàn hệ thống."))
    raise PermissionDenied(
        _("Bạn không có quyền quản trị %(organisation)s nên không thể cấp hoặc thu hồi quyền tại đơn vị này.")
        % {"organisation": organisation}
    )


def _require_not_self(acting_user: User | None, user: User) -> None:
    if acting_user is not None and acting_user.pk == user.pk:
        raise PermissionDenied(
            _("Bạn không thể tự cấp, thu hồi hoặc thay đổi quyền của chính mình; vui lòng đề nghị quản trị viên khác.")
        )


def _require_administers_user(acting_user: User | None, user: User) -> None:
    if acting_user is not None and not can_administer_user(acting_user, user):
        raise PermissionDenied(
            _("Tài khoản này có vai trò hoặc chức vụ ngoài phạm vi bạn quản trị; vui lòng đề nghị quản trị viên toàn hệ thống.")
        )


def validate_new_password(password: str, user: User) -> None:
    """The configured password validators (AUTH_PASSWORD_VALIDATORS), their messages on the password field."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


def user_create_problems(
    *,
    username: str = "",
    password: str | None = None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    organisation: Organisation | None = None,
    role: str = "",
    title: str = "",
) -> dict[str, list[str]]:
    """Every problem `user_create` would refuse, all at once, by field (the form shows them beside its own).

    Only the values given are checked: a form passes what it could read, so an empty field is its own error once.
    """
    problems: dict[str, list[str]] = {}
    if organisation is not None and not role and not title.strip():
        problems["role"] = [_("Vui lòng chọn vai trò hoặc nhập chức vụ của người dùng tại cơ quan đã chọn.")]
    if role and role not in Role.values:
        problems["role"] = [_("Vai trò không hợp lệ.")]
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    if password:
        try:
            validate_new_password(password, user)
        except ValidationError as exc:
            problems.update(exc.message_dict)
    exclude = ["password", *(name for name, value in (("username", username), ("full_name", full_name)) if not value)]
    try:
        user.full_clean(exclude=exclude, validate_unique=bool(username))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            problems.setdefault(name, []).extend(m for m in messages if m not in problems.get(name, []))
    return problems


@transaction.atomic
def user_create(
    *,
    acting_user: User | None,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    reason: str = "",
    organisation: Organisation | None = None,
    role: str = "",
    title: str = "",
) -> User:
    """A new account; with `organisation`, also `role` and/or the position `title` there (one of them required)."""
    title = title.strip()
    if acting_user is not None:
        if is_superuser and not acting_user.is_superuser:
            raise PermissionDenied(_("Chỉ siêu quản trị mới được tạo tài khoản siêu quản trị."))
        if is_staff and not administers_platform(acting_user):
            raise PermissionDenied(_("Chỉ quản trị viên toàn hệ thống mới được tạo tài khoản vào trang quản trị kỹ thuật."))
        if organisation is None and not administers_platform(acting_user):
            raise ValidationError(
                {"organisation": _("Vui lòng chọn cơ quan, đơn vị của người dùng (trong phạm vi bạn quản trị).")}
            )
        if organisation is not None and not can_administer(acting_user, organisation):
            raise PermissionDenied(_("Bạn không có quyền quản trị %(organisation)s.") % {"organisation": organisation})
    problems = user_create_problems(
        username=username, password=password, full_name=full_name, email=email, phone=phone,
        organisation=organisation, role=role, title=title,
    )  # fmt: skip
    if problems:
        raise ValidationError(problems)
    user = User(username=username, full_name=full_name, email=email, phone=phone, is_staff=is_staff, is_superuser=is_superuser)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=user, after=snapshot(user, _USER_FIELDS), reason=reason)
    if organisation is not None and title:
        position_assign(user=user, organisation=organisation, title=title, acting_user=acting_user)
    if role:
        role_grant(user=user, role=role, organisation=organisation, acting_user=acting_user, reason=reason)
    return user


@transaction.atomic
def user_update(*, user: User, acting_user: User | None, reason: str = "", **fields: object) -> User:
    unknown = set(fields) - set(_USER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown user fields: {sorted(unknown)}")
    _require_administers_user(acting_user, user)
    if acting_user is not None:
        if "is_staff" in fields and not administers_platform(acting_user):
            raise PermissionDenied(_("Chỉ quản trị viên toàn hệ thống mới được mở quyền vào trang quản trị kỹ thuật."))
        if acting_user.pk == user.pk and {"is_active", "is_staff", "username"} & set(fields):
            raise PermissionDenied(_("Bạn không thể tự thay đổi tên đăng nhập, trạng thái hay quyền của chính mình."))
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(locked, _USER_FIELDS)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=locked,
        before=before,
        after=snapshot(locked, _USER_FIELDS),
        reason=reason,
    )
    return locked


@transaction.atomic
def role_grant(
    *, user: User, role: str, organisation: Organisation | None, acting_user: User | None, reason: str = ""
) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ.")})
    _require_not_self(acting_user, user)
    _require_administers(acting_user, organisation)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role, organisation=organisation)
    if created:
        audit_record(
            actor=acting_user,
            action=AuditAction.GRANT,
            obj=user,
            after={"role": role, "organisation": organisation.pk if organisation else None},
            reason=reason,
        )
    forget_cached_roles(user)
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, acting_user: User | None, reason: str = "") -> None:
    user = assignment.user
    _require_not_self(acting_user, user)
    _require_administers(acting_user, assignment.organisation)
    audit_record(
        actor=acting_user,
        action=AuditAction.REVOKE,
        obj=user,
        before={"role": assignment.role, "organisation": assignment.organisation_id},
        reason=reason,
    )
    assignment.delete()
    forget_cached_roles(user)


@transaction.atomic
def position_assign(
    *, user: User, organisation: Organisation, title: str, acting_user: User | None, valid_from: dt.date | None = None
) -> Position:
    if acting_user is not None and not can_administer(acting_user, organisation):
        raise PermissionDenied(_("Bạn không có quyền quản trị %(organisation)s.") % {"organisation": organisation})
    position = Position(user=user, organisation=organisation, title=title, valid_from=valid_from)
    position.full_clean()
    position.save()
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=position, after=snapshot(position))
    return position


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str = ""


def _locked_message(until: dt.datetime) -> str:
    local = timezone.localtime(until)
    return _(
        "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau %(time)s, "
        "hoặc liên hệ quản trị hệ thống để được mở khóa."
    ) % {"time": local.strftime("%H:%M %d/%m/%Y")}


def login_name(typed: str) -> str:
    """The account's login name for what was typed: the login name itself, or an email address (any case) that
    belongs to exactly one account (citizens and businesses sign in with their email)."""
    typed = typed.strip()
    if "@" not in typed or User.objects.filter(username=typed).exists():
        return typed
    names = list(User.objects.filter(email__iexact=typed).values_list("username", flat=True)[:2])
    return names[0] if len(names) == 1 else typed


def login_attempt(*, request: HttpRequest | None, username: str, password: str) -> LoginResult:
    """Check credentials with lockout: LOGIN_MAX_FAILURES failures within the window lock the account.
    `username` may be the account's email (login_name); lockout and audit apply to the account either way."""
    now = timezone.now()
    username = login_name(username)
    with transaction.atomic():
        account = User.objects.select_for_update().filter(username=username).first()
        if account is not None and account.locked_until and account.locked_until > now:
            audit_record(actor=None, action=AuditAction.LOGIN_FAILED, obj=account, reason="locked")
            return LoginResult(None, _locked_message(account.locked_until))
    user = authenticate(request, username=username, password=password)
    with transaction.atomic():
        if user is not None:
            User.objects.filter(pk=user.pk).update(failed_login_count=0, first_failed_login_at=None, locked_until=None)
            audit_record(actor=user, action=AuditAction.LOGIN, obj=user)
            return LoginResult(user)  # type: ignore[arg-type]
        generic = _("Tên đăng nhập hoặc mật khẩu không đúng.")
        if account is None:
            return LoginResult(None, generic)
        account = User.objects.select_for_update().get(pk=account.pk)
        window = dt.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
        if account.first_failed_login_at is None or now - account.first_failed_login_at > window:
            account.failed_login_count = 0
            account.first_failed_login_at = now
        account.failed_login_count += 1
        fields = ["failed_login_count", "first_failed_login_at"]
        message = generic
        if account.failed_login_count >= settings.LOGIN_MAX_FAILURES:
            account.locked_until = now + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            fields.append("locked_until")
            audit_record(actor=None, action=AuditAction.LOCKED, obj=account, reason=f"{account.failed_login_count} failures")
            message = _locked_message(account.locked_until)
        else:
            audit_record(actor=None, action=AuditAction.LOGIN_FAILED, obj=account)
        account.save(update_fields=fields)
        return LoginResult(None, message)


@transaction.atomic
def user_unlock(*, user: User, acting_user: User, reason: str = "") -> None:
    _require_administers_user(acting_user, user)
    User.objects.filter(pk=user.pk).update(failed_login_count=0, first_failed_login_at=None, locked_until=None)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=user,
        before={"locked_until": str(user.locked_until)},
        after={"locked_until": None},
        reason=reason or "unlock",
    )


@transaction.atomic
def api_token_create(*, user: User, name: str, acting_user: User, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """Returns the token row and the raw token, which is shown once and never stored."""
    raw = "ep_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, digest=ApiToken.digest_of(raw), prefix=raw[:8], expires_at=expires_at)
    token.full_clean()
    token.save()
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=token, after={"name": name, "user": user.pk})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user: User) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    audit_record(actor=acting_user, action=AuditAction.REVOKE, obj=token)


# last_used_at is written at most this often per token, so a busy client costs one UPDATE a minute, not one a request.
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=1)
_MAX_TOKEN_LENGTH = 200


def api_token_authenticate(raw: str) -> User | None:
    """The active user owning the unrevoked, unexpired token `raw`; marks the token used."""
    if not raw or len(raw) > _MAX_TOKEN_LENGTH:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        # Bookkeeping, not a change anyone acts on: no audit row, one narrow UPDATE.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
