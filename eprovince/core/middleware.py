from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from . import request_context
from .http import client_ip


class RequestContextMiddleware:
    """Gives each request an id and records the client address (behind trusted proxies: core.http.client_ip) for the
    audit trail, the throttles and the login lockout."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ip = client_ip(request)
        ctx = request_context.RequestContext(ip_address=ip, request_id=str(uuid.uuid4()))
        token = request_context.set_context(ctx)
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response.headers.setdefault("X-Request-ID", ctx.request_id)
        return response


class ErrorPagesInDebugMiddleware:
    """The platform's own 404 page in DEBUG too (`make run`), where Django would show its English technical page.

    Without DEBUG Django already answers with `handler404` (core.views.page_not_found: the Vietnamese page, or JSON
    under /api/); 403 is `handler403` in every mode. In DEBUG a view raising Http404 (a forged link, a record outside
    the user's scope) and an address no URL matches get the same answer here; a server error keeps Django's
    traceback in DEBUG, for the developer, and is the Vietnamese 500 page otherwise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No URL matched (the resolver's 404 is answered before any view, so it never reaches process_exception).
        if settings.DEBUG and response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            from .views import page_not_found

            return page_not_found(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            from .views import page_not_found

            return page_not_found(request, exception)
        return None
