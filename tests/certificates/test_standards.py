"""What the PDF files claim, and that it is true: tagged where said, no PDF/A claim.

No PDF/A or PDF/UA validator can be installed from the registries the project uses
(PyPI, Debian, npm; veraPDF is Java and on none of them), so the files claim neither
(docs/certificates.md, "Standards"). Transcripts, letters and every other kind that
is not layered are tagged PDF: a structure tree a screen reader follows, with the
document's language and its title shown instead of the file name.
"""

import datetime
import io
import logging
import shutil
import subprocess

import pypdf
import pytest

from certificates.registry import get_kind
from certificates.rendering import render_documents
from certificates.services import document_prepare
from students.documents import ENROLMENT_LETTER, GRADUATION_CERTIFICATE, TRANSCRIPT

PDFINFO = shutil.which("pdfinfo")


def _pdf(kind_code, achievement, language="ar-en") -> bytes:
    return _render(kind_code, achievement, language)[0]


def _render(kind_code, achievement, language="ar-en"):
    prepared = document_prepare(
        kind=get_kind(kind_code),
        achievement=achievement,
        language=language,
        digits="arab",
        issued_on=datetime.date(2026, 7, 1),
        serial_number=7,
    )
    return render_documents([prepared]).documents[0].pdf, prepared


def _pdfinfo(pdf: bytes) -> dict[str, str]:
    result = subprocess.run([PDFINFO, "-"], input=pdf, capture_output=True, check=True)
    return dict(
        line.split(":", 1)
        for line in result.stdout.decode().splitlines()
        if ":" in line
    )


def _structure_types(pdf: bytes) -> set[str]:
    return {str(node["/S"]) for node in _structure(pdf) if "/S" in node}


def _structure(pdf: bytes):
    """Every element of the PDF's structure tree."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    stack = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        yield node
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [kids]
        for kid in kids:
            if isinstance(kid, pypdf.generic.IndirectObject):
                kid = kid.get_object()
            if isinstance(kid, dict):
                stack.append(kid)


@pytest.fixture
def student(world):
    from certificates.factories import graduate

    return graduate(world.a.institute, graduated=False)


@pytest.mark.skipif(not PDFINFO, reason="needs pdfinfo (poppler-utils)")
@pytest.mark.parametrize("language", ["ar", "en"])
def test_transcripts_and_letters_are_tagged_with_language_and_title(student, language):
    letter = student.enrolments.order_by("-academic_year")[0]
    for kind_code, achievement, element in (
        (TRANSCRIPT, student, "/Table"),
        (ENROLMENT_LETTER, letter, "/P"),
    ):
        pdf, prepared = _render(kind_code, achievement, language)
        assert _pdfinfo(pdf)["Tagged"].strip() == "yes", kind_code
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        root = reader.trailer["/Root"]
        assert root["/Lang"] == language
        assert root["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
        shown = root["/ViewerPreferences"]["/DisplayDocTitle"]
        assert shown == pypdf.generic.BooleanObject(True)
        assert reader.metadata.title == prepared.pdf_title
        assert {"/Document", "/Sect", element} <= _structure_types(pdf), kind_code


@pytest.mark.skipif(not PDFINFO, reason="needs pdfinfo (poppler-utils)")
def test_a_layered_certificate_is_not_tagged_and_says_so(world):
    """The background is a form XObject outside the structure tree: no tags at all
    rather than a tree that misses half the page (docs/certificates.md)."""
    from certificates.factories import graduate

    pdf = _pdf(GRADUATION_CERTIFICATE, graduate(world.a.institute))
    assert _pdfinfo(pdf)["Tagged"].strip() == "no"
    assert "/StructTreeRoot" not in pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]


def test_no_document_claims_a_standard_nothing_checks(student):
    for kind_code in (TRANSCRIPT, GRADUATION_CERTIFICATE):
        reader = pypdf.PdfReader(io.BytesIO(_pdf(kind_code, student)))
        root = reader.trailer["/Root"]
        assert "/OutputIntents" not in root
        metadata = root.get("/Metadata")
        xmp = metadata.get_object().get_data() if metadata is not None else b""
        assert b"pdfaid" not in xmp and b"pdfuaid" not in xmp
        assert reader.pdf_header == "%PDF-1.7"


#: The alt text of a document's emblem and QR code, in its languages.
IMAGE_ALTS = {
    "ar": {"شعار جهة الإصدار", "رمز التحقق QR"},
    "en": {"Emblem of the issuer", "Verification QR code"},
    "ar-en": {
        "شعار جهة الإصدار — Emblem of the issuer",
        "رمز التحقق QR — Verification QR code",
    },
}


def _weasyprint_complaints(caplog) -> list[str]:
    return [
        record.getMessage()[:200]
        for record in caplog.records
        if record.name.startswith("weasyprint") and record.levelno >= logging.WARNING
    ]


@pytest.mark.parametrize("language", ["ar", "en", "ar-en"])
def test_document_images_are_described_in_the_documents_languages(
    student, language, caplog
):
    """WeasyPrint logs every image of a tagged PDF without alt text ("has no
    required alt description", with the whole QR data URI); each says what it is."""
    letter = student.enrolments.order_by("-academic_year")[0]
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf, _ = _render(ENROLMENT_LETTER, letter, language)
    assert _weasyprint_complaints(caplog) == []
    figures = [node for node in _structure(pdf) if node.get("/S") == "/Figure"]
    assert {str(node["/Alt"]) for node in figures} == IMAGE_ALTS[language]


def test_sign_in_sheet_images_are_described(world, caplog):
    from training.documents import sign_in_sheet_pdf
    from training.factories import TrainingSessionFactory

    session = TrainingSessionFactory(hospital=world.a.hospital)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = sign_in_sheet_pdf(session=session, rows=[], url="http://x/")
    assert _weasyprint_complaints(caplog) == []
    alts = {str(n["/Alt"]) for n in _structure(pdf) if n.get("/S") == "/Figure"}
    assert alts == IMAGE_ALTS["ar-en"]
