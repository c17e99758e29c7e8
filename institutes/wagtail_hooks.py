from django.templatetags.static import static
from django.utils.html import format_html

from wagtail import hooks

from .admin_screens import register_admin_screens
from .menu import identity_changes_menu_item, people_menu_item
from .panels import MyAccessPanel
from .viewsets import InstitutesGroup, institute_chooser_viewset, ward_chooser_viewset

register_admin_screens(
    prefix="people/", urls="institutes.urls", menu_items=[people_menu_item]
)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [InstitutesGroup(), ward_chooser_viewset, institute_chooser_viewset]


@hooks.register("insert_global_admin_css")
def global_admin_css():
    """Styles every back-office screen needs (identifiers kept on one line)."""
    return format_html(
        '<link rel="stylesheet" href="{}">', static("institutes/admin.css")
    )


@hooks.register("construct_homepage_panels")
def add_my_access_panel(request, panels):
    panels.append(MyAccessPanel(request.user))


register_admin_screens(
    prefix="people/",
    urls="institutes.admin_urls",
    menu_items=[identity_changes_menu_item],
)
