from wagtail import hooks

from .viewsets import InstitutesGroup, institute_chooser_viewset, ward_chooser_viewset


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [InstitutesGroup(), ward_chooser_viewset, institute_chooser_viewset]
