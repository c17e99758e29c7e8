"""Arabic text normalisation for search.

Registrars type names the way they say them: with or without diacritics, with any
form of alef, with ta marbuta or ha, alef maqsura or ya. Both the stored search text
and the query go through `normalize_for_search`, so every variant meets.
"""

import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks and tatweel.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTER_VARIANTS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        # Arabic-Indic and Persian digits to Western so "٢٩" finds "29".
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)
_SPACES = re.compile(r"\s+")
# After folding: "عبد" and "ابو" (from أبو) joined to the name that follows.
_COMPOUND_PREFIX = re.compile(r"(?<!\S)(عبد|ابو) (?=\S)")


def normalize_for_search(*parts: str | None) -> str:
    """Fold Arabic spelling variants, diacritics, case and spacing into one form.

    Several parts (Arabic name, Latin name, codes) are joined with a separator that a
    query never contains, so a match cannot span two fields.
    """
    normalized = []
    for part in parts:
        if not part:
            continue
        text = unicodedata.normalize("NFKC", str(part))
        text = _DIACRITICS.sub("", text)
        text = text.translate(_LETTER_VARIANTS).casefold()
        text = _SPACES.sub(" ", text).strip()
        # "عبد الرحمن" and "عبدالرحمن", "أبو زيد" and "أبوزيد" are one name.
        text = _COMPOUND_PREFIX.sub(r"\1", text)
        normalized.append(text)
    return " | ".join(normalized)


def search_variants(query: str) -> list[str]:
    """The forms of a query to look for in stored search text (one, once normalised)."""
    base = normalize_for_search(query)
    return [base] if base else []
