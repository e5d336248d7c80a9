"""Core API: authentication (session or bearer token), JSON errors, pagination, organisations and the current user.

Every app's router relies on what is defined here:

- `optional_auth()` is the API's default: a request with no credentials is served anonymously, a request with
  valid credentials is served as that user, and a request with invalid credentials gets 401. `require_auth` is for
  endpoints that need a user: `@router.get(..., auth=require_auth)`. Either way `request.auth` is the user
  (an AnonymousUser when anonymous) and `request.user` is the same user.
- Errors are JSON `{"code", "message", "fields"}` (see `ErrorOut`). Raise `ApiError` (or Django's ValidationError,
  PermissionDenied, Http404, ObjectDoesNotExist) from an endpoint; `install_error_handlers` turns them into responses.
- Lists are paginated with `@paginated`: `?page=&page_size=` in, `{"count", "items"}` out.
"""

from __future__ import annotations

import functools
import logging
import typing
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponsePermanentRedirect
from django.urls import Resolver404, ResolverMatch, URLPattern, URLResolver, re_path, resolve
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationErrorContext
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.pagination import PageNumberPagination, paginate
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from .api_schemas import ID_MAX as ID_MAX  # re-exported, with Id: the API's one id type
from .api_schemas import ErrorOut, MeOut, OrganisationDetailOut, OrganisationFilters, OrganisationOut
from .api_schemas import Id as Id
from .models import Organisation, User
from .selectors.organisations import organisation_detail, organisation_list, user_role_scopes
from .services.accounts import api_token_authenticate

logger = logging.getLogger("eprovince.api")

# ---------------------------------------------------------------------------------------------------------------------
# Errors


class ApiError(HttpError):
    """An error an endpoint means to return: `raise ApiError(409, "conflict", _("Hồ sơ đã được tiếp nhận."))`."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str | Promise,
        *,
        fields: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code, str(message))
        self.code = code
        self.fields = fields or {}
        self.headers = headers or {}


class ConflictError(ApiError):
    """The request contradicts the current state (already done, changed meanwhile, duplicate)."""

    def __init__(self, message: str | Promise | None = None, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(409, "conflict", message or _("Yêu cầu xung đột với trạng thái hiện tại của dữ liệu."), fields=fields)


# Codes and default messages by HTTP status, for errors raised without a code of their own.
_STATUS_ERRORS: dict[int, tuple[str, Promise]] = {
    400: ("bad_request", gettext_lazy("Yêu cầu không hợp lệ.")),
    401: ("unauthenticated", gettext_lazy("Cần đăng nhập hoặc cung cấp khóa truy cập API hợp lệ.")),
    403: ("permission_denied", gettext_lazy("Bạn không có quyền thực hiện thao tác này.")),
    404: ("not_found", gettext_lazy("Không tìm thấy tài nguyên được yêu cầu.")),
    405: ("method_not_allowed", gettext_lazy("Phương thức không được hỗ trợ.")),
    409: ("conflict", gettext_lazy("Yêu cầu xung đột với trạng thái hiện tại của dữ liệu.")),
    429: ("throttled", gettext_lazy("Quá nhiều yêu cầu. Vui lòng thử lại sau.")),
    500: ("server_error", gettext_lazy("Đã xảy ra lỗi trong hệ thống. Vui lòng thử lại sau.")),
}

# Vietnamese messages for pydantic's error types; `%(...)s` placeholders come from the error's context.
_FIELD_MESSAGES: dict[str, Promise] = {
    "missing": gettext_lazy("Trường này là bắt buộc."),
    "int_parsing": gettext_lazy("Phải là một số nguyên."),
    "int_type": gettext_lazy("Phải là một số nguyên."),
    "int_from_float": gettext_lazy("Phải là một số nguyên."),
    "float_parsing": gettext_lazy("Phải là một số."),
    "float_type": gettext_lazy("Phải là một số."),
    "decimal_parsing": gettext_lazy("Phải là một số."),
    "decimal_type": gettext_lazy("Phải là một số."),
    "bool_parsing": gettext_lazy("Phải là true hoặc false."),
    "bool_type": gettext_lazy("Phải là true hoặc false."),
    "date_parsing": gettext_lazy("Ngày không hợp lệ, hãy dùng định dạng YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_lazy("Ngày không hợp lệ, hãy dùng định dạng YYYY-MM-DD."),
    "date_from_datetime_inexact": gettext_lazy("Ngày không hợp lệ, hãy dùng định dạng YYYY-MM-DD."),
    "date_type": gettext_lazy("Ngày không hợp lệ, hãy dùng định dạng YYYY-MM-DD."),
    "datetime_parsing": gettext_lazy("Thời điểm không hợp lệ, hãy dùng định dạng ISO 8601 (YYYY-MM-DDTHH:MM:SS+07:00)."),
    "datetime_from_date_parsing": gettext_lazy(
        "Thời điểm không hợp lệ, hãy dùng định dạng ISO 8601 (YYYY-MM-DDTHH:MM:SS+07:00)."
    ),
    "datetime_type": gettext_lazy("Thời điểm không hợp lệ, hãy dùng định dạng ISO 8601 (YYYY-MM-DDTHH:MM:SS+07:00)."),
    "time_parsing": gettext_lazy("Giờ không hợp lệ, hãy dùng định dạng HH:MM."),
    "uuid_parsing": gettext_lazy("Mã UUID không hợp lệ."),
    "uuid_type": gettext_lazy("Mã UUID không hợp lệ."),
    "enum": gettext_lazy("Giá trị không nằm trong các lựa chọn cho phép: %(expected)s."),
    "literal_error": gettext_lazy("Giá trị không nằm trong các lựa chọn cho phép: %(expected)s."),
    "string_type": gettext_lazy("Phải là một chuỗi ký tự."),
    "string_too_short": gettext_lazy("Cần ít nhất %(min_length)s ký tự."),
    "string_too_long": gettext_lazy("Không được quá %(max_length)s ký tự."),
    "string_pattern_mismatch": gettext_lazy("Giá trị không đúng định dạng."),
    "greater_than": gettext_lazy("Phải lớn hơn %(gt)s."),
    "greater_than_equal": gettext_lazy("Phải lớn hơn hoặc bằng %(ge)s."),
    "less_than": gettext_lazy("Phải nhỏ hơn %(lt)s."),
    "less_than_equal": gettext_lazy("Phải nhỏ hơn hoặc bằng %(le)s."),
    "too_short": gettext_lazy("Cần ít nhất %(min_length)s phần tử."),
    "too_long": gettext_lazy("Không được quá %(max_length)s phần tử."),
    "list_type": gettext_lazy("Phải là một danh sách."),
    "dict_type": gettext_lazy("Phải là một đối tượng."),
    "model_type": gettext_lazy("Phải là một đối tượng."),
    "model_attributes_type": gettext_lazy("Phải là một đối tượng."),
    "json_invalid": gettext_lazy("Nội dung JSON không hợp lệ."),
    "extra_forbidden": gettext_lazy("Trường này không được chấp nhận."),
    "url_parsing": gettext_lazy("Địa chỉ URL không hợp lệ."),
    "url_scheme": gettext_lazy("Địa chỉ URL không hợp lệ."),
}
_INVALID_VALUE = gettext_lazy("Giá trị không hợp lệ.")

# Where a parameter came from: the first element of a ninja error location, which the field name leaves out.
_PARAM_SOURCES = frozenset({"path", "query", "header", "cookie", "body", "form", "file"})


def _field_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error"):
        # A validator's own message (written in Vietnamese by whoever wrote the validator).
        return str(ctx["error"])
    template = _FIELD_MESSAGES.get(kind)
    if template is None:
        return str(_INVALID_VALUE)
    try:
        return str(template) % {k: v for k, v in ctx.items() if isinstance(v, (str, int, float))}
    except (KeyError, TypeError, ValueError):
        return str(_INVALID_VALUE)


def _field_name(loc: Sequence[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] in _PARAM_SOURCES:
        parts.pop(0)
    return ".".join(str(p) for p in parts) or NON_FIELD_ERRORS


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """ninja's validation errors as {field: [Vietnamese messages]}; nested fields are dotted ("items.0.name")."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        name = _field_name(error.get("loc", ()))
        message = _field_message(error)
        if message not in fields.setdefault(name, []):
            fields[name].append(message)
    return fields


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str | None = None,
    message: str | Promise | None = None,
    fields: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    default_code, default_message = _STATUS_ERRORS.get(status, _STATUS_ERRORS[400 if status < 500 else 500])
    body = {"code": code or default_code, "message": str(message or default_message), "fields": fields or {}}
    response = api.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def install_error_handlers(api: NinjaAPI) -> None:
    """Every error of `api` becomes JSON {"code", "message", "fields"} with a stable code and a Vietnamese message."""

    def _invalid(request: HttpRequest, fields: dict[str, list[str]]) -> HttpResponse:
        message = _("Dữ liệu không hợp lệ.")
        return error_response(api, request, status=400, code="validation_error", message=message, fields=fields)

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        if any(tuple(error.get("loc", ()))[:1] == ("path",) for error in exc.errors):
            # A path naming an id out of range (or of the wrong form) names nothing: not found, as a missing id is.
            return error_response(api, request, status=404)
        return _invalid(request, validation_fields(exc.errors))

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
        else:
            fields = {NON_FIELD_ERRORS: [str(m) for m in exc.messages]}
        return _invalid(request, fields)

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(
            api, request, status=exc.status_code, code=exc.code, message=exc.message, fields=exc.fields, headers=exc.headers
        )

    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, status=401, headers={"WWW-Authenticate": 'Bearer realm="api"'})

    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return error_response(api, request, status=429)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own HttpErrors carry English text ("Cannot parse request body"): the status decides the message.
        if exc.status_code == 400 and "parse request body" in exc.message:
            return error_response(api, request, status=400, message=_("Nội dung gửi lên không đọc được (JSON không hợp lệ)."))
        return error_response(api, request, status=exc.status_code)

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, status=404)

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) if exc.args and isinstance(exc.args[0], (str, Promise)) else None
        return error_response(api, request, status=403, message=message)

    def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        logger.warning("Integrity error on %s %s: %s", request.method, request.path, exc)
        return error_response(api, request, status=409)

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
        )
        # Lets the test client re-raise the exception and error trackers see it, as for any Django view.
        got_request_exception.send(sender=None, request=request)
        return error_response(api, request, status=500)

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (NinjaValidationError, on_validation),
        (DjangoValidationError, on_django_validation),
        (ApiError, on_api_error),
        (AuthenticationError, on_unauthenticated),
        (Throttled, on_throttled),
        (HttpError, on_http_error),
        (Http404, on_not_found),
        (ObjectDoesNotExist, on_not_found),
        (PermissionDenied, on_permission_denied),
        (IntegrityError, on_integrity_error),
        (Exception, on_unexpected),
    ]
    for exc_class, handler in handlers:  # the most specific class of an exception picks its handler
        api.add_exception_handler(exc_class, handler)


# ---------------------------------------------------------------------------------------------------------------------
# Authentication


def _invalid_token() -> ApiError:
    return ApiError(
        401,
        "unauthenticated",
        _("Khóa truy cập API không hợp lệ, đã bị thu hồi hoặc đã hết hạn."),
        headers={"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'},
    )


class BearerToken(AuthBase):
    """`Authorization: Bearer <token>`, a token issued by core.services.accounts.api_token_create.

    No header (or another scheme): not this method's business. A Bearer header with a bad token: 401."""

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = "Khóa truy cập API: Authorization: Bearer ep_…"

    def __call__(self, request: HttpRequest) -> User | None:
        header = request.headers.get("Authorization", "")
        scheme, _sep, raw = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            return None
        user = api_token_authenticate(raw.strip())
        if user is None:
            raise _invalid_token()
        request.user = user
        return user


class SessionCookie(AuthBase):
    """The Django session of a signed-in user. Unsafe methods (POST, PUT, PATCH, DELETE) also need the CSRF token
    (header X-CSRFToken), as for any form of the site; the interactive docs send it."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_description = "Phiên đăng nhập của trang web (cookie); thao tác ghi cần thêm tiêu đề X-CSRFToken."
    csrf = True  # read by ninja's docs page: it then adds the CSRF token to the requests it sends

    def __init__(self) -> None:
        self.openapi_name = settings.SESSION_COOKIE_NAME
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in {"GET", "HEAD", "OPTIONS", "TRACE"} and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request) is not None:
                raise ApiError(403, "permission_denied", _("Thiếu mã chống giả mạo yêu cầu (CSRF) hoặc mã không đúng."))
        return user


class Anonymous:
    """The last resort of optional_auth(): nobody signed in, served as an anonymous visitor."""

    def __call__(self, request: HttpRequest) -> AnonymousUser:
        user = AnonymousUser()
        request.user = user
        return user


def optional_auth() -> list[Callable[[HttpRequest], Any]]:
    """Identify the user when credentials are given (401 if they are invalid), serve anonymously otherwise."""
    return [BearerToken(), SessionCookie(), Anonymous()]


require_auth: list[Callable[[HttpRequest], Any]] = [BearerToken(), SessionCookie()]
"""A signed-in user or a valid token; otherwise 401."""


def api_user(request: HttpRequest) -> Any:
    """The user a request is served as: a User, or an AnonymousUser under optional_auth()."""
    return getattr(request, "auth", None) or AnonymousUser()


# ---------------------------------------------------------------------------------------------------------------------
# Pagination and the OpenAPI document

PAGE_SIZE: int = getattr(settings, "NINJA_PAGINATION_PER_PAGE", 20)
MAX_PAGE_SIZE: int = getattr(settings, "NINJA_PAGINATION_MAX_LIMIT", 200)


class ApiPagination(PageNumberPagination):
    """Every list of the API: `?page=2&page_size=50` in, `{"count": <all items>, "items": [...]}` out."""

    class Input(Schema):
        # Bounded so that the offset (page - 1) x page_size stays a 64-bit integer: a larger page once reached the
        # database as an overflow.
        page: int = Field(1, ge=1, le=ID_MAX // MAX_PAGE_SIZE, description="Số thứ tự trang, bắt đầu từ 1.")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description=f"Số mục mỗi trang: mặc định {PAGE_SIZE}, tối đa {MAX_PAGE_SIZE}."
        )

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Tổng số mục trên mọi trang.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def paginated(func: Callable[..., Any]) -> Callable[..., Any]:
    """`@paginate(ApiPagination)` that also works in modules using `from __future__ import annotations`.

    ninja reads a paginated view's annotations through its own wrapper, whose globals are ninja's: a string
    annotation such as "Query[UnitFilters]" then fails to resolve and the OpenAPI document breaks. Resolving them
    here, in the view's own module, first avoids that."""
    try:
        func.__annotations__ = typing.get_type_hints(func, include_extras=True)
    except NameError:  # a name imported only for type checkers: leave the annotations to ninja
        pass
    return paginate(ApiPagination)(func)


_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "Yêu cầu không hợp lệ (code validation_error: xem fields).",
    401: "Thông tin xác thực không hợp lệ (code unauthenticated).",
    403: "Không có quyền (code permission_denied).",
    404: "Không tìm thấy (code not_found).",
    405: "Phương thức không được hỗ trợ (code method_not_allowed).",
    409: "Xung đột với trạng thái hiện tại của dữ liệu (code conflict hoặc một mã riêng).",
    429: "Quá nhiều yêu cầu (code throttled).",
    500: "Lỗi hệ thống (code server_error).",
}
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def api_errors(*statuses: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Documents error statuses an endpoint answers beyond those `documented_errors` infers. Put it below the
    router's decorator: `@router.get("/results", ...)` then `@api_errors(404)` then `def get_results(...)`."""
    unknown = set(statuses) - set(_ERROR_DESCRIPTIONS)
    if unknown:
        raise ValueError(f"No description for error statuses {sorted(unknown)}")

    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        func._api_errors = frozenset(getattr(func, "_api_errors", frozenset()) | set(statuses))  # type: ignore[attr-defined]
        return func

    return mark


def documented_errors(operation: Operation) -> list[int]:
    """The error statuses an operation can answer, all with the one error body (`Error`):

    - 400 when it reads parameters or a body; 401 when credentials are read (invalid ones are refused);
    - 403 when it needs a signed-in user (a user without the role is refused) or writes through a session (CSRF);
    - 404 when its path names a record, or it writes (what the body names may not exist);
    - 409 for writes (a conflict with the current state), 429 for anonymous writes (throttled);
    - 500 everywhere; plus what the endpoint declares with `api_errors`."""
    callbacks = list(operation.auth_callbacks)
    anonymous = any(isinstance(cb, Anonymous) for cb in callbacks)
    writes = bool(set(operation.methods) & _UNSAFE_METHODS)
    statuses = {500, *getattr(operation.view_func, "_api_errors", ())}
    if operation.models or writes:
        statuses.add(400)
    if callbacks:
        statuses.add(401)
    if (callbacks and not anonymous) or (writes and any(isinstance(cb, SessionCookie) for cb in callbacks)):
        statuses.add(403)
    if "{" in operation.path or writes:
        statuses.add(404)
    if writes:
        statuses.add(409)
        if anonymous:
            statuses.add(429)
    return sorted(statuses)


def resolve_or_none(path: str, urlconf: str | None) -> ResolverMatch | None:
    try:
        return resolve(path, urlconf)
    except Resolver404:
        return None


class DuplicateSchemaName(ImproperlyConfigured):
    """Two different schemas were published under one component name: clients would read the wrong fields."""


class ProvinceOpenAPISchema(OpenAPISchema):
    """ninja's OpenAPI document, plus what it cannot infer: the error responses of every operation, optional
    authentication; and one shape per component name (ninja would silently let the last schema of a name win)."""

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != definition:
                raise DuplicateSchemaName(
                    f"Two different schemas are named {name!r} in the OpenAPI document: rename one of the classes."
                )
        super().add_schema_definitions(definitions)

    def operation_details(self, operation: Operation) -> dict[str, Any]:
        details: dict[str, Any] = super().operation_details(operation)
        if not self.schemas.get("Error"):
            self.add_schema_definitions({"Error": ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")})
        if any(isinstance(cb, Anonymous) for cb in operation.auth_callbacks):
            details.setdefault("security", []).append({})  # {} in OpenAPI: no credentials is also accepted
        for parameter in details.get("parameters", []):
            # ninja copies a field's `examples` (a JSON Schema list) onto the parameter, where OpenAPI wants a map of
            # Example Objects: the list stays in the parameter's schema only, where it is valid.
            if isinstance(parameter.get("examples"), list):
                parameter.setdefault("schema", {}).setdefault("examples", parameter.pop("examples"))
        responses = details["responses"]
        for status in documented_errors(operation):
            responses.setdefault(
                status, {"description": _ERROR_DESCRIPTIONS[status], "content": {"application/json": {"schema": _ERROR_REF}}}
            )
        return details


class ProvinceAPI(NinjaAPI):
    """The platform's NinjaAPI: its OpenAPI document shows the error responses and anonymous access, validation
    errors name fields as the client sent them, and every answer under its prefix is JSON: a method an endpoint does
    not support is 405 and a path it does not know is 404, both in the error format."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ProvinceOpenAPISchema(self, path_prefix)

    def validation_error_from_error_contexts(self, error_contexts: list[ValidationErrorContext]) -> NinjaValidationError:
        # A view with one body schema (`payload: ArticleIn`) reads the whole JSON body into that argument; ninja then
        # locates errors under the argument's name ("payload.title"), which the client never sent: drop it.
        errors: list[dict[str, Any]] = []
        for context in error_contexts:
            single = getattr(context.model, "__read_from_single_attr__", None)
            for error in super().validation_error_from_error_contexts([context]).errors:
                loc = tuple(error.get("loc", ()))
                if single and len(loc) >= 2 and loc[1] == single:
                    error["loc"] = (loc[0], *loc[2:])
                errors.append(error)
        return NinjaValidationError(errors)

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls: list[URLResolver | URLPattern] = []
        for pattern in super()._get_urls():
            if isinstance(pattern, URLPattern):
                pattern.callback = self._json_not_allowed(pattern.callback)
            urls.append(pattern)
        urls.append(re_path(r"^.+$", self._unknown_path, name="api-unknown"))  # after every endpoint of the API
        return urls

    def _json_not_allowed(self, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        """ninja answers an unsupported method with a plain-text 405: the same status, its Allow header, JSON body."""

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
                allowed = response.get("Allow", "")
                response = error_response(self, request, status=405, headers={"Allow": allowed} if allowed else None)
            return response

        return wrapper

    def _unknown_path(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # What CommonMiddleware's APPEND_SLASH did before this catch-all existed: /api/v1/units -> /api/v1/units/.
        if settings.APPEND_SLASH and request.method in {"GET", "HEAD"} and not request.path_info.endswith("/"):
            match = resolve_or_none(f"{request.path_info}/", getattr(request, "urlconf", None))
            if match is not None and match.url_name != "api-unknown":
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(f"{request.path}/" + (f"?{query}" if query else ""))
        return error_response(self, request, status=404)

    _unknown_path.csrf_exempt = True  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------------------------------
# Endpoints: organisations (public) and the current user

router = Router(tags=["core"])


@router.get(
    "/organisations/",
    response=list[OrganisationOut],
    tags=["organisations"],
    summary="Danh sách cơ quan, tổ chức",
    url_name="organisation-list",
)
@paginated
def list_organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    """Tìm kiếm và lọc cơ quan, tổ chức.

    `q` không phân biệt hoa thường và dấu: "thong tin truyen thong" tìm thấy "Sở Thông tin và Truyền thông"."""
    return organisation_list(
        q=filters.q, kind=filters.kind.value if filters.kind else "", parent_id=filters.parent, on=filters.on
    )


@router.get(
    "/organisations/{int:organisation_id}",
    response=OrganisationDetailOut,
    tags=["organisations"],
    summary="Thông tin một cơ quan, tổ chức",
    url_name="organisation-detail",
)
def get_organisation(request: HttpRequest, organisation_id: Id) -> Organisation:
    """Cơ quan cấp trên, địa bàn, thời gian hiệu lực, cơ quan kế nhiệm và tiền nhiệm, số đơn vị trực thuộc."""
    return organisation_detail(organisation_id=organisation_id)


@router.get("/me", response=MeOut, auth=require_auth, tags=["accounts"], summary="Người dùng hiện tại", url_name="me")
def get_me(request: HttpRequest) -> dict[str, Any]:
    """Tài khoản đang gọi API (theo phiên đăng nhập hoặc khóa truy cập) và các vai trò cùng phạm vi của từng vai trò."""
    user = api_user(request)
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name or user.get_full_name(),
        "email": user.email,
        "is_superuser": user.is_superuser,
        "roles": user_role_scopes(user=user),
    }
