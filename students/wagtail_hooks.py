"""Admin screens of the students app."""

from wagtail import hooks

from institutes.admin_screens import register_admin_screens

from .panels import StudentsDashboardPanel
from .viewsets import StudentsGroup, student_chooser_viewset

register_admin_screens(
    prefix="student-records/",
    urls="students.urls",
    viewsets=lambda: [StudentsGroup(), student_chooser_viewset],
)


@hooks.register("construct_homepage_panels")
def add_students_panel(request, panels):
    panels.append(StudentsDashboardPanel(request.user))
