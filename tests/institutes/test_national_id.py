"""Every way a national ID can be wrong gets its own message."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.utils import translation

from institutes.national_id import Sex, parse_national_id

VALID = "30803152901237"  # born 2008-03-15 in Luxor (29), 13th digit 3 -> male


def _code(value, **kwargs):
    with translation.override("en"), pytest.raises(ValidationError) as info:
        parse_national_id(value, **kwargs)
    with translation.override("en"):
        return info.value.code, str(info.value.messages[0])


def test_messages_are_in_arabic_by_default():
    with pytest.raises(ValidationError) as info:
        parse_national_id("123")
    assert "14 رقمًا" in info.value.messages[0]


def test_valid_number_is_parsed():
    parsed = parse_national_id(VALID)
    assert parsed.birth_date == datetime.date(2008, 3, 15)
    assert parsed.governorate == "29"
    assert parsed.sex == Sex.MALE


def test_arabic_indic_digits_and_spaces_are_accepted():
    assert parse_national_id("٣٠٨٠٣١٥ ٢٩ ٠١٢٣٧").number == VALID


@pytest.mark.parametrize(
    "value", ["3080315290123", "308031529012377", "3080315290123X", ""]
)
def test_length_and_digits(value):
    code, message = _code(value)
    assert code == "national_id_length"
    assert "14 digits" in message


def test_century_digit():
    code, message = _code("40803152901237")
    assert code == "national_id_century"
    assert "4" in message


@pytest.mark.parametrize(
    "value", ["30802302901237", "30813012901237", "20002292901237"]
)
def test_birth_date_must_be_real(value):
    code, _message = _code(value)
    assert code == "national_id_birth_date"


def test_leap_day_is_a_real_date():
    assert parse_national_id("30802292901236").birth_date == datetime.date(2008, 2, 29)


def test_birth_date_in_the_future():
    code, _message = _code("39901012901237")
    assert code == "national_id_birth_date"


def test_governorate_code():
    code, message = _code("30803159901237")
    assert code == "national_id_governorate"
    assert "99" in message


def test_born_abroad_is_a_governorate():
    assert parse_national_id("30803158801237").governorate == "88"


def test_recorded_birth_date_must_agree():
    code, message = _code(VALID, birth_date=datetime.date(2008, 3, 16))
    assert code == "national_id_birth_date_mismatch"
    assert "2008-03-15" in message and "2008-03-16" in message


def test_recorded_sex_must_agree():
    code, _message = _code(VALID, sex=Sex.FEMALE)
    assert code == "national_id_sex_mismatch"
    assert parse_national_id("30803152901247", sex=Sex.FEMALE).sex == Sex.FEMALE


def test_check_digit_is_not_rejected():
    for last in "0123456789":
        parse_national_id(VALID[:-1] + last)
