from wagtail import hooks

from .admin_panels import CampaignsPastReviewPanel, ContactCentrePanel
from .viewsets import contact_request_viewset


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [contact_request_viewset]


@hooks.register("construct_homepage_panels")
def add_panels(request, panels):
    panels.append(ContactCentrePanel())
    panels.append(CampaignsPastReviewPanel())
