from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = _("Contact centre")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from institutes.access import register_dimension

        from .selectors import office_ids_of

        register_dimension("office", office_ids_of)
