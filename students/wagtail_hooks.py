from django.urls import include, path

from wagtail import hooks

from . import views
from .panels import StudentsDashboardPanel
from .viewsets import StudentsGroup, student_chooser_viewset


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [StudentsGroup(), student_chooser_viewset]


@hooks.register("register_admin_urls")
def register_student_urls():
    return [path("student-records/", include(views.urlpatterns()))]


@hooks.register("construct_homepage_panels")
def add_students_panel(request, panels):
    panels.append(StudentsDashboardPanel(request.user))
