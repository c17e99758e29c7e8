"""Benchmark: one student's academic transcript as a PDF, in a warm process.

    .venv/bin/python -m bench.transcript                 # on var/bench-demo.sqlite3
    .venv/bin/python -m bench.transcript --db other.sqlite3 --runs 15

Needs a database with the demo data (`python -m bench.demo` makes one). Takes the
students with the longest records (five years of marks, the final-year class and the
graduates) and measures, after one warm-up render:

1. render: `document_prepare` (the record's queries, context, template, QR code)
   and `render_documents` (HTML → PDF bytes), the part that runs for the "print"
   button of the back office;
2. `document_issue` end-to-end (eligibility, serial, render, SHA-256, stored file,
   register row), each on a different student.

Median, min and max wall clock and the median CPU time of this process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(db: Path, files: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["CERTIFICATES_FILES_ROOT"] = str(files)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    # On a loaded shared machine the first render can pass the production limit.
    settings.CERTIFICATES_RENDER_TIME_LIMIT = 600


def _students(count: int) -> list:
    from django.db.models import Count

    from certificates.registry import get_kind
    from students.documents import TRANSCRIPT

    kind = get_kind(TRANSCRIPT)
    return list(
        kind.achievements()
        .annotate(results=Count("enrolments__results"))
        .filter(results__gt=0)
        .order_by("-results", "pk")[:count]
    )


def render_once(kind, student, serial: int) -> None:
    from django.utils import timezone

    from certificates.rendering import render_documents
    from certificates.services import document_prepare

    prepared = document_prepare(
        kind=kind,
        achievement=student,
        language="ar-en",
        digits="arab",
        issued_on=timezone.localdate(),
        serial_number=serial,
    )
    render_documents([prepared]).documents[0].pdf  # noqa: B018


def _summary(label: str, walls: list[float], cpus: list[float]) -> str:
    return (
        f"{label}: median {statistics.median(walls) * 1000:.0f} ms "
        f"(min {min(walls) * 1000:.0f}, max {max(walls) * 1000:.0f}; "
        f"CPU median {statistics.median(cpus) * 1000:.0f} ms), {len(walls)} runs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=str(ROOT / "var" / "bench-demo.sqlite3"))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-issue", action="store_true")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    setup_django(Path(args.db), ROOT / "var" / "bench-transcript-documents")

    from django.db import transaction

    from certificates.registry import get_kind
    from certificates.services import document_issue
    from students.documents import TRANSCRIPT
    from students.models import CourseResult

    kind = get_kind(TRANSCRIPT)
    students = _students(2 * args.runs + 1)
    marks = CourseResult.objects.filter(enrolment__student=students[0]).count()
    print(f"{len(students)} students, the first with {marks} marks")
    start = time.perf_counter()
    render_once(kind, students[0], 1)
    print(f"first render (cold process): {(time.perf_counter() - start) * 1000:.0f} ms")
    walls, cpus = [], []
    for i, student in enumerate(students[1 : args.runs + 1]):
        start, cpu = time.perf_counter(), time.process_time()
        render_once(kind, student, 2 + i)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    print(_summary("render (prepare + PDF)", walls, cpus))
    if args.no_issue:
        return
    walls, cpus = [], []
    for student in students[args.runs + 1 :]:
        # Rolled back: the benchmark leaves the database as it found it.
        with transaction.atomic():
            start, cpu = time.perf_counter(), time.process_time()
            document_issue(kind=kind, achievement=student, issued_by=None)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            transaction.set_rollback(True)
    print(_summary("document_issue end-to-end", walls, cpus))


if __name__ == "__main__":
    main()
