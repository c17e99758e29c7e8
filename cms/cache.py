"""Whole-page caching of public pages for anonymous visitors.

A page served to an anonymous visitor (GET, no query string, not a preview) is kept in
the Django cache (Redis in production) under a key that includes a *generation*
number. Publishing, unpublishing, moving or deleting any page, or changing an
institute or hospital, bumps the generation (see `cms.signals`), so every cached page
is invalidated at once: home and index pages list other pages, so per-page
invalidation would leave stale lists behind. Signed-in users are never served from,
nor written to, this cache.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

GENERATION_KEY = "cms:pages:generation"


def page_cache_seconds() -> int:
    return getattr(settings, "CMS_PAGE_CACHE_SECONDS", 600)


def _fresh_generation() -> int:
    # Never a number used before, even after the cache was emptied: a process may
    # still hold pages of an earlier generation in memory (see _RECENT_PAGES).
    return time.time_ns() // 1000


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY) or _fresh_generation()
    return generation


def bump_generation() -> None:
    """Invalidate every cached public page."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def remembered(name: str, compute):
    """`compute()`, kept in the cache until the next change of published content.

    For what every page shows and only the page tree decides (menus, language links,
    which sections have view restrictions): computed once per generation instead of
    a few queries on every rendered page. `compute` must return a picklable value
    other than None.
    """
    key = f"cms:memo:{current_generation()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, page_cache_seconds())
    return value


def restricted_paths() -> tuple[str, ...]:
    """Tree paths of the pages that carry a view restriction (usually none)."""
    from wagtail.models import PageViewRestriction

    return remembered(
        "restricted-paths",
        lambda: tuple(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )


def is_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.GET:
        return False
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def cache_key(request, language: str | None = None) -> str:
    return (
        f"cms:page:{current_generation()}:{language or get_language()}:"
        f"{request.get_host()}:{request.path}"
    )


# Headers that belong to one response, never to a copy served later.
_NOT_KEPT = {"set-cookie", "content-length", "date", "x-page-cache"}


# Pages this process served lately, by cache key. The key holds the generation, which
# is read from the shared cache on every request, so a publish anywhere is seen at
# once; this only spares reading and decompressing the same page again.
_RECENT_PAGES: dict[str, dict] = {}
_RECENT_PAGES_MAX = 256


def _cached_page(key: str) -> dict | None:
    cached = _RECENT_PAGES.get(key)
    if cached is not None and cached["expires"] < time.time():
        # What a page shows can depend on the date (running / past campaigns).
        del _RECENT_PAGES[key]
        cached = None
    if cached is None:
        cached = cache.get(key)
        if cached is not None:
            if len(_RECENT_PAGES) >= _RECENT_PAGES_MAX:
                _RECENT_PAGES.clear()
            _RECENT_PAGES[key] = cached
    return cached


def _cached_response(cached: dict) -> HttpResponse:
    response = HttpResponse(cached["content"])
    for name, value in cached["headers"]:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


class AnonymousPageCacheMixin:
    """Serve a page from the cache to anonymous visitors; mark it for the cache on a miss.

    The page is written to the cache by `AnonymousPageCacheMiddleware` on the way out,
    once every inner middleware has added its headers, so that a copy served later
    carries them all.
    """

    def get_view_restrictions(self):
        # Wagtail asks on every serve (two queries); most sites restrict nothing.
        if not any(self.path.startswith(path) for path in restricted_paths()):
            from wagtail.models import PageViewRestriction

            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def serve(self, request, *args, **kwargs):
        if not is_cacheable(request):
            return super().serve(request, *args, **kwargs)
        key = cache_key(request)
        cached = _cached_page(key)
        if cached is not None:
            return _cached_response(cached)
        response = super().serve(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        if response.status_code != 200:
            return response
        # A CDN may keep it briefly; publishing invalidates our own cache at once.
        patch_cache_control(response, public=True, max_age=60)
        response["X-Page-Cache"] = "miss"
        response.cms_cache_key = key
        return response


class AnonymousPageCacheMiddleware:
    """Answers anonymous cache hits before sessions, routing and the page's queries.

    Installed right after the security and static-file middlewares: a visitor without
    a session cookie who asks for a page in the cache gets the stored copy at once,
    with the headers the whole stack gave it when it was rendered (CSP, framing,
    language, caching), and the security middleware's own on the way out. Anyone
    else (a session, a query string, a POST) goes through the whole stack. Pages are
    stored here, on the way out, when `AnonymousPageCacheMixin.serve` marked them
    (published, public, no view restriction, an anonymous visitor).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        from django.contrib.messages.storage.cookie import CookieStorage

        # A session may be signed in; a pending message must be shown by a render.
        self.personal_cookies = (
            settings.SESSION_COOKIE_NAME,
            CookieStorage.cookie_name,
        )

    def _key(self, request) -> str | None:
        if (
            request.method not in ("GET", "HEAD")
            or request.META.get("QUERY_STRING")
            or any(name in request.COOKIES for name in self.personal_cookies)
        ):
            return None
        language = translation.get_language_from_path(request.path_info)
        if not language:
            return None
        return cache_key(request, language)

    def __call__(self, request):
        key = self._key(request)
        if key is not None:
            cached = _cached_page(key)
            if cached is not None:
                return _cached_response(cached)
        response = self.get_response(request)
        fill = getattr(response, "cms_cache_key", None)
        if fill and response.status_code == 200 and not response.cookies:
            cache.set(
                fill,
                {
                    "expires": time.time() + page_cache_seconds(),
                    "content": response.content,
                    "headers": [
                        (name, value)
                        for name, value in response.items()
                        if name.lower() not in _NOT_KEPT
                    ],
                },
                page_cache_seconds(),
            )
        return response
