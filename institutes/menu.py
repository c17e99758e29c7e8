"""Admin menu entries shown by the access rules, and the authority's own entries.

Every app's menu is a few declarations: `ShownToMenuItem(label, url, shown_to=…)`
with `shown_to` one of `may(action, Model)` or `is_authority` (or any
`user -> bool`), gathered in a `ShownToSubmenuItem` where the app has several.
"""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import MenuItem, SubmenuMenuItem

from . import access


def may(action: str, model):
    """`shown_to` for those who may `action` some rows of `model`."""
    return lambda user: access.user_may(user, action, model)


def is_authority(user) -> bool:
    return access.scope_for(user).is_authority


class ShownToMenuItem(MenuItem):
    """A menu item shown to the users `shown_to(user)` accepts."""

    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


class ShownToSubmenuItem(SubmenuMenuItem):
    """A submenu shown to the users `shown_to(user)` accepts."""

    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


class AuthorityMenuItem(MenuItem):
    """The menu item class of authority-only viewsets."""

    def is_shown(self, request):
        return is_authority(request.user)


def identity_changes_menu_item():
    return ShownToMenuItem(
        _("Identity change requests"),
        reverse_lazy("identity_changes"),
        icon_name="user",
        order=210,
        shown_to=is_authority,
    )


def people_menu_item():
    return ShownToMenuItem(
        _("People and roles"),
        reverse_lazy("institutes_people_and_roles"),
        icon_name="user",
        order=210,
        shown_to=is_authority,
    )
