"""Django merges every app's catalogue into one: a msgid translated differently in
two catalogues shows whichever wins (the sign-off button's "Record" read «الملف»).
A word with two meanings gets a pgettext context instead."""

from collections import defaultdict
from pathlib import Path

import polib

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def catalogues() -> list[Path]:
    found = set(BASE.glob("locale/*/LC_MESSAGES/django.po"))
    found |= set(BASE.glob("*/locale/*/LC_MESSAGES/django.po"))
    return sorted(p for p in found if ".venv" not in p.parts)


def clashes(paths, base: Path = BASE) -> dict:
    seen: dict = defaultdict(dict)
    for path in paths:
        language = path.parts[-3]
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            value = entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
            if not any(value if isinstance(value, tuple) else [value]):
                continue
            key = (language, entry.msgctxt, entry.msgid, entry.msgid_plural)
            seen[key][str(path.relative_to(base))] = value
    return {k: v for k, v in seen.items() if len(set(v.values())) > 1}


def test_no_msgid_is_translated_differently_in_two_catalogues():
    paths = catalogues()
    assert len(paths) >= 5  # the project's and the apps' catalogues were found
    found = clashes(paths)
    assert not found, "\n".join(
        f"{msgid!r} (context {ctx!r}): {by}"
        for (_l, ctx, msgid, _p), by in found.items()
    )


def test_the_check_sees_a_clash(tmp_path):
    """The test above can fail: two catalogues disagreeing on "Record"."""
    for app, value in (("a", "السجل"), ("b", "الملف")):
        po = polib.POFile()
        po.append(polib.POEntry(msgid="Record", msgstr=value))
        folder = tmp_path / app / "ar" / "LC_MESSAGES"
        folder.mkdir(parents=True)
        po.save(str(folder / "django.po"))
    paths = sorted(tmp_path.glob("*/ar/LC_MESSAGES/django.po"))
    assert list(clashes(paths, base=tmp_path)) == [("ar", None, "Record", "")]
