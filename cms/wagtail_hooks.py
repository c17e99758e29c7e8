from wagtail import hooks

from .admin_panels import CampaignsPastReviewPanel


@hooks.register("construct_homepage_panels")
def add_panels(request, panels):
    panels.append(CampaignsPastReviewPanel())
