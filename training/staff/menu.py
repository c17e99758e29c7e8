"""The staff-training dashboards' menu entry, shown to those who may see staff."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from institutes import access

from .models import StaffTopicStatus


class TrainingMenuItem(MenuItem):
    def is_shown(self, request):
        return access.user_may(request.user, "view", StaffTopicStatus)


def compliance_menu_item():
    menu = Menu(
        items=[
            TrainingMenuItem(
                _("My sessions"),
                reverse_lazy("training_my_sessions"),
                icon_name="date",
                order=100,
            ),
            TrainingMenuItem(
                _("Hospital compliance"),
                reverse_lazy("training_compliance"),
                icon_name="table",
                order=200,
            ),
            TrainingMenuItem(
                _("National overview"),
                reverse_lazy("training_compliance_national"),
                icon_name="site",
                order=300,
            ),
            TrainingMenuItem(
                _("Staff to train"),
                reverse_lazy("training_compliance_people"),
                icon_name="warning",
                order=400,
            ),
            TrainingMenuItem(
                _("Staffing: share of nationals"),
                reverse_lazy("training_staffing_nationality"),
                icon_name="group",
                order=500,
            ),
        ]
    )

    class _Submenu(SubmenuMenuItem):
        def is_shown(self, request):
            return access.user_may(request.user, "view", StaffTopicStatus)

    return _Submenu(
        _("Training dashboards"), menu, icon_name="clipboard-list", order=410
    )
