"""Build the public site's Arabic web font: the subset the pages need.

Noto Sans Arabic as shipped (static/site/fonts/NotoSansArabic.woff2, 294 KB, every
weight and width, presentation forms) is cut down to the Arabic blocks, the joiners and
the weights the stylesheet uses (400-800, normal width), with every OpenType layout
feature kept so shaping is unchanged: about 40 KB, small enough to preload. Run by
`make` (the file is built, not committed): `python scripts/subset_site_font.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

FONTS = Path(__file__).resolve().parent.parent / "static" / "site" / "fonts"
SOURCE = FONTS / "NotoSansArabic.woff2"
TARGET = FONTS / "NotoSansArabic-subset.woff2"
UNICODES = [
    *range(0x0600, 0x0700),  # Arabic
    *range(0x0750, 0x0780),  # Arabic Supplement
    *range(0x200C, 0x2010),  # ZWNJ, ZWJ, LRM, RLM
    0x0020,
    0x00A0,
    0xFD3E,
    0xFD3F,  # ornate parentheses
]


def build(source: Path = SOURCE, target: Path = TARGET) -> int:
    font = TTFont(source, lazy=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    font.flavor = None
    font = instancer.instantiateVariableFont(font, {"wght": (400, 800), "wdth": 100})
    font.flavor = "woff2"
    font.save(target)
    return target.stat().st_size


if __name__ == "__main__":
    size = build()
    sys.stdout.write(f"{TARGET.name}: {size // 1024} KB\n")
