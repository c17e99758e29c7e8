"""Names and contact fields refuse bidi overrides and invisible characters."""

import datetime

import pytest

from django.core.exceptions import ValidationError

from institutes.models import Person
from institutes.plain_text import hidden_characters, log_value, validate_visible_text
from institutes.services import person_upsert
from students.factories import national_id_for

BORN = datetime.date(2009, 5, 17)
HIDDEN = [
    "\u202a",  # LRE
    "\u202b",  # RLE
    "\u202c",  # PDF
    "\u202d",  # LRO
    "\u202e",  # RLO
    "\u2066",  # LRI
    "\u2067",  # RLI
    "\u2068",  # FSI
    "\u2069",  # PDI
    "\u200e",  # LRM
    "\u200f",  # RLM
    "\u061c",  # Arabic letter mark
    "\u200b",  # zero-width space
    "\ufeff",  # zero-width no-break space
    "\u00ad",  # soft hyphen
    "\u3164",  # Hangul filler (an invisible "letter")
    "\n",
    "\x00",
]


@pytest.mark.parametrize("char", HIDDEN, ids=[f"U+{ord(c):04X}" for c in HIDDEN])
def test_every_hidden_character_is_refused(char):
    with pytest.raises(ValidationError) as caught:
        validate_visible_text(f"منى{char}أحمد")
    assert f"U+{ord(char):04X}" in caught.value.messages[0]


def test_ordinary_arabic_and_latin_names_pass():
    for name in ("عبد الرحمن محمود", "Mona Ahmed-Saleh", "مُنى", "نیما\u200cرضا"):
        validate_visible_text(name)
    assert hidden_characters("line one\nline two", multiline=True) == []


@pytest.mark.django_db
def test_person_service_refuses_a_bidi_override_in_a_name(world):
    number = national_id_for(BORN, "f", serial=41)
    with pytest.raises(ValidationError) as caught:
        person_upsert(by=world.authority, national_id=number, name_ar="منى \u202eدمحأ")
    assert "name_ar" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        person_upsert(
            by=world.authority,
            national_id=number,
            name_ar="منى",
            name_en="Mona\u2066 Ahmed",
        )
    assert "name_en" in caught.value.message_dict
    assert not Person.objects.filter(national_id=number).exists()
    # Twin: the same name without the override is stored.
    person = person_upsert(
        by=world.authority, national_id=number, name_ar="منى أحمد", name_en="Mona"
    )
    assert person.name_ar == "منى أحمد"


def test_log_values_are_one_token_on_one_line():
    assert log_value("registrar") == "registrar"
    assert log_value("admin.isis@example.org") == "admin.isis@example.org"
    assert log_value('a b"\n\u202e') == '"a b\\"\\n\\u202e"'
    assert log_value(None) == "-"
