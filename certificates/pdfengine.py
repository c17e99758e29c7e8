"""WeasyPrint, fenced in: a restricted URL fetcher, fonts from Python packages, time limits.

This module imports nothing from Django so that bulk runs can start plain worker
processes (`multiprocessing` "spawn") that load only WeasyPrint. The Django side
(`certificates.rendering`) builds the HTML and calls `PdfEngine`.

Speed comes from doing each expensive thing once per process: fonts are registered
once in one `FontConfiguration`, stylesheets are parsed once and reused, and in bulk
many single-page documents are laid out as ONE WeasyPrint document whose pages are
then written out as individual PDFs (`Document.copy`).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
import signal
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import fontpkg_amiri
import fontpkg_noto_sans_arabic
import pydyf
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.pdf import fonts as weasyprint_fonts
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_VARIANT = "pdf/a-3u"
ZLIB_LEVEL = 6


class _CachingCompressor:
    """A `zlib.compressobj` stand-in that remembers what it compressed.

    A bulk chunk writes fifty one-page PDFs that share the same font subsets, colour
    profile and images: those streams are byte-identical from one file to the next, and
    compressing them again was half of writing a certificate (~9 of 14 ms). Streams of
    at least `_CACHE_MIN` bytes are looked up by BLAKE2 digest; the output is exactly
    what zlib would produce.
    """

    def __init__(self, level, args, kwargs):
        self._args = (level, *args)
        self._kwargs = kwargs
        self._parts: list[bytes] = []

    def compress(self, data) -> bytes:
        self._parts.append(bytes(data))
        return b""

    def flush(self, *args) -> bytes:
        data = b"".join(self._parts)
        self._parts = []
        if not _CACHE_MIN <= len(data) <= _CACHE_MAX or self._args[1:] or self._kwargs:
            engine = zlib.compressobj(*self._args, **self._kwargs)
            return engine.compress(data) + engine.flush()
        key = hashlib.blake2b(data, digest_size=20).digest()
        packed = _compressed.get(key)
        if packed is None:
            packed = zlib.compress(data, ZLIB_LEVEL)
            if len(_compressed) >= _CACHE_ENTRIES:
                _compressed.pop(next(iter(_compressed)))
            _compressed[key] = packed
        return packed


_CACHE_MIN = 2048  # bytes; smaller streams (page contents) are rarely repeated
_CACHE_MAX = 1 << 20  # large images are not kept: at most 64 MB in the cache
_CACHE_ENTRIES = 64
_compressed: dict[bytes, bytes] = {}


class _ZlibAtLevel:
    """zlib as pydyf sees it: level 6 instead of 9, and large streams cached.

    pydyf (WeasyPrint's PDF writer) compresses every stream at level 9. Measured on a
    graduation certificate: writing a PDF takes 26 ms at level 9 and 17 ms at level 6
    for the same 45 kB (font subsets barely compress further), which is a third of a
    bulk run's write time. Identical large streams (shared font subsets, the colour
    profile) are compressed once per process (`_CachingCompressor`).
    """

    def compressobj(self, level=ZLIB_LEVEL, *args, **kwargs):
        return _CachingCompressor(ZLIB_LEVEL, args, kwargs)

    def compress(self, data, level=ZLIB_LEVEL, **kwargs):
        return zlib.compress(data, ZLIB_LEVEL)

    def __getattr__(self, name):
        return getattr(zlib, name)


pydyf.zlib = _ZlibAtLevel()
_original_font_clean = weasyprint_fonts.Font.clean


def _clean_once(self, to_unicode, hinting):
    """`Font.clean` (subsetting) skipped when the glyph set hasn't changed.

    In bulk, the one-page PDFs of a chunk share the chunk's `Font` objects (see
    `PdfEngine.render`): the fonts are subset once, for every glyph of the chunk,
    instead of once per certificate. Glyph ids are kept (RETAIN_GIDS), so the shared
    subset is valid for every page.
    """
    key = (frozenset(to_unicode), bool(hinting), len(self.missing))
    if getattr(self, "_project_cleaned_for", None) == key:
        return
    _original_font_clean(self, to_unicode, hinting)
    self._project_cleaned_for = key


weasyprint_fonts.Font.clean = _clean_once
FONT_DIRS = (
    Path(fontpkg_amiri.ROOT) / "files",
    Path(fontpkg_noto_sans_arabic.ROOT) / "files",
)


class RefusedURL(ValueError):
    """The PDF tried to load something outside the allowed folders (or the network)."""


class RenderTimeout(Exception):
    """Rendering took longer than its time limit."""


def font_face_css() -> str:
    """@font-face rules for the packaged fonts, by file URL (served by the fetcher)."""
    amiri = FONT_DIRS[0]
    noto = next(FONT_DIRS[1].glob("NotoSansArabic*.ttf"))
    rules = [
        ("Amiri", "normal", "normal", amiri / "Amiri-Regular.ttf"),
        ("Amiri", "bold", "normal", amiri / "Amiri-Bold.ttf"),
        ("Amiri", "normal", "italic", amiri / "Amiri-Italic.ttf"),
        ("Noto Sans Arabic", "normal", "normal", noto),
        ("Noto Sans Arabic", "bold", "normal", noto),
    ]
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
        f'font-style: {style}; src: url("{path.as_uri()}"); }}'
        for family, weight, style, path in rules
    )


class SafeURLFetcher(URLFetcher):
    """Reads `data:` URLs and files inside the allowed folders; refuses everything else.

    No HTTP, FTP or other scheme is ever opened, and `file:` paths are resolved
    (symlinks, `..`) before the folder check, so a template or a user-typed value can't
    make the renderer read /etc/passwd or call a server.
    """

    def __init__(self, allowed_roots, **kwargs):
        super().__init__(allowed_protocols=("file", "data"), **kwargs)
        self.allowed_roots = tuple(
            os.path.realpath(str(root)) for root in allowed_roots if root
        )

    def is_allowed_path(self, path: str) -> bool:
        real = os.path.realpath(path)
        return any(
            real == root or real.startswith(root.rstrip(os.sep) + os.sep)
            for root in self.allowed_roots
        )

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedURL(f"Refused to fetch {url!r}: only local files are allowed.")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"Refused to fetch {url!r}: remote file host.")
        path = unquote(parts.path)
        if not self.is_allowed_path(path) or not os.path.isfile(path):
            raise RefusedURL(f"Refused to fetch {url!r}: outside the allowed folders.")
        with open(path, "rb") as fh:
            body = fh.read()
        return URLFetcherResponse(Path(path).as_uri(), body)


@contextlib.contextmanager
def time_limit(seconds: float):
    """Raise RenderTimeout after `seconds` (main thread only, where signals work).

    Web servers with sync workers and the task workers render in their main thread;
    in a threaded development server the limit is not enforced.
    """
    if (
        not seconds
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
    ):
        yield
        return

    def _expired(signum, frame):
        raise RenderTimeout(f"PDF rendering exceeded {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class RenderedDocument:
    pdf: bytes
    pages: int
    sha256: str


@dataclass
class BatchResult:
    documents: list[RenderedDocument]
    combined: bytes | None


class PdfEngine:
    """One per process: fonts and stylesheets are loaded once and reused."""

    def __init__(self, allowed_roots):
        self.font_config = FontConfiguration()
        self.fetcher = SafeURLFetcher(tuple(allowed_roots) + FONT_DIRS)
        self._stylesheets: dict[str, CSS] = {}
        self._image_cache: dict = {}
        self.stylesheet(font_face_css())

    def stylesheet(self, css_text: str) -> CSS:
        key = hashlib.sha1(css_text.encode(), usedforsecurity=False).hexdigest()
        css = self._stylesheets.get(key)
        if css is None:
            css = CSS(
                string=css_text,
                font_config=self.font_config,
                url_fetcher=self.fetcher,
            )
            self._stylesheets[key] = css
        return css

    def layout(self, html: str, css_texts: list[str]) -> Document:
        stylesheets = [self.stylesheet(font_face_css())] + [
            self.stylesheet(text) for text in css_texts
        ]
        return HTML(string=html, url_fetcher=self.fetcher, base_url="file:///").render(
            stylesheets=stylesheets,
            font_config=self.font_config,
            cache=self._image_cache,
            pdf_variant=PDF_VARIANT,
        )

    def _write(
        self, document: Document, pages, title: str | None, *, fonts=None
    ) -> bytes:
        metadata = copy.copy(document.metadata)
        if title:
            metadata.title = title
        sub = Document(
            list(pages),
            metadata,
            document.url_fetcher,
            document.font_config,
            document.color_profiles,
            document.output_intent,
        )
        if fonts is not None:
            sub.fonts = fonts
        return sub.write_pdf(pdf_variant=PDF_VARIANT)

    def render(
        self,
        html: str,
        css_texts: list[str],
        *,
        doc_ids: list[str],
        titles: list[str],
        combined: bool = False,
        seconds: float = 0,
    ) -> BatchResult:
        """Lay out `html` once and write one PDF per `doc_ids` (element ids).

        Each document starts on the page carrying its id anchor and runs until the next
        document's first page. With `combined`, the whole run is also written as one
        PDF for printing.
        """
        with time_limit(seconds):
            document = self.layout(html, css_texts)
            starts = {}
            for index, page in enumerate(document.pages):
                for anchor in page.anchors:
                    if anchor in doc_ids and anchor not in starts:
                        starts[anchor] = index
            missing = [d for d in doc_ids if d not in starts]
            if missing:
                raise ValueError(f"Documents without a first page: {missing}")
            bounds = [starts[d] for d in doc_ids] + [len(document.pages)]
            # The combined PDF is written first: painting every page collects every
            # glyph of the chunk in `document.fonts`, which are subset once there.
            # The individual PDFs then reuse those fonts (and the compressed font
            # streams) instead of subsetting and compressing them per certificate.
            combined_pdf = (
                document.write_pdf(pdf_variant=PDF_VARIANT) if combined else None
            )
            shared_fonts = document.fonts if combined else None
            results = []
            for i, title in enumerate(titles):
                pages = document.pages[bounds[i] : bounds[i + 1]]
                pdf = self._write(document, pages, title, fonts=shared_fonts)
                results.append(
                    RenderedDocument(pdf, len(pages), hashlib.sha256(pdf).hexdigest())
                )
        return BatchResult(results, combined_pdf)


# --- worker processes ------------------------------------------------------------
_worker_engine: PdfEngine | None = None


def init_worker(allowed_roots) -> None:
    global _worker_engine
    _worker_engine = PdfEngine(allowed_roots)


def render_in_worker(job: dict) -> dict:
    """Render one chunk in a worker; never raises (errors come back as text)."""
    try:
        result = _worker_engine.render(
            job["html"],
            job["css"],
            doc_ids=job["doc_ids"],
            titles=job["titles"],
            combined=job.get("combined", False),
            seconds=job.get("seconds", 0),
        )
        return {"ok": True, "result": result}
    except BaseException as exc:  # noqa: BLE001 - reported per chunk, then retried
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
