"""Benchmark: the portal's door by one-time code, server time only.

    .venv/bin/python -m bench.portal                 # 30 runs on a fresh database
    .venv/bin/python -m bench.portal --runs 50 --reuse
    .venv/bin/python -m bench.portal --profile       # where one run's time goes

Migrates a fresh SQLite file (`var/bench-portal.sqlite3`, unless `--reuse`), makes
one institute and `runs + 1` students with a phone, then for each run (a different
student and client address, so the per-person and per-client limits never answer
instead) times through Django's test client:

1. *request a code*: POST the document number to `/ar/my/sign-in/` (find the
   person, write the code's keyed hash, render and record the SMS, log the event,
   queue the delivery);
2. *submit the code*: POST it to `/ar/my/sign-in/code/` (check, sign in, log).

The provider is left out: tasks use the database backend as in production, so the
request only queues the delivery and nothing is sent. The code typed is read from
the recorded message between the two requests (not timed). Prints the medians, min
and max of each step and of both together, and each step's query count. The first
pair is a warm-up (not counted).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import time
from pathlib import Path

from bench.common import ROOT, setup_django

DB = ROOT / "var" / "bench-portal.sqlite3"


def generate(people: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from institutes.factories import InstituteFactory
    from students.factories import CohortFactory, PersonFactory, StudentFactory

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        cohort = CohortFactory(institute=InstituteFactory(), intake_year=2025)
        for n in range(people):
            person = PersonFactory(phone=f"0101{n:07d}")
            StudentFactory(person=person, cohort=cohort)


def _numbers() -> list[str]:
    from students.models import Student

    return [
        student.person.documents.first().number
        for student in Student.objects.select_related("person").order_by("pk")
    ]


def _last_code() -> str:
    from notifications.models import Notification

    body = (
        Notification.objects.filter(template="portal/sign_in_code")
        .order_by("-pk")
        .values_list("body", flat=True)
        .first()
    )
    return re.search(r"\d{6}", body).group(0)


def one_pair(number: str, address: str) -> tuple[float, float, int, int]:
    """(request ms, submit ms, request queries, submit queries) for one sign-in."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(REMOTE_ADDR=address)
    with CaptureQueriesContext(connection) as asked:
        start = time.perf_counter()
        response = client.post(
            "/ar/my/sign-in/",
            {"number": number, "document_type": "eg_national_id", "country": "EG"},
        )
        requested = (time.perf_counter() - start) * 1000
    assert response.status_code == 302, response.status_code
    code = _last_code()
    with CaptureQueriesContext(connection) as checked:
        start = time.perf_counter()
        response = client.post("/ar/my/sign-in/code/", {"code": code})
        submitted = (time.perf_counter() - start) * 1000
    assert response.status_code == 302 and response.url == "/ar/my/", response
    return requested, submitted, len(asked), len(checked)


def _line(label: str, values: list[float]) -> str:
    return (
        f"{label:22} median {statistics.median(values):7.1f} ms  "
        f"min {min(values):7.1f}  max {max(values):7.1f}"
    )


def measure(runs: int, profile: bool) -> None:
    from django.conf import settings

    numbers = _numbers()
    if len(numbers) < runs + 1:
        raise SystemExit(f"{len(numbers)} students; --runs {runs} needs {runs + 1}")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print(f"password hasher: {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}")
    one_pair(numbers[0], "10.9.0.1")  # warm-up: templates, catalogues, connections
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        one_pair(numbers[1], "10.9.0.2")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return
    asked, checked, both = [], [], []
    for n, number in enumerate(numbers[1 : runs + 1], start=1):
        request_ms, submit_ms, request_q, submit_q = one_pair(
            number, f"10.9.{n // 250}.{n % 250 + 1}"
        )
        asked.append(request_ms)
        checked.append(submit_ms)
        both.append(request_ms + submit_ms)
    print(f"{runs} sign-ins, each by a different student and client address")
    print(_line("request a code", asked) + f"  queries {request_q}")
    print(_line("submit the code", checked) + f"  queries {submit_q}")
    print(_line("both", both))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if not args.reuse:
        DB.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    setup_django(DB, tasks="database")
    if not args.reuse:
        start = time.perf_counter()
        generate(max(args.runs + 1, 60))
        print(
            f"fresh database migrated and filled in {time.perf_counter() - start:.0f} s"
        )
    measure(args.runs, args.profile)


if __name__ == "__main__":
    main()
