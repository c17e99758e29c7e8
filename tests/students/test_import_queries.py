"""The import's confirm writes each row through the single-record writer: its query
count grows by a small, fixed number per row, never more."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from students.factories import national_id_for
from students.importing import build_preview
from students.models import EnrolmentEvent, Student
from students.services import students_import

BORN = datetime.date(2009, 5, 17)
HEADER = "الرقم القومي,الاسم,النوع,تاريخ الميلاد,الهاتف,ملاحظات\n"
#: Per row, measured: the student (cohort and number checks, insert, the admin's
#: reference index with its savepoints) and two history rows (constraint check,
#: insert). About 16; the ceiling leaves no room for a per-row look-up to creep in.
PER_ROW_CEILING = 16


def _confirm(world, cohort, rows: int, first_serial: int, admitted: bool) -> int:
    lines = "".join(
        f"{national_id_for(BORN, 'f', serial=first_serial + i)},طالبة,,,,\n"
        for i in range(rows)
    )
    preview = build_preview(
        data=(HEADER + lines).encode(),
        filename="s.csv",
        user=world.a.admin,
        cohort=cohort,
        admitted=admitted,
    )
    items = [(p.cohort, p.data) for p in preview.rows if p.state == "new"]
    assert len(items) == rows
    with CaptureQueriesContext(connection) as ctx:
        written = students_import(items=items, by=world.a.admin, admitted=admitted)
    assert written == rows
    return len(ctx.captured_queries)


def test_import_confirm_queries_grow_by_a_small_constant_per_row(world, cohort):
    cohort.capacity = 200
    cohort.save()
    few = _confirm(world, cohort, 10, first_serial=100, admitted=True)
    many = _confirm(world, cohort, 50, first_serial=200, admitted=True)
    per_row = (many - few) / 40
    assert per_row <= PER_ROW_CEILING, (few, many)
    assert few <= 10 * PER_ROW_CEILING + 20, few
    assert Student.objects.count() == 60
    assert EnrolmentEvent.objects.count() == 120  # applied + admitted per row
    numbers = sorted(Student.objects.values_list("student_number", flat=True))
    assert numbers[-1].endswith("-0060")
