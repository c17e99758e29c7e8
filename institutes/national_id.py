"""The Egyptian national number (الرقم القومي): parsing and validation.

14 digits, `C YYMMDD GG SSSS K`: century, birth date, governorate of birth, a
sequence whose last digit gives sex (odd male, even female), and a check digit whose
algorithm is unpublished and therefore not checked. Students and staff share this.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Governorate(models.TextChoices):
    """Governorates by their national-ID code."""

    CAIRO = "01", _("Cairo")
    ALEXANDRIA = "02", _("Alexandria")
    PORT_SAID = "03", _("Port Said")
    SUEZ = "04", _("Suez")
    DAMIETTA = "11", _("Damietta")
    DAKAHLIA = "12", _("Dakahlia")
    SHARQIA = "13", _("Sharqia")
    QALYUBIA = "14", _("Qalyubia")
    KAFR_EL_SHEIKH = "15", _("Kafr El Sheikh")
    GHARBIA = "16", _("Gharbia")
    MONUFIA = "17", _("Monufia")
    BEHEIRA = "18", _("Beheira")
    ISMAILIA = "19", _("Ismailia")
    GIZA = "21", _("Giza")
    BENI_SUEF = "22", _("Beni Suef")
    FAIYUM = "23", _("Faiyum")
    MINYA = "24", _("Minya")
    ASYUT = "25", _("Asyut")
    SOHAG = "26", _("Sohag")
    QENA = "27", _("Qena")
    ASWAN = "28", _("Aswan")
    LUXOR = "29", _("Luxor")
    RED_SEA = "31", _("Red Sea")
    NEW_VALLEY = "32", _("New Valley")
    MATROUH = "33", _("Matrouh")
    NORTH_SINAI = "34", _("North Sinai")
    SOUTH_SINAI = "35", _("South Sinai")
    ABROAD = "88", _("Born abroad")


class Sex(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


_CENTURIES = {"2": 1900, "3": 2000}
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass(frozen=True)
class NationalId:
    number: str
    birth_date: datetime.date
    governorate: str
    sex: str


def clean_national_id_input(value: str) -> str:
    """Digits only, Arabic-Indic digits folded, spaces and dashes dropped."""
    return "".join(str(value or "").translate(_ARABIC_DIGITS).split()).replace("-", "")


def parse_national_id(
    value: str,
    *,
    birth_date: datetime.date | None = None,
    sex: str | None = None,
) -> NationalId:
    """Parse and check a national ID, raising a ValidationError that says what is wrong.

    When `birth_date` or `sex` are given they must agree with the number.
    """
    number = clean_national_id_input(value)
    if not number.isdigit() or len(number) != 14:
        raise ValidationError(
            _("The national ID must be exactly 14 digits (you entered %(count)s)."),
            code="national_id_length",
            params={"count": len(number)},
        )
    century = _CENTURIES.get(number[0])
    if century is None:
        raise ValidationError(
            _(
                "The national ID's first digit is the century of birth and must be 2 "
                "(1900s) or 3 (2000s), not %(digit)s."
            ),
            code="national_id_century",
            params={"digit": number[0]},
        )
    try:
        born = datetime.date(
            century + int(number[1:3]), int(number[3:5]), int(number[5:7])
        )
    except ValueError:
        raise ValidationError(
            _(
                "Digits 2–7 of the national ID (%(digits)s) are not a real date of birth."
            ),
            code="national_id_birth_date",
            params={"digits": number[1:7]},
        ) from None
    if born > datetime.date.today():
        raise ValidationError(
            _("The national ID gives a date of birth in the future (%(date)s)."),
            code="national_id_birth_date",
            params={"date": born.isoformat()},
        )
    governorate = number[7:9]
    if governorate not in Governorate.values:
        raise ValidationError(
            _("Digits 8–9 of the national ID (%(code)s) are not a governorate code."),
            code="national_id_governorate",
            params={"code": governorate},
        )
    number_sex = Sex.MALE if int(number[12]) % 2 else Sex.FEMALE
    if birth_date is not None and birth_date != born:
        raise ValidationError(
            _(
                "The national ID gives the date of birth %(id_date)s but the recorded "
                "date of birth is %(recorded)s."
            ),
            code="national_id_birth_date_mismatch",
            params={"id_date": born.isoformat(), "recorded": birth_date.isoformat()},
        )
    if sex and sex != number_sex:
        raise ValidationError(
            _(
                "The national ID's 13th digit says %(id_sex)s but the recorded sex is "
                "%(recorded)s."
            ),
            code="national_id_sex_mismatch",
            params={
                "id_sex": Sex(number_sex).label,
                "recorded": Sex(sex).label,
            },
        )
    return NationalId(
        number=number, birth_date=born, governorate=governorate, sex=number_sex
    )


def validate_national_id(value: str) -> None:
    """Field validator: the number alone (date and sex agreement is checked by the form)."""
    parse_national_id(value)
