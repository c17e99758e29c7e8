"""Identity documents: which kinds a person can be identified by, and their checks.

A person is identified by one or more documents, each a (type, issuing country,
number). Each type is checked by its own rules with its own message:

- the Egyptian national number by `institutes.national_id` (date of birth,
  governorate, sex; its check digit is unpublished and not checked);
- the Omani civil number, passports and residence cards by their *format* only: no
  check-digit algorithm is published for them (a passport's ICAO check digits belong
  to the machine-readable zone, not to the number people type).

The deployment chooses which type and country its forms offer first
(`IDENTITY_DEFAULT_DOCUMENT_TYPE`, `IDENTITY_DEFAULT_COUNTRY`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .national_id import clean_national_id_input, parse_national_id


class Country(models.TextChoices):
    """Countries by ISO 3166-1 alpha-2 code: Arab League members and the countries
    most of the region's expatriate health staff come from. Add a line to extend."""

    EGYPT = "EG", _("Egypt")
    OMAN = "OM", _("Oman")
    SAUDI_ARABIA = "SA", _("Saudi Arabia")
    UNITED_ARAB_EMIRATES = "AE", _("United Arab Emirates")
    QATAR = "QA", _("Qatar")
    BAHRAIN = "BH", _("Bahrain")
    KUWAIT = "KW", _("Kuwait")
    YEMEN = "YE", _("Yemen")
    JORDAN = "JO", _("Jordan")
    PALESTINE = "PS", _("Palestine")
    LEBANON = "LB", _("Lebanon")
    SYRIA = "SY", _("Syria")
    IRAQ = "IQ", _("Iraq")
    SUDAN = "SD", _("Sudan")
    LIBYA = "LY", _("Libya")
    TUNISIA = "TN", _("Tunisia")
    ALGERIA = "DZ", _("Algeria")
    MOROCCO = "MA", _("Morocco")
    MAURITANIA = "MR", _("Mauritania")
    SOMALIA = "SO", _("Somalia")
    DJIBOUTI = "DJ", _("Djibouti")
    COMOROS = "KM", _("Comoros")
    INDIA = "IN", _("India")
    PAKISTAN = "PK", _("Pakistan")
    BANGLADESH = "BD", _("Bangladesh")
    SRI_LANKA = "LK", _("Sri Lanka")
    NEPAL = "NP", _("Nepal")
    PHILIPPINES = "PH", _("Philippines")
    INDONESIA = "ID", _("Indonesia")
    MALAYSIA = "MY", _("Malaysia")
    IRAN = "IR", _("Iran")
    TURKEY = "TR", _("Türkiye")
    ETHIOPIA = "ET", _("Ethiopia")
    KENYA = "KE", _("Kenya")
    NIGERIA = "NG", _("Nigeria")
    UNITED_KINGDOM = "GB", _("United Kingdom")
    IRELAND = "IE", _("Ireland")
    GERMANY = "DE", _("Germany")
    FRANCE = "FR", _("France")
    UNITED_STATES = "US", _("United States")
    CANADA = "CA", _("Canada")
    AUSTRALIA = "AU", _("Australia")


class DocumentType(models.TextChoices):
    EGYPTIAN_NATIONAL_ID = "eg_national_id", _("Egyptian national ID")
    OMANI_CIVIL_NUMBER = "om_civil_number", _("Omani civil number")
    PASSPORT = "passport", _("Passport")
    RESIDENCE_CARD = "residence_card", _("Residence card")


# National documents are issued by one country only.
FIXED_COUNTRY = {
    DocumentType.EGYPTIAN_NATIONAL_ID: Country.EGYPT,
    DocumentType.OMANI_CIVIL_NUMBER: Country.OMAN,
}
# Cards and passports expire; the Egyptian national *number* does not.
HAS_EXPIRY = frozenset(
    {
        DocumentType.OMANI_CIVIL_NUMBER,
        DocumentType.PASSPORT,
        DocumentType.RESIDENCE_CARD,
    }
)

_OMANI_CIVIL = re.compile(r"[0-9]{6,9}")
_PASSPORT = re.compile(r"[A-Z0-9]{5,12}")
_RESIDENCE = re.compile(r"[A-Z0-9]{5,15}")


@dataclass(frozen=True)
class DocumentInput:
    """A document as typed: its type, number, issuing country and expiry."""

    document_type: str
    number: str
    country: str = ""
    expires_on: datetime.date | None = None


@dataclass(frozen=True)
class CheckedDocument:
    """A document that passed its checks, with what its number says about the person."""

    document_type: str
    country: str
    number: str
    expires_on: datetime.date | None = None
    birth_date: datetime.date | None = None
    sex: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.document_type, self.country, self.number)


def default_document_type() -> str:
    return getattr(
        settings, "IDENTITY_DEFAULT_DOCUMENT_TYPE", DocumentType.EGYPTIAN_NATIONAL_ID
    )


def default_country() -> str:
    return getattr(settings, "IDENTITY_DEFAULT_COUNTRY", Country.EGYPT)


def document_type_choices() -> list[tuple[str, str]]:
    """The document types with the deployment's default first."""
    first = default_document_type()
    return sorted(DocumentType.choices, key=lambda c: c[0] != first)


def country_choices() -> list[tuple[str, str]]:
    """The countries with the deployment's default first."""
    first = default_country()
    return sorted(Country.choices, key=lambda c: c[0] != first)


def clean_document_number(value: str) -> str:
    """Arabic-Indic digits folded, spaces and dashes dropped, letters upper-cased."""
    return clean_national_id_input(value).replace("/", "").upper()


def document_key(document_type: str, country: str, number: str) -> tuple[str, str, str]:
    """The (type, country, number) a document is matched by, normalised like the
    checks normalise it (so a typed key finds the stored row without validating)."""
    country = FIXED_COUNTRY.get(document_type, (country or "").upper())
    return (document_type, str(country), clean_document_number(number))


def check_document(
    document: DocumentInput,
    *,
    birth_date: datetime.date | None = None,
    sex: str | None = None,
) -> CheckedDocument:
    """Check a document by its type's rules; raise a ValidationError saying what is
    wrong (keyed by `document_type`, `document_country`, `document_number` or
    `document_expires_on`)."""
    kind = document.document_type
    if kind not in DocumentType.values:
        raise ValidationError(
            {
                "document_type": ValidationError(
                    _("Choose the type of identity document."),
                    code="document_type",
                )
            }
        )
    fixed = FIXED_COUNTRY.get(kind)
    country = (document.country or "").upper() or (fixed or "")
    if fixed and country != fixed:
        raise ValidationError(
            {
                "document_country": ValidationError(
                    _("An %(type)s is issued by %(country)s only."),
                    code="document_country",
                    params={
                        "type": DocumentType(kind).label,
                        "country": Country(fixed).label,
                    },
                )
            }
        )
    if country not in Country.values:
        raise ValidationError(
            {
                "document_country": ValidationError(
                    _("Choose the country that issued the document."),
                    code="document_country",
                )
            }
        )
    if document.expires_on and kind not in HAS_EXPIRY:
        raise ValidationError(
            {
                "document_expires_on": ValidationError(
                    _("An %(type)s has no expiry date; leave it empty."),
                    code="document_expiry",
                    params={"type": DocumentType(kind).label},
                )
            }
        )
    number = clean_document_number(document.number)
    if kind == DocumentType.EGYPTIAN_NATIONAL_ID:
        try:
            parsed = parse_national_id(number, birth_date=birth_date, sex=sex)
        except ValidationError as exc:
            raise ValidationError({"document_number": exc}) from None
        return CheckedDocument(
            kind, country, parsed.number, None, parsed.birth_date, parsed.sex
        )
    pattern, message = {
        DocumentType.OMANI_CIVIL_NUMBER: (
            _OMANI_CIVIL,
            _("An Omani civil number is 6 to 9 digits (you entered “%(value)s”)."),
        ),
        DocumentType.PASSPORT: (
            _PASSPORT,
            _(
                "A passport number is 5 to 12 Latin letters and digits (you entered "
                "“%(value)s”)."
            ),
        ),
        DocumentType.RESIDENCE_CARD: (
            _RESIDENCE,
            _(
                "A residence card number is 5 to 15 Latin letters and digits (you "
                "entered “%(value)s”)."
            ),
        ),
    }[kind]
    if not pattern.fullmatch(number) or not number.strip("0"):
        raise ValidationError(
            {
                "document_number": ValidationError(
                    message, code="document_number", params={"value": number}
                )
            }
        )
    return CheckedDocument(kind, country, number, document.expires_on)


def _lookup(choices, extra: dict[str, str]) -> dict[str, str]:
    from django.utils import translation

    from .arabic import normalize_for_search

    table = {}
    for value, label in choices:
        table[normalize_for_search(value)] = value
        for lang in ("ar", "en"):
            with translation.override(lang):
                table[normalize_for_search(str(label))] = value
    table.update({normalize_for_search(k): v for k, v in extra.items()})
    return table


_TYPE_WORDS = {
    "الرقم القومي": DocumentType.EGYPTIAN_NATIONAL_ID,
    "رقم قومي": DocumentType.EGYPTIAN_NATIONAL_ID,
    "national id": DocumentType.EGYPTIAN_NATIONAL_ID,
    "الرقم المدني": DocumentType.OMANI_CIVIL_NUMBER,
    "civil number": DocumentType.OMANI_CIVIL_NUMBER,
    "جواز": DocumentType.PASSPORT,
    "جواز سفر": DocumentType.PASSPORT,
    "بطاقة إقامة": DocumentType.RESIDENCE_CARD,
    "إقامة": DocumentType.RESIDENCE_CARD,
    "residence": DocumentType.RESIDENCE_CARD,
    "resident card": DocumentType.RESIDENCE_CARD,
}


def document_type_from_text(text: str) -> str | None:
    """A document type from a code or its Arabic or English name (imports)."""
    from .arabic import normalize_for_search

    if not (text or "").strip():
        return None
    return _lookup(DocumentType.choices, _TYPE_WORDS).get(normalize_for_search(text))


def country_from_text(text: str) -> str | None:
    """A country code from an ISO code or its Arabic or English name (imports)."""
    from .arabic import normalize_for_search

    if not (text or "").strip():
        return None
    return _lookup(Country.choices, {"مصري": "EG", "عماني": "OM"}).get(
        normalize_for_search(text)
    )


def document_from_cells(
    *, number: str, kind: str = "", country: str = ""
) -> DocumentInput:
    """A document from an import row's cells: the deployment's default type (and
    country) when the type cell is empty; a ValidationError naming an unknown type or
    country."""
    document_type = default_document_type()
    if (kind or "").strip():
        document_type = document_type_from_text(kind)
        if document_type is None:
            raise ValidationError(
                _("Document type “%(value)s” is not known."), params={"value": kind}
            )
    issuing = "" if (kind or "").strip() else default_country()
    if (country or "").strip():
        issuing = country_from_text(country)
        if issuing is None:
            raise ValidationError(
                _("Issuing country “%(value)s” is not a known country."),
                params={"value": country},
            )
    return DocumentInput(document_type, number or "", issuing)


def document_key_from_cells(*, number: str, kind: str = "", country: str = "") -> str:
    """The duplicate-detection key of an import row (never raises)."""
    document_type = document_type_from_text(kind) or default_document_type()
    issuing = country_from_text(country) or ("" if kind else default_country())
    return "|".join(document_key(document_type, issuing, number))


DOCUMENT_COLUMN_ALIASES = (
    "الرقم القومي",
    "رقم قومي",
    "الرقم القومى",
    "national id",
    "nid",
    "national_id",
    "رقم الوثيقة",
    "رقم الهوية",
    "الرقم المدني",
    "رقم الجواز",
    "document number",
    "civil number",
    "passport number",
)
