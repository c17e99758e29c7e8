"""Demo clinical placements: this term's rotation blocks for every cohort in years
2–5 of the four Luxor institutes, booked by the automatic proposal (the same code
path as the screens), with hours, sign-offs and evaluations for the weeks behind us.

The term is laid around today so that "my students today" and "this week" have
something to show: 12-week blocks of three 4-week rotations, the first finished,
the second running, the third planned. Each cohort runs in two groups (A and B) on
different days and shifts, so every day-shift serves one group of one year from the
four institutes (about 110 students for about 220 places in Luxor):

    year 2: A morning Sat Sun,  B morning Mon Wed
    year 3: A evening Sat Sun,  B evening Mon Wed
    year 4: A morning Tue Thu,  B evening Tue Thu
    year 5: A night Sat Mon,    B night Tue Thu

Every ward used gets a clinical supervisor (the two demo supervisors plus one
generated account per other ward, same demo password).

The class about to graduate (Karnak's 2021 intake) did its final-year rotations in
the twelve weeks before this term, all completed and approved, and its years 1–4,
done before the institute managed placements here, were recorded by the registrar
from the paper register (`clinical_year_record`, with the evidence): its rollover
preview graduates everyone whose marks are in and passed.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from institutes.access import Role
from institutes.models import RoleAssignment, Ward

from .models import (
    SHIFT_HOURS,
    ClinicalHours,
    CompetencySignOff,
    EvaluationKind,
    HoursStatus,
    Placement,
    PlacementDay,
    PlacementEvaluation,
    PlacementStatus,
    PlacementStatusChange,
    RotationBlock,
    Shift,
    SignOffLevel,
)
from .selectors import week_start
from .services import block_ward_set, clinical_year_record, proposal_apply

PATTERNS = {
    2: ((Shift.MORNING, "56"), (Shift.MORNING, "02")),
    3: ((Shift.EVENING, "56"), (Shift.EVENING, "02")),
    4: ((Shift.MORNING, "13"), (Shift.EVENING, "13")),
    5: ((Shift.NIGHT, "50"), (Shift.NIGHT, "13")),
}
YEAR_NAMES = {2: "الثانية", 3: "الثالثة", 4: "الرابعة", 5: "الخامسة"}
REJECTIONS = [
    "انصرفت قبل نهاية النوبة بساعتين",
    "لم يوقّع في دفتر الحضور بالقسم",
    "الساعات المسجلة أكثر من ساعات النوبة الفعلية",
]
REMEDIATION = [
    "يحتاج إلى إعادة التدريب على خطوات التعقيم قبل التطبيق",
    "أخطاء في حساب الجرعة؛ يعاد التقييم بعد مراجعة الحسابات الدوائية",
    "تردد في التواصل مع المريضة؛ يتدرب على شرح الإجراء قبل البدء",
]
COMMENTS = [
    "ملتزمة بالمواعيد وتتعامل مع المرضى باحترام",
    "يحتاج إلى مزيد من الدقة في التوثيق",
    "مهارات إكلينيكية جيدة ويتعلم بسرعة",
    "تحسن واضح في التواصل مع الفريق",
]


def _supervisors(ctx, wards: list[Ward]) -> dict[int, list]:
    """Two clinical supervisors per ward at least (the demo accounts count): one
    enters hours, the other approves them."""
    User = get_user_model()
    password = make_password(settings.DEMO_PASSWORD)
    have = defaultdict(list)
    for ra in RoleAssignment.objects.filter(
        role=Role.SUPERVISOR, ward__in=wards
    ).select_related("user"):
        have[ra.ward_id].append(ra.user)
    given = ["سمية", "نجلاء", "أسماء", "فاطمة", "حنان", "سعاد", "مها", "عبير"]
    family = ["عبد الحميد", "الطحاوي", "حسن", "القناوي", "سليمان", "الأقصري"]
    for i, ward in enumerate(wards):
        # Two per ward: hours are entered by one (the clinical instructor) and
        # approved by the other (four eyes).
        for prefix, offset in (("sup", 0), ("inst", 3)):
            if len(have[ward.pk]) >= 2:
                break
            username = f"{prefix}.{ward.hospital.code}.{ward.pk}"
            if any(u.username == username for u in have[ward.pk]):
                continue
            user, _created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": given[(i + offset) % len(given)],
                    "last_name": family[(i + offset) % len(family)],
                    "email": f"{username}@nursing.example",
                    "password": password,
                },
            )
            RoleAssignment.objects.get_or_create(
                user=user, role=Role.SUPERVISOR, ward=ward
            )
            have[ward.pk].append(user)
    return have


def _instructor(supervisors, placement):
    """Who enters the hours of a placement: a ward colleague of its supervisor."""
    others = [
        u for u in supervisors.get(placement.ward_id, []) if u != placement.supervisor
    ]
    return others[0] if others else placement.supervisor


def load_placements(ctx) -> None:
    from students.models import Cohort, Student, StudentStatus

    institutes = ctx.shared.get("institutes", {})
    if not institutes:
        ctx.say("placements: no demo institutes, skipped")
        return
    if RotationBlock.objects.filter(cohort__institute__in=institutes.values()).exists():
        ctx.say("placements: the demo rotation blocks are already there")
        return
    rng = ctx.rng
    today = timezone.localdate()
    term_start = week_start(today) - datetime.timedelta(weeks=4)
    term_end = term_start + datetime.timedelta(weeks=12, days=-1)
    rotation_ends = [
        term_start + datetime.timedelta(weeks=4 * (i + 1), days=-1) for i in range(3)
    ]
    by_hospital = defaultdict(list)
    for ward in Ward.objects.filter(is_active=True).select_related("hospital"):
        by_hospital[ward.hospital_id].append(ward)
    all_wards = [w for ws in by_hospital.values() for w in ws]
    supervisors = _supervisors(ctx, all_wards)
    accounts = ctx.shared.get("accounts", {})
    blocks = []
    finals = []
    for code, institute in sorted(institutes.items()):
        admin = accounts.get(f"admin.{code.split('-')[0]}")
        hospitals = institute.training_hospital_ids()
        for cohort in Cohort.objects.filter(institute=institute):
            years = Counter(
                Student.objects.filter(
                    cohort=cohort, status=StudentStatus.ENROLLED
                ).values_list("year_of_study", flat=True)
            )
            if not years:
                continue
            year = years.most_common(1)[0][0]
            if year not in PATTERNS:
                continue
            if (code, cohort.intake_year) == FINAL_CLASS:
                finals.append((cohort, admin))
                continue
            students = list(
                Student.objects.filter(
                    cohort=cohort, status=StudentStatus.ENROLLED, year_of_study=year
                ).order_by("pk")
            )
            groups = (students[0::2], students[1::2])
            for (shift, weekdays), group, label in zip(
                PATTERNS[year], groups, ("A", "B"), strict=True
            ):
                block = RotationBlock.objects.create(
                    cohort=cohort,
                    year=year,
                    name_ar=f"التدريب الإكلينيكي للفرقة {YEAR_NAMES[year]} "
                    f"(مجموعة {'أ' if label == 'A' else 'ب'}) — {institute.name_ar}",
                    name_en=f"Year {year} clinical rotations, group {label} — "
                    f"{institute.name_en}",
                    start_date=term_start,
                    end_date=term_end,
                    shift=shift,
                    weekdays=weekdays,
                    rotation_weeks=4,
                )
                block.students.set(group)
                for hospital_id in sorted(hospitals):
                    for ward in by_hospital[hospital_id]:
                        block_ward_set(
                            block=block, ward=ward, places=ward.student_capacity
                        )
                result = proposal_apply(block=block, by=admin)
                blocks.append((block, admin, len(result.booked), len(result.unplaced)))
    _progress(rng, today, rotation_ends, supervisors)
    for cohort, admin in finals:
        _final_class(ctx, cohort, admin, supervisors, before=term_start)
    booked = sum(b[2] for b in blocks)
    unplaced = sum(b[3] for b in blocks)
    ctx.say(
        f"placements: {len(blocks)} rotation blocks, {booked} placements "
        f"({unplaced} student-rotations found no free place), "
        f"{ClinicalHours.objects.count()} hours entries, "
        f"{CompetencySignOff.objects.count()} sign-offs"
    )


#: The class about to graduate: (institute code, intake year).
FINAL_CLASS = ("karnak-nursing", 2021)
PAPER_REGISTER = (
    "سجل التدريب الإكلينيكي الورقي للمعهد — الفرقة {year} ({years}) ص {page}"
)


def _final_class(ctx, cohort, admin, supervisors, *, before: datetime.date) -> None:
    """Karnak's final-year class: years 1–4 recorded from the paper register, year 5
    rotated in the twelve weeks before this term (booked by the proposal), completed
    and approved, every competency signed off, final evaluations written."""
    from curriculum.models import Competency, YearRequirement
    from students.models import Student, StudentStatus

    rng = ctx.rng
    students = list(
        Student.objects.filter(
            cohort=cohort, status=StudentStatus.ENROLLED, year_of_study=5
        ).select_related("cohort")
    )
    version = cohort.curriculum_version_id
    required = dict(
        YearRequirement.objects.filter(version=version).values_list(
            "year", "required_clinical_hours"
        )
    )
    competencies = defaultdict(list)
    for c in Competency.objects.filter(version=version).order_by("code"):
        competencies[c.year].append(c)
    for student in students:
        for year in range(1, 5):
            clinical_year_record(
                student=student,
                year=year,
                hours=required.get(year, 0),
                competencies=competencies[year],
                evidence=PAPER_REGISTER.format(
                    year=year,
                    years=f"{cohort.intake_year + year - 1}/"
                    f"{(cohort.intake_year + year) % 100:02d}",
                    page=10 + student.pk % 90,
                ),
                by=admin,
            )
    start = week_start(before) - datetime.timedelta(weeks=12)
    block = RotationBlock.objects.create(
        cohort=cohort,
        year=5,
        name_ar=f"التدريب الإكلينيكي للفرقة الخامسة — {cohort.institute.name_ar}",
        name_en=f"Year 5 clinical rotations — {cohort.institute.name_en}",
        start_date=start,
        end_date=start + datetime.timedelta(weeks=12, days=-1),
        shift=Shift.NIGHT,
        weekdays="56012",
        rotation_weeks=4,
    )
    block.students.set(students)
    for ward in Ward.objects.filter(
        hospital_id__in=cohort.institute.training_hospital_ids(), is_active=True
    ).order_by("pk"):
        block_ward_set(block=block, ward=ward, places=ward.student_capacity)
    proposal_apply(block=block, by=admin)
    placements = list(
        Placement.objects.filter(block=block).select_related("student").order_by("pk")
    )
    now = timezone.now()
    changes, hours, signoffs, evaluations = [], [], [], []
    for p in placements:
        sups = supervisors.get(p.ward_id) or []
        p.supervisor = sups[0] if sups else None
        previous = p.status
        for status in (
            PlacementStatus.CONFIRMED,
            PlacementStatus.IN_PROGRESS,
            PlacementStatus.COMPLETED,
        ):
            changes.append(
                PlacementStatusChange(
                    placement=p, from_status=previous, to_status=status, changed_at=now
                )
            )
            previous = status
        p.status = previous
    Placement.objects.bulk_update(placements, ["status", "supervisor"])
    PlacementStatusChange.objects.bulk_create(changes)
    days = defaultdict(list)
    for d in PlacementDay.objects.filter(placement__block=block).order_by("date"):
        days[d.placement_id].append(d)
    by_student = defaultdict(list)
    for p in placements:
        by_student[p.student_id].append(p)
        for d in days[p.pk]:
            hours.append(
                ClinicalHours(
                    placement=p,
                    day=d,
                    hours=SHIFT_HOURS[d.shift],
                    status=HoursStatus.APPROVED,
                    entered_by=_instructor(supervisors, p),
                    decided_by=p.supervisor,
                    decided_at=now,
                )
            )
        if days[p.pk]:
            evaluations.append(
                PlacementEvaluation(
                    placement=p,
                    kind=EvaluationKind.FINAL,
                    professional_behaviour=rng.randint(4, 5),
                    communication=rng.randint(3, 5),
                    clinical_skills=rng.randint(3, 5),
                    safety=rng.randint(4, 5),
                    documentation=rng.randint(3, 5),
                    comments=rng.choice(COMMENTS),
                    evaluated_by=p.supervisor,
                    evaluated_on=p.end_date,
                )
            )
    for student_placements in by_student.values():
        for c in competencies[5]:
            p = rng.choice(student_placements)
            signoffs.append(
                CompetencySignOff(
                    student_id=p.student_id,
                    competency=c,
                    placement=p,
                    level=rng.choice(
                        [SignOffLevel.SUPERVISED, SignOffLevel.INDEPENDENT]
                    ),
                    assessed_on=p.end_date,
                    signed_by=p.supervisor,
                )
            )
    ClinicalHours.objects.bulk_create(hours, batch_size=1000)
    CompetencySignOff.objects.bulk_create(signoffs, batch_size=1000)
    PlacementEvaluation.objects.bulk_create(evaluations, batch_size=1000)
    ctx.say(
        f"placements: final class {cohort}: years 1–4 recorded from the paper "
        f"register for {len(students)} students, year 5 in {len(placements)} "
        f"completed placements"
    )


def _progress(rng, today, rotation_ends, supervisors) -> None:
    """Statuses, hours, sign-offs and evaluations for the weeks behind us.

    Written in bulk (the demo has thousands of rows); the values respect every rule
    the services check: hours only on booked days, within the shift's length,
    rejections with a comment, corrections linked to what they correct.
    """
    placements = list(
        Placement.objects.filter(block__start_date__lte=today)
        .select_related("block", "student__cohort")
        .order_by("pk")
    )
    changes = []
    now = timezone.now()
    for p in placements:
        if p.supervisor_id is None:
            sups = supervisors.get(p.ward_id) or []
            p.supervisor = sups[0] if sups else None
        if p.supervisor is None:
            continue
        path = [PlacementStatus.CONFIRMED]
        if p.start_date <= today:
            path.append(PlacementStatus.IN_PROGRESS)
        if p.end_date < today:
            path.append(PlacementStatus.COMPLETED)
        elif p.start_date > today and rng.random() < 0.4:
            path = []  # some later rotations are still only planned
        previous = p.status
        for status in path:
            changes.append(
                PlacementStatusChange(
                    placement=p, from_status=previous, to_status=status, changed_at=now
                )
            )
            previous = status
        p.status = previous
    Placement.objects.bulk_update(placements, ["status", "supervisor"], batch_size=500)
    PlacementStatusChange.objects.bulk_create(changes, batch_size=1000)

    running = [
        p
        for p in placements
        if p.status in (PlacementStatus.IN_PROGRESS, PlacementStatus.COMPLETED)
    ]
    days = defaultdict(list)
    for d in PlacementDay.objects.filter(
        placement__in=[p.pk for p in running], date__lt=today
    ).order_by("date"):
        days[d.placement_id].append(d)
    hours = []
    decided_at = now - datetime.timedelta(days=1)
    recent = today - datetime.timedelta(days=3)
    for p in running:
        for d in days[p.pk]:
            if rng.random() < 0.04:
                continue  # absent
            limit = SHIFT_HOURS[d.shift]
            value = limit if rng.random() < 0.8 else limit - Decimal(rng.choice([1, 2]))
            if d.date >= recent:
                status, comment, by = HoursStatus.PENDING, "", None
            elif rng.random() < 0.015:
                status, comment, by = (
                    HoursStatus.REJECTED,
                    rng.choice(REJECTIONS),
                    p.supervisor,
                )
            else:
                status, comment, by = HoursStatus.APPROVED, "", p.supervisor
            hours.append(
                ClinicalHours(
                    placement=p,
                    day=d,
                    hours=value,
                    status=status,
                    entered_by=_instructor(supervisors, p),
                    decided_by=by,
                    decided_at=decided_at if by else None,
                    decision_comment=comment,
                )
            )
    ClinicalHours.objects.bulk_create(hours, batch_size=1000)

    from curriculum.models import Competency

    competencies = defaultdict(list)
    for c in Competency.objects.order_by("code"):
        competencies[(c.version_id, c.year)].append(c)
    signoffs = []
    evaluations = []
    for p in running:
        year_list = competencies[(p.student.cohort.curriculum_version_id, p.block.year)]
        past = [d.date for d in days[p.pk]]
        if not past:
            continue
        for comp in rng.sample(year_list, k=min(len(year_list), rng.choice([1, 2]))):
            roll = rng.random()
            if roll < 0.06:
                level, comment = SignOffLevel.REMEDIATION, rng.choice(REMEDIATION)
            elif roll < 0.3:
                level, comment = SignOffLevel.OBSERVED, ""
            elif roll < 0.75:
                level, comment = SignOffLevel.SUPERVISED, ""
            else:
                level, comment = SignOffLevel.INDEPENDENT, ""
            signoffs.append(
                CompetencySignOff(
                    student=p.student,
                    competency=comp,
                    placement=p,
                    level=level,
                    assessed_on=rng.choice(past),
                    comment=comment,
                    signed_by=p.supervisor,
                )
            )
        kinds = [EvaluationKind.MID]
        if p.status == PlacementStatus.COMPLETED:
            kinds.append(EvaluationKind.FINAL)
        elif len(past) < 4:
            kinds = []
        for kind in kinds:
            evaluations.append(
                PlacementEvaluation(
                    placement=p,
                    kind=kind,
                    professional_behaviour=rng.randint(3, 5),
                    communication=rng.randint(2, 5),
                    clinical_skills=rng.randint(2, 5),
                    safety=rng.randint(3, 5),
                    documentation=rng.randint(2, 5),
                    comments=rng.choice(COMMENTS),
                    evaluated_by=p.supervisor,
                    evaluated_on=past[-1]
                    if kind == EvaluationKind.FINAL
                    else past[len(past) // 2],
                )
            )
    CompetencySignOff.objects.bulk_create(signoffs, batch_size=1000)
    PlacementEvaluation.objects.bulk_create(evaluations, batch_size=1000)
    # A few corrections: a remediation later re-assessed as performed under
    # supervision (a new entry that corrects the first, both kept).
    corrections = []
    for first in CompetencySignOff.objects.filter(
        level=SignOffLevel.REMEDIATION, placement__status=PlacementStatus.COMPLETED
    ).select_related("placement")[:15]:
        corrections.append(
            CompetencySignOff(
                student_id=first.student_id,
                competency_id=first.competency_id,
                placement=first.placement,
                level=SignOffLevel.SUPERVISED,
                assessed_on=first.placement.end_date,
                comment="أعيد التقييم بعد التدريب التعويضي",
                signed_by_id=first.signed_by_id,
                corrects=first,
            )
        )
    CompetencySignOff.objects.bulk_create(corrections)
