"""Benchmark: certificate PDFs, one at a time and 1,000 in one bulk run.

    .venv/bin/python -m bench.certificates                 # 1,000 certificates
    .venv/bin/python -m bench.certificates --count 200 --naive 100   # quicker
    .venv/bin/python -m bench.certificates --reuse         # keep the generated students

Builds `var/bench-certificates.sqlite3` (never the demo db) with one institute, one
cohort and N graduated students, women and men (bulk inserts), PDFs under
`var/bench-documents/`. Then measures, in one run:

1. single-certificate latency, warm process: rendering one graduation certificate
   (HTML → PDF bytes) and the whole `document_issue` (eligibility, serial, QR, render,
   hash, store, register row); median of 30, a different graduate each time.
2. naive: one WeasyPrint set-up per certificate, rendered fresh (new font
   configuration, stylesheets parsed and the whole page laid out each time, as a
   straightforward implementation does), rendering only — no register rows.
3. the project's bulk path (`certificates.bulk.documents_issue_many`) for N
   certificates: eligibility, serials, register rows, QR codes, PDFs, SHA-256, stored
   files, the combined PDF and the ZIP; worker processes on every core.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench-certificates.sqlite3"
FILES = ROOT / "var" / "bench-documents"
MALE_NAMES = (8, 9)  # indexes of certificates.factories.ARABIC_NAMES (two backgrounds)


def setup_django(reuse: bool) -> None:
    if not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    DB.parent.mkdir(exist_ok=True)
    shutil.rmtree(FILES, ignore_errors=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["CERTIFICATES_FILES_ROOT"] = str(FILES)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def generate(count: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from curriculum.factories import version_with_courses
    from institutes.factories import HospitalFactory, InstituteFactory
    from institutes.models import Person
    from institutes.services import national_id_documents_create
    from students.factories import national_id_for
    from students.models import Cohort, Enrolment, Student, StudentStatus

    call_command("migrate", verbosity=0)
    existing = Student.objects.count()
    if existing >= count:
        return
    from certificates.factories import ARABIC_NAMES
    from institutes.models import Institute

    with transaction.atomic():
        institute = Institute.objects.filter(code="karnak-nursing").first()
        if institute is None:
            hospital = HospitalFactory(
                code="karnak",
                name_ar="مستشفى الكرنك الدولي",
                name_en="Karnak International",
            )
            institute = InstituteFactory(
                code="karnak-nursing",
                name_ar="المعهد الفني للتمريض بمستشفى الكرنك الدولي",
                name_en="Karnak International Technical Nursing Institute",
                hospital=hospital,
            )
        cohort = Cohort.objects.filter(institute=institute).first() or (
            Cohort.objects.create(
                institute=institute,
                intake_year=2021,
                curriculum_version=version_with_courses(applies_from_intake=2020),
            )
        )
        people = []
        for i in range(existing, count):
            ar, en = ARABIC_NAMES[i % len(ARABIC_NAMES)]
            sex = "m" if i % len(ARABIC_NAMES) in MALE_NAMES else "f"
            birth = datetime.date(2003, 1, 1) + datetime.timedelta(days=i % 900)
            person = Person(
                national_id=national_id_for(birth, sex, serial=i // 900 * 5 + 1),
                name_ar=f"{ar} {i}",
                name_en=f"{en} {i}",
                birth_date=birth,
                sex=sex,
            )
            person.refresh_search_text()
            people.append(person)
        Person.objects.bulk_create(people, batch_size=500)
        national_id_documents_create(people=people)
        students = []
        for person in Person.objects.filter(student__isnull=True).order_by("pk"):
            student = Student(
                person=person,
                student_number=f"KRN-{person.pk:06d}",
                cohort=cohort,
                status=StudentStatus.GRADUATED,
                year_of_study=5,
            )
            student.refresh_search_text()
            students.append(student)
        Student.objects.bulk_create(students, batch_size=500)
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    student=s,
                    cohort=cohort,
                    academic_year=2025,
                    year_of_study=5,
                    outcome="graduated",
                )
                for s in Student.objects.filter(enrolments__isnull=True)
            ],
            batch_size=500,
        )


def _prepared(kind, student, serial_number: int):
    """A bilingual certificate with Arabic-Indic digits, as the bulk run prints it."""
    from django.utils import timezone

    from certificates.services import document_prepare

    return document_prepare(
        kind=kind,
        achievement=student,
        language="ar-en",
        digits="arab",
        issued_on=timezone.localdate(),
        serial_number=serial_number,
    )


def single_latency(kind) -> tuple[float, float, float]:
    """Median render and issue time of one certificate in a warm process.

    Each run renders a different graduate (a different name), as the back office
    does; the first one warms the process (fonts, stylesheets, the background).
    """
    from certificates.rendering import render_documents
    from certificates.services import document_issue
    from students.models import Student

    students = list(kind.achievements().order_by("-pk")[:62])
    prepared = [
        _prepared(kind, student, 1 + i) for i, student in enumerate(students[:31])
    ]
    render_documents(prepared[:1])
    runs, cpu = [], []
    for one in prepared[1:]:
        start, start_cpu = time.perf_counter(), time.process_time()
        render_documents([one]).documents[0].pdf  # noqa: B018
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    render_ms = statistics.median(runs) * 1000
    issue_runs = []
    for student in students[31:]:
        student = Student.objects.get(pk=student.pk)
        start = time.perf_counter()
        document_issue(kind=kind, achievement=student, issued_by=None)
        issue_runs.append(time.perf_counter() - start)
    return (
        render_ms,
        statistics.median(cpu) * 1000,
        statistics.median(issue_runs) * 1000,
    )


def naive(kind, students) -> float:
    """One fresh WeasyPrint set-up per certificate (fonts, CSS and layout each time).

    What a straightforward implementation does: a new font configuration, the
    stylesheets parsed again and the whole page (background and fields) laid out and
    written for every certificate, one at a time in one process.
    """

    from certificates.pdfengine import PdfEngine
    from certificates.rendering import allowed_roots, build_batch

    roots = allowed_roots()
    start = time.perf_counter()
    for i, student in enumerate(students):
        job = build_batch([_prepared(kind, student, 100000 + i)], combined=False)
        PdfEngine(roots).run(job)
    return time.perf_counter() - start


def machine_reference_ms() -> float:
    """A fixed pure-Python loop, best of 3: how fast this (shared) machine is now.

    The machines are virtual and their speed varies from run to run; figures of two
    runs compare only beside this number.
    """
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        sum(i * i for i in range(1_000_000))
        best = min(best, time.process_time() - start)
    return best * 1000


def cpu_seconds() -> tuple[float, float]:
    """CPU time of this process and of its finished children (the render workers)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def bulk(kind, students) -> tuple[float, object]:
    from django.core.files.base import ContentFile

    from certificates.bulk import documents_issue_many
    from certificates.storage import document_storage

    start = time.perf_counter()
    achievements = list(kind.achievements().filter(pk__in=[s.pk for s in students]))
    outcome = documents_issue_many(
        kind=kind,
        achievements=achievements,
        issued_by=None,
        language="ar-en",
        digits="arab",
    )
    storage = document_storage()
    storage.save("bench/combined.pdf", ContentFile(outcome.combined_pdf))
    storage.save("bench/documents.zip", ContentFile(outcome.zip_bytes))
    return time.perf_counter() - start, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=None, help="default: --count")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    naive_count = args.naive if args.naive is not None else args.count

    load = os.getloadavg()
    print(f"machine reference: {machine_reference_ms():.0f} ms (lower is faster)")
    setup_django(args.reuse)
    t0 = time.perf_counter()
    generate(args.count + 62)
    print(
        f"data: {args.count + 62} graduates ready in {time.perf_counter() - t0:.1f} s"
    )

    from certificates.models import IssuedDocument
    from certificates.registry import get_kind
    from students.documents import GRADUATION_CERTIFICATE

    IssuedDocument.objects.all().delete()
    kind = get_kind(GRADUATION_CERTIFICATE)
    render_ms, render_cpu_ms, issue_ms = single_latency(kind)
    print(
        f"single certificate, warm: render {render_ms:.1f} ms median "
        f"({render_cpu_ms:.1f} ms CPU), document_issue end-to-end {issue_ms:.1f} ms "
        "median (30 different graduates each)"
    )

    issued = set(IssuedDocument.objects.values_list("achievement_id", flat=True))
    students = [s for s in kind.achievements().order_by("pk") if s.pk not in issued]
    students = students[: args.count]

    parent_before, workers_before = cpu_seconds()
    seconds, outcome = bulk(kind, students)
    parent_after, workers_after = cpu_seconds()
    parent, workers = parent_after - parent_before, workers_after - workers_before
    cpu = parent + workers
    print(
        f"bulk, {len(outcome.issued)} certificates issued (rows, QR, PDFs, SHA-256, "
        f"files, combined PDF {len(outcome.combined_pdf) / 1e6:.1f} MB, "
        f"ZIP {len(outcome.zip_bytes) / 1e6:.1f} MB): {seconds:.1f} s wall "
        f"({os.cpu_count()} cores); failures: {len(outcome.failures)}"
    )
    print(
        f"bulk CPU: {cpu:.1f} CPU-seconds ({cpu / len(outcome.issued) * 1000:.0f} ms "
        f"per certificate), i.e. {cpu / (os.cpu_count() or 1):.1f} s on "
        f"{os.cpu_count()} idle cores; load average at start {load[0]:.1f}"
    )
    print(
        f"  of which this process (database, templates, QR, files, combined PDF, "
        f"ZIP) {parent:.1f} s, render workers {workers:.1f} s"
    )

    # After the bulk run, so that its hundred font set-ups don't weigh on it.
    if naive_count:
        seconds = naive(kind, students[:naive_count])
        print(
            f"naive, {naive_count} certificates (render only): {seconds:.1f} s "
            f"({seconds / naive_count * 1000:.0f} ms each)"
        )


if __name__ == "__main__":
    main()
