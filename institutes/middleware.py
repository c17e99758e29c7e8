"""Responses to signed-in users carry personal data: never let a cache keep them."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import (
    add_never_cache_headers,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.translation import get_language


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, minus the 404 redirect for URLs outside the public site.

    The public site's page tree catches every path under /ar/ and /en/, so Django would
    turn any back-office 404 into a redirect to /ar/admin/...: a not-found record must
    stay a plain 404.
    """

    unprefixed_paths = ("/admin/", "/documents/", "/static/", "/media/", "/healthz")

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(
            self.unprefixed_paths
        ):
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
