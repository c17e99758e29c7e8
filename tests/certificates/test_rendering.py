import io
from pathlib import Path

import pypdf
import pytest

from django.conf import settings

from certificates.pdfengine import FONT_DIRS, RefusedURL, SafeURLFetcher
from certificates.rendering import allowed_roots, verification_url
from certificates.services import document_issue
from students.documents import GRADUATION_CERTIFICATE, TRANSCRIPT


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_certificate_pdf_has_arabic_name_in_logical_order_and_code(grad_a):
    doc = document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=None
    ).document
    pdf = doc.pdf.read()
    text = _text(pdf)
    assert "فاطمة محمد عبد الرحيم" in text
    assert "Fatma Mohamed Abdelrahim" in text
    assert doc.code_display in text
    assert doc.serial in text
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == f"{doc.title_ar} — فاطمة محمد عبد الرحيم"
    assert reader.trailer["/Root"]["/Lang"] == "ar"


def test_qr_payload_is_the_public_verification_url(grad_a, monkeypatch):
    seen = []
    import certificates.rendering as rendering

    original = rendering.qr_data_uri
    monkeypatch.setattr(
        rendering,
        "qr_data_uri",
        lambda payload: seen.append(payload) or original(payload),
    )
    doc = document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=None
    ).document
    base = settings.SITE_BASE_URL.rstrip("/")
    assert seen == [f"{base}/ar/verify/{doc.code_display}/"]
    assert verification_url(doc.code, "en").endswith(f"/en/verify/{doc.code_display}/")


def test_english_document_uses_western_digits_and_english_url(grad_a):
    doc = document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=None, language="en"
    ).document
    text = _text(doc.pdf.read())
    assert "This is to certify that" in text and "Fatma Mohamed Abdelrahim" in text
    assert "Ministry of Health and Population" in text
    assert "2025/26" in text and "٢" not in text
    assert "/en/verify/" in text


def test_arabic_indic_digits_when_chosen(grad_a):
    doc = document_issue(
        kind=GRADUATION_CERTIFICATE,
        achievement=grad_a,
        issued_by=None,
        digits="arab",
    ).document
    text = _text(doc.pdf.read())
    # pypdf reads right-to-left runs of Arabic-Indic digits reversed.
    assert "٢٠٢٥" in text or "٥٢٠٢" in text


def test_transcript_is_paged_with_page_x_of_y(grad_a):
    doc = document_issue(kind=TRANSCRIPT, achievement=grad_a, issued_by=None).document
    reader = pypdf.PdfReader(io.BytesIO(doc.pdf.read()))
    assert doc.page_count == len(reader.pages) >= 2
    last = reader.pages[-1].extract_text()
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last


def test_user_typed_markup_is_printed_as_text(grad_a):
    person = grad_a.person
    person.name_en = '<img src="http://evil.example/x.png">Eve'
    person.save()
    doc = document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=None
    ).document
    assert '<img src="http://evil.example/x.png">Eve' in _text(doc.pdf.read())


@pytest.fixture
def fetcher():
    return SafeURLFetcher(allowed_roots() + list(FONT_DIRS))


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://127.0.0.1:8000/admin/",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file://remote-host/share/x.png",
    ],
)
def test_fetcher_refuses_network_and_outside_files(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_fetcher_refuses_escaping_an_allowed_folder(fetcher):
    inside = Path(settings.MEDIA_ROOT)
    with pytest.raises(RefusedURL):
        fetcher.fetch((inside / ".." / ".." / ".." / "etc" / "passwd").as_uri())


def test_fetcher_serves_fonts_and_project_static(fetcher):
    font = next(FONT_DIRS[0].glob("*.ttf"))
    assert fetcher.fetch(font.as_uri()).read(4)
    from django.contrib.staticfiles import finders

    emblem = Path(finders.find("certificates/emblem.svg"))
    assert b"<svg" in fetcher.fetch(emblem.as_uri()).read()


def test_rendering_has_a_time_limit():
    from certificates.pdfengine import RenderTimeout, time_limit

    with pytest.raises(RenderTimeout), time_limit(0.05):
        while True:
            pass


def test_chunk_pdfs_share_one_font_subset_and_stay_valid_alone(world):
    """Bulk path: one layout for several certificates, fonts subset once per chunk.

    Each one-page PDF must still stand alone: its own name and code, embedded fonts
    with a ToUnicode map, its own title and language.
    """
    import datetime

    from certificates.factories import graduate
    from certificates.registry import get_kind
    from certificates.rendering import render_documents
    from certificates.services import document_prepare

    kind = get_kind(GRADUATION_CERTIFICATE)
    people = [graduate(world.a.institute, index=i) for i in range(3)]
    prepared = [
        document_prepare(
            kind=kind,
            achievement=student,
            language="ar-en",
            digits="arab",
            issued_on=datetime.date(2026, 7, 1),
            serial_number=10 + i,
        )
        for i, student in enumerate(people)
    ]
    result = render_documents(prepared, combined=True)
    assert len(pypdf.PdfReader(io.BytesIO(result.combined)).pages) == 3
    for prep, rendered in zip(prepared, result.documents, strict=True):
        reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
        assert len(reader.pages) == 1 and rendered.pages == 1
        text = reader.pages[0].extract_text()
        assert prep.holder_name_ar in text and prep.code_display in text
        others = [p.holder_name_ar for p in prepared if p is not prep]
        assert not any(name in text for name in others)
        assert reader.metadata.title == prep.pdf_title
        assert reader.trailer["/Root"]["/Lang"] == "ar"
        fonts = reader.pages[0]["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            assert "/ToUnicode" in font
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert descriptor.get_object()["/FontFile2"].get_object().get_data()


def test_cached_stream_compression_is_plain_zlib():
    import os
    import zlib

    from certificates import pdfengine

    data = os.urandom(1000) * 8
    first = pdfengine.pydyf.zlib.compressobj(level=9)
    packed = first.compress(data) + first.flush()
    second = pdfengine.pydyf.zlib.compressobj(level=9)
    second.compress(data[:100])
    second.compress(data[100:])
    assert second.flush() == packed
    assert zlib.decompress(packed) == data


def test_qr_png_has_the_pixels_segno_draws():
    import base64

    import segno
    from PIL import Image

    from certificates.rendering import QR_MASK, qr_data_uri

    for payload in ("https://example.org/ar/verify/ABCDE-FGHIJ-KLMNP-QRSTV/", "x" * 90):
        ours = Image.open(
            io.BytesIO(base64.b64decode(qr_data_uri(payload).split(",", 1)[1]))
        )
        reference = segno.make(payload, error="m", mask=QR_MASK, micro=False)
        theirs = Image.open(
            io.BytesIO(
                base64.b64decode(
                    reference.png_data_uri(scale=1, border=0).split(",", 1)[1]
                )
            )
        )
        assert ours.size == theirs.size
        assert ours.convert("L").tobytes() == theirs.convert("L").tobytes()


def test_the_image_cache_of_an_engine_is_bounded(grad_a, monkeypatch):
    """Every QR code is a new image URL: a long-lived process must not keep them all."""
    import datetime

    from certificates import pdfengine
    from certificates.registry import get_kind
    from certificates.rendering import get_engine, render_documents
    from certificates.services import document_prepare

    monkeypatch.setattr(pdfengine, "_IMAGES_KEPT", 2)
    for serial in range(5):
        prepared = document_prepare(
            kind=get_kind(GRADUATION_CERTIFICATE),
            achievement=grad_a,
            language="ar-en",
            digits="arab",
            issued_on=datetime.date(2026, 7, 1),
            serial_number=serial + 1,
        )
        render_documents([prepared])
    assert len(get_engine()._image_cache) <= 4


@pytest.mark.parametrize(("sex", "word"), [("f", "مقيدة"), ("m", "مقيد ")])
def test_enrolment_letter_agrees_with_the_student(world, sex, word):
    from certificates.factories import graduate
    from students.documents import ENROLMENT_LETTER

    student = graduate(world.a.institute, graduated=False, sex=sex)
    enrolment = student.enrolments.order_by("-academic_year").first()
    doc = document_issue(kind=ENROLMENT_LETTER, achievement=enrolment, issued_by=None)
    text = _text(doc.document.pdf.read())
    assert word in text
