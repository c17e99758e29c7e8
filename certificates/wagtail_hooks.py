"""Admin screens of the certificates app."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import MenuItem

from institutes.admin_screens import register_admin_screens

from .viewsets import CertificatesGroup


class BulkMenuItem(MenuItem):
    def is_shown(self, request):
        from .services import kinds_user_may_issue

        return bool(kinds_user_may_issue(request.user))


def bulk_menu_item():
    return BulkMenuItem(
        _("Bulk printing"),
        reverse("certificates_admin:bulk"),
        icon_name="print",
        order=410,
    )


register_admin_screens(
    prefix="certificates/",
    urls="certificates.admin_urls",
    viewsets=CertificatesGroup,
    menu_items=[bulk_menu_item],
)
