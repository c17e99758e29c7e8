"""Benchmark: the contact centre at 200,000 requests, on SQLite (or DATABASE_URL).

    .venv/bin/python -m bench.contact                     # 200,000 requests
    .venv/bin/python -m bench.contact --requests 20000    # quicker
    .venv/bin/python -m bench.contact --reuse             # measure an existing database

Generates (bulk inserts through the models) offices for 10 hospitals and 30 institutes
plus the authority's, 8 topics and N requests over the last 24 months in every status,
with deadlines, answer times and ratings. Then times, through the real admin views
(Django test client): the office list's first page and its "overdue" filter for an
office's head and for authority staff, and the dashboard for both; each with its query
count. The database is `var/bench-contact.sqlite3` unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench-contact.sqlite3"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ["TASKS_BACKEND"] = "immediate"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def timed(fn, repeat: int = 7) -> tuple[float, float]:
    """(median, max) wall time in milliseconds over `repeat` runs after a warm-up."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)


def generate(*, requests: int, seed: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from contact.models import (
        ContactRequest,
        ContactStatus,
        Office,
        OfficeKind,
        OfficeMember,
        Topic,
    )
    from contact.services import authority_office, office_for_place
    from institutes.models import Hospital, Institute

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    with transaction.atomic():
        hospitals = [
            Hospital.objects.create(
                code=f"bh-{n}", name_ar=f"مستشفى {n}", name_en=f"Hospital {n}"
            )
            for n in range(10)
        ]
        institutes = [
            Institute.objects.create(
                code=f"bi-{n}",
                name_ar=f"معهد {n}",
                name_en=f"Institute {n}",
                hospital=hospitals[n % 10],
                intake_capacity=60,
            )
            for n in range(30)
        ]
        authority = authority_office()
        offices = [office_for_place(hospital=h) for h in hospitals] + [
            office_for_place(institute=i) for i in institutes
        ]
        offices.append(authority)
        topics = [
            Topic.objects.create(
                code=f"t{n}", name_ar=f"موضوع {n}", name_en=f"Topic {n}", target_days=5
            )
            for n in range(8)
        ]
        User = get_user_model()
        User.objects.create_superuser("bench-authority", "a@example.org", "x")
        head = User.objects.create_user("bench-head", "h@example.org", "x")
        OfficeMember.objects.create(office=offices[0], user=head, is_head=True)
    now = timezone.now()
    statuses = [
        ContactStatus.CLOSED,
        ContactStatus.CLOSED,
        ContactStatus.CLOSED,
        ContactStatus.ANSWERED,
        ContactStatus.ANSWERED,
        ContactStatus.ASSIGNED,
        ContactStatus.IN_PROGRESS,
        ContactStatus.NEEDS_INFO,
    ]
    batch = []
    for n in range(requests):
        created = now - datetime.timedelta(minutes=rng.randint(0, 730 * 24 * 60))
        status = rng.choice(statuses)
        office = rng.choice(offices)
        done = status in (ContactStatus.ANSWERED, ContactStatus.CLOSED)
        hours = rng.randint(1, 300) if done else None
        answered = created + datetime.timedelta(hours=hours) if done else None
        phone = f"010{rng.randint(0, 99_999_999):08d}"
        batch.append(
            ContactRequest(
                reference=f"CC-B{n:07d}",
                kind=rng.choice(["complaint", "report", "inquiry", "suggestion"]),
                topic=rng.choice(topics),
                subject=f"طلب {n}",
                message="نص الطلب",
                name="زائر",
                phone=phone,
                phone_digits=phone,
                consent_at=created,
                office=office,
                institute=office.institute,
                hospital=office.hospital,
                status=status,
                answer="تم" if done else "",
                due_at=created + datetime.timedelta(days=5),
                answered_at=answered,
                hours_to_answer=hours,
                closed_at=answered if status == ContactStatus.CLOSED else None,
                resolution=rng.choice(["", "yes", "no", "partly"]) if done else "",
            )
        )
        if len(batch) == 5000:
            _flush(batch, now)
            batch = []
    _flush(batch, now)
    Office.objects.filter(kind=OfficeKind.AUTHORITY).update(email="c@example.org")


def _flush(batch, now) -> None:
    from django.db import transaction

    from contact.models import ContactRequest

    if not batch:
        return
    from django.db.models import F

    with transaction.atomic():
        created = ContactRequest.objects.bulk_create(batch)
        # auto_now_add stamps "now": put each row back at its own time (kept in
        # consent_at, which the generator sets to the same moment).
        ContactRequest.objects.filter(pk__in=[obj.pk for obj in created]).update(
            created_at=F("consent_at")
        )


def measure() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from contact.models import ContactRequest

    User = get_user_model()
    print(f"requests: {ContactRequest.objects.count():,}")
    for username in ("bench-head", "bench-authority"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        for label, url, params in (
            ("office list", "/admin/contact_requests/", {}),
            ("office list, overdue", "/admin/contact_requests/", {"overdue": "true"}),
            ("dashboard", "/admin/contact/dashboard/", {}),
        ):

            def get(url=url, params=params, client=client):
                response = client.get(url, params)
                assert response.status_code == 200, response.status_code

            median, worst = timed(get)
            with CaptureQueriesContext(connection) as queries:
                get()
            print(
                f"{username:16} {label:22} median {median:7.1f} ms  "
                f"max {worst:7.1f} ms  queries {len(queries)}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if not args.reuse and "DATABASE_URL" not in os.environ:
        DB.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    setup_django()
    if not args.reuse:
        start = time.perf_counter()
        generate(requests=args.requests, seed=args.seed)
        print(f"generated in {time.perf_counter() - start:.0f} s")
    measure()


if __name__ == "__main__":
    main()
