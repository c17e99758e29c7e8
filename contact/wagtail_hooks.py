"""Admin registrations of the contact centre."""

from django.urls import include, path

from wagtail import hooks

from . import menu, views, viewsets
from .admin_panels import ContactCentrePanel


@hooks.register("register_admin_viewset")
def register_viewsets():
    return viewsets.viewsets()


@hooks.register("register_admin_urls")
def register_urls():
    return [path("contact/", include(views.urlpatterns()))]


hooks.register("register_admin_menu_item", menu.contact_desk_menu_item)


@hooks.register("construct_homepage_panels")
def add_panels(request, panels):
    panels.append(ContactCentrePanel())
