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

from eprovince.core.http import client_ip
from eprovince.core.search import parse_query
from eprovince.core.throttle import attempt_allowed

from . import selectors, services
from .caching import cache_page_response, cached_page, content_version, public_page
from .constants import FRAGMENT_CACHE_SECONDS, HOME_LATEST, NEWS_PAGE_SIZE, READER_COOKIE, SEARCH_PAGE_SIZE
from .forms import RatingForm
from .quick_links import quick_links

_READER_COOKIE_AGE = 365 * 24 * 3600
_READER_SALT = "eprovince.portal.reader"
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


def _reader_token(request: HttpRequest) -> str | None:
    """The reader token we signed and gave this browser; None for no cookie or one we did not issue."""
    return request.get_signed_cookie(READER_COOKIE, default=None, salt=_READER_SALT, max_age=_READER_COOKIE_AGE)


def _reader_key(request: HttpRequest) -> str | None:
    return services.voter_key(user=request.user, cookie_token=_reader_token(request))


def _rating_limits() -> tuple[int, int, int]:
    window = int(getattr(settings, "PORTAL_RATING_WINDOW_SECONDS", 3600))
    return (
        int(getattr(settings, "PORTAL_READER_TOKENS_PER_ADDRESS", 10)),
        int(getattr(settings, "PORTAL_RATING_VOTES_PER_ADDRESS", 10)),
        window,
    )


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
    """One vote per reader. A signed-in reader votes with their account. An anonymous reader is the signed reader
    cookie we issued: a browser without one is given one and asked once to confirm its vote (so a client that keeps
    no cookies never counts, and a cookie it invents is not ours); new readers and votes on an article are limited
    per client address (shared cache). With htmx the rating block is returned in place; without it, back to the
    article."""
    if not _same_origin(request):
        raise PermissionDenied
    item = selectors.public_article(slug=slug)
    if item is None:
        raise Http404(_("Không tìm thấy bài viết."))
    new_tokens, votes, window = _rating_limits()
    ip = client_ip(request)
    form = RatingForm(request.POST)
    anonymous = not request.user.is_authenticated
    token = _reader_token(request) if anonymous else None
    key = services.voter_key(user=request.user, cookie_token=token)
    new_token = None
    error, done, confirm = "", False, False
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    elif anonymous and token is None:
        if attempt_allowed("portal:reader", ip, limit=new_tokens, window=window):
            new_token, confirm = secrets.token_urlsafe(24), True
        else:
            error = _("Có quá nhiều lượt đánh giá mới từ mạng của bạn. Vui lòng thử lại sau hoặc đăng nhập để đánh giá.")
    elif anonymous and not attempt_allowed(f"portal:rate:{item.pk}", ip, limit=votes, window=window):
        error = _("Có quá nhiều lượt đánh giá bài viết này từ mạng của bạn. Vui lòng thử lại sau.")
    else:
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
    if request.htmx:  # type: ignore[attr-defined]
        context = {
            "article": item,
            "already_rated": done or selectors.reader_has_rated(article=item, voter_key=key),
            "rating_error": error,
            "rating_done": done,
            "rating_confirm": confirm,
            "chosen_stars": form.cleaned_data.get("stars") if confirm else None,
        }
        response = render(request, "portal/_rating.html", context)
    else:
        if done:
            messages.success(request, _("Cảm ơn bạn đã đánh giá bài viết."))
        elif confirm:
            messages.info(
                request,
                _(
                    "Vui lòng chọn lại số sao và bấm «Gửi đánh giá» một lần nữa để xác nhận. "
                    "Trên trình duyệt này bạn chỉ cần xác nhận một lần."
                ),
            )
        else:
            messages.error(request, error)
        response = redirect(item.get_absolute_url() + "#danh-gia")
    if new_token:
        response.set_signed_cookie(
            READER_COOKIE,
            new_token,
            salt=_READER_SALT,
            max_age=_READER_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def search(request: HttpRequest) -> HttpResponse:
    """The site search: quick links to the services a query names, then each app's group (procedures…), then the
    news, paginated. A query that is only a common word ("của") is not searched, and the page says why."""
    text = request.GET.get("q", "").strip()[:_MAX_QUERY]
    query = parse_query(text)
    page, groups = None, []
    if query.searchable:
        page = Paginator(selectors.search_results(query=query), SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
        if page.number == 1:
            groups = selectors.search_groups(query=query)
    return render(
        request,
        "portal/search.html",
        {
            "query": text, "terms": query.highlight_terms, "page_obj": page, "groups": groups, "ignored": query.ignored,
            "quick_links": quick_links(query), "search_url": reverse("portal:search"),
        },
    )  # fmt: skip
