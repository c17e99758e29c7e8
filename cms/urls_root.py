"""Language-neutral public URLs (robots.txt, sitemap, health check)."""

from django.http import HttpResponse
from django.urls import path

from wagtail.contrib.sitemaps.views import sitemap

from .sitemaps import AllLocalesSitemap


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /ar/contact/follow/",
        "Disallow: /en/contact/follow/",
        "Disallow: /ar/search/",
        "Disallow: /en/search/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": AllLocalesSitemap}},
        name="sitemap",
    ),
]
