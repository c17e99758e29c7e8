import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: Task modules' old import paths → new ones. Queued background tasks are stored by
#: their import path; tasks queued before the training app was split into wings
#: (2026-12) still name the old module. Remove after 2027-03-01, once no queue holds
#: such a task (docs/architecture.md, "Training: two wings").
LEGACY_TASK_MODULES = {"training.staff_tasks": "training.staff.tasks"}


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import importlib

        from .placements import hooks

        hooks.connect()
        from institutes.person_record import register_person_sections

        from .staff.person_sections import staff_sections

        register_person_sections(staff_sections)
        for old, new in LEGACY_TASK_MODULES.items():
            sys.modules.setdefault(old, importlib.import_module(new))
