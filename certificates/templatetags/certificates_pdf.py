"""Filters for document templates: digits in the chosen script, dates in the language."""

import datetime

from django import template
from django.template.defaultfilters import date as date_filter

register = template.Library()

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@register.filter
def digits(value, mode="arab"):
    """Write Western digits as Arabic-Indic ones when `mode` is "arab"."""
    text = "" if value is None else str(value)
    return text.translate(_ARABIC_INDIC) if mode == "arab" else text


@register.filter
def docdate(value, mode="latn"):
    """A date as "24 نوفمبر 2026" / "24 November 2026" in the active language."""
    if not isinstance(value, datetime.date):
        return ""
    return digits(date_filter(value, "j F Y"), mode)
