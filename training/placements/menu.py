"""The placements menu: the two viewsets and the operational screens."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import Menu

from institutes.menu import ShownToMenuItem, ShownToSubmenuItem, may

from .models import Placement, RecordedClinicalYear


def placements_menu_item():
    sees_placements = may("view", Placement)
    items = [
        (_("My students today"), "training_my_students_today", "user", 100),
        (_("Dashboard"), "training_placements_dashboard", "view", 200),
        (_("Schedule by hospital"), "training_hospital_schedule", "table", 300),
        (_("Schedule by cohort"), "training_cohort_schedule", "list-ul", 400),
        (_("Rotation blocks"), "rotation_blocks:index", "calendar-alt", 500),
        (_("All placements"), "placements:index", "list-ul", 600),
    ]
    menu = Menu(
        items=[
            ShownToMenuItem(
                label,
                reverse_lazy(url),
                icon_name=icon,
                order=order,
                shown_to=sees_placements,
            )
            for label, url, icon, order in items
        ]
        + [
            ShownToMenuItem(
                _("Past clinical years"),
                reverse_lazy("training_past_years"),
                icon_name="history",
                order=700,
                shown_to=may("view", RecordedClinicalYear),
            )
        ]
    )
    return ShownToSubmenuItem(
        _("Clinical placements"),
        menu,
        icon_name="calendar-alt",
        order=320,
        shown_to=sees_placements,
    )
