"""Benchmark: mandatory staff training compliance at national scale, on SQLite.

    .venv/bin/python -m bench.training                 # 200,000 staff, 2,000,000 attendances
    .venv/bin/python -m bench.training --staff 20000 --attendance 200000   # quicker
    .venv/bin/python -m bench.training --reuse         # measure an existing database

Generates (bulk inserts, same tables and the same `status_sync` as production) N staff
in H hospitals, 10 topics, two years of sessions and the attendance records, then
times: one hospital's compliance (per department and per topic), the national overview,
one person's record, the roster of a large session (query count and time) and saving a
1,500-person roster. The database is `var/bench-training.sqlite3` (never the demo db).
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
from pathlib import Path

from bench.common import ROOT, setup_django, timed

DB = ROOT / "var" / "bench-training.sqlite3"


def generate(*, staff: int, hospitals: int, attendance: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from institutes.arabic import normalize_for_search
    from institutes.models import Hospital, Person, Specialty, Ward
    from institutes.services import national_id_documents_create
    from training.models import JobCategory, StaffMember, Topic
    from training.staff.compliance import status_sync
    from training.staff.factories import make_national_id

    rng = random.Random(seed)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("PRAGMA synchronous=OFF")
    t0 = time.perf_counter()
    today = timezone.localdate()

    topics = []
    specs = [
        ("ipc", 12, None, list(JobCategory.values), []),
        ("hh", 12, None, list(JobCategory.values), []),
        ("bls", 24, 80, ["nurse", "physician", "pharmacist", "technician"], []),
        ("acls", 24, 70, ["nurse", "physician"], ["icu", "er"]),
        ("fire", 12, None, list(JobCategory.values), []),
        ("ps", 24, 70, list(JobCategory.values), []),
        ("gahar", 24, 70, list(JobCategory.values), []),
        ("waste", 24, 70, ["nurse", "technician", "support"], []),
        ("rights", 36, None, list(JobCategory.values), []),
        ("med", 24, 70, ["nurse", "physician", "pharmacist"], []),
    ]
    for code, months, mark, cats, specialties in specs:
        topic, _ = Topic.objects.update_or_create(
            code=code,
            defaults=dict(
                title_ar=f"موضوع {code}",
                title_en=code.upper(),
                validity_months=months,
                assessment="exam" if mark else "attendance",
                pass_mark=mark,
                job_categories=cats,
                specialties=specialties,
                renewal_rule="previous_expiry"
                if code in ("bls", "acls")
                else "completion",
                renewal_window_days=90 if code in ("bls", "acls") else 0,
            ),
        )
        topics.append(topic)

    hospital_objs = Hospital.objects.bulk_create(
        [
            Hospital(
                code=f"bench-{i}", name_ar=f"مستشفى قياس {i}", name_en=f"Bench {i}"
            )
            for i in range(hospitals)
        ]
    )
    specialties = [
        Specialty.ICU,
        Specialty.ER,
        Specialty.MEDICAL,
        Specialty.SURGICAL,
        Specialty.OR,
        Specialty.PAEDIATRICS,
        Specialty.OBSTETRICS,
        Specialty.DIALYSIS,
    ]
    wards = Ward.objects.bulk_create(
        [
            Ward(hospital=h, specialty=s, name_ar=f"قسم {s} {h.code}", name_en=f"{s}")
            for h in hospital_objs
            for s in specialties
        ]
    )
    wards_by_hospital: dict[int, list[Ward]] = {}
    for w in wards:
        wards_by_hospital.setdefault(w.hospital_id, []).append(w)
    print(f"  hospitals, wards, topics: {time.perf_counter() - t0:.1f}s", flush=True)

    categories = (
        ["nurse"] * 45
        + ["physician"] * 18
        + ["technician"] * 10
        + ["pharmacist"] * 5
        + ["administrative"] * 13
        + ["support"] * 9
    )
    base = datetime.date(1970, 1, 1)
    batch = 20000
    for start in range(0, staff, batch):
        people, members = [], []
        for i in range(start, min(staff, start + batch)):
            sex = "f" if i % 2 else "m"
            birth = base + datetime.timedelta(days=i // 1000)
            nid = make_national_id(birth, sex, "29", serial=i % 1000 + 5 * 0)
            # serial%5 sets the sex digit: keep it consistent with `sex`.
            nid = nid[:12] + str((i % 5) * 2 + (1 if sex == "m" else 0)) + nid[13]
            name = f"موظف {i}"
            people.append(
                Person(
                    national_id=nid,
                    name_ar=name,
                    name_en=f"Staff {i}",
                    birth_date=birth,
                    sex=sex,
                    search_text=normalize_for_search(name, nid),
                )
            )
        Person.objects.bulk_create(people, batch_size=2000)
        national_id_documents_create(people=people)
        ids = dict(
            Person.objects.filter(
                national_id__in=[p.national_id for p in people]
            ).values_list("national_id", "pk")
        )
        for offset, person in enumerate(people):
            i = start + offset
            hospital = hospital_objs[i % hospitals]
            category = categories[i % len(categories)]
            clinical = category in ("nurse", "physician", "technician")
            ward = rng.choice(wards_by_hospital[hospital.pk]) if clinical else None
            number = f"B{i:07d}"
            members.append(
                StaffMember(
                    person_id=ids[person.national_id],
                    hospital=hospital,
                    ward=ward,
                    employee_number=number,
                    job_category=category,
                    hire_date=datetime.date(2005 + i % 20, 1 + i % 12, 1 + i % 28),
                    search_text=normalize_for_search(
                        person.name_ar, person.name_en, number
                    ),
                )
            )
        StaffMember.objects.bulk_create(members, batch_size=2000)
        print(
            f"  staff {min(staff, start + batch):>7}: {time.perf_counter() - t0:.1f}s",
            flush=True,
        )

    # Sessions: per hospital and topic, one a month for two years.
    tz = timezone.get_current_timezone()
    session_rows = []
    for h in hospital_objs:
        for topic in topics:
            for back in range(24, 0, -1):
                day = today - datetime.timedelta(days=back * 30 + rng.randint(0, 20))
                start_at = datetime.datetime.combine(day, datetime.time(9), tzinfo=tz)
                session_rows.append((topic.pk, h.pk, start_at, day))
    with connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO training_trainingsession (topic_id, hospital_id, venue, starts_at,"
            " ends_at, capacity, status, notes, cancelled_reason, created_at)"
            " VALUES (%s, %s, 'قاعة', %s, %s, 200, 'held', '', '', %s)",
            [
                (t, h, s, s + datetime.timedelta(hours=3), s)
                for t, h, s, _d in session_rows
            ],
        )
        cur.execute(
            "SELECT id, topic_id, hospital_id, starts_at FROM training_trainingsession"
        )
        sessions: dict[tuple[int, int], list[tuple[int, datetime.date]]] = {}
        for sid, topic_id, hospital_id, starts_at in cur.fetchall():
            day = (
                starts_at.date()
                if hasattr(starts_at, "date")
                else datetime.date.fromisoformat(str(starts_at)[:10])
            )
            sessions.setdefault((hospital_id, topic_id), []).append((sid, day))
    print(
        f"  {len(session_rows)} sessions: {time.perf_counter() - t0:.1f}s", flush=True
    )

    # Attendance: spread over staff and their required topics until the target count.
    required = {}
    for topic in topics:
        required[topic.pk] = (set(topic.job_categories), set(topic.specialties))
    staff_rows = list(
        StaffMember.objects.values_list(
            "pk", "hospital_id", "job_category", "ward__specialty"
        )
    )
    per_staff = max(1, -(-attendance // max(1, len(staff_rows))))
    written = 0
    rows = []
    sql = (
        "INSERT INTO training_attendance (session_id, staff_id, topic_id, completed_on,"
        " status, score, passed, walk_in, recorded_at, updated_at, certificate_code)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, 0, %s, %s, '')"
    )
    now = timezone.now()
    with connection.cursor() as cur:
        for staff_id, hospital_id, category, specialty in staff_rows:
            mine = [
                t
                for t in topics
                if category in required[t.pk][0]
                and (not required[t.pk][1] or specialty in required[t.pk][1])
            ]
            if not mine:
                continue
            picks = set()
            attempts = 0
            while len(picks) < per_staff and attempts < per_staff * 3:
                attempts += 1
                topic = rng.choice(mine)
                options = sessions[(hospital_id, topic.pk)]
                sid, day = rng.choice(options)
                if sid in picks:
                    continue
                picks.add(sid)
                status = "present" if rng.random() < 0.9 else "absent"
                score = (
                    rng.randint(40, 100)
                    if topic.pass_mark and status == "present"
                    else None
                )
                passed = status == "present" and (
                    topic.pass_mark is None or score >= topic.pass_mark
                )
                rows.append(
                    (sid, staff_id, topic.pk, day, status, score, passed, now, now)
                )
            if len(rows) >= 50000:
                cur.executemany(sql, rows)
                written += len(rows)
                rows = []
                if written % 500000 < 50000:
                    print(
                        f"  attendance {written:>8}: {time.perf_counter() - t0:.1f}s",
                        flush=True,
                    )
        if rows:
            cur.executemany(sql, rows)
            written += len(rows)
    print(f"  attendance {written}: {time.perf_counter() - t0:.1f}s", flush=True)

    staff_ids = [r[0] for r in staff_rows]
    for start in range(0, len(staff_ids), 20000):
        status_sync(staff_ids[start : start + 20000], topics=topics)
        print(
            f"  status rows for {min(len(staff_ids), start + 20000)} staff: {time.perf_counter() - t0:.1f}s",
            flush=True,
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"generated in {time.perf_counter() - t0:.0f}s", flush=True)


def measure() -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from institutes.models import Hospital
    from training.models import (
        Attendance,
        Registration,
        StaffMember,
        StaffTopicStatus,
        TrainingSession,
    )
    from training.staff.selectors import (
        hospital_compliance,
        national_overview,
        session_roster,
        staff_record,
    )
    from training.staff.services import RosterEntry, roster_save

    User = get_user_model()
    authority, _ = User.objects.get_or_create(
        username="bench-authority", defaults={"is_superuser": True}
    )
    counts = {
        "staff": StaffMember.objects.count(),
        "hospitals": Hospital.objects.filter(code__startswith="bench-").count(),
        "attendance": Attendance.objects.count(),
        "status_rows": StaffTopicStatus.objects.count(),
    }
    print("data:", counts, flush=True)
    hospital = Hospital.objects.filter(code__startswith="bench-").order_by("pk")[5]
    results = {}
    results["hospital_compliance_ms"] = timed(
        lambda: hospital_compliance(hospital=hospital, user=authority)
    )
    results["national_overview_ms"] = timed(
        lambda: national_overview(user=authority), repeat=5
    )
    person_ids = list(
        StaffMember.objects.filter(hospital=hospital).values_list("pk", flat=True)[:50]
    )
    members = list(
        StaffMember.objects.filter(pk__in=person_ids).select_related("person")
    )
    index = iter(range(10**9))
    results["person_record_ms"] = timed(
        lambda: staff_record(staff=members[next(index) % len(members)]), repeat=21
    )

    # A 1,500-person session today: roster query count and time, and saving it.
    topic_id = (
        StaffTopicStatus.objects.filter(hospital=hospital)
        .values_list("topic_id", flat=True)
        .first()
    )
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=5)
    big = TrainingSession.objects.create(
        topic_id=topic_id,
        hospital=hospital,
        venue="bench",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        capacity=2000,
    )
    small = TrainingSession.objects.create(
        topic_id=topic_id,
        hospital=hospital,
        venue="bench-s",
        starts_at=start + datetime.timedelta(days=1),
        ends_at=start + datetime.timedelta(days=1, hours=2),
        capacity=20,
    )
    people = list(
        StaffMember.objects.filter(hospital=hospital).values_list("pk", "person_id")[
            :1500
        ]
    )
    Registration.objects.bulk_create(
        [
            Registration(
                session=big,
                staff_id=s,
                person_id=p,
                starts_at=big.starts_at,
                ends_at=big.ends_at,
            )
            for s, p in people
        ]
    )
    Registration.objects.bulk_create(
        [
            Registration(
                session=small,
                staff_id=s,
                person_id=p,
                starts_at=small.starts_at,
                ends_at=small.ends_at,
            )
            for s, p in people[:10]
        ]
    )
    for label, session in (("roster_10", small), ("roster_1500", big)):
        with CaptureQueriesContext(connection) as ctx:
            session_roster(session=session)
        results[f"{label}_queries"] = len(ctx.captured_queries)
    results["roster_1500_ms"] = timed(lambda: session_roster(session=big), repeat=3)
    entries = [RosterEntry(s, "present", 85) for s, _p in people]
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        roster_save(session=big, entries=entries)
    results["roster_save_1500_ms"] = (time.perf_counter() - t) * 1000
    results["roster_save_1500_queries"] = len(ctx.captured_queries)
    t = time.perf_counter()
    roster_save(session=big, entries=entries)
    results["roster_resave_1500_ms"] = (time.perf_counter() - t) * 1000
    # Leave the database as generated.
    Attendance.objects.filter(session__in=[big, small]).delete()
    Registration.objects.filter(session__in=[big, small]).delete()
    from training.staff.compliance import status_sync

    status_sync([s for s, _p in people])
    big.delete()
    small.delete()
    return {"data": counts, **results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=200_000)
    parser.add_argument("--hospitals", type=int, default=60)
    parser.add_argument("--attendance", type=int, default=2_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the existing database"
    )
    parser.add_argument("--db", default=str(DB))
    args = parser.parse_args()
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    if not args.reuse and db.exists():
        db.unlink()
        for suffix in ("-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    setup_django(db)
    if not args.reuse:
        generate(
            staff=args.staff,
            hospitals=args.hospitals,
            attendance=args.attendance,
            seed=args.seed,
        )
    results = measure()
    print()
    for key, value in results.items():
        if isinstance(value, tuple):
            print(f"{key:28} median {value[0]:8.1f}   max {value[1]:8.1f}")
        else:
            print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
