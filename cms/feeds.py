"""RSS and Atom feeds of the campaigns of the active language."""

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale

from .selectors import campaigns_for_feed


class CampaignFeed(Feed):
    title = _("Health-awareness campaigns")
    description = _(
        "New and updated health-awareness campaigns of the nursing institutes."
    )

    def link(self):
        return f"/{get_language()}/"

    def items(self):
        return campaigns_for_feed(locale=Locale.get_active())

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or timezone.now()

    def item_categories(self, item):
        return [item.get_audience_display()]


class CampaignAtomFeed(CampaignFeed):
    feed_type = Atom1Feed
    subtitle = CampaignFeed.description
