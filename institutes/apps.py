from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutesConfig(AppConfig):
    name = "institutes"
    verbose_name = _("Institutes and hospitals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps
        from django.contrib.auth import get_user_model

        from . import signals  # noqa: F401
        from .access import AccessRule, Paths, register_access_rule
        from .scoped_admin import register_scoped_policies

        register_scoped_policies(list(apps.get_models()))
        _scope_wagtail_log_entries()

        # Users are visible to the people who share an institute, hospital or ward
        # with them (e.g. choosing a supervisor); managed by authority staff only.
        # A ward's supervisor is also seen by those who see the ward: its hospital's
        # trainers and the institutes placing students there (attached or partner).
        register_access_rule(
            get_user_model(),
            AccessRule(
                view=Paths(
                    institute=(
                        "role_assignments__institute",
                        "role_assignments__ward__hospital__institutes",
                        "role_assignments__ward__hospital__partner_institutes",
                    ),
                    hospital=(
                        "role_assignments__hospital",
                        "role_assignments__ward__hospital",
                    ),
                    ward=("role_assignments__ward",),
                ),
                change=Paths(),
            ),
        )


def _scope_wagtail_log_entries() -> None:
    """Scope every list of Wagtail's model log entries (site history and its CSV,
    its user and type filters) through `access.log_entries_for`.

    Wagtail reads them all through `ModelLogEntryManager.viewable_by_user`, which
    decides by content type only: anyone who may see some students would see every
    student's history. Wrapping that one method covers every screen that lists them.
    """
    from wagtail.models.audit_log import ModelLogEntryManager

    from .access import log_entries_for

    wagtail_viewable = ModelLogEntryManager.viewable_by_user
    if getattr(wagtail_viewable, "scoped_by_institutes", False):
        return

    def viewable_by_user(self, user):
        return log_entries_for(wagtail_viewable(self, user), user)

    viewable_by_user.scoped_by_institutes = True
    ModelLogEntryManager.viewable_by_user = viewable_by_user
