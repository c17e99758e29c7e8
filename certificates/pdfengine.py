"""WeasyPrint, fenced in: a restricted URL fetcher, fonts from Python packages, time limits.

This module imports nothing from Django so that bulk runs can start plain worker
processes (`multiprocessing` "spawn") that load only WeasyPrint. The Django side
(`certificates.rendering`) builds the HTML and calls `PdfEngine`.

Speed comes from doing each expensive thing once per process: fonts are registered
once in one `FontConfiguration`, stylesheets are parsed once and reused, and in bulk
many single-page documents are laid out as ONE WeasyPrint document whose pages are
then written out as individual PDFs (`Document.copy`).

Kinds with a *fields* template are drawn in two layers (see `Background`): the part of
the page that is the same for a whole batch (frame, headings, wording, signatures,
labels) is laid out once per process and drawn once per PDF file as a form XObject,
and only the holder's fields (name, serial, code, QR) are laid out per document, into
the slots the background leaves for them.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
import re
import signal
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import fontpkg_amiri
import fontpkg_noto_sans_arabic

from . import engine_internals

# Before anything below is imported or patched: a WeasyPrint or pydyf release that
# renamed an internal stops here, with what is missing and the versions involved.
engine_internals.check()

import pydyf  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402
from weasyprint import layout as weasyprint_layout  # noqa: E402
from weasyprint import pdf as weasyprint_pdf  # noqa: E402
from weasyprint.document import Document, Page  # noqa: E402
from weasyprint.draw import draw_page  # noqa: E402
from weasyprint.pdf import fonts as weasyprint_fonts  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

from . import textlayer  # noqa: E402

# Plain PDF 1.7 with a file identifier: no PDF/A or PDF/UA claim, because no validator
# of those standards can be installed from the package registries the project uses
# (veraPDF is Java, on none of them): a claim nothing checks is not made
# (docs/certificates.md, "Standards"). Documents that are not layered are tagged
# (structure tree, /Lang, title shown): screen readers read them in order.
PDF_OPTIONS = {"pdf_version": "1.7", "pdf_identifier": True}
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
_BACKGROUNDS_KEPT = 32  # laid-out background pages kept per process
_IMAGES_KEPT = 500  # images (logos, QR codes) WeasyPrint keeps between renders
_POOL_GLYPHS = 3000  # glyphs in the single documents' font pool before it restarts
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
textlayer.install()
_original_font_clean = weasyprint_fonts.Font.clean


def _clean_once(self, to_unicode, hinting):
    """`Font.clean` (subsetting) skipped when the glyph set hasn't changed.

    In bulk, the one-page PDFs of a chunk share the chunk's `Font` objects (see
    `PdfEngine.render`): the fonts are subset once, for every glyph of the chunk,
    instead of once per certificate. Glyph ids are kept (RETAIN_GIDS), so the shared
    subset is valid for every page. Codes above the font's glyphs (the text layer's
    aliases, WeasyPrint's missing characters) are not glyphs of the font program:
    a new alias doesn't make the subset change.
    """
    glyphs = frozenset(code for code in to_unicode if code < self.glyph_count)
    key = (glyphs, bool(hinting), len(self.missing))
    if getattr(self, "_project_cleaned_for", None) == key:
        return
    _original_font_clean(self, to_unicode, hinting)
    self._project_cleaned_for = key


weasyprint_fonts.Font.clean = _clean_once

_MARGIN_AT_KEYWORDS = tuple(
    f"@{side}-{place}"
    for side, places in (
        ("top", ("left-corner", "left", "center", "right", "right-corner")),
        ("bottom", ("left-corner", "left", "center", "right", "right-corner")),
        ("left", ("top", "middle", "bottom")),
        ("right", ("top", "middle", "bottom")),
    )
    for place in places
)
_original_margin_boxes = weasyprint_layout.make_margin_boxes


def _margin_boxes_when_generated(context, page, state):
    """WeasyPrint's margin boxes, skipped at once when none has content.

    WeasyPrint builds and sizes all 16 margin boxes of every page before finding that
    none of them is generated (`content: normal`): about 2 ms per certificate page.
    A page whose margin boxes all lack content gets none either way.
    """
    for keyword in _MARGIN_AT_KEYWORDS:
        style = context.style_for(page.page_type, keyword)
        if style is not None and style["content"] not in ("normal", "inhibit", "none"):
            yield from _original_margin_boxes(context, page, state)
            return


weasyprint_layout.make_margin_boxes = _margin_boxes_when_generated


class _FrozenObject(pydyf.Object):
    """A PDF object whose bytes were serialised once and are written as they are.

    Valid only where it gets the same object number again (see `_fonts_once`).
    """

    def __init__(self, data: bytes, compressible: bool):
        super().__init__()
        self._data = data
        self._compressible = compressible

    @property
    def data(self) -> bytes:
        return self._data

    @property
    def compressible(self) -> bool:
        return self._compressible and not self.generation


_original_fonts_dictionary = weasyprint_pdf.build_fonts_dictionary
# (fonts, key, dictionary, frozen objects) of the last file written; replaced whole,
# so a thread that reads it never sees half of an entry.
_last_fonts: tuple | None = None


def _fonts_once(pdf, fonts, compress, subset, options):
    """WeasyPrint's font dictionaries, serialised once for the files of a chunk.

    The one-page PDFs of a bulk chunk share one `fonts` dictionary (see
    `PdfEngine.render`), so their font objects (subset font files, widths, ToUnicode
    maps: most of a certificate's bytes) are identical, and so are their object
    numbers, because every file of a chunk has the same objects before them. They are
    built and serialised for the first file and written again as bytes for the next
    ones when the fonts, their glyphs and the first object number are unchanged.
    """
    global _last_fonts
    key = (
        len(pdf.objects),
        compress,
        subset,
        options["hinting"],
        options["pdf_version"],
        tuple((k, len(f.to_unicode), len(f.widths)) for k, f in fonts.items()),
    )
    last = _last_fonts
    if last is not None and last[0] is fonts and last[1] == key:
        for frozen in last[3]:
            pdf.add_object(_FrozenObject(frozen.data, frozen.compressible))
        return last[2]
    first = len(pdf.objects)
    dictionary = _original_fonts_dictionary(pdf, fonts, compress, subset, options)
    frozen = [_FrozenObject(obj.data, obj.compressible) for obj in pdf.objects[first:]]
    _last_fonts = (fonts, key, dictionary, frozen)
    return dictionary


weasyprint_pdf.build_fonts_dictionary = _fonts_once

# The fields layer is our own markup (divs, spans, images): the HTML5 user-agent
# stylesheet's ~250 rules, matched against every element of a bulk run, were a third
# of the cascade. This is what those elements need of it.
FIELDS_UA_CSS = """
html, body, section, div, p { display: block }
head, title, meta, style, script, link, template { display: none }
[dir=ltr i] { direction: ltr }
[dir=rtl i] { direction: rtl }
b, strong { font-weight: bold }
br::before { content: "\\A"; white-space: pre-line }
"""
_fields_ua: list = []


class _FieldsHTML(HTML):
    """An HTML document laid out with the small `FIELDS_UA_CSS` user-agent sheet."""

    def _ua_stylesheets(self, forms=False):
        if not _fields_ua:
            _fields_ua.append(CSS(string=FIELDS_UA_CSS))
        return _fields_ua


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


class LayoutError(ValueError):
    """A template does not fit the layered layout (a field without a slot, two pages)."""


SLOT_ATTRIBUTE = "data-slot"
_SLOT_NAMES = re.compile(r'data-slot="([^"]+)"')


class Background:
    """The batch-wide layer of a layered document: one laid-out page and its slots.

    The background template leaves empty boxes marked `data-slot="name"` where the
    per-document fields go; their rectangles (CSS px from the page's top-left corner)
    position the fields of the overlay, so a longer issuer name or programme that
    moves a slot moves its field with it.

    Drawing: the page is painted into a form XObject once per PDF file (the combined
    printout of a chunk references the same form from every page). The painted
    operators are remembered after the first file and replayed into the next ones
    when they use nothing but fonts and images (which every file declares anyway).
    """

    def __init__(self, page: Page):
        self.page = page
        self.slots: dict[str, tuple[float, float, float, float]] = {}
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or getattr(box, "element_tag", None) is None:
                continue
            name = element.get(SLOT_ATTRIBUTE)
            if name and name not in self.slots and hasattr(box, "padding_width"):
                self.slots[name] = (
                    box.padding_box_x(),
                    box.padding_box_y(),
                    box.padding_width(),
                    box.padding_height(),
                )
        self._painted = None

    def slot_css(self, index: int) -> str:
        selector = f'section[data-background="{index}"]'
        return "\n".join(
            f'{selector} [{SLOT_ATTRIBUTE}="{name}"] {{ position: absolute; '
            f"left: {x:.3f}px; top: {y:.3f}px; width: {w:.3f}px; height: {h:.3f}px; "
            "margin: 0; box-sizing: border-box; }"
            for name, (x, y, w, h) in self.slots.items()
        )

    def form_for(self, stream):
        """The form XObject of this background in the PDF `stream` belongs to."""
        resources = stream._resources
        forms = getattr(resources, "_project_backgrounds", None)
        if forms is None:
            forms = resources._project_backgrounds = {}
        group = forms.get(id(self))
        if group is not None:
            return group
        group = stream.add_group(0, 0, self.page.width, self.page.height)
        del group.extra["Group"]  # an opaque form, not a transparency group
        painted = self._painted
        if painted is not None and painted[0] is stream._fonts:
            # Same fonts dictionary (the files of one chunk): replay the operators.
            _fonts, operators, states, image_data = painted
            group.stream = [operators]
            own = group.extra["Resources"]
            own["ExtGState"].update(states)
            for key, data in image_data.items():
                own["XObject"][key] = None
                if key not in stream._images:
                    stream._images[key] = {
                        **data,
                        "dpi_ratios": set(data["dpi_ratios"]),
                        "x_object": None,
                    }
        else:
            draw_page(self.page._page_box, group)
            own = group.extra["Resources"]
            reusable = (
                not own["Pattern"]
                and not own["Shading"]
                and all(value is None for value in own["XObject"].values())
                and not any("SMask" in state for state in own["ExtGState"].values())
            )
            self._painted = (
                (
                    stream._fonts,
                    b"\n".join(pydyf._to_bytes(item) for item in group.stream),
                    dict(own["ExtGState"]),
                    {key: stream._images[key] for key in own["XObject"]},
                )
                if reusable
                else None
            )
        forms[id(self)] = group
        return group


class LayeredPage(Page):
    """An overlay page (the document's own fields) drawn over its background."""

    def __init__(self, page: Page, background: Background):
        self.__dict__.update(page.__dict__)
        self.background = background

    def paint(self, stream, scale=1):
        with stream.stacked():
            stream.transform(a=scale, d=scale)
            form = self.background.form_for(stream)
            stream.draw_x_object(form.id)
        super().paint(stream, scale)


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
        # WeasyPrint objects are not made for two threads at once (a threaded
        # development server): one render at a time per engine.
        self._lock = threading.RLock()
        self._fonts_pool: dict = {}
        self._stylesheets: dict[str, CSS] = {}
        self._image_cache: dict = {}
        self._backgrounds: dict[str, Background] = {}
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

    def layout(
        self, html: str, css_texts: list[str], *, fields: bool = False
    ) -> Document:
        stylesheets = [self.stylesheet(font_face_css())] + [
            self.stylesheet(text) for text in css_texts
        ]
        source = (_FieldsHTML if fields else HTML)(
            string=html, url_fetcher=self.fetcher, base_url="file:///"
        )
        if len(self._image_cache) > _IMAGES_KEPT:
            # WeasyPrint keeps every image by URL, and every QR code is a new data:
            # URL: without a bound a web process would keep them all.
            self._image_cache.clear()
        return source.render(
            stylesheets=stylesheets,
            font_config=self.font_config,
            cache=self._image_cache,
            **PDF_OPTIONS,
        )

    def background(self, html: str, css_texts: list[str]) -> Background:
        """The laid-out background page for `html`, cached for the process."""
        key = hashlib.blake2b(
            "\x00".join([html, *css_texts]).encode(), digest_size=20
        ).hexdigest()
        background = self._backgrounds.get(key)
        if background is None:
            document = self.layout(html, css_texts)
            if len(document.pages) != 1:
                raise LayoutError(
                    f"A background must fit on one page; this one has "
                    f"{len(document.pages)}. Shorten the fixed wording or the slots."
                )
            background = Background(document.pages[0])
            if len(self._backgrounds) >= _BACKGROUNDS_KEPT:
                self._backgrounds.pop(next(iter(self._backgrounds)))
            self._backgrounds[key] = background
        return background

    def _single_fonts(self) -> dict:
        """The fonts of single layered documents: one pool for the process.

        A single certificate drawn with the pool's fonts replays its background
        (`Background.form_for`) and, once the pool holds every letter its names use,
        reuses the subset font files and their serialised dictionaries instead of
        subsetting again (the files embed the pool's glyphs, not only their own: a
        few kB more). HarfBuzz subsets from the full font each time, so a pool that
        grows stays correct; the pool starts again past `_POOL_GLYPHS` glyphs.
        """
        glyphs = sum(len(font.to_unicode) for font in self._fonts_pool.values())
        if glyphs > _POOL_GLYPHS:
            self._fonts_pool = {}
        return self._fonts_pool

    def _layered_layout(
        self,
        html: str,
        css_texts: list[str],
        backgrounds: list[str],
        background_css: list[str],
        page_backgrounds: list[int],
        doc_ids: list[str],
    ) -> Document:
        """Lay out the fields of every document and put each over its background."""
        layers = [self.background(text, background_css) for text in backgrounds]
        used = set(_SLOT_NAMES.findall(html))
        for index in set(page_backgrounds):
            missing = used - set(layers[index].slots)
            if missing:
                raise LayoutError(
                    f"Fields without a slot in their background: {sorted(missing)}. "
                    'Add an empty element with data-slot="…" to the background '
                    "template for each."
                )
        slot_css = "\n".join(layer.slot_css(i) for i, layer in enumerate(layers))
        document = self.layout(html, [*css_texts, slot_css], fields=True)
        if len(document.pages) != len(doc_ids):
            raise LayoutError(
                f"{len(doc_ids)} layered documents gave {len(document.pages)} pages: "
                "fields must fit on one page each."
            )
        document.pages = [
            LayeredPage(page, layers[page_backgrounds[i]])
            for i, page in enumerate(document.pages)
        ]
        return document

    def run(self, job: dict) -> BatchResult:
        """`render` for a job dictionary (`certificates.rendering.build_batch`)."""
        return self.render(
            job["html"],
            job["css"],
            doc_ids=job["doc_ids"],
            titles=job["titles"],
            combined=job.get("combined", False),
            seconds=job.get("seconds", 0),
            backgrounds=job.get("backgrounds"),
            background_css=job.get("background_css"),
            page_backgrounds=job.get("page_backgrounds"),
        )

    def _write(
        self,
        document: Document,
        pages,
        title: str | None,
        *,
        fonts=None,
        tagged: bool = False,
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
        return sub.write_pdf(pdf_tags=tagged, **PDF_OPTIONS)

    def render(
        self,
        html: str,
        css_texts: list[str],
        *,
        doc_ids: list[str],
        titles: list[str],
        combined: bool = False,
        seconds: float = 0,
        backgrounds: list[str] | None = None,
        background_css: list[str] | None = None,
        page_backgrounds: list[int] | None = None,
    ) -> BatchResult:
        """Lay out `html` once and write one PDF per `doc_ids` (element ids).

        Each document starts on the page carrying its id anchor and runs until the next
        document's first page. With `combined`, the whole run is also written as one
        PDF for printing. With `backgrounds`, `html` holds only each document's fields
        (one page each) and document i is drawn over `backgrounds[page_backgrounds[i]]`.
        """
        with self._lock, time_limit(seconds):
            if backgrounds:
                document = self._layered_layout(
                    html,
                    css_texts,
                    backgrounds,
                    background_css or [],
                    page_backgrounds or [0] * len(doc_ids),
                    doc_ids,
                )
            else:
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
            # A layered page draws its background from a form XObject, which
            # WeasyPrint's tagging can't put in the structure tree: untagged.
            tagged = not backgrounds
            combined_pdf = (
                document.write_pdf(pdf_tags=tagged, **PDF_OPTIONS) if combined else None
            )
            if combined:
                shared_fonts = document.fonts
            elif backgrounds and weasyprint_fonts.harfbuzz_subset:
                shared_fonts = self._single_fonts()
            else:
                shared_fonts = None
            results = []
            for i, title in enumerate(titles):
                pages = document.pages[bounds[i] : bounds[i + 1]]
                pdf = self._write(
                    document, pages, title, fonts=shared_fonts, tagged=tagged
                )
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
        return {"ok": True, "result": _worker_engine.run(job)}
    except BaseException as exc:  # noqa: BLE001 - reported per chunk, then retried
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
