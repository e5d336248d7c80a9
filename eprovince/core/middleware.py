from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
