"""The placements menu: the two viewsets and the operational screens."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from institutes import access

from .models import Placement, RecordedClinicalYear


class PlacementMenuItem(MenuItem):
    def is_shown(self, request):
        return access.user_may(request.user, "view", Placement)


class PastYearsMenuItem(MenuItem):
    def is_shown(self, request):
        return access.user_may(request.user, "view", RecordedClinicalYear)


class _Submenu(SubmenuMenuItem):
    def is_shown(self, request):
        return access.user_may(request.user, "view", Placement)


def placements_menu_item():
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
            PlacementMenuItem(label, reverse_lazy(url), icon_name=icon, order=order)
            for label, url, icon, order in items
        ]
        + [
            PastYearsMenuItem(
                _("Past clinical years"),
                reverse_lazy("training_past_years"),
                icon_name="history",
                order=700,
            )
        ]
    )
    return _Submenu(_("Clinical placements"), menu, icon_name="calendar-alt", order=320)
