"""The trainer's home: today's sessions, expiring training and rosters to mark."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component

from institutes import access


class TrainerHomePanel(Component):
    """Shown to trainers (a role over a hospital) on the admin home page."""

    name = "trainer_home"
    order = 40
    template_name = "training/staff/panels/trainer_home.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        from .selectors import trainer_home

        return {"title": _("Your training work"), **trainer_home(user=self.user)}

    def render_html(self, parent_context=None):
        if not access.scope_for(self.user).hospital_ids:
            return ""
        return super().render_html(parent_context)
