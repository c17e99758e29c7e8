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

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

GENERATION_KEY = "cms:pages:generation"


def page_cache_seconds() -> int:
    return getattr(settings, "CMS_PAGE_CACHE_SECONDS", 600)


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY) or 1
    return generation


def bump_generation() -> None:
    """Invalidate every cached public page."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


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


def cache_key(request) -> str:
    return (
        f"cms:page:{current_generation()}:{get_language()}:"
        f"{request.get_host()}:{request.path}"
    )


class AnonymousPageCacheMixin:
    """Serve a page from the cache to anonymous visitors; fill the cache on a miss."""

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
        cached = cache.get(key)
        if cached is not None:
            content, content_type, language = cached
            response = HttpResponse(content, content_type=content_type)
            response["Content-Language"] = language
            response["X-Page-Cache"] = "hit"
        else:
            response = super().serve(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if response.status_code != 200:
                return response
            cache.set(
                key,
                (response.content, response["Content-Type"], get_language()),
                page_cache_seconds(),
            )
            response["X-Page-Cache"] = "miss"
        # A CDN may keep it briefly; publishing invalidates our own cache at once.
        patch_cache_control(response, public=True, max_age=60)
        return response


class AnonymousPageCacheMiddleware:
    """Answers a cache hit before URL routing, so a cached page costs no query.

    Only reads: pages are written to the cache by `AnonymousPageCacheMixin.serve`,
    which knows the page may be cached (published, public, no view restriction).
    Installed last, so the user and language are known and the outer middlewares
    (security headers, CSP, no-store for signed-in users) still apply.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_cacheable(request):
            cached = cache.get(cache_key(request))
            if cached is not None:
                content, content_type, language = cached
                response = HttpResponse(content, content_type=content_type)
                response["Content-Language"] = language
                response["X-Page-Cache"] = "hit"
                patch_cache_control(response, public=True, max_age=60)
                return response
        return self.get_response(request)
