"""Student screens as operational tables: labelled cards, downloads through the
table, and a fixed number of queries whatever the number of rows."""

import datetime
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from students.factories import enrolled_student, national_id_for

BORN = datetime.date(2009, 5, 17)
HEADER = "الرقم القومي,الاسم,النوع,تاريخ الميلاد,الهاتف,ملاحظات\n"


def _get(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response, len(ctx.captured_queries)


def _lines(response) -> list[str]:
    return response.content.decode("utf-8-sig").splitlines()


def test_roster_renders_labelled_cards(world, client, cohort):
    enrolled_student(cohort)
    client.force_login(world.a.admin)
    response, _n = _get(client, reverse("cohorts:inspect", args=[cohort.pk]))
    body = response.content.decode()
    assert "op-table" in body
    assert 'data-label="' in body


def test_roster_download_keeps_its_columns(world, client, cohort):
    student = enrolled_student(cohort, guardian_phone="01001234567")
    client.force_login(world.a.admin)
    with translation.override("en"):
        response, _n = _get(
            client,
            reverse("cohorts:inspect", args=[cohort.pk]),
            export="csv",
            language="en",
        )
    header, row = _lines(response)
    assert response["Content-Disposition"].endswith(
        f'filename="roster-{cohort.institute.code}-{cohort.intake_year}.csv"'
    )
    assert len(header.split(",")) == 8
    cells = row.split(",")
    assert cells[0] == student.student_number
    assert cells[1] == student.person.name_ar
    assert cells[-1] == "01001234567"


def test_rollover_preview_is_a_table_with_a_fixed_number_of_queries(
    world, client, cohort
):
    client.force_login(world.a.admin)
    url = reverse("students_rollover", args=[cohort.pk])
    for _ in range(2):
        enrolled_student(cohort)
    response, few = _get(client, url, year=2025)
    assert "op-table" in response.content.decode()
    for _ in range(10):
        enrolled_student(cohort)
    response, many = _get(client, url, year=2025)
    assert many == few
    assert response.content.decode().count("<tr ") >= 12


def test_rollover_download_has_one_line_per_student(world, client, cohort):
    students = [enrolled_student(cohort) for _ in range(3)]
    client.force_login(world.a.admin)
    url = reverse("students_rollover", args=[cohort.pk])
    response, _n = _get(client, url, year=2025, export="csv")
    header, *rows = _lines(response)
    assert len(header.split(",")) == 5
    assert sorted(r.split(",")[0] for r in rows) == sorted(
        s.student_number for s in students
    )
    assert response["Content-Disposition"].endswith(
        f'filename="rollover-{cohort.institute.code}-{cohort.intake_year}-2025.csv"'
    )


def _upload(client, cohort, rows: int):
    lines = "".join(
        f"{national_id_for(BORN, 'f', serial=100 + i)},طالبة {i},,,,\n"
        for i in range(rows)
    )
    upload = io.BytesIO((HEADER + lines).encode())
    upload.name = "s.csv"
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            reverse("students_import"), {"file": upload, "cohort": cohort.pk}
        )
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def test_import_preview_is_a_table_with_a_fixed_number_of_queries(
    world, client, cohort
):
    client.force_login(world.a.admin)
    response, few = _upload(client, cohort, 3)
    body = response.content.decode()
    assert "op-table" in body
    assert body.count('data-label="') == 3 * 5  # a labelled cell per column
    response, many = _upload(client, cohort, 30)
    assert response.content.decode().count('data-label="') == 30 * 5
    assert many == few
