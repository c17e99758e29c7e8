"""An exact text layer: every glyph drawn in a PDF carries the text it stands for.

What was wrong (WeasyPrint 70; upstream issue Kozea/WeasyPrint#2841, still open): a
PDF font maps each *character code* to Unicode once (its ToUnicode CMap), and
WeasyPrint uses the glyph id as the code. `draw_first_line` gives a glyph the UTF-8
slice of its Pango cluster the first time that glyph is drawn and keeps that text for
every later use. Arabic breaks this three ways:

* one letter drawn as several glyphs, shared between letters: Noto Sans Arabic draws a
  dotted letter as a dotless skeleton plus a dots glyph, and ف and ق share the
  skeleton, ن and ف the one dot above: the glyph kept the letter it was first drawn
  in («الفرقة» read back as «النرقق»);
* a cluster of several glyphs gives its whole text to one glyph and "" to the others,
  so a glyph first drawn as the silent half of a cluster (Amiri Bold draws ل before
  some letters as two glyphs) read back as nothing everywhere after («ا فني» for
  «الفني», «عبد ا عزيز»);
* a combining mark is its own Pango cluster, drawn with an offset before its base:
  extractors read it as a separate letter and spaced it out («عبد ُ»).

Fonts are shared — a bulk chunk's files share the chunk's `Font` objects and single
documents share the process's font pool (`pdfengine.PdfEngine._single_fonts`) — so
what a name read like depended on the names drawn before it in the same process.

The fix, where the codes are chosen (just before WeasyPrint draws a line):

1. the line's glyphs are grouped into clusters, a base character with its combining
   marks being one cluster;
2. in a cluster of several glyphs, the widest glyph carries the cluster's text and is
   drawn first; the others carry "" and follow it, each drawn where it was (the drawn
   page is unchanged: only the order of overlapping glyphs inside a cluster and their
   offsets are rewritten, and restored after drawing);
3. the widths declared for a cluster's glyphs make the carrier's box span the cluster
   and every silent glyph's box end where the cluster ends, and a box is widened up
   to the next letter when the gap would exceed `GAP`, so extractors see no false
   space inside a word; WeasyPrint's kerning adjustment after each glyph keeps it
   where Pango placed it whatever width is declared (within WeasyPrint's own rounding
   of that adjustment: ≤ 0.15 pt measured on 20 pt lines);
4. the text of a right-to-left cluster is written in the visual order of the run
   (marks before their letter), as the rest of the line is: extractors that read the
   page left to right and reverse right-to-left lines (poppler's pdftotext, pdfminer
   with a reversal) get the letters in logical order;
5. a glyph drawn with text or a width other than the ones its id already stands for
   in this font gets a new code (an *alias*, above the font's glyph ids and the room
   WeasyPrint keeps for missing characters) with its own ToUnicode entry and width;
   the font's CIDToGIDMap sends the alias back to the real glyph. No font program is
   changed; extractors that read ToUnicode by code (poppler, pypdf) or by CID
   (pdfminer) read the same characters.
"""

from __future__ import annotations

import struct
import unicodedata

import pydyf
from weasyprint.draw import text as weasyprint_draw_text
from weasyprint.pdf import fonts as weasyprint_fonts
from weasyprint.text.ffi import FROM_UNITS, ffi, pango

# Codes from glyph_count on are WeasyPrint's own, for characters that no font has
# (`Font.get_unused_glyph_id`, drawn as .notdef); aliases start above that room.
MISSING_ROOM = 4096
LAST_CODE = 0xFFFF  # two-byte codes (Identity-H)
ALIASES = "_project_aliases"  # Font attribute: {(glyph id, text, width): code}
ALIASED = "_project_aliased"  # Font attribute: {code: glyph id}
# PangoGlyphInfo, read and written in one piece per run: glyph, width, x_offset,
# y_offset, attributes (Python access to each cffi field was most of the cost).
_INFO = struct.Struct("=IiiiI")
_GLYPH, _WIDTH, _X_OFFSET = 0, 1, 2
_GLYPH_INFO_SIZE = ffi.sizeof("PangoGlyphInfo")
if _INFO.size != _GLYPH_INFO_SIZE:  # pragma: no cover - another Pango ABI
    raise ImportError(
        "PangoGlyphInfo is not 20 bytes: certificates.textlayer needs porting"
    )
_EMPTY = pango.PANGO_GLYPH_EMPTY
_UNKNOWN = pango.PANGO_GLYPH_UNKNOWN_FLAG
# A gap wider than this (1/1000 em) between a letter's box and the next one reads as
# a space in poppler and pdfminer (both break words at 0.1 em): such a box is widened.
GAP = 40


class TextLayerError(RuntimeError):
    """A font ran out of two-byte codes for exact text."""


def _is_mark(text: str) -> bool:
    return bool(text) and all(unicodedata.category(c).startswith("M") for c in text)


def _drawn(glyph_id: int) -> bool:
    return glyph_id != _EMPTY and not glyph_id & _UNKNOWN


def clusters(
    utf8: bytes, offset: int, length: int, log_clusters
) -> list[tuple[str, list[int]]]:
    """A run's clusters in logical order: (text, glyph indexes in drawing order).

    Read from Pango's log clusters (byte offsets into the item at `offset`); a
    cluster made of combining marks only joins the cluster logically before it, so
    «دُ» is one unit whatever cluster level Pango shaped with.
    """
    starts = sorted(set(log_clusters))
    ends = dict(zip(starts, [*starts[1:], length], strict=True))
    groups: list[list] = []
    by_start: dict[int, list] = {}
    for start in starts:
        text = utf8[offset + start : offset + ends[start]].decode("utf-8", "replace")
        if groups and _is_mark(text):
            groups[-1][0] += text
        else:
            groups.append([text, []])
        by_start[start] = groups[-1]
    for index, start in enumerate(log_clusters):
        by_start[start][1].append(index)
    return [(text, indexes) for text, indexes in groups]


def _carrier_first(glyphs: list[list], indexes: list[int], carrier: int) -> None:
    """Draw `carrier` first in its cluster, every glyph staying where it was drawn.

    WeasyPrint turns an advance into text space with `1000 * FROM_UNITS / size` but
    an offset with `1 / size`: the offsets are recomputed in its scale.
    """
    advance = 1000 * FROM_UNITS  # Pango advance -> Pango offset units, as drawn
    origins, pen = {}, 0.0
    for i in indexes:
        origins[i] = pen + glyphs[i][_X_OFFSET]
        pen += glyphs[i][_WIDTH] * advance
    order = [glyphs[i] for i in [carrier, *(i for i in indexes if i != carrier)]]
    sources = [carrier, *(i for i in indexes if i != carrier)]
    pen = 0.0
    for position, (source, glyph) in enumerate(zip(sources, order, strict=True)):
        glyph = list(glyph)
        glyph[_X_OFFSET] = round(origins[source] - pen)
        pen += glyph[_WIDTH] * advance
        glyphs[indexes[0] + position] = glyph


def _natural_width(stream, font, pango_font, glyph_id: int, font_size: float) -> int:
    """The glyph's own width (1/1000 em), computed and stored as WeasyPrint does."""
    width = font.widths.get(glyph_id)
    if width is None:
        pango.pango_font_get_glyph_extents(
            pango_font, glyph_id, stream.ink_rect, stream.logical_rect
        )
        width = font.widths[glyph_id] = round(
            stream.logical_rect.width * 1000 * FROM_UNITS / font_size
        )
    return width


def _code(font, glyph_id: int, text: str, width: int) -> int:
    """The code drawing `glyph_id` that reads as `text` with `width`."""
    known = font.to_unicode.get(glyph_id)
    if known is None:
        font.to_unicode[glyph_id] = text
        known = text
    if known == text and font.widths[glyph_id] == width:
        return glyph_id
    aliases = font.__dict__.setdefault(ALIASES, {})
    code = aliases.get((glyph_id, text, width))
    if code is None:
        code = font.glyph_count + MISSING_ROOM + len(aliases)
        if code > LAST_CODE:
            raise TextLayerError(
                f"Font {font.family!r} has no two-byte code left for the text of "
                "another glyph: render fewer documents per batch."
            )
        aliases[(glyph_id, text, width)] = code
        font.__dict__.setdefault(ALIASED, {})[code] = glyph_id
        font.to_unicode[code] = text
        font.widths[code] = width
    return code


def _run_codes(stream, textbox, utf8: bytes, glyph_item, data: bytes) -> bytes:
    """The run's glyph array (`data`) with every glyph's code chosen (see above)."""
    item = glyph_item.item
    glyph_string = glyph_item.glyphs
    count = glyph_string.num_glyphs
    glyphs = [list(info) for info in _INFO.iter_unpack(data)]
    log_clusters = ffi.unpack(glyph_string.log_clusters, count)
    pango_font = item.analysis.font
    font, font_size = stream.add_font(pango_font)
    if pango.pango_version() < 14802:
        font_size = textbox.style["font_size"]  # as WeasyPrint does
    rtl = item.analysis.level % 2
    # Clusters in drawing order; the carrier of each drawn first.
    groups = []
    for text, indexes in clusters(utf8, item.offset, item.length, log_clusters):
        drawn = [i for i in indexes if _drawn(glyphs[i][_GLYPH])]
        if not drawn:
            continue  # controls (bidi marks, joiners): not drawn, not read
        carrier = max(drawn, key=lambda i: glyphs[i][_WIDTH])
        contiguous = indexes == list(range(indexes[0], indexes[-1] + 1))
        if contiguous and carrier != indexes[0]:
            _carrier_first(glyphs, indexes, carrier)
            carrier = indexes[0]
        groups.append((text[::-1] if rtl else text, indexes, carrier, contiguous))
    groups.sort(key=lambda group: group[1][0])
    # Where WeasyPrint draws each glyph, in 1/1000 em (see `_carrier_first`).
    scale = 1000 * FROM_UNITS / font_size
    origins, ends, pen = [], [], 0.0
    for glyph in glyphs:
        origins.append(pen + glyph[_X_OFFSET] / font_size)
        pen += glyph[_WIDTH] * scale
        ends.append(pen)
    widths = font.widths
    for position, (text, indexes, carrier, contiguous) in enumerate(groups):
        naturals = {}
        for i in indexes:
            glyph_id = glyphs[i][_GLYPH]
            if _drawn(glyph_id):
                natural = widths.get(glyph_id)
                if natural is None:
                    natural = _natural_width(
                        stream, font, pango_font, glyph_id, font_size
                    )
                naturals[i] = natural
        if len(indexes) == 1 or not contiguous:
            end = origins[carrier] + naturals[carrier]
        else:
            end = ends[indexes[-1]]
        following = groups[position + 1][1][0] if position + 1 < len(groups) else None
        if following is not None and origins[following] - end > GAP:
            end = origins[following]  # no false space before the next letter
        for i, natural in naturals.items():
            unchanged = len(indexes) == 1 and end == origins[i] + natural
            if unchanged or (not contiguous and i != carrier):
                width = natural
            else:
                width = max(0, round(end - origins[i]))
            glyphs[i][_GLYPH] = _code(
                font, glyphs[i][_GLYPH], text if i == carrier else "", width
            )
    return b"".join(_INFO.pack(*glyph) for glyph in glyphs)


def _assign_codes(stream, textbox, line) -> list[tuple]:
    """Choose the code of every glyph of `line`.

    Returns (glyph array, count, original bytes) for each rewritten run: Pango's glyph
    strings are put back as they were once WeasyPrint has drawn the line.
    """
    utf8 = textbox.pango_layout.text.encode()
    saved = []
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        count = glyph_item.glyphs.num_glyphs
        font, _size = stream.add_font(glyph_item.item.analysis.font)
        if font.bitmap or font.png or font.svg or font.colr or not count:
            continue  # emoji fonts are drawn from their glyph ids: left alone
        if len(font.missing) >= MISSING_ROOM and font.__dict__.get(ALIASES):
            raise TextLayerError(
                f"Font {font.family!r}: too many characters missing from every font."
            )
        infos = glyph_item.glyphs.glyphs
        size = count * _GLYPH_INFO_SIZE
        data = ffi.buffer(infos, size)[:]
        chosen = _run_codes(stream, textbox, utf8, glyph_item, data)
        if chosen != data:
            saved.append((infos, size, data))
            ffi.memmove(infos, chosen, size)
    return saved


_original_draw_first_line = weasyprint_draw_text.draw_first_line


def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """WeasyPrint's `draw_first_line`, with every glyph's code chosen first."""
    if (
        text_overflow == "ellipsis"
        or block_ellipsis != "none"
        or not textbox.text.strip()
        or textbox.style["font_size"] < 1e-6
    ):
        # An ellipsis is laid out inside the original function: left as it was.
        return _original_draw_first_line(
            stream, textbox, text_overflow, block_ellipsis, matrix
        )
    layout = textbox.pango_layout
    # The original sets this too; set it first so that the line read here is the one
    # it draws (changing the mode would lay the text out again).
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    line, _index = layout.get_first_line()
    saved = _assign_codes(stream, textbox, line)
    try:
        return _original_draw_first_line(
            stream, textbox, text_overflow, block_ellipsis, matrix
        )
    finally:
        # The same layout is drawn again for the next file (a chunk's printout, then
        # each document's own PDF): Pango's glyph strings get their glyphs back.
        for infos, size, data in saved:
            ffi.memmove(infos, data, size)


_original_vector_font_dictionary = weasyprint_fonts._build_vector_font_dictionary


def _vector_font_dictionary(
    font_dictionary, pdf, font, widths, compress, reference, pdf_version
):
    """WeasyPrint's CID font, with a CIDToGIDMap that draws aliases as their glyph."""
    _original_vector_font_dictionary(
        font_dictionary, pdf, font, widths, compress, reference, pdf_version
    )
    aliased = font.__dict__.get(ALIASED)
    if not aliased or not any(code in widths for code in aliased):
        return  # /Identity is right
    cids = [cid for cid in widths if cid < font.glyph_count or cid in aliased]
    table = bytearray(2 * (max(cids) + 1))
    for cid in cids:
        table[2 * cid : 2 * cid + 2] = aliased.get(cid, cid).to_bytes(2, "big")
    cid_to_gid = pydyf.Stream([bytes(table)], compress=compress)
    pdf.add_object(cid_to_gid)
    descendant = font_dictionary["DescendantFonts"][0]
    for obj in reversed(pdf.objects):
        if obj.reference == descendant:
            obj["CIDToGIDMap"] = cid_to_gid.reference
            return
    raise TextLayerError(f"No CID font object for {font.family!r}")


def install() -> None:
    """Put the exact text layer into WeasyPrint (idempotent)."""
    weasyprint_draw_text.draw_first_line = draw_first_line
    weasyprint_fonts._build_vector_font_dictionary = _vector_font_dictionary
