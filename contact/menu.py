"""The contact desk's menu: log a call, raise a work matter, figures."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from institutes.menu import ShownToMenuItem, may

from .models import ContactRequest


def contact_desk_menu_item():
    handles = may("change", ContactRequest)
    menu = Menu(
        items=[
            ShownToMenuItem(
                _("Log a call"),
                reverse_lazy("contact_intake"),
                icon_name="mail",
                order=100,
                shown_to=handles,
            ),
            ShownToMenuItem(
                _("Contact centre figures"),
                reverse_lazy("contact_dashboard"),
                icon_name="table",
                order=200,
                shown_to=handles,
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
