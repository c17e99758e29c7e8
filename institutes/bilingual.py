"""Bilingual fields: every human-readable name is stored as `<field>_ar` and `<field>_en`.

`localized(obj, "name")` returns the one for the active language, falling back to the
other when it is empty, so an English screen never shows a blank where Arabic exists.
"""

from django.utils.translation import get_language


def localized(obj, field: str) -> str:
    lang = (get_language() or "ar")[:2]
    first, second = ("en", "ar") if lang == "en" else ("ar", "en")
    return (
        getattr(obj, f"{field}_{first}", "")
        or getattr(obj, f"{field}_{second}", "")
        or ""
    )


class BilingualNameMixin:
    """Gives a model with `name_ar`/`name_en` a `name` for the active language."""

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def bilingual_name(self) -> str:
        if self.name_en and self.name_ar:
            return f"{self.name_ar} — {self.name_en}"
        return self.name_ar or self.name_en
