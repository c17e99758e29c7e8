"""Admin URLs of the base app (mounted under /admin/people/)."""

from django.urls import path

from . import identity_views as views
from .person_views import person_page

urlpatterns = [
    path("identity-changes/", views.identity_changes, name="identity_changes"),
    path(
        "identity-changes/<int:pk>/decide/",
        views.identity_change_decision,
        name="identity_change_decision",
    ),
    path("person/<int:pk>/", person_page, name="institutes_person"),
]
