"""Demo graduates: the 2020 intake of the Karnak institute, five years behind it.

The students app takes the intake through its five academic years (2020/21 …
2024/25): marks, then the year's clinical training (laid out here), then the real
rollover, which checks promotion and, in year 5, graduation. The clinical training
is laid out the way the placement screens do it: one rotation block per year in the
second term, booked by the automatic proposal, placements confirmed, run and
completed, every day's hours entered by the ward's instructor and approved by its
supervisor, each competency of the year signed off and a final evaluation written,
through `training.placements.services` (the hours with the services' own checks,
applied in memory, and inserted per year in one statement). The final rollover of 2024/25 graduates them through
the real checker (courses passed, plus `training.clinical`).

Runs after the placements demo (whose ward supervisors it reuses, making any that
are missing) and before the staff demo, which hires a few of these graduates at
Karnak hospital: the same `institutes.Person` then carries their student record,
graduation certificate (issued by the certificates demo) and staff training history.
Idempotent: nothing is done when the intake is already there.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from institutes.models import Ward

from . import supervision
from .demo import _instructor, _supervisors
from .models import (
    SHIFT_HOURS,
    ClinicalHours,
    EvaluationKind,
    PlacementDay,
    PlacementStatus,
    RotationBlock,
    Shift,
    SignOffLevel,
)
from .services import (
    block_ward_set,
    evaluation_record,
    placement_transition,
    proposal_apply,
    signoff_record,
)
from .services.records import _check_hours, _decide_one

INSTITUTE = "karnak-nursing"
INTAKE = 2020
SIZE = 12
#: Per year of study: shift, days of the week (0 = Monday … 6 = Sunday) and weeks,
#: from the second week of February of the academic year. Enough days for the
#: curriculum's clinical hours (0, 120, 240, 840, 540) with a margin.
PLAN = {
    1: (Shift.MORNING, "56", 4),
    2: (Shift.MORNING, "562", 12),
    3: (Shift.EVENING, "5602", 14),
    4: (Shift.NIGHT, "56012", 16),
    5: (Shift.NIGHT, "5602", 13),
}
YEAR_NAMES = {1: "الأولى", 2: "الثانية", 3: "الثالثة", 4: "الرابعة", 5: "الخامسة"}
COMMENTS = [
    "ملتزمة بالمواعيد وتتعامل مع المرضى باحترام",
    "مهارات إكلينيكية جيدة ويتعلم بسرعة",
    "تحسن واضح في التواصل مع الفريق",
    "دقيقة في التوثيق وحساب الجرعات",
]


def load_graduates(ctx) -> None:
    """Create the 2020 intake and take it to graduation (once)."""
    from students.demo import past_intake
    from students.models import Cohort, StudentStatus

    institute = ctx.shared.get("institutes", {}).get(INSTITUTE)
    if institute is None:
        ctx.say("graduates: no demo institute, skipped")
        return
    if Cohort.objects.filter(institute=institute, intake_year=INTAKE).exists():
        ctx.say("graduates: the 2020 intake is already there")
        return
    admin = ctx.shared.get("accounts", {}).get("admin.karnak")
    counts = defaultdict(int)

    def clinical_year(cohort, year):
        shift, weekdays, weeks = PLAN[year]
        _clinical_year(ctx, cohort, year, shift, weekdays, weeks, admin, counts)

    cohort, summaries = past_intake(
        ctx,
        institute=institute,
        intake=INTAKE,
        size=SIZE,
        by=admin,
        serial=9000,
        before_rollover=clinical_year,
    )
    graduated = cohort.students.filter(status=StudentStatus.GRADUATED).count()
    blocked = sum(s.blocked for s in summaries)
    ctx.say(
        f"graduates: intake {INTAKE} of {institute.code}: {graduated} graduated "
        f"({blocked} blocked on the way), {counts['placements']} placements, "
        f"{counts['hours']} approved hours entries, {counts['signoffs']} sign-offs"
    )


def _clinical_year(ctx, cohort, year, shift, weekdays, weeks, admin, counts) -> None:
    from curriculum.models import Competency
    from students.models import StudentStatus

    rng = ctx.rng
    academic_year = INTAKE + year - 1
    start = _second_saturday_of_february(academic_year + 1)
    end = start + datetime.timedelta(weeks=weeks, days=-1)
    institute = cohort.institute
    block = RotationBlock(
        cohort=cohort,
        year=year,
        name_ar=f"التدريب الإكلينيكي للفرقة {YEAR_NAMES[year]} — {institute.name_ar}",
        name_en=f"Year {year} clinical rotations — {institute.name_en}",
        start_date=start,
        end_date=end,
        shift=shift,
        weekdays=weekdays,
        rotation_weeks=4 if weeks >= 8 else weeks,
    )
    block.full_clean()
    block.save()
    block.students.set(
        cohort.students.filter(status=StudentStatus.ENROLLED, year_of_study=year)
    )
    wards = list(
        Ward.objects.filter(
            hospital_id__in=institute.training_hospital_ids(), is_active=True
        )
        .select_related("hospital")
        .order_by("pk")
    )
    # Every ward has two (made by the placements demo): one enters, one approves.
    supervisors = _supervisors(ctx, wards)
    for ward in wards:
        block_ward_set(block=block, ward=ward, places=ward.student_capacity)
    result = proposal_apply(block=block, by=admin)
    if result.unplaced or result.refused:
        ctx.say(
            f"graduates: year {year}: {len(result.unplaced)} unplaced, "
            f"{len(result.refused)} refused"
        )
    competencies = list(
        Competency.objects.filter(version=cohort.curriculum_version_id, year=year)
    )
    days = defaultdict(list)
    for day in PlacementDay.objects.filter(
        placement__in=[p.pk for p in result.booked]
    ).order_by("date"):
        days[day.placement_id].append(day)
    hours: list[ClinicalHours] = []
    by_student = defaultdict(list)
    for placement in result.booked:
        by_student[placement.student_id].append(placement)
        for status in (
            PlacementStatus.CONFIRMED,
            PlacementStatus.IN_PROGRESS,
            PlacementStatus.COMPLETED,
        ):
            placement = placement_transition(
                placement=placement, to_status=status, by=admin
            )
        supervisor = placement.supervisor
        # Entered and decided on the placement's last day, as the ward did then.
        with supervision.as_of(placement.end_date):
            hours.extend(
                _approved_hours(placement, supervisors, days=days[placement.pk])
            )
            counts["hours"] += len(days[placement.pk])
            _final_evaluation(placement, supervisor, rng)
        counts["placements"] += 1
    ClinicalHours.objects.bulk_create(hours, batch_size=1000)
    for placements in by_student.values():
        for competency in competencies:
            placement = rng.choice(placements)
            with supervision.as_of(placement.end_date):
                signoff_record(
                    placement=placement,
                    competency=competency,
                    level=rng.choice(
                        [SignOffLevel.SUPERVISED, SignOffLevel.INDEPENDENT]
                    ),
                    assessed_on=placement.end_date,
                    by=placement.supervisor,
                )
            counts["signoffs"] += 1


def _approved_hours(placement, supervisors, *, days) -> list[ClinicalHours]:
    """A full shift on every booked day of a completed placement, entered by the
    ward's instructor and approved by its supervisor.

    The same checks as `hours_record` (a booked day, within the shift, the placement
    running or done, not in the future) and `hours_decide` (four eyes) are applied
    to each entry, in memory, and the rows are inserted together (the database
    constraints apply as well): the services' reads and per-row validation queries
    were two fifths of the demo's loading time.
    """
    instructor = _instructor(supervisors, placement)
    entries = []
    for day in days:
        hours = SHIFT_HOURS[day.shift]
        _check_hours(placement=placement, day=day, date=day.date, hours=hours)
        entry = ClinicalHours(
            placement=placement, day=day, hours=hours, entered_by=instructor
        )
        _decide_one(entry, decision="approve", by=placement.supervisor, comment="")
        entries.append(entry)
    return entries


def _final_evaluation(placement, supervisor, rng) -> None:
    evaluation_record(
        placement=placement,
        kind=EvaluationKind.FINAL,
        scores={
            "professional_behaviour": rng.randint(4, 5),
            "communication": rng.randint(3, 5),
            "clinical_skills": rng.randint(3, 5),
            "safety": rng.randint(4, 5),
            "documentation": rng.randint(3, 5),
        },
        by=supervisor,
        comments=rng.choice(COMMENTS),
        evaluated_on=placement.end_date,
    )


def _second_saturday_of_february(year: int) -> datetime.date:
    day = datetime.date(year, 2, 8)
    return day + datetime.timedelta(days=(5 - day.weekday()) % 7)
