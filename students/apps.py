from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = _("Students")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from institutes.person_record import register_person_sections

        from .person_sections import student_sections

        register_person_sections(student_sections)
