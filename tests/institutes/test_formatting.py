"""The one formatter of numbers, dates and identifiers, and the one number parser."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from institutes.formatting import (
    NumberParseError,
    format_date,
    format_hours,
    format_number,
    format_percent,
    identifier_html,
    isolate_identifier,
    parse_number,
    to_digits,
)

ASCII_POINT_BETWEEN_ARABIC_INDIC = re.compile(r"[٠-٩][.,][٠-٩]")


@pytest.mark.parametrize(
    ("value", "arab", "latn"),
    [
        (Decimal("117.0"), "١١٧", "117"),
        (117.0, "١١٧", "117"),
        (117, "١١٧", "117"),
        (Decimal("82.5"), "٨٢٫٥", "82.5"),
        (Decimal("82.50"), "٨٢٫٥", "82.5"),
        (Decimal("0.25"), "٠٫٢٥", "0.25"),
        (Decimal("-3.5"), "-٣٫٥", "-3.5"),
        (Decimal("1E+2"), "١٠٠", "100"),
    ],
)
def test_numbers_print_without_dot_zero_and_with_the_arabic_separator(
    value, arab, latn
):
    assert format_number(value, "arab") == arab
    assert format_number(value, "latn") == latn


def test_rounding_is_half_up_to_the_places_asked():
    assert format_number(Decimal("74.25"), "latn", places=1) == "74.3"
    assert format_number(Decimal("74.96"), "arab", places=1) == "٧٥"


def test_thousands_grouping_uses_the_arabic_thousands_separator():
    assert format_number(Decimal("1234567.5"), "arab", grouping=True) == "١٬٢٣٤٬٥٦٧٫٥"
    assert format_number(Decimal("1234567.5"), "latn", grouping=True) == "1,234,567.5"


def test_not_a_number_is_passed_through_with_its_digits_converted():
    assert format_number("—", "arab") == "—"
    assert format_number(None, "arab") == ""
    assert format_number("2021/22", "arab") == "٢٠٢١/٢٢"


def test_never_an_ascii_point_between_arabic_indic_digits():
    for tenths in range(0, 2000, 7):
        value = Decimal(tenths) / 10
        for text in (
            format_number(value, "arab"),
            format_percent(value, "arab"),
            format_hours(value, "arab"),
        ):
            assert not ASCII_POINT_BETWEEN_ARABIC_INDIC.search(text), text


@pytest.mark.parametrize(
    ("value", "arab", "latn"),
    [
        (93, "٩٣٪", "93%"),
        (Decimal("93.0"), "٩٣٪", "93%"),
        (Decimal("82.54"), "٨٢٫٥٪", "82.5%"),
        (None, "", ""),
        ("—", "—", "—"),
    ],
)
def test_percentages(value, arab, latn):
    assert format_percent(value, "arab") == arab
    assert format_percent(value, "latn") == latn


def test_hours():
    assert format_hours(Decimal("2.0"), "arab") == "٢"
    assert format_hours(Decimal("1.50"), "arab") == "١٫٥"
    assert format_hours(Decimal("2.0"), "latn") == "2"


def test_dates_in_the_language_with_the_chosen_digits():
    day = datetime.date(2026, 11, 24)
    assert format_date(day, "arab", language="ar") == "٢٤ نوفمبر ٢٠٢٦"
    assert format_date(day, "latn", language="ar") == "24 نوفمبر 2026"
    assert format_date(day, "latn", language="en") == "24 November 2026"
    assert format_date("not a date", "arab") == ""


def test_identifiers_are_never_converted_and_are_isolated_left_to_right():
    assert isolate_identifier("KARNAK-2021-0036") == "\u2066KARNAK-2021-0036\u2069"
    assert isolate_identifier("") == ""
    assert identifier_html("KARNAK-2021-0036") == (
        '<bdi dir="ltr" class="ident">KARNAK-2021-0036</bdi>'
    )
    assert (
        identifier_html("<b>x</b>")
        == '<bdi dir="ltr" class="ident">&lt;b&gt;x&lt;/b&gt;</bdi>'
    )


def test_to_digits_only_touches_digits():
    assert to_digits("2025/26 — سنة", "arab") == "٢٠٢٥/٢٦ — سنة"
    assert to_digits("2025/26", "latn") == "2025/26"


def _render(source: str, **context) -> str:
    return Template("{% load formatting %}" + source).render(Context(context))


def test_template_filters():
    with translation.override("ar"):
        assert _render("{{ v|digits:'arab' }}", v=Decimal("117.0")) == "١١٧"
        assert _render("{{ v|digits:'arab' }}", v="2021/22") == "٢٠٢١/٢٢"
        assert _render("{{ v|number:'arab' }}", v=Decimal("82.5")) == "٨٢٫٥"
        assert _render("{{ v|percent:'arab' }}", v=Decimal("93.0")) == "٩٣٪"
        assert _render("{{ v|hours }}", v=Decimal("2.0")) == "2"
        assert _render("{{ v|ident }}", v="KARNAK-2021-0036") == (
            '<bdi dir="ltr" class="ident">KARNAK-2021-0036</bdi>'
        )
        assert _render("{{ v|docdate:'arab' }}", v=datetime.date(2026, 1, 2)) == (
            "٢ يناير ٢٠٢٦"
        )


def test_document_templates_load_the_same_filters():
    rendered = Template(
        "{% load certificates_pdf %}{{ v|number:'arab' }} {{ n|ident }}"
    ).render(Context({"v": Decimal("117.0"), "n": "CC-7Q2K-91XB"}))
    assert rendered == '١١٧ <bdi dir="ltr" class="ident">CC-7Q2K-91XB</bdi>'


# Identifiers that must never go through |digits (nor |number, |percent, |hours).
_IDENTIFIER_CONVERTED = re.compile(
    r"(student_number|employee_number|serial|code_display|\.code\b|reference|phone)"
    r"\S*\|(digits|number|percent|hours)"
)


def test_no_template_digit_converts_an_identifier():
    base = Path(settings.BASE_DIR)
    offenders = []
    for path in base.glob("*/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            for tag in re.findall(r"{{[^}]*}}|{%[^%]*%}", line):
                if _IDENTIFIER_CONVERTED.search(tag):
                    offenders.append(f"{path.relative_to(base)}:{number + 1}: {tag}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("82.5", Decimal("82.5")),
        ("82,5", Decimal("82.5")),
        ("٨٢٫٥", Decimal("82.5")),
        ("٨٢,٥", Decimal("82.5")),
        ("٨٢.٥", Decimal("82.5")),
        ("٨٢،٥", Decimal("82.5")),  # the Arabic comma
        ("۸۲٫۵", Decimal("82.5")),  # Persian digits
        ("  7 ", Decimal(7)),
        ("١١٧", Decimal(117)),
        ("١٬٢٣٤٫٥", Decimal("1234.5")),
        ("1٬234", Decimal(1234)),
        ("1,234.5", Decimal("1234.5")),
        ("-3", Decimal(-3)),
        ("\u200f٤٥\u200f", Decimal(45)),  # a right-to-left mark pasted with it
        ("", None),
        ("   ", None),
        (None, None),
        (Decimal("4.5"), Decimal("4.5")),
        (12, Decimal(12)),
    ],
)
def test_parse_number_reads_what_people_type(typed, expected):
    assert parse_number(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["abc", "1.2.3", "82,5.1", "1.234,5", "٨٢٫", "٫٥", "NaN", "Infinity", "1e3"],
)
def test_parse_number_refuses_what_is_not_a_number(typed):
    with pytest.raises(NumberParseError):
        parse_number(typed)


def test_typed_decimal_field_reads_arabic_digits_and_separators():
    from institutes.formatting import TypedDecimalField

    field = TypedDecimalField(required=False, min_value=0, max_value=100)
    assert field.clean("٨٢٫٥") == Decimal("82.5")
    assert field.clean("82,5") == Decimal("82.5")
    assert field.clean("") is None
    with pytest.raises(ValidationError) as invalid:
        field.clean("abc")
    assert invalid.value.error_list[0].code == "invalid"
    with pytest.raises(ValidationError) as too_big:
        field.clean("١٠١")
    assert too_big.value.error_list[0].code == "max_value"


@pytest.mark.parametrize("empty", [None, "", "  ", [], ()])
def test_or_dash_writes_one_dash_for_an_empty_value(empty):
    rendered = Template("{% load formatting %}{{ value|or_dash }}").render(
        Context({"value": empty})
    )
    assert rendered == "—"


@pytest.mark.parametrize("value, shown", [(0, "0"), ("KARNAK-1", "KARNAK-1")])
def test_or_dash_keeps_values_including_zero(value, shown):
    rendered = Template("{% load formatting %}{{ value|or_dash }}").render(
        Context({"value": value})
    )
    assert rendered == shown


def test_identifiers_never_wrap_on_back_office_screens(admin_client):
    """The `ident` class is styled `white-space: nowrap` by a stylesheet that every
    admin screen loads (a student number must not break at its hyphens on a phone)."""
    css = Path(settings.BASE_DIR, "institutes/static/institutes/admin.css").read_text()
    assert re.search(r"\.ident\s*\{[^}]*white-space:\s*nowrap", css)
    page = admin_client.get("/admin/").content.decode()
    assert "institutes/admin.css" in page


def test_identifier_columns_render_the_ident_span_and_export_as_typed():
    from institutes.tables import IdentifierColumn

    column = IdentifierColumn()
    assert column.render("TST-00000") == (
        '<bdi dir="ltr" class="ident">TST-00000</bdi>'
    )
    assert column.value("TST-00000") == "TST-00000"


def test_arabic_screens_separate_decimals_the_way_the_project_prints_them():
    """Django's Arabic formats print 65.3 as "65,3" (and 1234 as "1.234"); the
    screens print Western digits, so "." and "," as everywhere else in the project."""
    template = Template("{{ share|floatformat:1 }} {{ big|floatformat:'1g' }}")
    for language in ("ar", "en"):
        with translation.override(language):
            shown = template.render(Context({"share": Decimal("65.25"), "big": 1234.5}))
            assert shown == "65.3 1,234.5", (language, shown)
            assert parse_number(shown.split()[0]) == Decimal("65.3")
