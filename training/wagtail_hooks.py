"""Admin screens of the training app: two statements a wing."""

from wagtail import hooks

from institutes.admin_screens import register_admin_screens

from .placements import menu as placements_menu
from .placements import viewsets as placements_viewsets
from .staff import menu as staff_menu
from .staff import viewsets as staff_viewsets
from .staff.panels import TrainerHomePanel

register_admin_screens(
    prefix="training/",
    urls="training.staff.urls",
    viewsets=staff_viewsets.viewsets,
    menu_items=[staff_menu.compliance_menu_item],
)
register_admin_screens(
    prefix="training/placements/",
    urls="training.placements.urls",
    viewsets=placements_viewsets.viewsets,
    menu_items=[placements_menu.placements_menu_item],
)


@hooks.register("construct_homepage_panels")
def add_trainer_home_panel(request, panels):
    panels.append(TrainerHomePanel(request.user))
