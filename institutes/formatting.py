"""How numbers, dates and identifiers are written, and how typed numbers are read.

One module for every document template, PDF and screen, so that a document uses one
digit system throughout:

- `digits` is "arab" (Arabic-Indic: ٠١٢٣٤٥٦٧٨٩, decimal separator ٫ U+066B, thousands
  separator ٬ U+066C, percent sign ٪ U+066A) or "latn" (Western: 0-9, "." and ",").
  An ASCII full stop between Arabic-Indic digits reads as the Arabic-Indic zero
  (١١٧.٠ looks like ١١٧٠٠), so it is never written.
- Whole numbers print without decimals (117.0 -> ١١٧ / 117), others with what they
  need up to `places` (82.50 -> ٨٢٫٥ / 82.5).
- Identifiers (student and employee numbers, serials, verification codes, phone
  numbers, references such as CC-7Q2K-91XB) are never digit-converted: they print as
  typed, isolated as a left-to-right run so that the bidi algorithm cannot reorder
  their groups inside Arabic text (`<bdi dir="ltr">` in HTML, U+2066…U+2069 in text).

`parse_number` is the one reader of numbers people type: Western or Arabic-Indic (and
Persian) digits, ".", "," or "٫" as decimal separator, "٬" (or "," before a group of
three digits followed by a decimal point) as thousands separator.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

ARABIC_INDIC = "arab"
WESTERN = "latn"
DIGIT_SYSTEMS = (ARABIC_INDIC, WESTERN)

ARABIC_DECIMAL_SEPARATOR = "\u066b"  # ٫
ARABIC_THOUSANDS_SEPARATOR = "\u066c"  # ٬
ARABIC_PERCENT_SIGN = "\u066a"  # ٪
LEFT_TO_RIGHT_ISOLATE = "\u2066"
POP_DIRECTIONAL_ISOLATE = "\u2069"

_TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_TO_WESTERN = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic
        **{
            chr(0x06F0 + i): str(i) for i in range(10)
        },  # Persian (Eastern Arabic-Indic)
    }
)


def western_digits(text: object) -> str:
    """Typed text with Arabic-Indic and Persian digits read as Western ones (for
    identifiers a person types, e.g. an employee number typed on an Arabic keyboard)."""
    return str(text).translate(_TO_WESTERN)


def digit_system(mode: str | None) -> str:
    """ "arab" or "latn" (anything else, including None, means Western)."""
    return ARABIC_INDIC if mode == ARABIC_INDIC else WESTERN


def to_digits(text: object, mode: str | None = WESTERN) -> str:
    """Text with its Western digits written in `mode`'s digits (nothing else changes).

    For running text that holds numbers (years, "2025/2026"); never for identifiers.
    """
    text = "" if text is None else str(text)
    return text.translate(_TO_ARABIC_INDIC) if mode == ARABIC_INDIC else text


def _as_decimal(value: object) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def format_number(
    value: object,
    mode: str | None = WESTERN,
    *,
    places: int = 2,
    grouping: bool = False,
) -> str:
    """A number in `mode`'s digits: whole numbers without decimals, others rounded
    (half up) to at most `places` decimals without trailing zeros.

    `grouping` adds thousands separators (٬ or ,). Anything that is not a number is
    returned as text with its digits converted (so "—" stays "—").
    """
    number = _as_decimal(value)
    if number is None or not number.is_finite():
        return to_digits(value, mode)
    quantum = Decimal(1).scaleb(-places)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _dot, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    if grouping:
        whole = f"{int(whole):,}"
    if digit_system(mode) == ARABIC_INDIC:
        whole = whole.replace(",", ARABIC_THOUSANDS_SEPARATOR)
        result = whole + (ARABIC_DECIMAL_SEPARATOR + fraction if fraction else "")
        return sign + to_digits(result, ARABIC_INDIC)
    return sign + whole + ("." + fraction if fraction else "")


def format_percent(
    value: object, mode: str | None = WESTERN, *, places: int = 1
) -> str:
    """A percentage: ٩٣٪ / 93%, ٨٢٫٥٪ / 82.5% (one decimal where needed)."""
    if _as_decimal(value) is None:
        return to_digits(value, mode)
    sign = ARABIC_PERCENT_SIGN if digit_system(mode) == ARABIC_INDIC else "%"
    return format_number(value, mode, places=places) + sign


def format_hours(value: object, mode: str | None = WESTERN) -> str:
    """A number of hours (2.0 -> ٢ / 2, 1.5 -> ١٫٥ / 1.5); the unit is the sentence's."""
    return format_number(value, mode, places=2)


def plural_count(value: object) -> int:
    """The whole number that picks the plural form for `value` (`ngettext`,
    `{% blocktranslate count counter=value|plural_count %}`).

    gettext's plural formulas take whole numbers. A whole number counts as itself;
    a fraction («١٫٥ ساعة», "1.5 hours") takes the "other" form in Arabic and in
    English, which 100 selects in both catalogues' formulas. Nothing (None, "")
    counts as 0. The figure printed is formatted separately (`format_number`).
    """
    number = _as_decimal(value)
    if number is None or not number.is_finite():
        return 0
    if number == number.to_integral_value():
        return abs(int(number))
    return 100


def format_date(
    value: object,
    mode: str | None = WESTERN,
    *,
    pattern: str = "j F Y",
    language: str | None = None,
) -> str:
    """A date as "24 نوفمبر 2026" / "٢٤ نوفمبر ٢٠٢٦" / "24 November 2026".

    Month names are those of `language` (the active language by default).
    """
    if not isinstance(value, datetime.date):
        return ""
    if language:
        with translation.override(language):
            text = formats.date_format(value, pattern)
    else:
        text = formats.date_format(value, pattern)
    return to_digits(text, mode)


EMPTY_VALUE = "—"


def or_dash(value: object) -> object:
    """`value`, or "—" when it is empty (None, "", blanks, an empty collection); 0 and
    False are values. The one way screens and documents write "nothing here"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return EMPTY_VALUE
    if isinstance(value, list | tuple | set | dict) and not value:
        return EMPTY_VALUE
    return value


def isolate_identifier(value: object) -> str:
    """An identifier as typed, isolated left-to-right for plain text (U+2066…U+2069)."""
    text = "" if value is None else str(value)
    if not text:
        return ""
    return LEFT_TO_RIGHT_ISOLATE + text + POP_DIRECTIONAL_ISOLATE


def identifier_html(value: object) -> SafeString:
    """An identifier as typed, isolated left-to-right for HTML (escaped); class
    "ident" keeps it on one line on screens (institutes/admin.css, the public
    sites' stylesheets) and in documents (certificates/pdf/document.css)."""
    text = "" if value is None else str(value)
    if not text:
        return SafeString("")
    return format_html('<bdi dir="ltr" class="ident">{}</bdi>', text)


# --- reading numbers people type -------------------------------------------------


class NumberParseError(ValueError):
    """Typed text that is not a number; the message says what was expected."""


_SPACES = re.compile(r"[\s\u00a0\u202f\u200e\u200f\u2066-\u2069]")
_NUMBER = re.compile(r"^[+-]?(\d+)(?:([.,٫،])(\d+))?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:([,٬])\d{3})+(?:([.٫])(\d+))?$")


def parse_number(text: object) -> Decimal | None:
    """The number in typed text, or None when it is empty.

    Accepts Western, Arabic-Indic and Persian digits; ".", ",", "٫" (and the Arabic
    comma "،", which Arabic keyboards type for ",") as decimal separator; "٬" as
    thousands separator, and "," as thousands separator when a decimal point follows
    ("1,234.5"). A lone comma is a decimal comma ("82,5" is 82.5, as typed on French
    and Arabic keyboards). Raises `NumberParseError`.
    """
    if text is None:
        return None
    if isinstance(text, Decimal | int) and not isinstance(text, bool):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(repr(text))
    raw = _SPACES.sub("", str(text)).translate(_TO_WESTERN)
    raw = raw.replace("\u2212", "-")  # minus sign
    if not raw:
        return None
    grouped = _GROUPED.match(raw)
    if grouped and (grouped.group(1) == ARABIC_THOUSANDS_SEPARATOR or grouped.group(2)):
        raw = raw.replace(",", "").replace(ARABIC_THOUSANDS_SEPARATOR, "")
    match = _NUMBER.match(raw)
    if not match:
        raise NumberParseError(text)
    whole, _separator, fraction = match.groups()
    sign = "-" if raw.startswith("-") else ""
    return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")


def tel_uri(value: object) -> str:
    """A `tel:` address for a phone number as printed ("010 1234 5678", "+968 2460
    1234", Arabic-Indic digits): only a leading + and the digits (RFC 3966)."""
    text = western_digits(value or "").strip()
    digits = re.sub(r"\D", "", text)
    if not digits:
        return ""
    return f"tel:{'+' if text.startswith('+') else ''}{digits}"


class TypedDecimalField(forms.DecimalField):
    """A form's decimal field that reads numbers as people type them (`parse_number`):
    "٨٢٫٥", "82,5" and "82.5" are the same mark. Limits and places as DecimalField."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            number = parse_number(value)
        except NumberParseError:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from None
        return number
