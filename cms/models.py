"""The public site: home, campaigns, institutes, standard pages, and the contact centre.

Pages are edited in Wagtail's page explorer (one tree per language: Arabic original,
English translation). Institute pages read `institutes.Institute` rows, so institute
facts are entered once. Contact requests sent from the public form belong to the
`contact` app, which handles them in the back office.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from institutes.arabic import normalize_for_search
from institutes.models import Institute

from .blocks import RICH_TEXT_FEATURES, CampaignStreamBlock, StandardStreamBlock
from .cache import AnonymousPageCacheMixin, remembered


class SearchablePageMixin(models.Model):
    """A normalised copy of a page's text, searched without diacritics or variants."""

    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs):
        self.refresh_search_text()
        super().full_clean(*args, **kwargs)

    def search_parts(self) -> list[str]:
        return [self.title]

    def refresh_search_text(self) -> None:
        self.search_text = normalize_for_search(*self.search_parts())


def _stream_text(stream) -> str:
    """Plain text of a StreamField (for the search index)."""
    try:
        return strip_tags(stream.render_as_block()) if stream else ""
    except Exception:  # noqa: BLE001 - a broken block must not stop saving a page
        return ""


def _route_to_child(parent: Page, request, path_components, **select_related):
    """Wagtail's `Page.route` to a child in one query instead of two.

    Wagtail loads the child as a base page, then again as its specific type. The
    slugs and types of a page's children are remembered until the page tree changes
    (`cms.cache.remembered`), so the child is loaded once, as its own type, with the
    joins its template needs (`select_related`, per model name). Anything not found
    goes through Wagtail's own routing (and its 404).
    """
    from django.contrib.contenttypes.models import ContentType

    children = remembered(
        f"children:{parent.pk}",
        lambda: {
            slug: (pk, content_type_id)
            for slug, pk, content_type_id in parent.get_children().values_list(
                "slug", "pk", "content_type_id"
            )
        },
    )
    found = children.get(path_components[0])
    model = ContentType.objects.get_for_id(found[1]).model_class() if found else None
    if model is None:
        return Page.route(parent, request, path_components)
    pages = model._default_manager.all()
    joins = select_related.get(model.__name__)
    if joins:
        pages = pages.select_related(*joins)
    subpage = pages.filter(pk=found[0]).first()
    if subpage is None:
        return Page.route(parent, request, path_components)
    subpage._cached_parent_obj = parent
    return subpage.route(request, path_components[1:])


class HomePage(AnonymousPageCacheMixin, SearchablePageMixin, Page):  # noqa: DJ008 - Page.__str__ is the title
    """The site's home page (one per language). Edited in Pages."""

    intro = models.TextField(_("introduction"), max_length=500, blank=True)
    hotline = models.CharField(
        _("contact centre hotline"), max_length=30, default="24441999"
    )
    hotline_hours = models.CharField(
        _("hotline hours"),
        max_length=200,
        blank=True,
        help_text=_("e.g. daily 7:30–21:30; official holidays 9:30–16:30"),
    )
    news = RichTextField(_("news and events"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("hotline"), FieldPanel("hotline_hours")]),
        FieldPanel("news"),
    ]
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.CampaignIndexPage",
        "cms.InstituteIndexPage",
        "cms.StandardPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def search_parts(self):
        return [self.title, self.intro]

    def get_context(self, request, *args, **kwargs):
        from .selectors import campaigns_current, institutes_public

        context = super().get_context(request, *args, **kwargs)
        context["campaigns"] = campaigns_current(locale=self.locale_id, limit=6)
        context["institutes"] = institutes_public().prefetch_related(None)
        context.update(remembered(f"home-indexes:{self.pk}", self._index_urls))
        return context

    def _index_urls(self) -> dict[str, str]:
        urls = {"institute_index_url": "", "campaign_index_url": ""}
        for page in (
            Page.objects.child_of(self)
            .live()
            .type(InstituteIndexPage, CampaignIndexPage)
            .select_related("content_type")
        ):
            key = (
                "institute_index_url"
                if page.content_type.model_class() is InstituteIndexPage
                else "campaign_index_url"
            )
            urls[key] = urls[key] or page.url
        return urls

    def route(self, request, path_components):
        if path_components:
            return _route_to_child(self, request, path_components, CampaignIndexPage=())
        return super().route(request, path_components)


class CampaignIndexPage(AnonymousPageCacheMixin, SearchablePageMixin, Page):  # noqa: DJ008 - Page.__str__ is the title
    """Lists the campaigns of one language: running, upcoming, past."""

    intro = models.TextField(_("introduction"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.CampaignPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("campaign index")

    def search_parts(self):
        return [self.title, self.intro]

    def get_context(self, request, *args, **kwargs):
        from .selectors import campaigns_by_status

        context = super().get_context(request, *args, **kwargs)
        context["groups"] = campaigns_by_status(index=self)
        return context

    def route(self, request, path_components):
        if path_components:
            return _route_to_child(
                self, request, path_components, CampaignPage=("hero_image",)
            )
        return super().route(request, path_components)


class CampaignPageTag(TaggedItemBase):
    """A topic tag of a campaign page."""

    content_object = ParentalKey(
        "cms.CampaignPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Audience(models.TextChoices):
    WOMEN = "women", _("Women")
    MOTHERS = "mothers", _("Mothers and newborns")
    UNDER_FIVE = "under_five", _("Children under five")
    CHRONIC = "chronic", _("People with chronic conditions")
    STAFF = "staff", _("Health staff")
    EVERYONE = "everyone", _("Everyone")


class CampaignStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    RUNNING = "running", _("Running")
    PAST = "past", _("Past")


class CampaignPage(AnonymousPageCacheMixin, SearchablePageMixin, Page):  # noqa: DJ008 - Page.__str__ is the title
    """A health-awareness campaign: who it is for, where to go, what to know.

    Reviewed clinically on a schedule: a page past its next review date is listed on
    the editors' dashboard until someone reviews it.
    """

    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_("One or two sentences shown in lists, search and link previews."),
    )
    start_date = models.DateField(_("starts on"))
    end_date = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Empty for ongoing campaigns.")
    )
    audience = models.CharField(
        _("target audience"), max_length=20, choices=Audience.choices
    )
    tags = ClusterTaggableManager(
        through=CampaignPageTag, blank=True, verbose_name=_("topics")
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    hero_alt = models.CharField(
        _("hero image alt text"),
        max_length=250,
        help_text=_(
            "Describe what the image shows for people who cannot see it (required)."
        ),
    )
    body = StreamField(CampaignStreamBlock(), verbose_name=_("body"), blank=True)
    last_reviewed = models.DateField(_("last reviewed on"))
    next_review = models.DateField(_("next review due"))
    clinical_signoff = models.CharField(
        _("clinical sign-off"),
        max_length=200,
        help_text=_("Name and position of the clinician who approved the content."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldRowPanel([FieldPanel("audience"), FieldPanel("tags")]),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_alt")],
            heading=_("Hero image"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("last_reviewed"), FieldPanel("next_review")]),
                FieldPanel("clinical_signoff"),
            ],
            heading=_("Clinical review"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.FilterField("start_date"),
    ]
    parent_page_types = ["cms.CampaignIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("campaign page")
        verbose_name_plural = _("campaign pages")

    def clean(self):
        super().clean()
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("A campaign cannot end before it starts.")
        if (
            self.last_reviewed
            and self.next_review
            and self.next_review <= self.last_reviewed
        ):
            errors["next_review"] = _(
                "The next review must come after the last review."
            )
        if errors:
            raise ValidationError(errors)

    def search_parts(self):
        return [self.title, self.summary, _stream_text(self.body)]

    def status_on(self, day: datetime.date) -> str:
        if self.start_date > day:
            return CampaignStatus.UPCOMING
        if self.end_date and self.end_date < day:
            return CampaignStatus.PAST
        return CampaignStatus.RUNNING

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return CampaignStatus(self.status).label

    @property
    def is_past_review(self) -> bool:
        return self.next_review < timezone.localdate()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = list(self.tags.all())
        return context


class StandardPage(AnonymousPageCacheMixin, SearchablePageMixin, Page):  # noqa: DJ008 - Page.__str__ is the title
    """About, privacy, accessibility statement and similar pages."""

    intro = models.TextField(_("introduction"), max_length=500, blank=True)
    body = StreamField(StandardStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")

    def search_parts(self):
        return [self.title, self.intro, _stream_text(self.body)]


class InstituteIndexPage(  # noqa: DJ008 - Page.__str__ is the title
    AnonymousPageCacheMixin, SearchablePageMixin, RoutablePageMixin, Page
):
    """The institutes and their five-year programme; each institute's page is a route.

    Institute facts (names, hospital, contacts) come from `institutes.Institute`;
    only the programme and admission text common to all institutes is written here.
    """

    intro = models.TextField(_("introduction"), max_length=500, blank=True)
    programme = RichTextField(
        _("the programme"), blank=True, features=RICH_TEXT_FEATURES
    )
    admission = RichTextField(
        _("admission requirements"), blank=True, features=RICH_TEXT_FEATURES
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("programme"),
        FieldPanel("admission"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("institute index")

    def search_parts(self):
        return [self.title, self.intro, strip_tags(self.programme)]

    def institute_url(self, institute: Institute) -> str:
        return self.url + self.reverse_subpage("institute", args=[institute.code])

    @path("")
    def index_route(self, request):
        from .selectors import institutes_public

        institutes = list(institutes_public())
        for institute in institutes:
            institute.public_url = self.institute_url(institute)
        return self.render(request, context_overrides={"institutes": institutes})

    @path("<slug:code>/", name="institute")
    def institute_route(self, request, code):
        from .selectors import institutes_public

        institute = get_object_or_404(institutes_public(), code=code)
        return self.render(
            request,
            context_overrides={"institute": institute, "og_title": institute.name},
            template="cms/institute_detail.html",
        )

    def get_sitemap_urls(self, request=None):
        from .selectors import institutes_public

        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        for institute in institutes_public():
            urls.append(
                {
                    "location": base
                    + self.reverse_subpage("institute", args=[institute.code]),
                    "lastmod": self.last_published_at,
                }
            )
        return urls
