"""Template filters of `institutes.formatting`, for documents and screens alike.

`{% load formatting %}` (document templates load them through `certificates_pdf`):

- `value|digits:mode`    text with its digits in `mode` ("arab"/"latn"); a number
  (int, Decimal, float) is formatted as by `number` (no ".0", ٫ with Arabic-Indic)
- `value|number:mode`    a number: 117.0 -> ١١٧ / 117, 82.5 -> ٨٢٫٥ / 82.5
- `value|percent:mode`   ٩٣٪ / 93%, one decimal where needed
- `value|hours:mode`     2.0 -> ٢ / 2
- `value|plural_count`   the whole number that picks a plural form for `value`
                         (`{% blocktranslate count counter=x|plural_count with
                         n=x|hours:dm %}`): 2.0 -> 2, 1.5 -> 100 ("other")
- `value|docdate:mode`   "24 نوفمبر 2026" in the active language, digits in `mode`
- `value|ident`          an identifier as typed, in `<bdi dir="ltr" class="ident">`
                         (never converted, never wrapped)
- `value|or_dash`        the value, or "—" when it is empty (None, "", an empty list)
- `user|user_name`       an account as its person's full name (the username if none),
                         "—" for no account
- `document|document_label:language`  an identity document's type (with the issuing
  country for passports and residence cards) in `language` ("ar"/"en", default the
  active one): «جواز سفر (السودان)», "Passport (Sudan)"
"""

from decimal import Decimal

from django import template
from django.utils import translation

from institutes import formatting

register = template.Library()


@register.filter
def digits(value, mode=formatting.ARABIC_INDIC):
    """Digits in `mode`; numbers are formatted (no ".0", the right separator)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return formatting.format_number(value, mode)
    return formatting.to_digits(value, mode)


@register.filter
def number(value, mode=formatting.WESTERN):
    return formatting.format_number(value, mode)


@register.filter
def percent(value, mode=formatting.WESTERN):
    return formatting.format_percent(value, mode)


@register.filter
def hours(value, mode=formatting.WESTERN):
    return formatting.format_hours(value, mode)


@register.filter
def plural_count(value):
    """The count for `{% blocktranslate count %}`: whole numbers as themselves, a
    fraction as the "other" form (see `institutes.formatting.plural_count`)."""
    return formatting.plural_count(value)


@register.filter
def docdate(value, mode=formatting.WESTERN):
    """A date as "24 نوفمبر 2026" / "24 November 2026" in the active language."""
    return formatting.format_date(value, mode)


@register.filter
def ident(value):
    """An identifier, never digit-converted, isolated as a left-to-right run."""
    return formatting.identifier_html(value)


@register.filter
def or_dash(value):
    """The value, or one "—" when it is empty, so that no screen prints "None"."""
    return formatting.or_dash(value)


@register.filter
def user_name(user):
    """An account as the person's name, never the bare username when a name exists."""
    from institutes.services import user_display_name

    return user_display_name(user) if user else formatting.EMPTY_VALUE


@register.filter
def name_size(value):
    """A class for a name's box: "", " long", " longer" or " longest" by its length,
    so one-page documents shrink long names instead of running onto a second page."""
    length = len(str(value or ""))
    if length > 100:
        return " longest"
    if length > 75:
        return " longer"
    if length > 50:
        return " long"
    return ""


@register.filter
def tel(value):
    """`href` for a phone number: `tel:` with digits only (no spaces or dashes)."""
    return formatting.tel_uri(value)


_DOCUMENTS_WITH_COUNTRY = ("passport", "residence_card")


@register.filter
def document_label(document, language=None):
    """An identity document's type in `language`, with the issuing country where the
    type alone does not say it (passports, residence cards)."""
    if document is None:
        return ""
    with translation.override(language or translation.get_language()):
        label = str(document.get_document_type_display())
        if document.document_type in _DOCUMENTS_WITH_COUNTRY and document.country:
            label = f"{label} ({document.get_country_display()})"
    return label
