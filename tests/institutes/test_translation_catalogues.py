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


# --- Arabic plurals ------------------------------------------------------------------
# Arabic counts take six forms: ٠ ساعة / ساعة واحدة / ساعتان / ٣ ساعات / ١١ ساعة /
# ١٠٠ ساعة. A catalogue with another formula, or an entry with fewer or empty forms,
# prints «١٢ ساعات» (or the English) somewhere.

ARABIC_PLURAL_FORMS = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
)


def arabic_plural_problems(paths) -> list[str]:
    problems = []
    for path in paths:
        po = polib.pofile(str(path))
        header = po.metadata.get("Plural-Forms", "").strip()
        if header != ARABIC_PLURAL_FORMS:
            problems.append(f"{path}: Plural-Forms is {header!r}")
        for entry in po:
            if entry.obsolete or not entry.msgid_plural:
                continue
            forms = entry.msgstr_plural
            missing = [i for i in range(6) if not (forms.get(i) or "").strip()]
            extra = sorted(set(forms) - set(range(6)))
            if missing or extra:
                problems.append(
                    f"{path}: {entry.msgid!r} (context {entry.msgctxt!r}) has "
                    f"forms {sorted(forms)}, empty or missing {missing}"
                )
            elif len({forms[1], forms[2], forms[3]}) < 3 or forms[3] == forms[4]:
                # One, two and 3–10 never read alike in Arabic, nor 3–10 and 11–99
                # (ساعات / ساعة, طلاب / طالبًا): one text copied into every form.
                problems.append(
                    f"{path}: {entry.msgid!r} (context {entry.msgctxt!r}) says the "
                    "same for one, two, 3–10 or 11–99"
                )
    return problems


def arabic_catalogues() -> list[Path]:
    return [p for p in catalogues() if p.parts[-3] == "ar"]


def test_every_arabic_catalogue_counts_in_six_forms():
    paths = arabic_catalogues()
    assert len(paths) >= 5
    problems = arabic_plural_problems(paths)
    assert not problems, "\n".join(problems)


def test_arabic_plural_forms_pick_the_right_case():
    """The header's formula, as gettext runs it: the six cases of the brief."""
    import gettext

    plural = gettext.c2py(ARABIC_PLURAL_FORMS.split("plural=")[1].rstrip(";"))
    cases = {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 12: 4, 99: 4, 100: 5, 101: 5}
    cases |= {102: 5, 103: 3, 111: 4, 1000: 5}
    assert {n: plural(n) for n in cases} == cases


def _catalogue(tmp_path, header: str, forms: dict) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": header}
    po.append(
        polib.POEntry(
            msgid="%(n)s hour", msgid_plural="%(n)s hours", msgstr_plural=forms
        )
    )
    folder = tmp_path / "ar" / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "django.po"
    po.save(str(path))
    return path


SIX = {
    0: "%(n)s ساعة",
    1: "ساعة واحدة",
    2: "ساعتان",
    3: "%(n)s ساعات",
    4: "%(n)s ساعة",
    5: "%(n)s ساعة",
}


def test_the_plural_check_passes_a_complete_entry(tmp_path):
    path = _catalogue(tmp_path, ARABIC_PLURAL_FORMS, SIX)
    assert arabic_plural_problems([path]) == []


def test_the_plural_check_sees_a_missing_form(tmp_path):
    path = _catalogue(tmp_path, ARABIC_PLURAL_FORMS, {i: SIX[i] for i in range(3)})
    (problem,) = arabic_plural_problems([path])
    assert "[3, 4, 5]" in problem


def test_the_plural_check_sees_an_empty_form(tmp_path):
    path = _catalogue(tmp_path, ARABIC_PLURAL_FORMS, SIX | {4: ""})
    (problem,) = arabic_plural_problems([path])
    assert "[4]" in problem


def test_the_plural_check_sees_another_formula(tmp_path):
    path = _catalogue(tmp_path, "nplurals=2; plural=(n != 1);", SIX)
    (problem,) = arabic_plural_problems([path])
    assert "Plural-Forms" in problem


def test_the_plural_check_sees_one_text_copied_into_every_form(tmp_path):
    path = _catalogue(
        tmp_path, ARABIC_PLURAL_FORMS, dict.fromkeys(range(6), "%(n)s ساعة")
    )
    (problem,) = arabic_plural_problems([path])
    assert "the same for one, two" in problem
