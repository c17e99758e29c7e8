"""Import past years of clinical training from a spreadsheet (the paper register
typed up), preview first, then commit.

Uses the project's one import mechanism (`institutes.tabular_import`: encodings,
Arabic/English headers, formula cells, signed preview token, all-or-nothing commit).
Each row is one student and one year, written through `clinical_year_record`, so a
row is checked exactly like the form on the student's clinical record and lands in
the student's history; a row with the same figures as the current record is
"unchanged".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from institutes import access
from institutes.arabic import normalize_for_search
from institutes.tabular_import import (
    Column,
    CommitResult,
    ImportRow,
    Table,
    commit_rows,
    read_table,
)

from .models import RecordedClinicalYear
from .services import clinical_year_record, parse_hours

COLUMNS = (
    Column(
        "student_number",
        gettext_lazy("Student number"),
        ("رقم الطالب", "رقم القيد", "student no", "student number", "number"),
        required=True,
    ),
    Column(
        "year",
        gettext_lazy("Year of study"),
        ("الفرقة", "السنة", "السنة الدراسية", "year"),
        required=True,
    ),
    Column(
        "hours",
        gettext_lazy("Approved clinical hours"),
        ("الساعات", "الساعات المعتمدة", "ساعات التدريب", "hours"),
        required=True,
    ),
    Column(
        "competencies",
        gettext_lazy("Competencies signed off"),
        ("الكفاءات", "الكفايات", "competencies"),
    ),
    Column(
        "evidence",
        gettext_lazy("Evidence"),
        ("المستند", "السند", "المرجع", "evidence", "source"),
        required=True,
    ),
)

#: A competencies cell meaning "every competency of the year".
_ALL = {"*", "all", "الكل", "كل الكفاءات", "جميعها"}


@dataclass
class PastYearsPreview:
    table: Table
    rows: dict[int, dict]  # line → {"student", "year", "hours", "competencies"}


def _competency_codes(text: str) -> list[str]:
    return [c for c in re.split(r"[\s,،;؛]+", text.strip()) if c]


def past_years_import_preview(*, data: bytes, filename: str, user) -> PastYearsPreview:
    """Read the file and check every row; nothing is written. Students are looked up
    among those the user may change (another institute's number is "unknown")."""
    from curriculum.models import Competency
    from students.models import Student

    table = read_table(data, filename=filename, columns=COLUMNS)
    preview = PastYearsPreview(table=table, rows={})
    if not table.usable:
        return preview
    numbers = {r.get("student_number") for r in table.rows}
    students = {
        s.student_number: s
        for s in access.filter_for(
            Student.objects.filter(student_number__in=numbers).select_related(
                "person", "cohort"
            ),
            user,
            "change",
        )
    }
    competencies: dict[tuple[int, int], dict[str, object]] = {}
    for c in Competency.objects.filter(
        version__in={s.cohort.curriculum_version_id for s in students.values()}
    ):
        competencies.setdefault((c.version_id, c.year), {})[c.code.upper()] = c
    seen: set[tuple[str, str]] = set()
    for row in table.rows:
        _check_row(row, students, competencies, seen, preview)
    return preview


def _check_row(row: ImportRow, students, competencies, seen, preview) -> None:
    number = row.get("student_number")
    student = students.get(number)
    if student is None:
        row.problems.append(
            _("No student numbered %(n)s in your institute.") % {"n": number}
        )
    year_text = row.get("year").translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    year = int(year_text) if year_text.isdigit() else None
    if year is None or not 1 <= year <= 5:
        row.problems.append(
            _("The year of study is 1 to 5, not “%(value)s”.")
            % {"value": row.get("year")}
        )
    if (number, year_text) in seen:
        row.problems.append(_("This student and year are already in the file."))
    seen.add((number, year_text))
    try:
        hours = parse_hours(row.get("hours"))
        if hours is None:
            raise ValidationError(_("Enter the approved hours (0 or more)."))
    except ValidationError as exc:
        row.problems.append(" ".join(exc.messages))
        hours = None
    if not row.get("evidence").strip():
        row.problems.append(_("Say where the figures come from (the evidence)."))
    chosen = []
    if student is not None and year is not None:
        of_year = competencies.get((student.cohort.curriculum_version_id, year), {})
        cell = row.get("competencies")
        if normalize_for_search(cell) in {normalize_for_search(a) for a in _ALL}:
            chosen = list(of_year.values())
        else:
            unknown = []
            for code in _competency_codes(cell):
                c = of_year.get(code.upper())
                if c is None:
                    unknown.append(code)
                else:
                    chosen.append(c)
            if unknown:
                row.problems.append(
                    _("Not competencies of year %(year)s: %(codes)s.")
                    % {"year": year, "codes": "، ".join(unknown)}
                )
        if year > (student.year_of_study or 0):
            row.problems.append(
                _(
                    "Year %(year)s is not a year the student has studied (currently "
                    "year %(current)s)."
                )
                % {"year": year, "current": student.year_of_study or "—"}
            )
    if row.ok:
        preview.rows[row.line] = {
            "student": student,
            "year": year,
            "hours": hours,
            "competencies": chosen,
        }


def past_years_import_commit(*, preview: PastYearsPreview, by) -> CommitResult:
    """Write the valid rows in one transaction (all or nothing, see commit_rows)."""
    before = dict(
        RecordedClinicalYear.objects.filter(
            student__in=[r["student"] for r in preview.rows.values()], is_current=True
        ).values_list("pk", "recorded_at")
    )

    def write(row: ImportRow) -> bool:
        values = preview.rows[row.line]
        record = clinical_year_record(
            student=values["student"],
            year=values["year"],
            hours=values["hours"],
            competencies=values["competencies"],
            evidence=row.get("evidence"),
            by=by,
        )
        return record.pk not in before

    return commit_rows(preview.table.rows, write)
