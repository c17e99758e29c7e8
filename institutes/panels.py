"""Dashboard panel: what the signed-in user holds, so scoping is visible, not magic.

People who only write or review the public site's pages (the Editors and Moderators
groups) hold no institute role and need none: their panel lists their drafts and the
pages waiting for moderation instead of asking them to request a role.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState

from .models import RoleAssignment
from .services import EDITORIAL_GROUPS, AssignableRole

EDITORIAL_GROUP_NAMES = tuple(EDITORIAL_GROUPS.values())


def editorial_work(user, limit: int = 5) -> dict:
    """The user's page drafts and the pages awaiting moderation they should see
    (all of them for moderators, their own for editors): four queries."""
    in_moderation = Page.objects.filter(
        _workflow_states__status=WorkflowState.STATUS_IN_PROGRESS
    )
    is_moderator = user.groups.filter(
        name=EDITORIAL_GROUPS[AssignableRole.MODERATOR]
    ).exists()
    if not is_moderator:
        in_moderation = in_moderation.filter(_workflow_states__requested_by=user)
    drafts = (
        Page.objects.filter(Q(owner=user) | Q(latest_revision__user=user))
        .filter(has_unpublished_changes=True)
        .exclude(pk__in=in_moderation.values("pk"))
        .order_by("-latest_revision_created_at")
    )
    return {
        "is_moderator": is_moderator,
        "awaiting": list(in_moderation.distinct().order_by("title")[:limit]),
        "drafts": list(drafts.distinct()[:limit]),
    }


class MyAccessPanel(Component):
    name = "my_access"
    order = 50
    template_name = "institutes/panels/my_access.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        assignments = list(
            RoleAssignment.objects.filter(user=self.user).select_related(
                "institute", "hospital", "ward__hospital"
            )
        )
        context = {
            "is_authority": self.user.is_superuser,
            "assignments": assignments,
            "title": _("Your access"),
            "editorial": None,
        }
        if (
            not self.user.is_superuser
            and self.user.groups.filter(name__in=EDITORIAL_GROUP_NAMES).exists()
        ):
            context["title"] = _("Your pages")
            context["editorial"] = editorial_work(self.user)
        return context
