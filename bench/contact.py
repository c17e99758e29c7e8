"""Benchmark: the contact centre at 200,000 requests, on SQLite (or DATABASE_URL).

    .venv/bin/python -m bench.contact                     # 200,000 requests
    .venv/bin/python -m bench.contact --requests 20000    # quicker
    .venv/bin/python -m bench.contact --reuse             # measure an existing database
    .venv/bin/python -m bench.contact --steps 35000,200000  # grow, measure at each size

Generates (bulk inserts through the models) offices for 10 hospitals and 30 institutes
plus the authority's, 8 topics and N requests over the last 24 months in every status,
with deadlines, answer times and ratings. Then times, through the real admin views
(Django test client): the office list's first page and its "overdue" filter for an
office's head and for authority staff, and the dashboard for both; each with its query
count. The dashboard's figures are also timed both ways in the same run: counted from
the requests (`dashboard_figures_live`, the way before the roll-up) and read from the
monthly roll-up (`dashboard_figures`), checked equal, with the ratio. The database is `var/bench-contact.sqlite3` unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import time
from pathlib import Path

from bench.common import ROOT, setup_django, timed

DB = ROOT / "var" / "bench-contact.sqlite3"


def generate(*, requests: int, seed: int, first: int = 0) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from contact.models import (
        Office,
        OfficeKind,
        OfficeMember,
        Topic,
    )
    from contact.services import authority_office, office_for_place
    from institutes.models import Hospital, Institute

    rng = random.Random(seed + first)
    if first:
        _more(requests=requests, rng=rng, first=first)
        return
    call_command("migrate", verbosity=0)
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
        for n in range(8):
            Topic.objects.create(
                code=f"t{n}", name_ar=f"موضوع {n}", name_en=f"Topic {n}", target_days=5
            )
        User = get_user_model()
        User.objects.create_superuser("bench-authority", "a@example.org", "x")
        head = User.objects.create_user("bench-head", "h@example.org", "x")
        OfficeMember.objects.create(office=offices[0], user=head, is_head=True)
    _more(requests=requests, rng=rng, first=0)
    Office.objects.filter(kind=OfficeKind.AUTHORITY).update(email="c@example.org")


def _more(*, requests: int, rng, first: int) -> None:
    """Requests number `first` to `first + requests - 1`, then the roll-up rebuilt."""
    from django.utils import timezone

    from contact.figures import figures_rebuild
    from contact.models import ContactRequest, ContactStatus, Office, Topic

    offices = list(Office.objects.order_by("pk"))
    topics = list(Topic.objects.order_by("pk"))
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
    for n in range(first, first + requests):
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
    start = time.perf_counter()
    done = figures_rebuild()
    print(
        f"roll-up rebuilt in {time.perf_counter() - start:.1f} s: "
        f"{done['cells']:,} monthly cells, {done['hour_cells']:,} hour histograms"
    )


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


def measure_figures() -> None:
    """The dashboard's figures counted live and read from the roll-up, alternated so
    that the machine's load falls on both alike; the ratio of the medians."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from contact.selectors import dashboard_figures, dashboard_figures_live

    User = get_user_model()
    now = timezone.now()
    for username in ("bench-head", "bench-authority"):
        user = User.objects.get(username=username)
        live = dashboard_figures_live(user=user, now=now)
        rolled = dashboard_figures(user=user, now=now)
        assert live == rolled, f"{username}: the roll-up differs from the live count"
        runs = {"live": [], "roll-up": []}
        for _round in range(3):
            for label, fn in (
                ("live", dashboard_figures_live),
                ("roll-up", dashboard_figures),
            ):
                start = time.perf_counter()
                fn(user=user, now=now)
                runs[label].append((time.perf_counter() - start) * 1000)
        counts = {}
        for label, fn in (
            ("live", dashboard_figures_live),
            ("roll-up", dashboard_figures),
        ):
            with CaptureQueriesContext(connection) as queries:
                fn(user=user, now=now)
            counts[label] = len(queries)
        live_ms = statistics.median(runs["live"])
        rolled_ms = statistics.median(runs["roll-up"])
        print(
            f"{username:16} figures live {live_ms:8.1f} ms ({counts['live']} q)  "
            f"roll-up {rolled_ms:7.1f} ms ({counts['roll-up']} q)  "
            f"ratio {live_ms / rolled_ms:5.1f}x  (equal: yes)"
        )


def measure() -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from contact.models import ContactRequest

    User = get_user_model()
    print(f"requests: {ContactRequest.objects.count():,}")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    measure_figures()
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
    parser.add_argument(
        "--steps",
        help="comma-separated sizes: generate up to each and measure there",
    )
    args = parser.parse_args()
    if not args.reuse and "DATABASE_URL" not in os.environ:
        DB.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    setup_django(DB, keep_database_url=True)
    if args.steps:
        made = 0
        for size in (int(step) for step in args.steps.split(",")):
            start = time.perf_counter()
            generate(requests=size - made, seed=args.seed, first=made)
            made = size
            print(f"generated up to {size:,} in {time.perf_counter() - start:.0f} s")
            measure()
        return
    if not args.reuse:
        start = time.perf_counter()
        generate(requests=args.requests, seed=args.seed)
        print(f"generated in {time.perf_counter() - start:.0f} s")
    measure()


if __name__ == "__main__":
    main()
