"""Documents print the holder's identity document — type and number — not a national
ID column: a passport holder's passport, read back from the PDF's text layer."""

from __future__ import annotations

import datetime

import pytest

from certificates.registry import get_kind
from certificates.rendering import build_batch, render_job
from certificates.services import document_prepare
from institutes.models import IdentityDocument, Person
from tests.certificates.test_text_layer import PDFTOTEXT, _pdftotext

PASSPORT = "P7788123"


def _passport_holder(world, *, graduated):
    from certificates.factories import graduate

    student = graduate(world.a.institute, graduated=graduated)
    person = student.person
    IdentityDocument.objects.filter(person=person).delete()
    Person.objects.filter(pk=person.pk).update(national_id=None, nationality="SD")
    IdentityDocument.objects.create(
        person=person, document_type="passport", country="SD", number=PASSPORT
    )
    return student


def _achievement(kind_code, world):
    if kind_code in ("students.transcript", "students.graduation_certificate"):
        return _passport_holder(world, graduated=True)
    student = _passport_holder(world, graduated=False)
    return student.enrolments.order_by("-academic_year")[0]


def _text(kind_code, language, world) -> str:
    prepared = document_prepare(
        kind=get_kind(kind_code),
        achievement=_achievement(kind_code, world),
        language=language,
        digits="arab",
        issued_on=datetime.date(2026, 7, 1),
        serial_number=77,
    )
    job = build_batch([prepared], combined=False)
    return _pdftotext(render_job(job).documents[0].pdf)


@pytest.mark.skipif(not PDFTOTEXT, reason="needs pdftotext (poppler-utils)")
@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize(
    "kind_code",
    [
        "students.enrolment_letter",
        "students.transcript",
        "students.graduation_certificate",
        "training.clinical_record",
    ],
)
def test_a_passport_number_is_printed_with_its_type(world, kind_code, language):
    text = _text(kind_code, language, world)
    assert PASSPORT in text
    if language == "en":
        assert "Passport" in text
    else:
        assert "جواز" in text
