"""Admin URLs of the base app (mounted by `register_admin_screens`)."""

from django.urls import path

from .people_views import PeopleAndRolesView

urlpatterns = [
    path("", PeopleAndRolesView.as_view(), name="institutes_people_and_roles"),
]
