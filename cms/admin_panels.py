"""Dashboard panel: campaigns overdue for clinical review."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from .selectors import campaigns_past_review


class CampaignsPastReviewPanel(Component):
    name = "campaigns_past_review"
    order = 160
    template_name = "cms/admin/past_review_panel.html"

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        context = super().get_context_data(parent_context)
        editable = PagePermissionPolicy().instances_user_has_permission_for(
            request.user, "change"
        )
        pages = campaigns_past_review().filter(pk__in=editable.values("pk"))
        context["pages"] = list(pages[:20])
        context["heading"] = _("Campaigns past their review date")
        return context
