"""The staff-training dashboards' menu entry, shown to those who may see staff."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import Menu

from institutes.menu import ShownToMenuItem, ShownToSubmenuItem, may

from .models import StaffTopicStatus

ITEMS = [
    (_("My sessions"), "training_my_sessions", "date"),
    (_("Hospital compliance"), "training_compliance", "table"),
    (_("National overview"), "training_compliance_national", "site"),
    (_("Staff to train"), "training_compliance_people", "warning"),
    (_("Staffing: share of nationals"), "training_staffing_nationality", "group"),
]


def compliance_menu_item():
    sees_staff = may("view", StaffTopicStatus)
    menu = Menu(
        items=[
            ShownToMenuItem(
                label,
                reverse_lazy(url),
                icon_name=icon,
                order=100 * position,
                shown_to=sees_staff,
            )
            for position, (label, url, icon) in enumerate(ITEMS, start=1)
        ]
    )
    return ShownToSubmenuItem(
        _("Training dashboards"),
        menu,
        icon_name="clipboard-list",
        order=410,
        shown_to=sees_staff,
    )
