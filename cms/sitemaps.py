"""sitemap.xml covering every language's page tree (Wagtail's covers only one).

Addresses start with the configured `SITE_BASE_URL` (never the Site record's
hostname, which is `localhost` in a fresh database), and each page lists its
translations as `hreflang` alternates (Arabic is also `x-default`).
"""

from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
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
            .select_related("locale")
            .specific()
        )

    def _rebase(self, location: str) -> str:
        parts = urlsplit(location)
        base = settings.SITE_BASE_URL.rstrip("/")
        query = f"?{parts.query}" if parts.query else ""
        return f"{base}{parts.path}{query}"

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        entries = []
        versions = defaultdict(list)
        for item in pages:
            own = item.get_full_url(self.request)
            if own is None:
                continue
            own = self._rebase(own)
            versions[item.translation_key].append((item.locale.language_code, own))
            entries.append((item, own))
        urls = []
        for item, own in entries:
            for info in item.get_sitemap_urls(self.request):
                location = self._rebase(info["location"])
                # A sub-route (e.g. an institute's page) keeps its suffix in every
                # language version.
                suffix = location[len(own) :] if location.startswith(own) else None
                alternates = []
                if suffix is not None:
                    alternates = [
                        {"lang_code": lang, "location": f"{address}{suffix}"}
                        for lang, address in versions[item.translation_key]
                    ]
                if len(alternates) > 1:
                    default = next(
                        (a for a in alternates if a["lang_code"] == "ar"), None
                    )
                    if default:
                        alternates.append(
                            {"lang_code": "x-default", "location": default["location"]}
                        )
                else:
                    alternates = []
                urls.append({**info, "location": location, "alternates": alternates})
        return urls
