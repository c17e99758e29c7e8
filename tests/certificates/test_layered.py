"""Layered documents: a batch-wide background drawn once, the holder's fields on top."""

import datetime
import io
import re
import shutil
import subprocess

import pdfplumber
import pypdf
import pytest

from certificates.pdfengine import LayoutError, PdfEngine
from certificates.registry import get_kind
from certificates.rendering import (
    allowed_roots,
    background_html,
    build_batch,
    get_engine,
    render_documents,
)
from certificates.services import document_prepare
from institutes.national_id import Sex
from students.documents import GRADUATION_CERTIFICATE


def _prepare(students, *, language="ar-en"):
    kind = get_kind(GRADUATION_CERTIFICATE)
    return [
        document_prepare(
            kind=kind,
            achievement=student,
            language=language,
            digits="arab",
            issued_on=datetime.date(2026, 7, 1),
            serial_number=20 + i,
        )
        for i, student in enumerate(students)
    ]


@pytest.fixture
def three(world):
    from certificates.factories import graduate

    return [graduate(world.a.institute, index=i) for i in range(3)]


def test_the_background_cannot_show_the_holder(three):
    prepared = _prepare(three)[0]
    html = background_html(prepared.batch_page, prepared.kind)
    assert prepared.holder_name_ar not in html
    assert prepared.holder_name_en not in html
    assert prepared.code_display not in html and prepared.serial not in html
    assert 'data-slot="holder-name-ar"' in html and 'data-slot="qr"' in html


def test_graduates_of_one_cohort_share_one_background(world, three):
    from certificates.factories import graduate

    male = graduate(world.a.institute, index=9, sex=Sex.MALE)
    job = build_batch(_prepare([*three, male]), combined=True)
    assert len(job["backgrounds"]) == 2
    assert job["page_backgrounds"] == [0, 0, 0, 1]
    assert "بأن الطالبة" in job["backgrounds"][0]
    assert "بأن الطالب<" in job["backgrounds"][1].replace("</div>", "<")


def test_fields_are_drawn_inside_their_slots(three):
    prepared = _prepare(three[:1])
    job = build_batch(prepared, combined=False)
    slots = get_engine().background(job["backgrounds"][0], job["background_css"]).slots
    pdf = render_documents(prepared).documents[0].pdf
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        words = page.extract_words()

    def inside(text, slot):
        x, y, w, h = (v * 0.75 for v in slots[slot])  # CSS px to PDF points
        found = [word for word in words if word["text"] == text]
        assert found, f"{text!r} not in the PDF"
        word = found[0]
        # Amiri's glyph boxes are taller than a line: compare the middle of the word.
        middle = (word["top"] + word["bottom"]) / 2
        return x <= word["x0"] < word["x1"] <= x + w and y <= middle <= y + h

    assert inside("Abdelrahim", "holder-name-en")
    assert inside(prepared[0].code_display, "code")
    assert inside(prepared[0].serial, "serial")
    assert not inside("Abdelrahim", "code")


def test_every_file_of_a_chunk_carries_the_whole_page(three):
    """The background is painted once and replayed into the chunk's other files."""
    prepared = _prepare(three)
    result = render_documents(prepared, combined=True)
    for prep, rendered in zip(prepared, result.documents, strict=True):
        text = pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text()
        assert "This is to certify that" in text and "Institute director" in text
        assert prep.holder_name_en in text and prep.code_display in text
    combined = pypdf.PdfReader(io.BytesIO(result.combined))
    forms = {
        page["/Resources"]["/XObject"][name].indirect_reference.idnum
        for page in combined.pages
        for name, ref in page["/Resources"]["/XObject"].items()
        if ref.get_object()["/Subtype"] == "/Form"
    }
    assert len(forms) == 1, "the printout should draw the background from one form"


def test_each_file_is_byte_identical_to_a_file_rendered_alone(three):
    """Shared fonts and replayed backgrounds change no more than the font subset.

    Rendered alone, a certificate carries only its own glyphs; in a chunk, the glyphs
    of the chunk. Apart from that, the text of each page is the same.
    """
    prepared = _prepare(three)
    chunk = render_documents(prepared, combined=True).documents
    for prep, in_chunk in zip(prepared, chunk, strict=True):
        alone = render_documents([prep]).documents[0]
        texts = [
            pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
            for pdf in (alone.pdf, in_chunk.pdf)
        ]
        assert texts[0] == texts[1]


def test_a_field_without_a_slot_is_refused_by_name(three):
    job = build_batch(_prepare(three[:1]), combined=False)
    html = job["html"].replace('data-slot="serial"', 'data-slot="nowhere"')
    engine = PdfEngine(allowed_roots())
    with pytest.raises(LayoutError, match="nowhere"):
        engine.run({**job, "html": html})


def test_a_background_longer_than_a_page_is_refused(three):
    job = build_batch(_prepare(three[:1]), combined=False)
    html = job["backgrounds"][0].replace(
        "</section>", '<div style="height: 400mm"></div></section>'
    )
    with pytest.raises(LayoutError, match="one page"):
        PdfEngine(allowed_roots()).background(html, job["background_css"])


@pytest.mark.parametrize("language", ["ar", "en"])
def test_one_language_certificates_are_layered_too(three, language):
    prepared = _prepare(three[:1], language=language)
    text = (
        pypdf.PdfReader(io.BytesIO(render_documents(prepared).documents[0].pdf))
        .pages[0]
        .extract_text()
    )
    assert prepared[0].code_display in text
    if language == "en":
        assert prepared[0].holder_name_en in text and "الطالبة" not in text
    else:
        assert prepared[0].holder_name_ar in text and "This is to certify" not in text


def _drawn_glyphs(pdf: bytes) -> dict[str, bool]:
    """Each character the PDF's fonts map, and whether its glyph has an outline.

    A code is a CID; the font's CIDToGIDMap (when not /Identity) names its glyph.
    """
    from fontTools.ttLib import TTFont

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    outlined: dict[str, bool] = {}
    for ref in reader.pages[0]["/Resources"]["/Font"].values():
        font = ref.get_object()
        cmap = font["/ToUnicode"].get_object().get_data().decode()
        cid_font = font["/DescendantFonts"][0].get_object()
        descriptor = cid_font["/FontDescriptor"]
        data = descriptor.get_object()["/FontFile2"].get_object().get_data()
        ttfont = TTFont(io.BytesIO(data))
        order, glyf = ttfont.getGlyphOrder(), ttfont["glyf"]
        cid_to_gid = cid_font.get("/CIDToGIDMap", "/Identity")
        table = b"" if cid_to_gid == "/Identity" else cid_to_gid.get_object().get_data()
        for cid_hex, text_hex in re.findall(r"<([0-9a-f]{4})> <([0-9a-f]+)>", cmap):
            text = bytes.fromhex(text_hex).decode("utf-16-be")
            cid = int(cid_hex, 16)
            gid = int.from_bytes(table[2 * cid : 2 * cid + 2]) if table else cid
            glyph = glyf[order[gid]]
            outlined[text] = outlined.get(text, False) or glyph.numberOfContours != 0
    return outlined


def test_a_single_certificate_after_others_has_every_letter_drawn(world, three):
    """Single documents share a font pool: letters new to it must be embedded too."""
    from certificates.factories import graduate

    render_documents(_prepare(three[:1]))  # the pool now holds these names' letters
    new = graduate(
        world.a.institute, name_ar="ظريف غضنفر ثابت", name_en="Zarif Qhazanfar"
    )
    pdf = render_documents(_prepare([new])).documents[0].pdf
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "ظريف غضنفر ثابت" in text and "Zarif Qhazanfar" in text
    drawn = _drawn_glyphs(pdf)
    for letter in "ظغضثZQ":
        assert any(letter in chars and ok for chars, ok in drawn.items()), letter


def test_the_wording_agrees_with_the_graduate(world, three):
    from certificates.factories import graduate

    male = graduate(world.a.institute, index=9, sex=Sex.MALE)
    woman, man = render_documents(_prepare([three[0], male]), combined=True).documents
    her = pypdf.PdfReader(io.BytesIO(woman.pdf)).pages[0].extract_text()
    his = pypdf.PdfReader(io.BytesIO(man.pdf)).pages[0].extract_text()
    assert "بأن الطالبة" in her and "وتخرجت" in her
    assert "بأن الطالبة" not in his and "وتخرج في" in his


PDFTOPPM, ZBARIMG = shutil.which("pdftoppm"), shutil.which("zbarimg")


@pytest.mark.skipif(
    not (PDFTOPPM and ZBARIMG),
    reason="needs pdftoppm (poppler-utils) and zbarimg (zbar-tools)",
)
def test_the_printed_qr_code_scans_to_the_verification_page(three, tmp_path):
    """As a phone would: the page rendered to an image, the QR code read from it."""
    prepared = _prepare(three[:1])
    result = render_documents(prepared, combined=True)
    for name, pdf in (
        ("alone", result.documents[0].pdf),
        ("printout", result.combined),
    ):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(
            [PDFTOPPM, "-r", "200", "-png", "-singlefile", f"{name}.pdf", name],
            cwd=tmp_path,
            check=True,
        )
        scan = subprocess.run(
            [ZBARIMG, "--quiet", "--raw", f"{name}.png"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        assert scan.stdout.strip() == prepared[0].verify_url
