"""Filters and tags for document templates.

Kept as a library name of its own so document templates `{% load certificates_pdf %}`;
the filters (`digits`, `number`, `percent`, `hours`, `docdate`, `ident`) are those of
`institutes/templatetags/formatting.py`, one implementation for PDFs and screens.
`image_alt` is the documents' own.
"""

from django import template
from django.utils import translation
from django.utils.translation import pgettext_lazy

from institutes.templatetags.formatting import register as formatting

register = template.Library()
register.filters.update(formatting.filters)
register.tags.update(formatting.tags)

#: What each image of a document shows, for readers that cannot see it (screen
#: readers, PDF/UA checkers: WeasyPrint logs every tagged image without one).
IMAGE_DESCRIPTIONS = {
    "emblem": pgettext_lazy("image description", "Emblem of the issuer"),
    "qr": pgettext_lazy("image description", "Verification QR code"),
}


@register.simple_tag
def image_alt(image: str, doc=None) -> str:
    """The alt text of a document's image (`emblem`, `qr`) in the document's
    languages, Arabic first: `doc.show_ar` / `doc.show_en`, both without a doc."""
    languages = [
        code
        for code, shown in (
            ("ar", getattr(doc, "show_ar", True)),
            ("en", getattr(doc, "show_en", True)),
        )
        if shown
    ] or ["ar"]
    texts = []
    for code in languages:
        with translation.override(code):
            texts.append(str(IMAGE_DESCRIPTIONS[image]))
    return " — ".join(texts)
