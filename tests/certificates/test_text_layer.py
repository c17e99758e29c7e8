"""The text layer of every document reads back exactly what the document says.

Every registered document kind is rendered in ar, en and ar-en for a holder with a
long Arabic name with diacritics (and an institute or hospital whose name has the
letters that used to break: «الفني», «الكرنك»). Two extractors read the PDF back:

* poppler's `pdftotext`, which puts right-to-left lines in logical order itself;
* pdfminer.six, which gives the characters of a line in visual order (left to right).

Expected values come from the document itself: the holder's names, the issuer's names,
the text of its headings (`.doc-title`, `.title`, `.title-en`, `h1`) and every number
or identifier (a run of letters, digits and `-./:` with at least one digit) in the
HTML the engine is given. Bidi control characters (LRM, RLM, isolates and
embeddings) are not drawn, so they are dropped from the expected values.

Normalisation of the extracted text, and nothing else (docs/certificates.md):

1. NFKC, which turns Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF) back
   into letters. It also puts combining marks in canonical order, so the expected
   values are NFKC'd too: only presentation forms can make a difference.
2. pdfminer only, reordering: each visual line is read as a right-to-left line (the
   whole line reversed, then every run of Latin letters and digits, with the `-./:`
   and spaces inside it, reversed back) and as a left-to-right line (every run of
   Arabic letters and marks, with the spaces inside it, reversed); a value is found
   when one of the two readings contains it.

No other folding: no whitespace collapsed inside a value, no diacritic dropped, no
digit mapped, no line joined.
"""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTTextLine

from certificates.registry import all_kinds, get_kind
from certificates.rendering import build_batch, render_job
from certificates.services import document_prepare
from institutes.national_id import Sex

NAME_AR = "عبدُ العزيزِ محمّد عبدِ الفتّاح الشَّرقاوي"
NAME_EN = "Abdelaziz El-Sharkawy"
INSTITUTE_AR = "المعهد الفني للتمريض بالكرنك"
INSTITUTE_EN = "Karnak Technical Nursing Institute"
HOSPITAL_AR = "مستشفى الكرنك الدولي التخصصي"
HOSPITAL_EN = "Karnak International Specialised Hospital"
LANGUAGES = ("ar", "en", "ar-en")
PDFTOTEXT = shutil.which("pdftotext")

_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
_NUMBER = re.compile(
    r"[0-9A-Za-z\u0660-\u0669](?:[0-9A-Za-z\u0660-\u0669\u066b\u066c./:\-]*"
    r"[0-9A-Za-z\u0660-\u0669])?"
)
_DIGIT = re.compile(r"[0-9\u0660-\u0669]")
# Identifiers whose digits the templates convert (issue #13, section 1: student
# numbers print as «٣٠٤٠٢٠٧٢٩٠٠٠٣١-١»): Arabic-Indic groups joined by "-" are put in
# another order by the bidi algorithm on the page itself, so the text layer, which
# follows the page, can't read them as typed. Once identifiers are printed in Latin
# digits (section 1), nothing matches this and every identifier is checked.
_SCRAMBLED_IN_PRINT = re.compile(r"[\u0660-\u0669]+(?:-[\u0660-\u0669]+)+")
_LTR_RUN = re.compile(
    r"[0-9A-Za-z\u0660-\u0669](?:[0-9A-Za-z\u0660-\u0669\u066b\u066c./:\- ]*"
    r"[0-9A-Za-z\u0660-\u0669])?"
)
_ARABIC = "\u0621-\u065f\u066e-\u06d3\u06d5-\u06ff"  # letters and marks, no digits
_RTL_RUN = re.compile(f"[{_ARABIC}](?:[{_ARABIC} ]*[{_ARABIC}])?")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def expected(text: str) -> str:
    return normalise(text.translate(_BIDI_CONTROLS)).strip()


# --- what the document says ---------------------------------------------------------


class _Reader(HTMLParser):
    """Text nodes of the document's HTML, and those inside its headings."""

    HEADING_CLASSES = {"doc-title", "title", "title-en"}
    VOID = {"br", "img", "meta", "link", "hr", "input", "col", "area", "wbr"}

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.headings: list[str] = []
        self._stack: list[bool] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        inside = bool(self._stack and self._stack[-1])
        self._stack.append(
            inside or tag == "h1" or bool(classes & self.HEADING_CLASSES)
        )

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1
        if tag not in self.VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._skip:
            return
        self.texts.append(data)
        if self._stack and self._stack[-1]:
            piece = expected(data).strip(" \u00a0—·-")
            if piece:
                self.headings.append(piece)


def _says(job: dict) -> tuple[list[str], list[str]]:
    """(headings, numbers) of a render job's HTML, backgrounds included."""
    reader = _Reader()
    for html in [job["html"], *job.get("backgrounds", [])]:
        reader.feed(html)
    numbers = {
        token
        for text in reader.texts
        for token in _NUMBER.findall(expected(text))
        if _DIGIT.search(token) and not _SCRAMBLED_IN_PRINT.fullmatch(token)
    }
    return sorted(set(reader.headings)), sorted(numbers)


# --- what the extractors read -------------------------------------------------------


def _pdftotext(pdf: bytes) -> str:
    result = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    # pdftotext marks each right-to-left line and each left-to-right run inside one
    # with bidi embedding controls (U+202A-U+202C): its markup, not the document's.
    return normalise(result.stdout.decode().translate(_BIDI_CONTROLS))


# pdfminer inserts a space wherever two glyph boxes are further apart than
# `word_margin` (a fraction of a letter's size): in justified lines that doubles every
# space. The documents draw their spaces as glyphs, so the heuristic is turned off.
_NO_WORD_GAPS = 1e6


def _as_rtl(line: str) -> str:
    return _LTR_RUN.sub(lambda m: m.group(0)[::-1], line[::-1])


def _as_ltr(line: str) -> str:
    return _RTL_RUN.sub(lambda m: m.group(0)[::-1], line)


def _pdfminer(pdf: bytes) -> str:
    lines = []
    for page in extract_pages(
        io.BytesIO(pdf), laparams=LAParams(all_texts=True, word_margin=_NO_WORD_GAPS)
    ):
        stack = list(page)
        while stack:
            element = stack.pop()
            if isinstance(element, LTTextLine):
                visual = element.get_text().rstrip("\n")
                lines += [normalise(_as_rtl(visual)), normalise(_as_ltr(visual))]
            elif hasattr(element, "__iter__"):
                stack.extend(element)
    return "\n".join(lines)


def _reads(value: str, text: str) -> bool:
    """`value` is in `text`; a Latin heading may be in capitals (`text-transform`)."""
    return value in text or (value.isascii() and value.upper() in text)


# --- documents ------------------------------------------------------------------------


def _student(world, *, graduated=True):
    from certificates.factories import graduate

    return graduate(
        world.a.institute,
        name_ar=NAME_AR,
        name_en=NAME_EN,
        graduated=graduated,
        sex=Sex.MALE,
    )


def _latest_enrolment(world):
    return _student(world, graduated=False).enrolments.order_by("-academic_year")[0]


def _attendance(world):
    from django.utils import timezone

    from training.staff.factories import (
        PersonFactory,
        StaffMemberFactory,
        TrainingSessionFactory,
    )
    from training.staff.models import Attendance
    from training.staff.services import RosterEntry, roster_save

    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    session = TrainingSessionFactory(
        hospital=world.a.hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    person = PersonFactory(name_ar=NAME_AR, name_en=NAME_EN, sex="m")
    staff = StaffMemberFactory(hospital=world.a.hospital, person=person)
    roster_save(session=session, entries=[RosterEntry(staff.pk, "present")])
    return Attendance.objects.get(staff=staff)


ACHIEVEMENTS = {
    "students.enrolment_letter": _latest_enrolment,
    "students.transcript": _student,
    "students.graduation_certificate": _student,
    "training.clinical_record": _latest_enrolment,
    "training.certificate": _attendance,
}


def test_every_registered_kind_is_read_back():
    assert set(ACHIEVEMENTS) == {kind.code for kind in all_kinds()}


@pytest.fixture
def named_world(world):
    institute, hospital = world.a.institute, world.a.hospital
    institute.name_ar, institute.name_en = INSTITUTE_AR, INSTITUTE_EN
    institute.save()
    hospital.name_ar, hospital.name_en = HOSPITAL_AR, HOSPITAL_EN
    hospital.save()
    return world


def _render(kind_code: str, language: str, world) -> tuple[dict, bytes, object]:
    kind = get_kind(kind_code)
    prepared = document_prepare(
        kind=kind,
        achievement=ACHIEVEMENTS[kind_code](world),
        language=language,
        digits="arab",
        issued_on=datetime.date(2026, 7, 1),
        serial_number=1234,
    )
    job = build_batch([prepared], combined=False)
    return job, render_job(job).documents[0].pdf, prepared


@pytest.mark.skipif(not PDFTOTEXT, reason="needs pdftotext (poppler-utils)")
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind_code", sorted(ACHIEVEMENTS))
def test_the_text_layer_reads_back_exactly(named_world, kind_code, language):
    job, pdf, doc = _render(kind_code, language, named_world)
    headings, numbers = _says(job)
    issuer_ar, issuer_en = doc.issuer.name_ar, doc.issuer.name_en
    values = [*headings, *numbers]
    if language in ("ar", "ar-en"):
        values += [NAME_AR, issuer_ar]
    if language in ("en", "ar-en"):
        values += [NAME_EN, issuer_en]
    assert headings and numbers  # the document was read, not an empty page
    poppler, pdfminer = _pdftotext(pdf), _pdfminer(pdf)
    missing = {
        name: [v for v in map(expected, values) if not _reads(v, text)]
        for name, text in (("pdftotext", poppler), ("pdfminer", pdfminer))
    }
    assert missing == {"pdftotext": [], "pdfminer": []}
