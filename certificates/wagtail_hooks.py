from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .viewsets import CertificatesGroup


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CertificatesGroup()


@hooks.register("register_admin_urls")
def register_urls():
    return [path("certificates/", include(admin_urls, namespace="certificates_admin"))]


class BulkMenuItem(MenuItem):
    def is_shown(self, request):
        from institutes import access

        return access.scope_for(request.user).has_role


@hooks.register("register_admin_menu_item")
def bulk_menu_item():
    return BulkMenuItem(
        _("Bulk printing"),
        reverse("certificates_admin:bulk"),
        icon_name="print",
        order=410,
    )
