"""Admin screens of the curriculum app."""

from institutes.admin_screens import register_admin_screens

from .viewsets import CurriculumGroup

register_admin_screens(viewsets=CurriculumGroup)
