"""From a prepared document to PDF bytes: templates, QR code, fonts, logo, digits.

`render_documents(prepared)` is the one entry point; it is used for a single issue
(in the web request) and, chunk by chunk, by the bulk runs (see `certificates.bulk`).
"""

from __future__ import annotations

import base64
import datetime
import functools
import logging
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import segno

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from .codes import format_code
from .pdfengine import BatchResult, PdfEngine
from .registry import DocumentKind, get_kind

DEFAULT_TIME_LIMIT = 30.0
logger = logging.getLogger(__name__)


def verification_url(code: str, language: str = "ar") -> str:
    """The public page a QR code opens: <SITE_BASE_URL>/<lang>/verify/<code>/."""
    base = getattr(settings, "SITE_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return f"{base.rstrip('/')}/{language}/verify/{format_code(code)}/"


QR_MASK = 0


def qr_data_uri(payload: str) -> str:
    """The QR code as a 1-pixel-per-module PNG, drawn crisp by `image-rendering`.

    Measured: WeasyPrint parses an inline SVG path in Python (about 8 ms per page),
    while a tiny PNG is decoded once by Pillow; both are generated locally by segno.
    The mask is fixed (`QR_MASK`): every mask is valid QR that every reader decodes
    (the format bits name it); letting segno score all eight took 2.8 ms per code
    instead of 0.8 ms, in the bulk run's single parent process. Byte mode is given
    (the URL is bytes anyway; segno's mode detection took 0.35 ms) and the PNG is
    written by `_qr_png` (0.15 ms instead of segno's 0.58 ms, same pixels).
    """
    code = segno.make(payload, error="m", mask=QR_MASK, micro=False, mode="byte")
    return "data:image/png;base64," + base64.b64encode(_qr_png(code.matrix)).decode()


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(tag + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)


def _qr_png(matrix) -> bytes:
    """A 1-bit greyscale PNG of a QR matrix (rows of 0 = light, 1 = dark), no border."""
    rows = []
    for row in matrix:
        bits = "".join("0" if dark else "1" for dark in row)
        bits += "1" * (-len(bits) % 8)  # pad each row to whole bytes, light
        rows.append(b"\0" + int(bits, 2).to_bytes(len(bits) // 8, "big"))
    header = struct.pack(">IIBBBBB", len(matrix[0]), len(matrix), 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _png_chunk(b"IEND", b"")
    )


def qr_svg(payload: str) -> str:
    """The QR code as inline SVG (the verification page and e-mails use it)."""
    return segno.make(payload, error="m").svg_inline(scale=4, border=2)


def allowed_roots() -> list[Path]:
    """Folders the PDF renderer may read: static files, media (logos), app static."""
    roots = [Path(settings.MEDIA_ROOT)]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    roots += [Path(p) for p in settings.STATICFILES_DIRS]
    from django.apps import apps

    for app in apps.get_app_configs():
        static = Path(app.path) / "static"
        if static.is_dir():
            roots.append(static)
    return roots


@functools.cache
def get_engine() -> PdfEngine:
    return PdfEngine(allowed_roots())


def static_file_uri(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"Static file {path!r} not found")
    return Path(found).as_uri()


@functools.cache
def _static_text(path: str) -> str:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"Static file {path!r} not found")
    return Path(found).read_text(encoding="utf-8")


@functools.cache
def _kind_css(template_name: str) -> str:
    """A kind's stylesheet lives with its templates (the app that owns the kind)."""
    return render_to_string(template_name)


def stylesheets_for(kind: DocumentKind) -> list[str]:
    page = (
        f"@page {{ size: {kind.page_css_size}; }}\n"
        f"html {{ --page-orientation: {kind.orientation}; }}"
    )
    texts = [_static_text("certificates/pdf/document.css"), page]
    if kind.stylesheet:
        texts.append(_kind_css(kind.stylesheet))
    return texts


def logo_uri(issuer) -> str:
    """The institute's logo from the Wagtail image library, or the authority emblem."""
    image = getattr(issuer, "logo", None)
    if image is not None:
        try:
            rendition = image.get_rendition("max-400x400|format-png")
            return Path(rendition.file.path).as_uri()
        except Exception:  # a broken image must not stop issuing
            logger.warning("Logo of %s could not be rendered", issuer, exc_info=True)
    return static_file_uri("certificates/emblem.svg")


class _Languages:
    """Which languages a document shows and in which direction (needs `language`)."""

    language: str

    @property
    def show_ar(self) -> bool:
        return self.language in ("ar", "ar-en")

    @property
    def show_en(self) -> bool:
        return self.language in ("en", "ar-en")

    @property
    def primary_language(self) -> str:
        return "en" if self.language == "en" else "ar"

    @property
    def direction(self) -> str:
        return "ltr" if self.language == "en" else "rtl"


@dataclass(frozen=True)
class BatchIssuer:
    name_ar: str
    name_en: str


@dataclass(frozen=True)
class BatchPage(_Languages):
    """What a layered kind's background may show: nothing that names the holder.

    Documents whose `BatchPage` is equal share one background (laid out once).
    `data` holds the kind's `background_data`, as sorted (key, value) pairs.
    """

    kind_code: str
    language: str
    digits: str
    issuer: BatchIssuer
    logo: str
    issued_on: datetime.date
    valid_until: datetime.date | None
    title_ar: str
    title_en: str
    data: tuple = ()


@dataclass
class PreparedDocument(_Languages):
    """Everything needed to render one document, computed before any row is written."""

    kind: DocumentKind
    achievement: Any
    holder: Any
    issuer: Any
    year: int
    serial_number: int
    serial: str
    code: str
    language: str
    digits: str
    holder_name_ar: str
    holder_name_en: str
    title_ar: str
    title_en: str
    issued_on: datetime.date
    valid_until: datetime.date | None
    data: dict = field(default_factory=dict)
    logo: str = ""

    @property
    def code_display(self) -> str:
        return format_code(self.code)

    @property
    def batch_page(self) -> BatchPage:
        data = self.kind.background_data(self.data)
        return BatchPage(
            kind_code=self.kind.code,
            language=self.language,
            digits=self.digits,
            issuer=BatchIssuer(
                str(self.issuer.name_ar), str(self.issuer.name_en or "")
            ),
            logo=self.logo,
            issued_on=self.issued_on,
            valid_until=self.valid_until,
            title_ar=self.title_ar,
            title_en=self.title_en,
            data=tuple(sorted(data.items())),
        )

    @property
    def verify_url(self) -> str:
        return verification_url(self.code, self.primary_language)

    @property
    def qr(self) -> str:
        return qr_data_uri(self.verify_url)

    @property
    def pdf_title(self) -> str:
        if self.language == "en":
            return f"{self.title_en or self.title_ar} — {self.holder_name_en or self.holder_name_ar}"
        return f"{self.title_ar} — {self.holder_name_ar}"


def _section(doc: _Languages, kind: DocumentKind, body: str, attrs: str) -> str:
    return (
        f'<section class="document {escape(kind.orientation)} lang-{doc.language}" '
        f"{attrs} "
        f'lang="{doc.primary_language}" dir="{doc.direction}">{body}</section>'
    )


def fragment_html(doc: PreparedDocument, index: int, *, background: int = -1) -> str:
    """One document inside its <section> with an anchor id.

    For a layered kind, the fields template, with the index of its background.
    """
    template = doc.kind.fields_template if background >= 0 else doc.kind.template
    with translation.override(doc.primary_language):
        body = render_to_string(
            template, {"doc": doc, "data": doc.data, "kind": doc.kind}
        )
    attrs = f'id="doc-{index}"'
    if background >= 0:
        attrs += f' data-background="{background}"'
    return _section(doc, doc.kind, body, attrs)


def background_html(page: BatchPage, kind: DocumentKind) -> str:
    """A layered kind's background page: its template with the batch's values only."""
    with translation.override(page.primary_language):
        body = render_to_string(kind.template, {"page": page, "data": dict(page.data)})
    title = page.title_ar if page.primary_language == "ar" else page.title_en
    return wrap_html(
        [_section(page, kind, body, 'class="background"')],
        title=title or page.title_ar,
        language=page.primary_language,
    )


def fields_stylesheets(kind: DocumentKind) -> list[str]:
    page = f"@page {{ size: {kind.page_css_size}; margin: 0; }}"
    texts = [_static_text("certificates/pdf/fields.css"), page]
    if kind.fields_stylesheet:
        texts.append(_kind_css(kind.fields_stylesheet))
    return texts


def wrap_html(fragments: list[str], *, title: str, language: str) -> str:
    direction = "ltr" if language == "en" else "rtl"
    return (
        f'<!doctype html><html lang="{language}" dir="{direction}"><head>'
        f'<meta charset="utf-8"><title>{escape(title)}</title></head><body>'
        + "".join(fragments)
        + "</body></html>"
    )


def build_batch(prepared: list[PreparedDocument], *, combined: bool) -> dict:
    """The picklable job for `PdfEngine.render` (or a worker process)."""
    first = prepared[0]
    kind = first.kind
    seconds = getattr(settings, "CERTIFICATES_RENDER_TIME_LIMIT", DEFAULT_TIME_LIMIT)
    job = {
        "doc_ids": [f"doc-{i}" for i in range(len(prepared))],
        "titles": [doc.pdf_title for doc in prepared],
        "combined": combined,
        "seconds": seconds * len(prepared),
    }
    if kind.layered:
        pages: dict[BatchPage, int] = {}
        fragments, page_backgrounds = [], []
        for i, doc in enumerate(prepared):
            index = pages.setdefault(doc.batch_page, len(pages))
            page_backgrounds.append(index)
            fragments.append(fragment_html(doc, i, background=index))
        job.update(
            css=fields_stylesheets(kind),
            backgrounds=[_background_html_cached(page) for page in pages],
            background_css=stylesheets_for(kind),
            page_backgrounds=page_backgrounds,
        )
    else:
        fragments = [fragment_html(doc, i) for i, doc in enumerate(prepared)]
        job["css"] = stylesheets_for(kind)
    job["html"] = wrap_html(
        fragments, title=first.pdf_title, language=first.primary_language
    )
    return job


@functools.lru_cache(maxsize=64)
def _background_html_cached(page: BatchPage) -> str:
    """The background's HTML (a bulk run renders the same one for each chunk)."""
    return background_html(page, get_kind(page.kind_code))


def render_documents(
    prepared: list[PreparedDocument], *, combined: bool = False
) -> BatchResult:
    """Render documents of one kind and language in this process."""
    return render_job(build_batch(prepared, combined=combined))


def render_job(job: dict) -> BatchResult:
    """Carry out a `build_batch` job in this process."""
    return get_engine().run(job)
