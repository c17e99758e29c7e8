"""Benchmark: the placement proposal, booking and the ward schedule grid at scale.

    .venv/bin/python -m bench.placements                     # 30 institutes, 100,000 students, 200 wards
    .venv/bin/python -m bench.placements --students 20000    # quicker

Builds `var/bench-placements.sqlite3` (never the demo db): 30 institutes on 20
hospitals with 200 wards (10 each), 100,000 students in 150 cohorts (bulk inserts),
and five years of ward loads (one row per ward, day and shift, 0–capacity booked) so
every read runs against a realistically large `WardShiftLoad` table. Then measures:

1. the proposal for a 300-student rotation block over 12 weeks (3 rotations) across
   20 wards: reading what it needs + the algorithm (`proposal_build`), and the whole
   apply (booking the ~900 placements through `placement_book`, one savepoint each);
2. a hospital's schedule grid for a term (10 wards × 13 weeks, `hospital_grid`) and
   one ward's day-by-day schedule for a term (`ward_schedule`), median of 20;
3. queries for one booking of 1 day and of 60 days (must be equal).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench-placements.sqlite3"


def setup_django() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    DB.parent.mkdir(exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ["TASKS_BACKEND"] = "immediate"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(students_total: int, years: int):
    import random

    from django.db import transaction

    from curriculum.factories import CurriculumVersionFactory
    from institutes.models import Hospital, Institute, Person, Specialty, Ward
    from institutes.services import national_id_documents_create
    from students.models import Cohort, Student
    from training.models import Shift, WardShiftLoad

    rng = random.Random(7)
    specialties = [
        Specialty.MEDICAL,
        Specialty.SURGICAL,
        Specialty.OBSTETRICS,
        Specialty.PAEDIATRICS,
        Specialty.NICU,
        Specialty.ICU,
        Specialty.ER,
        Specialty.OR,
        Specialty.DIALYSIS,
        Specialty.OUTPATIENT,
    ]
    with transaction.atomic():
        version = CurriculumVersionFactory(applies_from_intake=2000)
        hospitals = Hospital.objects.bulk_create(
            [
                Hospital(code=f"bh{i}", name_ar=f"مستشفى {i}", name_en=f"H{i}")
                for i in range(20)
            ]
        )
        wards = Ward.objects.bulk_create(
            [
                Ward(
                    hospital=h,
                    specialty=specialties[j],
                    name_ar=f"قسم {j} {h.code}",
                    name_en=f"Ward {j} {h.code}",
                    student_capacity=rng.randint(8, 16),
                )
                for h in hospitals
                for j in range(10)
            ]
        )
        institutes = Institute.objects.bulk_create(
            [
                Institute(
                    code=f"bi{i}",
                    name_ar=f"معهد {i}",
                    name_en=f"I{i}",
                    hospital=hospitals[i % 20],
                )
                for i in range(30)
            ]
        )
        for i, inst in enumerate(institutes):
            inst.partner_hospitals.add(hospitals[(i + 1) % 20], hospitals[(i + 2) % 20])
        cohorts = Cohort.objects.bulk_create(
            [
                Cohort(
                    institute=inst,
                    intake_year=2020 + k,
                    curriculum_version=version,
                    capacity=1000,
                )
                for inst in institutes
                for k in range(5)
            ]
        )
        people, studs = [], []
        for n in range(students_total):
            p = Person(
                national_id=f"3{n:013d}",
                name_ar=f"طالبة {n}",
                name_en=f"Student {n}",
                birth_date=datetime.date(2008, 1, 1),
                sex="f",
            )
            p.refresh_search_text()
            people.append(p)
        Person.objects.bulk_create(people, batch_size=2000)
        national_id_documents_create(people=people)
        for n, p in enumerate(people):
            s = Student(
                person=p,
                student_number=f"B{n:07d}",
                cohort=cohorts[n % len(cohorts)],
                status="enrolled",
                year_of_study=4,
            )
            s.search_text = p.search_text
            studs.append(s)
        Student.objects.bulk_create(studs, batch_size=2000)
        # Five years of ward loads: every ward, day and shift.
        start = datetime.date(2022, 1, 1)
        batch = []
        for w in wards:
            for d in range(365 * years):
                day = start + datetime.timedelta(days=d)
                for shift in (Shift.MORNING, Shift.EVENING, Shift.NIGHT):
                    batch.append(
                        WardShiftLoad(
                            ward=w,
                            date=day,
                            shift=shift,
                            capacity=w.student_capacity,
                            booked=rng.randint(0, w.student_capacity // 4),
                        )
                    )
            if len(batch) > 50000:
                WardShiftLoad.objects.bulk_create(batch, batch_size=5000)
                batch = []
        WardShiftLoad.objects.bulk_create(batch, batch_size=5000)
    return hospitals, wards, institutes, cohorts


def timed(fn, repeat: int = 1):
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return result, times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    setup_django()

    from django.db import connection

    from institutes.factories import UserFactory
    from students.models import Student
    from training.models import Placement, RotationBlock, WardShiftLoad
    from training.placements.selectors import hospital_grid, ward_schedule, weeks_from
    from training.placements.services import (
        block_ward_set,
        placement_book,
        proposal_apply,
        proposal_build,
    )

    t0 = time.perf_counter()
    hospitals, wards, institutes, cohorts = build(args.students, args.years)
    print(
        f"built {args.students:,} students, {len(wards)} wards, "
        f"{WardShiftLoad.objects.count():,} ward-shift loads in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    authority = UserFactory(username="bench", is_superuser=True)
    cohort = cohorts[0]
    institute = cohort.institute
    start = datetime.date(2026, 2, 7)  # a Saturday
    block = RotationBlock.objects.create(
        cohort=cohort,
        year=4,
        name_ar="بلوك القياس",
        start_date=start,
        end_date=start + datetime.timedelta(weeks=12, days=-1),
        weekdays="5601",
        rotation_weeks=4,
    )
    group = list(Student.objects.filter(cohort=cohort).order_by("pk")[:300])
    block.students.set(group)
    usable = [w for w in wards if w.hospital_id in institute.training_hospital_ids()]
    for w in usable:
        block_ward_set(block=block, ward=w, places=w.student_capacity)
    (proposal, _ctx), build_times = timed(lambda: proposal_build(block=block), 3)
    print(
        f"proposal_build, 300 students × 3 rotations × {len(usable)} wards: "
        f"median {statistics.median(build_times) * 1000:.0f} ms "
        f"({len(proposal.assignments)} assignments, {len(proposal.unplaced)} unplaced)"
    )
    result, apply_times = timed(lambda: proposal_apply(block=block, by=authority))
    print(
        f"proposal_apply (build + book every placement): {apply_times[0]:.2f} s, "
        f"{len(result.booked)} booked, {len(result.refused)} refused, "
        f"{len(result.unplaced)} unplaced"
    )
    hospital = hospitals[0]
    weeks = weeks_from(start, 13)
    _rows, grid_times = timed(
        lambda: hospital_grid(hospital=hospital, weeks=weeks, user=authority), 20
    )
    print(
        f"hospital_grid, 10 wards × 13 weeks: median "
        f"{statistics.median(grid_times) * 1000:.1f} ms"
    )
    ward = usable[0]
    _days, ward_times = timed(
        lambda: ward_schedule(
            ward=ward,
            start=start,
            end=start + datetime.timedelta(weeks=13),
            user=authority,
        ),
        20,
    )
    print(
        f"ward_schedule, one ward for a term: median "
        f"{statistics.median(ward_times) * 1000:.1f} ms"
    )
    counts = []
    other = cohorts[1]
    block2 = RotationBlock.objects.create(
        cohort=other,
        year=4,
        name_ar="بلوك العد",
        start_date=datetime.date(2026, 6, 6),
        end_date=datetime.date(2026, 9, 30),
        weekdays="5601234",
    )
    free = [
        w for w in wards if w.hospital_id in other.institute.training_hospital_ids()
    ]
    for index, (days, ward) in enumerate(((1, free[0]), (60, free[1]))):
        student = Student.objects.filter(cohort=other).order_by("pk")[index]
        seen = []

        def count(execute, sql, params, many, context, seen=seen):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            placement_book(
                block=block2,
                student=student,
                ward=ward,
                start_date=block2.start_date,
                end_date=block2.start_date + datetime.timedelta(days=days - 1),
            )
        counts.append(len(seen))
    print(f"queries for one booking of 1 day / 60 days: {counts[0]} / {counts[1]}")
    print(f"placements in the database: {Placement.objects.count():,}")


if __name__ == "__main__":
    main()
