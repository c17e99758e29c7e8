"""CSV and XLSX downloads of the custom student screens (rosters, results, previews).

Every cell goes through `institutes.spreadsheets.neutralize_formula`; CSV starts with
a byte-order mark so Excel reads Arabic as UTF-8.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from institutes.spreadsheets import CSV_BOM, safe_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence], fmt: str
) -> HttpResponse:
    """A download of `rows` as CSV (default) or XLSX (`fmt="xlsx"`), formulas neutralised."""
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
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out)
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow(safe_row(_plain(v) for v in row))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    return str(value)
