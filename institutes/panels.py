"""Dashboard panel: what the signed-in user holds, so scoping is visible, not magic."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component

from .models import RoleAssignment


class MyAccessPanel(Component):
    name = "my_access"
    order = 50
    template_name = "institutes/panels/my_access.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        assignments = RoleAssignment.objects.filter(user=self.user).select_related(
            "institute", "hospital", "ward__hospital"
        )
        return {
            "is_authority": self.user.is_superuser,
            "assignments": assignments,
            "title": _("Your access"),
        }
