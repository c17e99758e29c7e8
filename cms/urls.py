"""Public-site URLs that are not Wagtail pages (inside the /ar/ and /en/ prefixes)."""

from django.urls import path

from . import views
from .feeds import CampaignAtomFeed, CampaignFeed

urlpatterns = [
    path("search/", views.search, name="cms_search"),
    path("contact/", views.contact, name="cms_contact"),
    path("contact/sent/", views.contact_sent, name="cms_contact_sent"),
    path("contact/follow/", views.contact_follow, name="cms_contact_follow"),
    path("contact/follow/rate/", views.contact_rate, name="cms_contact_rate"),
    path("contact/follow/reopen/", views.contact_reopen, name="cms_contact_reopen"),
    path("contact/figures/", views.contact_figures, name="cms_contact_figures"),
    path("feeds/campaigns.rss", CampaignFeed(), name="cms_feed_rss"),
    path("feeds/campaigns.atom", CampaignAtomFeed(), name="cms_feed_atom"),
]
