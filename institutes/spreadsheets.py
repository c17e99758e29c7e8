"""Safe spreadsheet cells for every export (CSV and XLSX) of the project.

A cell that begins with = + - @ (or a tab / carriage return) is run as a formula by
spreadsheet programs: a name typed as `=HYPERLINK(...)` would become a link in the
registrar's Excel. Such cells are prefixed with an apostrophe, which spreadsheets show
as plain text. CSV files start with a byte-order mark so Excel reads Arabic as UTF-8.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_BOM = "\ufeff"


def neutralize_formula(value):
    """Return `value` with a leading apostrophe if it would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        # Negative numbers typed as text stay readable: "'-5".
        return "'" + value
    return value


def safe_row(values):
    return [neutralize_formula(v) for v in values]
