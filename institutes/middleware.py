"""Responses to signed-in users carry personal data: never let a cache keep them."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
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
    """Django's LocaleMiddleware, with Arabic first in the back office.

    Outside the public site's /ar/ and /en/ prefixes the browser's Accept-Language is
    ignored: the back office speaks Arabic unless the user chose English (their
    Wagtail profile, or the language cookie). And the public page tree catches every
    path under /ar/ and /en/, so Django would turn any back-office 404 into a redirect
    to /ar/admin/...: a not-found record must stay a plain 404.
    """

    unprefixed_paths = ("/admin/", "/documents/", "/static/", "/media/", "/healthz")

    def process_request(self, request):
        if not request.path_info.startswith(self.unprefixed_paths):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = (
            chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(
            self.unprefixed_paths
        ):
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
