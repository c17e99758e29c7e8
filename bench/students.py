"""Benchmark: students at national scale, on SQLite.

    .venv/bin/python -m bench.students                    # 100,000 students, 30 institutes
    .venv/bin/python -m bench.students --students 20000   # quicker
    .venv/bin/python -m bench.students --reuse            # measure an existing database

Generates (bulk inserts through the same models, `national_id_for`, search text and
the real curriculum) N students over I institutes with five intakes (2021 … 2025) and
their history: an enrolment per academic year and the events applied / admitted /
enrolled / promoted, as the services write them. Then times, through the real admin
views (Django test client, logged in as authority staff): the student list's first
page, a filtered page, an Arabic name search typed with variants; the rollover of a
500-student cohort with full marks (`rollover_confirm`); and importing a 10,000-row CSV
(preview with every check, then confirm). The database is `var/bench-students.sqlite3`.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import time
from decimal import Decimal
from pathlib import Path

from bench.common import ROOT, setup_django, timed

DB = ROOT / "var" / "bench-students.sqlite3"
INTAKES = range(2021, 2026)
CURRENT = 2025


def _names():
    import csv

    given = {"m": [], "f": []}
    family = []
    path = ROOT / "students" / "demo_data" / "names-ar.csv"
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] == "given":
                given[row["sex"]].append((row["arabic"], row["latin"]))
            else:
                family.append((row["arabic"], row["latin"]))
    return given, family


def generate(*, students: int, institutes: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from curriculum.models import CurriculumVersion
    from institutes.models import Hospital, Institute, Person
    from institutes.services import national_id_documents_create
    from students.models import (
        Cohort,
        Enrolment,
        EnrolmentEvent,
        EventKind,
        Student,
        StudentStatus,
        YearOutcome,
    )

    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    call_command("load_demo_data", only=["institutes", "curriculum"], verbosity=0)
    version = CurriculumVersion.objects.get(code="nursing-2021")
    given, family = _names()
    per_cohort = students // (institutes * len(INTAKES))
    serial = 0
    t0 = time.perf_counter()
    for i in range(institutes):
        with transaction.atomic():
            hospital, _ = Hospital.objects.get_or_create(
                code=f"bench-h{i}", defaults={"name_ar": f"مستشفى رقم {i}"}
            )
            institute, _ = Institute.objects.get_or_create(
                code=f"bench-{i}",
                defaults={
                    "name_ar": f"المعهد الفني للتمريض رقم {i}",
                    "name_en": f"Technical Nursing Institute {i}",
                    "hospital": hospital,
                },
            )
            for intake in INTAKES:
                cohort = Cohort.objects.create(
                    institute=institute,
                    intake_year=intake,
                    curriculum_version=version,
                    capacity=per_cohort + 100,
                )
                people, rows = [], []
                for n in range(per_cohort):
                    serial += 1
                    sex = "f" if rng.random() < 0.7 else "m"
                    first = rng.choice(given[sex])
                    father, grand = rng.choice(given["m"]), rng.choice(given["m"])
                    last = rng.choice(family)
                    born = datetime.date(intake - 15, 1, 1) + datetime.timedelta(
                        days=serial % 365
                    )
                    # Unique per (birth date, sequence): valid century, date,
                    # governorate and sex digit.
                    seq = serial // 365
                    person = Person(
                        national_id=(
                            f"{'3' if born.year >= 2000 else '2'}{born:%y%m%d}"
                            f"{'29' if seq % 7 else '27'}{seq % 1000:03d}"
                            f"{(seq % 5) * 2 + (sex == 'm')}{serial % 10}"
                        ),
                        name_ar=f"{first[0]} {father[0]} {grand[0]} {last[0]}",
                        name_en=f"{first[1]} {father[1]} {last[1]}",
                        birth_date=born,
                        sex=sex,
                    )
                    person.refresh_search_text()
                    people.append(person)
                    years = CURRENT - intake + 1
                    rows.append((person, n, years))
                Person.objects.bulk_create(people, batch_size=1000)
                national_id_documents_create(people=people)
                studs = []
                for person, n, years in rows:
                    student = Student(
                        person=person,
                        cohort=cohort,
                        student_number=f"B{i}-{intake}-{n:05d}",
                        status=StudentStatus.ENROLLED,
                        year_of_study=years,
                        governorate="29",
                    )
                    student.refresh_search_text()
                    studs.append(student)
                Student.objects.bulk_create(studs, batch_size=1000)
                enrolments, events = [], []
                for student in studs:
                    for k in range(student.year_of_study):
                        enrolments.append(
                            Enrolment(
                                student=student,
                                cohort=cohort,
                                academic_year=intake + k,
                                year_of_study=k + 1,
                                outcome=YearOutcome.IN_PROGRESS
                                if intake + k == CURRENT
                                else YearOutcome.PROMOTED,
                            )
                        )
                    for kind in (EventKind.APPLIED, EventKind.ADMITTED):
                        events.append(
                            EnrolmentEvent(
                                student=student, kind=kind, status_after=kind
                            )
                        )
                    for k in range(student.year_of_study):
                        events.append(
                            EnrolmentEvent(
                                student=student,
                                kind=EventKind.ENROLLED
                                if k == 0
                                else EventKind.PROMOTED,
                                status_after=StudentStatus.ENROLLED,
                                academic_year=intake + k,
                                year_of_study=k + 1,
                            )
                        )
                Enrolment.objects.bulk_create(enrolments, batch_size=2000)
                EnrolmentEvent.objects.bulk_create(events, batch_size=2000)
        print(
            f"  institute {i + 1}/{institutes}: {Student.objects.count():,} students "
            f"({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )


def _rollover_cohort(size: int, year_of_study: int = 1):
    """A fresh cohort of `size` students in `year_of_study` with every mark of that
    year entered (year 5: the graduation checks run for every student who passed)."""
    from curriculum.models import Course, CurriculumVersion
    from institutes.models import Institute, Person
    from institutes.services import national_id_documents_create
    from students import services
    from students.models import (
        Cohort,
        CourseResult,
        Enrolment,
        Student,
        StudentStatus,
    )

    version = CurriculumVersion.objects.get(code="nursing-2021")
    institute = Institute.objects.get(code="bench-0")
    year = 2031 + Cohort.objects.filter(intake_year__gt=2030).count()
    cohort = Cohort.objects.create(
        institute=institute, intake_year=year, curriculum_version=version, capacity=size
    )
    people = []
    for n in range(size):
        born = datetime.date(2012, 1, 1) + datetime.timedelta(days=n % 365)
        person = Person(
            national_id=f"3{born:%y%m%d}88{(year % 10)}{n:03d}{n % 10}"[:14],
            name_ar=f"طالب التجربة {n}",
            birth_date=born,
            sex="m",
        )
        person.refresh_search_text()
        people.append(person)
    Person.objects.bulk_create(people)
    national_id_documents_create(people=people)
    studs = [
        Student(
            person=p,
            cohort=cohort,
            student_number=f"R{year}-{n:04d}",
            status=StudentStatus.ENROLLED,
            year_of_study=year_of_study,
        )
        for n, p in enumerate(people)
    ]
    for s in studs:
        s.refresh_search_text()
    Student.objects.bulk_create(studs)
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                student=s,
                cohort=cohort,
                academic_year=year,
                year_of_study=year_of_study,
            )
            for s in studs
        ]
    )
    results = []
    for e in enrolments:
        for course in Course.objects.filter(version=version, year=year_of_study):
            t = Decimal(40 + (e.pk * 7 + course.pk) % 60)
            p = Decimal(20 + (e.pk + course.pk) % 30) if course.practical_max else None
            total, passed = services.result_outcome(course, t, p)
            results.append(
                CourseResult(
                    enrolment=e,
                    course=course,
                    theory_mark=t,
                    practical_mark=p,
                    total=total,
                    passed=passed,
                )
            )
    CourseResult.objects.bulk_create(results, batch_size=2000)
    return cohort, year


def _import_csv(rows: int, run: int, intake: int) -> bytes:
    from students.factories import national_id_for

    lines = ["الرقم القومي,الاسم,الاسم باللاتينية,الهاتف,كود المعهد,سنة القبول"]
    for n in range(rows):
        born = datetime.date(2011 - run, 1, 1) + datetime.timedelta(days=n % 365)
        nid = national_id_for(born, "f", "28", serial=n)
        lines.append(
            f"{nid},منى أحمد علي {n},Mona Ahmed {n},0100{n:07d},bench-1,{intake}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _one_name() -> str:
    """The full Arabic name of a student in the middle of the table, typed loosely."""
    from students.models import Student

    total = Student.objects.count()
    name = (
        Student.objects.order_by("pk")
        .values_list("person__name_ar", flat=True)[total // 2 : total // 2 + 1]
        .get()
    )
    return name.replace("أ", "ا").replace("إ", "ا").replace("ة", "ه")


def measure() -> list[tuple[str, str]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from curriculum.models import CurriculumVersion
    from institutes.models import Institute
    from students import services
    from students.importing import import_confirm, import_preview
    from students.models import Cohort, Student

    figures: list[tuple[str, str]] = []
    total = Student.objects.count()
    figures.append(("students in the database", f"{total:,}"))
    User = get_user_model()
    authority, _ = User.objects.get_or_create(
        username="bench-authority", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(authority)
    institute = Institute.objects.get(code="bench-3")

    def page(url, params=None):
        def run():
            response = client.get(url, params or {})
            assert response.status_code == 200, response.status_code

        return run

    cases = [
        ("student list, first page (50 rows, all institutes)", "/admin/students/", {}),
        (
            "student list, filtered (institute + year 3 + enrolled + female)",
            "/admin/students/",
            {
                "institute": institute.pk,
                "year_of_study": 3,
                "status": "enrolled",
                "sex": "f",
            },
        ),
        (
            "student list, page 150 (deepest page under the cap)",
            "/admin/students/",
            {"p": 150},
        ),
        (
            "Arabic name search typed with variants (“اسماء عبد الرحمن”)",
            "/admin/students/results/",
            {"q": "اسماء عبد الرحمن"},
        ),
        (
            "Arabic name search matching one student (full name, hamzas dropped)",
            "/admin/students/results/",
            {"q": _one_name()},
        ),
        (
            "search by national ID prefix",
            "/admin/students/results/",
            {
                "q": Student.objects.order_by("pk")
                .values_list("person__national_id", flat=True)
                .first()[:10]
            },
        ),
    ]
    for label, url, params in cases:
        median, worst = timed(page(url, params))
        figures.append((label, f"median {median:.0f} ms, max {worst:.0f} ms"))

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for year_of_study in (1, 5):
        cohort, year = _rollover_cohort(300, year_of_study)
        runs = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                lines = services.rollover_preview(cohort=cohort, academic_year=year)
                runs.append((time.perf_counter() - start) * 1000)
        figures.append(
            (
                f"rollover preview of a 300-student cohort in year {year_of_study}",
                f"median {statistics.median(runs):.0f} ms, {len(captured)} queries, "
                f"{len(lines)} lines",
            )
        )

    cohort, year = _rollover_cohort(500)
    start = time.perf_counter()
    summary = services.rollover_confirm(cohort=cohort, academic_year=year)
    elapsed = time.perf_counter() - start
    figures.append(
        (
            "rollover of a 500-student cohort (preview + confirm, one transaction)",
            f"{elapsed:.2f} s ({summary.promoted} promoted, {summary.repeating} "
            f"repeating, {summary.blocked} blocked)",
        )
    )
    start = time.perf_counter()
    again = services.rollover_confirm(cohort=cohort, academic_year=year)
    figures.append(
        (
            "the same rollover run again",
            f"{time.perf_counter() - start:.2f} s, {again.moved} moved",
        )
    )

    version = CurriculumVersion.objects.get(code="nursing-2021")
    run = Cohort.objects.filter(intake_year__gte=2040).count()
    Cohort.objects.create(
        institute=Institute.objects.get(code="bench-1"),
        intake_year=2040 + run,
        curriculum_version=version,
        capacity=20000,
    )
    data = _import_csv(10_000, run, 2040 + run)
    start = time.perf_counter()
    preview = import_preview(
        data=data, filename="bench.csv", user=authority, cohort=None, admitted=False
    )
    checked = time.perf_counter() - start
    result = import_confirm(
        token=preview.token, user=authority, cohort_pk=None, admitted=False
    )
    elapsed = time.perf_counter() - start
    figures.append(
        (
            "import of a 10,000-row CSV (preview with all checks, then confirm)",
            f"{elapsed:.1f} s in all (preview {checked:.1f} s); {result.written:,} "
            f"written, {preview.problem_count} rows with problems",
        )
    )
    return figures


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--institutes", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args(argv)
    if not args.reuse and DB.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    DB.parent.mkdir(exist_ok=True)
    setup_django(DB)
    if not args.reuse:
        start = time.perf_counter()
        print(f"generating {args.students:,} students …", flush=True)
        generate(students=args.students, institutes=args.institutes, seed=args.seed)
        print(f"generated in {time.perf_counter() - start:.0f} s", flush=True)
    for label, value in measure():
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
