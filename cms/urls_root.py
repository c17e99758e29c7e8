"""Language-neutral public URLs (robots.txt, sitemap, health check)."""

from django.http import HttpResponse
from django.urls import path


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
]
