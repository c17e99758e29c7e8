"""StreamField blocks for campaign and standard pages.

Every block renders through a template in `templates/components/streamfield/`. Images
carry alt text (Wagtail's `ImageBlock` refuses an image without one unless marked
decorative); places link to the hospitals and wards of the institutes app.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class ModelChoiceBlock(blocks.FieldBlock):
    """A select of rows of a model (reference data such as hospitals and wards).

    Stores the primary key; `bulk_to_python` loads every row of a page in one query.
    """

    model = None

    def __init__(self, required=True, help_text=None, **kwargs):
        self._required = required
        self._help_text = help_text
        super().__init__(**kwargs)

    @cached_property
    def field(self):
        return forms.ModelChoiceField(
            queryset=self.get_queryset(),
            required=self._required,
            help_text=self._help_text,
        )

    def get_queryset(self):
        return self.model.objects.all()

    def to_python(self, value):
        if not value:
            return None
        return self.get_queryset().filter(pk=value).first()

    def bulk_to_python(self, values):
        ids = [v for v in values if v]
        found = self.get_queryset().in_bulk(ids) if ids else {}
        return [found.get(v) if v else None for v in values]

    def get_prep_value(self, value):
        if value is None or value == "":
            return None
        return value.pk if hasattr(value, "pk") else int(value)

    def value_for_form(self, value):
        return value.pk if hasattr(value, "pk") else value

    def value_from_form(self, value):
        return value


class HospitalChoiceBlock(ModelChoiceBlock):
    @property
    def model(self):
        from institutes.models import Hospital

        return Hospital


class WardChoiceBlock(ModelChoiceBlock):
    @property
    def model(self):
        from institutes.models import Ward

        return Ward

    def get_queryset(self):
        return self.model.objects.select_related("hospital").filter(is_active=True)


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("figure"), max_length=30)
    label = blocks.CharBlock(label=_("what it counts"), max_length=120)

    class Meta:
        icon = "order"
        label = _("Key figure")


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    figures = blocks.ListBlock(
        KeyFigureBlock(),
        min_num=1,
        max_num=6,
        label=pgettext_lazy("page block", "figures"),
    )

    class Meta:
        icon = "order"
        label = _("Key figures")
        template = "components/streamfield/key_figures.html"


class WhoShouldComeBlock(blocks.StructBlock):
    who = blocks.ListBlock(
        blocks.CharBlock(max_length=200), label=_("who should come"), min_num=1
    )
    bring = blocks.ListBlock(
        blocks.CharBlock(max_length=200), label=_("what to bring"), required=False
    )

    class Meta:
        icon = "group"
        label = _("Who should come / what to bring")
        template = "components/streamfield/who_should_come.html"


class PlaceBlock(blocks.StructBlock):
    hospital = HospitalChoiceBlock(label=_("hospital"))
    ward = WardChoiceBlock(
        label=_("ward or clinic"),
        required=False,
        help_text=_("Optional: the ward or clinic of that hospital."),
    )
    hours = blocks.CharBlock(label=_("opening hours"), max_length=120)
    hotline = blocks.CharBlock(
        label=_("hotline"),
        max_length=30,
        required=False,
        help_text=_("Leave empty to show the hospital's own hotline."),
    )
    notes = blocks.CharBlock(label=_("notes"), max_length=250, required=False)

    class Meta:
        icon = "site"
        label = _("Place")

    def clean(self, value):
        value = super().clean(value)
        ward, hospital = value.get("ward"), value.get("hospital")
        if (
            ward is not None
            and hospital is not None
            and ward.hospital_id != hospital.pk
        ):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "ward": ValidationError(
                        _("This ward belongs to another hospital: choose one of %(h)s.")
                        % {"h": hospital}
                    )
                }
            )
        return value


class WhereToGoBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    places = blocks.ListBlock(
        PlaceBlock(), min_num=1, label=pgettext_lazy("page block", "places")
    )

    class Meta:
        icon = "site"
        label = _("Where to go")
        template = "components/streamfield/where_to_go.html"


class DoDontBlock(blocks.StructBlock):
    do = blocks.ListBlock(blocks.CharBlock(max_length=200), label=_("do"), min_num=1)
    dont = blocks.ListBlock(
        blocks.CharBlock(max_length=200), label=_("don't"), min_num=1
    )

    class Meta:
        icon = "tick"
        label = _("Do and don't")
        template = "components/streamfield/do_dont.html"


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=250)
    answer = blocks.RichTextBlock(label=_("answer"), features=RICH_TEXT_FEATURES)


class FaqBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    items = blocks.ListBlock(
        FaqItemBlock(), min_num=1, label=pgettext_lazy("page block", "questions")
    )

    class Meta:
        icon = "help"
        label = _("Frequently asked questions")
        template = "components/streamfield/faq.html"


_TEL = re.compile(r"tel:\+?[0-9][0-9-]{1,19}")


def is_safe_link(url: str) -> bool:
    """Whether a typed link is a same-site path, an https URL, tel: or mailto:.

    "//other-host/" and "/\\other-host/" are other sites to a browser; white space,
    control characters and backslashes (which browsers drop or read as "/") are
    refused outright rather than interpreted.
    """
    if not url or any(c.isspace() or c == "\\" or not c.isprintable() for c in url):
        return False
    if url.startswith("/"):
        return not url.startswith("//") and url_has_allowed_host_and_scheme(
            url, allowed_hosts=None
        )
    if url.lower().startswith("https://"):
        parts = urlsplit(url)
        return parts.scheme == "https" and bool(parts.hostname)
    if url.startswith("tel:"):
        return bool(_TEL.fullmatch(url))
    if url.startswith("mailto:"):
        try:
            validate_email(url.removeprefix("mailto:").split("?", 1)[0])
        except ValidationError:
            return False
        return True
    return False


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=250)
    button_label = blocks.CharBlock(label=_("button label"), max_length=60)
    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.CharBlock(
        label=_("or a link"),
        required=False,
        max_length=300,
        help_text=_("A web address, or tel:15335 to call a hotline."),
    )

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "components/streamfield/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Choose a page or enter a link."))
                }
            )
        url = value.get("url") or ""
        if url and not is_safe_link(url):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _(
                            "Links are a path on this site (starting with one /), "
                            "an https:// address, tel: or mailto:."
                        )
                    )
                }
            )
        return value


class LeafletBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    document = DocumentChooserBlock(label=_("document"))

    class Meta:
        icon = "doc-full"
        label = _("Leaflet")


class LeafletsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)
    leaflets = blocks.ListBlock(LeafletBlock(), min_num=1)

    class Meta:
        icon = "doc-full"
        label = _("Leaflets to download")
        template = "components/streamfield/leaflets.html"


_YOUTUBE = re.compile(
    r"^https://(?:www\.)?(?:youtube\.com/watch\?v=|youtu\.be/|youtube-nocookie\.com/embed/)"
    r"(?P<id>[\w-]{11})"
)
_VIMEO = re.compile(r"^https://(?:www\.)?vimeo\.com/(?P<id>\d+)")


def video_embed_url(url: str) -> str | None:
    """The privacy-friendly embed address for a YouTube or Vimeo link (no oEmbed call)."""
    if match := _YOUTUBE.match(url or ""):
        return f"https://www.youtube-nocookie.com/embed/{match['id']}"
    if match := _VIMEO.match(url or ""):
        return f"https://player.vimeo.com/video/{match['id']}"
    return None


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("title"),
        max_length=150,
        help_text=_("Describes the video for screen-reader users."),
    )
    url = blocks.URLBlock(label=_("YouTube or Vimeo address"))
    transcript = blocks.TextBlock(label=_("transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "components/streamfield/video.html"

    def clean(self, value):
        value = super().clean(value)
        if video_embed_url(value.get("url")) is None:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Paste a YouTube or Vimeo address (https://…).")
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = video_embed_url(value.get("url"))
        return context


class FigureBlock(ImageBlock):
    """An image with required alt text (or marked decorative) and an optional caption."""

    class Meta:
        icon = "image"
        label = _("Image")
        template = "components/streamfield/image.html"


class RichTextBlock(blocks.RichTextBlock):
    class Meta:
        template = "components/streamfield/rich_text.html"


class CampaignStreamBlock(blocks.StreamBlock):
    rich_text = RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    image = FigureBlock()
    key_figures = KeyFiguresBlock()
    who_should_come = WhoShouldComeBlock()
    where_to_go = WhereToGoBlock()
    do_dont = DoDontBlock()
    faq = FaqBlock()
    call_to_action = CallToActionBlock()
    leaflets = LeafletsBlock()
    video = VideoBlock()


class StandardStreamBlock(blocks.StreamBlock):
    rich_text = RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    image = FigureBlock()
    faq = FaqBlock()
    call_to_action = CallToActionBlock()
