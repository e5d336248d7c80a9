"""Serves cached public pages before the rest of the middleware stack.

A reader with nothing personal (no session, message or reader cookie) asking for a page without a query string gets
the page the views cached (caching.py) straight from the cache: no session, CSRF, authentication, URL resolution or
template work. Everything else, and every miss, goes on to the views as usual. A hit on an article still counts the
reading. The headers the skipped middleware would have set are set here."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from . import services
from .caching import cached_page
from .constants import READER_COOKIE


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "GET" or request.META.get("QUERY_STRING") or request.path.startswith(("/api/", "/can-bo/")):
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        with translation.override(language):
            hit = cached_page(request, extra_cookies=(READER_COOKIE,))
        if hit is None:
            return self.get_response(request)
        if hit.object_id is not None:
            services.article_register_view(article_id=hit.object_id)
        response = hit.response()
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY"))
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
