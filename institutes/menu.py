"""The authority's menu entry for identity change requests."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import MenuItem

from . import access


class AuthorityMenuItem(MenuItem):
    def is_shown(self, request):
        return access.scope_for(request.user).is_authority


def identity_changes_menu_item():
    return AuthorityMenuItem(
        _("Identity change requests"),
        reverse_lazy("identity_changes"),
        icon_name="user",
        order=210,
    )
