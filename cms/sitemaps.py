"""sitemap.xml covering every language's page tree (Wagtail's covers only one)."""

from django.db.models import Q

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class AllLocalesSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key)
        condition = Q()
        for page in roots:
            condition |= Q(path__startswith=page.path)
        return (
            Page.objects.filter(condition)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
