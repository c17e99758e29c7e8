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

        # Users are visible to the people who share an institute, hospital or ward
        # with them (e.g. choosing a supervisor); managed by authority staff only.
        register_access_rule(
            get_user_model(),
            AccessRule(
                view=Paths(
                    institute=("role_assignments__institute",),
                    hospital=("role_assignments__hospital",),
                    ward=("role_assignments__ward",),
                ),
                change=Paths(),
            ),
        )
