from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Each app that owns documents registers its kinds in `<app>/documents.py`
        # (see certificates.registry); importing them here fills the registry.
        autodiscover_modules("documents")
        from institutes.person_record import register_person_sections

        from .person_sections import document_sections

        register_person_sections(document_sections)
        # The PDF engine patches WeasyPrint and pydyf internals: a release that
        # renamed one stops the project here, naming it (pyproject.toml pins both).
        from . import engine_internals

        engine_internals.check()
