"""Low-timeout caching of the public pages.

- Every key carries the content version, which the services bump whenever what the public sees changes: a
  publication shows at once, and nothing outlives FRAGMENT_CACHE_SECONDS (the bound when several processes each
  keep a local cache).
- Whole pages are cached for readers who carry nothing personal (no session, no pending message, no reader token
  where the page shows the reader's own vote): the page is the same for all of them, so it is rendered once.
  Everyone else gets fragments cached inside the templates ({% cache %}).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from .constants import FRAGMENT_CACHE_SECONDS

VERSION_KEY = "portal:content-version"
MESSAGES_COOKIE = "messages"


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Start from the clock, so a lost key never brings back pages cached under an old number.
        cache.add(VERSION_KEY, int(time.time()), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return int(version)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, int(time.time()), timeout=None)


def public_content_changed() -> None:
    """Call inside the transaction that changes public content: bumps now (for this process and its transaction)
    and again after commit (so a page rendered from the old rows in between is not reused)."""
    _bump()
    transaction.on_commit(_bump, robust=True)


@dataclass(frozen=True)
class CachedPage:
    content: bytes
    content_type: str
    # What the page shows (an article's id), for the work a view still does on a cache hit.
    object_id: int | None = None

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, content_type=self.content_type)
        patch_vary_headers(response, ("Cookie",))
        return response


def is_personal(request: HttpRequest, extra_cookies: Iterable[str] = ()) -> bool:
    names = {settings.SESSION_COOKIE_NAME, MESSAGES_COOKIE, *extra_cookies}
    return any(name in request.COOKIES for name in names)


def _page_key(request: HttpRequest, params: Iterable[str]) -> str:
    # Only the parameters the page uses, and only when given, so arbitrary query strings cannot fill the cache and
    # a page asked for without a query string has the same key whichever view serves it (see middleware.py).
    query = "&".join(f"{p}={request.GET[p][:20]}" for p in params if request.GET.get(p))
    return f"portal:page:{content_version()}:{get_language()}:{request.path}?{query}"


def cached_page(request: HttpRequest, *, params: Iterable[str] = (), extra_cookies: Iterable[str] = ()) -> CachedPage | None:
    if request.method != "GET" or is_personal(request, extra_cookies):
        return None
    return cache.get(_page_key(request, params))


def cache_page_response(
    request: HttpRequest,
    response: HttpResponse,
    *,
    params: Iterable[str] = (),
    extra_cookies: Iterable[str] = (),
    object_id: int | None = None,
) -> HttpResponse:
    """Keep `response` for the next readers like this one, if it is an ordinary page that sets no cookie."""
    patch_vary_headers(response, ("Cookie",))
    if (
        request.method == "GET"
        and response.status_code == 200
        and not response.cookies
        and not is_personal(request, extra_cookies)
    ):
        page = CachedPage(response.content, response["Content-Type"], object_id)
        cache.set(_page_key(request, params), page, FRAGMENT_CACHE_SECONDS)
    return response


def public_page(*, params: Iterable[str] = ()) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve a public page from the page cache to readers without anything personal; fill it on a miss."""
    params = tuple(params)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            hit = cached_page(request, params=params)
            if hit is not None:
                return hit.response()
            return cache_page_response(request, view(request, *args, **kwargs), params=params)

        return wrapper

    return decorator
