"""Home-page panel: the contact centre's open requests for the user's office."""

from wagtail.admin.ui.components import Component

from institutes import access

from .models import ContactRequest
from .selectors import contact_counts


class ContactCentrePanel(Component):
    name = "contact_centre"
    order = 150
    template_name = "contact/admin/contact_panel.html"

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        context = super().get_context_data(parent_context)
        context["visible"] = access.user_may(request.user, "view", ContactRequest)
        if context["visible"]:
            context["counts"] = contact_counts(request.user)
        return context
