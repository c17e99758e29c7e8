"""The WeasyPrint and pydyf internals the PDF engine patches or reads, checked at start.

`certificates.pdfengine` and `certificates.textlayer` replace a few WeasyPrint and pydyf
functions and read private attributes (for speed, and for an exact text layer). A
new release may rename any of them; `pyproject.toml` pins both packages to the
versions below, and `check()` runs before anything is patched (when `pdfengine` is
imported, which `CertificatesConfig.ready` does at start-up), so a mismatch stops the
project at start with the list of what is missing instead of failing in the middle of
a bulk run.

Upgrading WeasyPrint or pydyf: install the new versions, run
`python -c "import certificates.pdfengine"` and `pytest tests/certificates`, port what
the error names, then change the versions here and in `pyproject.toml`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

TESTED_WEASYPRINT = "70.0"
TESTED_PYDYF = "0.13.0"

# (module, dotted attribute): every patched or read module or class attribute.
ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("pydyf", "zlib"),  # replaced: compression level and cache
    ("pydyf", "Object"),  # subclassed: frozen font objects
    ("pydyf", "Stream"),
    ("pydyf", "_to_bytes"),  # background operators replayed as bytes
    ("pydyf", "Object.data"),
    ("pydyf", "Object.compressible"),
    ("pydyf", "Object.reference"),
    ("weasyprint", "HTML._ua_stylesheets"),  # the fields layer's small UA sheet
    ("weasyprint.document", "Document"),
    ("weasyprint.document", "Page"),
    ("weasyprint.document", "Page.paint"),
    ("weasyprint.draw", "draw_page"),  # backgrounds painted into a form XObject
    ("weasyprint.draw.text", "draw_first_line"),  # replaced: exact text layer
    ("weasyprint.layout", "make_margin_boxes"),  # replaced: skipped when empty
    ("weasyprint.formatting_structure.boxes", "Box.descendants"),  # background slots
    ("weasyprint.formatting_structure.boxes", "Box.padding_box_x"),
    ("weasyprint.formatting_structure.boxes", "Box.padding_box_y"),
    ("weasyprint.formatting_structure.boxes", "Box.padding_width"),
    ("weasyprint.formatting_structure.boxes", "Box.padding_height"),
    ("weasyprint.pdf", "build_fonts_dictionary"),  # replaced: serialised once
    ("weasyprint.pdf.fonts", "Font"),
    ("weasyprint.pdf.fonts", "Font.clean"),  # replaced: subset once per glyph set
    ("weasyprint.pdf.fonts", "harfbuzz_subset"),
    ("weasyprint.pdf.fonts", "_build_vector_font_dictionary"),  # replaced: CIDToGIDMap
    ("weasyprint.pdf.stream", "Stream.add_font"),
    ("weasyprint.pdf.stream", "Stream.add_group"),
    ("weasyprint.pdf.stream", "Stream.draw_x_object"),
    ("weasyprint.pdf.stream", "Stream.stacked"),
    ("weasyprint.text.ffi", "ffi"),
    ("weasyprint.text.ffi", "pango"),
    ("weasyprint.text.ffi", "FROM_UNITS"),
    ("weasyprint.text.line_break", "Layout.get_first_line"),
    ("weasyprint.urls", "URLFetcher"),
    ("weasyprint.urls", "URLFetcherResponse"),
)

# (module, class, attribute names its __init__ sets): instance attributes read.
INSTANCE_ATTRIBUTES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "weasyprint.pdf.fonts",
        "Font",
        (
            "to_unicode",
            "widths",
            "missing",
            "glyph_count",
            "family",
            "bitmap",
            "png",
            "svg",
            "colr",
        ),
    ),
    (
        "weasyprint.pdf.stream",
        "Stream",
        ("_fonts", "_resources", "_images", "ink_rect", "logical_rect"),
    ),
    (
        "weasyprint.document",
        "Document",
        (
            "fonts",
            "metadata",
            "url_fetcher",
            "font_config",
            "color_profiles",
            "output_intent",
        ),
    ),
    ("weasyprint.document", "Page", ("_page_box", "anchors", "width", "height")),
    ("weasyprint.layout", "LayoutContext", ("style_for",)),
)

# C definitions of Pango that `textlayer` reads and writes.
PANGO_NAMES = (
    "pango_version",
    "pango_layout_set_single_paragraph_mode",
    "pango_font_get_glyph_extents",
    "PANGO_GLYPH_EMPTY",
    "PANGO_GLYPH_UNKNOWN_FLAG",
)


class EngineVersionError(RuntimeError):
    """The installed WeasyPrint or pydyf lacks an internal the PDF engine uses."""


def _resolve(module: str, dotted: str) -> bool:
    try:
        target = importlib.import_module(module)
    except ImportError:
        return False
    for part in dotted.split("."):
        if not hasattr(target, part):
            return False
        target = getattr(target, part)
    return True


def _sets(module: str, cls: str, names: Iterable[str]) -> list[str]:
    try:
        init = getattr(importlib.import_module(module), cls).__init__
        assigned = set(init.__code__.co_names)
    except (ImportError, AttributeError):
        return list(names)
    return [name for name in names if name not in assigned]


def missing() -> list[str]:
    """Every internal the engine needs that the installed packages don't have."""
    gone = [f"{m}.{a}" for m, a in ATTRIBUTES if not _resolve(m, a)]
    for module, cls, names in INSTANCE_ATTRIBUTES:
        gone += [f"{module}.{cls}().{name}" for name in _sets(module, cls, names)]
    if _resolve("weasyprint.text.ffi", "pango"):
        from weasyprint.text.ffi import pango

        gone += [f"pango.{n}" for n in PANGO_NAMES if not hasattr(pango, n)]
    return gone


def installed_versions() -> tuple[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("weasyprint", "pydyf"):
        try:
            found.append(version(package))
        except PackageNotFoundError:
            found.append("not installed")
    return found[0], found[1]


def check() -> None:
    """Raise `EngineVersionError` naming what is missing and the versions involved."""
    gone = missing()
    if gone:
        weasyprint, pydyf = installed_versions()
        raise EngineVersionError(
            f"The certificates PDF engine was tested with WeasyPrint "
            f"{TESTED_WEASYPRINT} and pydyf {TESTED_PYDYF}; installed: WeasyPrint "
            f"{weasyprint}, pydyf {pydyf}. Missing: {', '.join(gone)}. Install the "
            "tested versions (pyproject.toml pins them), or port "
            "certificates/pdfengine.py and certificates/textlayer.py to the new "
            "internals (see certificates/engine_internals.py)."
        )
