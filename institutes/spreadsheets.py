"""Safe spreadsheet cells for every export (CSV and XLSX) of the project.

A cell that begins with = + - @ (or a tab / carriage return) is run as a formula by
spreadsheet programs: a name typed as `=HYPERLINK(...)` would become a link in the
registrar's Excel. Such cells are prefixed with an apostrophe, which spreadsheets show
as plain text. CSV files start with a byte-order mark so Excel reads Arabic as UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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


def _plain(value):
    from django.contrib.auth import get_user_model

    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    if isinstance(value, get_user_model()):
        # An account is read as the person's name, never the username.
        from .services import user_display_name

        return user_display_name(value)
    return str(value)


class _Echo:
    """A file-like object whose write() hands the CSV line back (for streaming)."""

    def write(self, value):
        return value


def spreadsheet_response(
    *,
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    fmt: str,
    stream: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """A download of `rows` as CSV (default) or XLSX (`fmt="xlsx"`), formulas neutralised.

    With `stream=True` a CSV is written row by row as the client reads it, so a long
    list never sits in memory.
    """
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([str(h) for h in headers])
        for row in rows:
            sheet.append(safe_row(_plain(v) for v in row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    if stream:
        writer = csv.writer(_Echo())

        def lines():
            yield CSV_BOM
            yield writer.writerow([str(h) for h in headers])
            for row in rows:
                yield writer.writerow(safe_row(_plain(v) for v in row))

        response = StreamingHttpResponse(
            lines(), content_type="text/csv; charset=utf-8"
        )
    else:
        out = io.StringIO()
        out.write(CSV_BOM)
        writer = csv.writer(out)
        writer.writerow([str(h) for h in headers])
        for row in rows:
            writer.writerow(safe_row(_plain(v) for v in row))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
