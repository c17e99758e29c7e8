"""The contact desk's menu: log a call, raise a work matter, figures."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from institutes import access

from .models import ContactRequest


class _HandlerItem(MenuItem):
    def is_shown(self, request):
        return access.user_may(request.user, "change", ContactRequest)


def contact_desk_menu_item():
    menu = Menu(
        items=[
            _HandlerItem(
                _("Log a call"),
                reverse_lazy("contact_intake"),
                icon_name="mail",
                order=100,
            ),
            _HandlerItem(
                _("Contact centre figures"),
                reverse_lazy("contact_dashboard"),
                icon_name="table",
                order=200,
            ),
            MenuItem(
                _("Raise a work matter"),
                reverse_lazy("contact_staff_request"),
                icon_name="comment",
                order=300,
            ),
        ]
    )
    return SubmenuMenuItem(_("Contact desk"), menu, icon_name="mail", order=610)
