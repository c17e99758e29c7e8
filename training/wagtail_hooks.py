"""Admin registrations of the training app; each area adds its own lines here."""

from django.urls import include, path

from wagtail import hooks

from . import (
    placement_menu,
    placement_views,
    placement_viewsets,
    staff_menu,
    staff_views,
    staff_viewsets,
)


@hooks.register("register_admin_viewset")
def register_staff_training_viewsets():
    return staff_viewsets.viewsets()


@hooks.register("register_admin_urls")
def register_staff_training_urls():
    return [path("training/", include(staff_views.urlpatterns()))]


hooks.register("register_admin_menu_item", staff_menu.compliance_menu_item)


@hooks.register("register_admin_viewset")
def register_placement_viewsets():
    return placement_viewsets.viewsets()


@hooks.register("register_admin_urls")
def register_placement_urls():
    return [path("training/placements/", include(placement_views.urlpatterns()))]


hooks.register("register_admin_menu_item", placement_menu.placements_menu_item)
