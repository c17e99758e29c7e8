"""Admin registrations of the training app; each area adds its own lines here."""

from django.urls import include, path

from wagtail import hooks

from . import staff_menu, staff_views, staff_viewsets


@hooks.register("register_admin_viewset")
def register_staff_training_viewsets():
    return staff_viewsets.viewsets()


@hooks.register("register_admin_urls")
def register_staff_training_urls():
    return [path("training/", include(staff_views.urlpatterns()))]


hooks.register("register_admin_menu_item", staff_menu.compliance_menu_item)
