"""Public pages of the portal: thin views that read through selectors and write through services.

Home, list and article pages are built to be cheap (caching.py): readers without anything personal get the whole page
from the cache; others get fragments cached in the templates, lists as lazy querysets evaluated only when a fragment
is rendered again, the article in one query with its category. Readings are gathered and written in batches."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import selectors, services
from .caching import cache_page_response, cached_page, content_version, public_page
from .constants import FRAGMENT_CACHE_SECONDS, HOME_LATEST, NEWS_PAGE_SIZE, READER_COOKIE, SEARCH_PAGE_SIZE
from .forms import RatingForm

_READER_COOKIE_AGE = 365 * 24 * 3600
_MAX_QUERY = 200


def _fragment_context() -> dict[str, object]:
    return {"content_version": content_version(), "fragment_seconds": FRAGMENT_CACHE_SECONDS}


@public_page()
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/home.html",
        {
            **_fragment_context(),
            # Callables: run only when the cached fragment has to be rendered again.
            "latest": lambda: selectors.published_articles()[: HOME_LATEST + 1],
            "categories": selectors.categories,
        },
    )


@public_page(params=("page",))
def news(request: HttpRequest, category: str | None = None) -> HttpResponse:
    current = None
    if category is not None:
        current = selectors.category_by_slug(category)
        if current is None:
            raise Http404(_("Không có chuyên mục này."))
    page = Paginator(selectors.published_articles(category=current), NEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/news_list.html",
        {"page_obj": page, "category": current, "show_category": current is None, "categories": selectors.categories()},
    )


def _reader_key(request: HttpRequest) -> str | None:
    return services.voter_key(user=request.user, cookie_token=request.COOKIES.get(READER_COOKIE))


def article(request: HttpRequest, category: str, slug: str) -> HttpResponse:
    """The page is cached whole for readers without a session, message or reader token; the reading is counted
    either way. The view count shown is the one at rendering time (at most FRAGMENT_CACHE_SECONDS old)."""
    personal = (READER_COOKIE,)
    hit = cached_page(request, extra_cookies=personal)
    if hit is not None and hit.object_id is not None:
        services.article_register_view(article_id=hit.object_id)
        return hit.response()
    item = selectors.public_article(slug=slug)
    if item is None:
        raise Http404(_("Không tìm thấy bài viết."))
    if item.category.slug != category:
        return redirect(item, permanent=True)
    pending = services.article_register_view(article_id=item.pk)
    response = render(
        request,
        "portal/article_detail.html",
        {
            **_fragment_context(),
            "article": item,
            "views": item.view_count + pending,
            "already_rated": selectors.reader_has_rated(article=item, voter_key=_reader_key(request)),
            "related": lambda: selectors.related_articles(article=item),
            "categories": selectors.categories,
        },
    )
    return cache_page_response(request, response, extra_cookies=personal, object_id=item.pk)


def article_short(request: HttpRequest, slug: str) -> HttpResponse:
    item = selectors.public_article(slug=slug)
    if item is None:
        raise Http404(_("Không tìm thấy bài viết."))
    return redirect(item, permanent=True)


def _same_origin(request: HttpRequest) -> bool:
    """Cross-site request forgery check by the browser's own headers (Fetch metadata, then Origin), so public pages
    carry no CSRF token or cookie and stay cacheable. Clients sending neither header are not browsers a forged
    request could ride on."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in {"same-origin", "none"}
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS


@csrf_exempt
@require_POST
def rate(request: HttpRequest, slug: str) -> HttpResponse:
    """One vote per reader. With htmx the rating block is returned in place; without it, back to the article."""
    if not _same_origin(request):
        raise PermissionDenied
    item = selectors.public_article(slug=slug)
    if item is None:
        raise Http404(_("Không tìm thấy bài viết."))
    new_token = None
    if not request.user.is_authenticated and not request.COOKIES.get(READER_COOKIE):
        new_token = secrets.token_urlsafe(24)
    key = services.voter_key(user=request.user, cookie_token=new_token or request.COOKIES.get(READER_COOKIE))
    form = RatingForm(request.POST)
    error, done = "", False
    if form.is_valid():
        try:
            item = services.article_rate(
                article=item,
                stars=form.cleaned_data["stars"],
                voter_key=key,
                acting_user=request.user if request.user.is_authenticated else None,  # type: ignore[arg-type]
            )
            done = True
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:  # type: ignore[attr-defined]
        context = {"article": item, "already_rated": done or selectors.reader_has_rated(article=item, voter_key=key)}
        response = render(request, "portal/_rating.html", {**context, "rating_error": error, "rating_done": done})
    else:
        if done:
            messages.success(request, _("Cảm ơn bạn đã đánh giá bài viết."))
        else:
            messages.error(request, error)
        response = redirect(item.get_absolute_url() + "#danh-gia")
    if new_token:
        response.set_cookie(
            READER_COOKIE, new_token, max_age=_READER_COOKIE_AGE, httponly=True, samesite="Lax", secure=request.is_secure()
        )
    return response


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:_MAX_QUERY]
    terms = selectors.query_terms(query)
    page = None
    if terms:
        page = Paginator(selectors.search_results(query=query), SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "portal/search.html", {"query": query, "terms": terms, "page_obj": page, "search_url": reverse("portal:search")}
    )
