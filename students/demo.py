"""Demo data: four institutes × five intakes (2021/22 … 2025/26) of students.

Students are registered, admitted and enrolled through `students.services`; marks of
the completed years are written in bulk with the same pass/fail rule, and each year
ends with the real rollover service, so repeats happen for real reasons. The current
academic year is 2025/26: the 2021 intake is in year 5 (the class about to graduate;
one institute already has most year-5 marks in), 2025 has applicants waiting. There
are also a suspension, withdrawals with reasons and a re-admission.
Idempotent: nothing is done if the demo institutes already have cohorts.
"""

import csv
import datetime
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.utils import translation

from curriculum.models import Course
from students import services
from students.factories import national_id_for
from students.models import Cohort, CourseResult, Enrolment, Student, StudentStatus

NAMES = Path(__file__).resolve().parent / "demo_data" / "names-ar.csv"
INTAKES = range(2021, 2026)
CURRENT_YEAR = 2025
INSTITUTE_ADMINS = {
    "karnak-nursing": "admin.karnak",
    "limc-nursing": "admin.limc",
    "isis-nursing": "admin.isis",
    "horus-nursing": "admin.horus",
}
RELATIONS = ["father", "father", "father", "mother", "brother", "uncle"]
ADDRESSES = [
    "الأقصر — الكرنك",
    "الأقصر — العوامية",
    "الأقصر — المنشية",
    "أرمنت — الحيط",
    "إسنا — المطاعنة",
    "البياضية",
    "الطود",
    "القرنة — البر الغربي",
    "الزينية",
]


def _names():
    given = {"m": [], "f": []}
    family = []
    with NAMES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] == "given":
                given[row["sex"]].append((row["arabic"], row["latin"]))
            else:
                family.append((row["arabic"], row["latin"]))
    return given, family


def _person(rng, given, family, sex, intake, serial):
    first = rng.choice(given[sex])
    father = rng.choice(given["m"])
    grandfather = rng.choice(given["m"])
    last = rng.choice(family)
    born = datetime.date(intake - 15, 1, 1) + datetime.timedelta(
        days=rng.randrange(0, 365)
    )
    governorate = rng.choices(["29", "27", "28", "26"], weights=[85, 8, 5, 2])[0]
    return {
        "national_id": national_id_for(born, sex, governorate, serial=serial),
        "name_ar": f"{first[0]} {father[0]} {grandfather[0]} {last[0]}",
        "name_en": f"{first[1]} {father[1]} {last[1]}",
        "birth_date": born,
        "sex": sex,
        "phone": f"010{rng.randrange(10_000_000, 99_999_999)}",
        "guardian_name": f"{father[0]} {grandfather[0]} {last[0]}",
        "guardian_relation": rng.choice(RELATIONS),
        "guardian_phone": f"011{rng.randrange(10_000_000, 99_999_999)}",
        "address": rng.choice(ADDRESSES),
        "prep_certificate_total": Decimal(rng.randrange(2000, 2900)) / 10,
        "prep_certificate_year": intake,
    }


def _mark(rng, maximum, ability):
    if not maximum:
        return None
    score = rng.gauss(ability, 0.12) * maximum
    return Decimal(max(0, min(maximum, round(score)))).quantize(Decimal("0.1"))


def _enter_results(rng, cohort, year, abilities, by, only=None):
    """Marks of every in-progress enrolment of the cohort in `year` (bulk)."""
    courses: dict[int, list[Course]] = {}
    for course in Course.objects.filter(version=cohort.curriculum_version_id):
        courses.setdefault(course.year, []).append(course)
    rows = []
    for enrolment in Enrolment.objects.filter(
        cohort=cohort, academic_year=year, outcome="in_progress"
    ).select_related("student"):
        if enrolment.student.status != StudentStatus.ENROLLED:
            continue
        if only is not None and not only(enrolment):
            continue
        ability = abilities.get(enrolment.student_id, 0.72)
        for course in courses.get(enrolment.year_of_study, []):
            theory = _mark(rng, course.theory_max, ability)
            practical = _mark(rng, course.practical_max, ability + 0.05)
            total, passed = services.result_outcome(course, theory, practical)
            rows.append(
                CourseResult(
                    enrolment=enrolment,
                    course=course,
                    theory_mark=theory,
                    practical_mark=practical,
                    total=total,
                    passed=passed,
                    recorded_by=by,
                )
            )
    CourseResult.objects.bulk_create(rows, batch_size=500)


def _resit_carried(cohort, year, by):
    """Students promoted with failed courses pass them at the resit of the next year."""
    promoted = list(
        Enrolment.objects.filter(cohort=cohort, academic_year=year, outcome="promoted")
    )
    # Read at once for the cohort (one enrolment per student and year).
    next_of = {
        e.student_id: e
        for e in Enrolment.objects.filter(
            student_id__in=[e.student_id for e in promoted], academic_year=year + 1
        )
    }
    failed = defaultdict(list)
    for result in CourseResult.objects.filter(
        enrolment__in=promoted, passed=False
    ).select_related("course"):
        failed[result.enrolment_id].append(result)
    rows = []
    for enrolment in promoted:
        nxt = next_of.get(enrolment.student_id)
        if nxt is None:
            continue
        for result in failed[enrolment.pk]:
            course = result.course
            rows.append(
                CourseResult(
                    enrolment=nxt,
                    course=course,
                    theory_mark=Decimal(course.theory_pass + 8)
                    if course.theory_max
                    else None,
                    practical_mark=Decimal(course.practical_pass + 5)
                    if course.practical_max
                    else None,
                    total=Decimal(course.theory_pass + course.practical_pass + 13),
                    passed=True,
                    recorded_by=by,
                )
            )
    CourseResult.objects.bulk_create(rows, batch_size=500)


def load(ctx) -> None:
    # Notes written by the services (e.g. "Carries ANA101.") are stored in Arabic,
    # the language of the registrars who would have written them.
    with translation.override("ar"):
        _load(ctx)


def _load(ctx) -> None:
    institutes = ctx.shared["institutes"]
    version = ctx.shared.get("curriculum_version")
    if Cohort.objects.filter(institute__in=institutes.values()).exists():
        ctx.say("students: the demo cohorts are already there")
        return
    rng = ctx.rng
    given, family = _names()
    accounts = ctx.shared.get("accounts", {})
    serial = 100
    abilities: dict[int, float] = {}
    cohorts: list[tuple[Cohort, object]] = []
    for code, institute in sorted(institutes.items()):
        by = accounts.get(INSTITUTE_ADMINS.get(code))
        for intake in INTAKES:
            cohort = services.cohort_create(
                institute=institute,
                intake_year=intake,
                curriculum_version=version,
                capacity=60,
            )
            cohorts.append((cohort, by))
            size = rng.randrange(40, 61)
            for i in range(size + (5 if intake == CURRENT_YEAR else 0)):
                serial += 1
                sex = "f" if rng.random() < 0.7 else "m"
                details = _person(rng, given, family, sex, intake, serial)
                applicant_only = i >= size
                student = services.student_register(
                    cohort=cohort, by=by, admitted=not applicant_only, **details
                )
                if applicant_only:
                    continue
                services.student_enrol(student=student, academic_year=intake, by=by)
                # A few weak students fail enough to repeat a year.
                abilities[student.pk] = (
                    0.42 if rng.random() < 0.05 else rng.uniform(0.6, 0.9)
                )
    # Past academic years: marks, resits, a few withdrawals, then the rollover.
    for year in range(2021, CURRENT_YEAR):
        for cohort, by in cohorts:
            if cohort.intake_year > year:
                continue
            active = list(
                Student.objects.filter(cohort=cohort, status=StudentStatus.ENROLLED)
            )
            if active and rng.random() < 0.35:
                services.student_withdraw(
                    student=rng.choice(active),
                    reason_code=rng.choice(
                        ["personal", "health", "transfer", "marriage", "attendance"]
                    ),
                    by=by,
                    note="سحب الملف بناءً على طلب ولي الأمر",
                )
            _enter_results(rng, cohort, year, abilities, by)
            services.rollover_confirm(cohort=cohort, academic_year=year, by=by)
            _resit_carried(cohort, year, by)
    # The current year: the 2021 intake of Karnak has most year-5 marks in.
    karnak = [c for c, _by in cohorts if c.institute.code == "karnak-nursing"]
    for cohort in karnak:
        if cohort.intake_year == 2021:
            by = accounts.get("admin.karnak")
            _enter_results(
                rng,
                cohort,
                CURRENT_YEAR,
                abilities,
                by,
                only=lambda e: e.student_id % 9 != 0,
            )
    # A suspension, and a student who left and came back.
    for cohort, by in cohorts:
        if cohort.intake_year == 2024 and cohort.institute.code == "isis-nursing":
            active = list(
                Student.objects.filter(
                    cohort=cohort, status=StudentStatus.ENROLLED
                ).order_by("pk")
            )
            services.student_suspend(
                student=active[0], by=by, note="إيقاف قيد لظروف صحية لمدة فصل دراسي"
            )
            services.student_withdraw(
                student=active[1], reason_code="personal", by=by, note="ظروف عائلية"
            )
            services.student_readmit(
                student=active[1],
                academic_year=CURRENT_YEAR,
                by=by,
                note="إعادة قيد بعد زوال الظروف العائلية",
            )
    ctx.shared["cohorts"] = [c for c, _by in cohorts]
    ctx.say(
        f"students: {Student.objects.count()} students in {len(cohorts)} cohorts, "
        f"{Enrolment.objects.count()} enrolments, {CourseResult.objects.count()} results"
    )


def _previous_version(later, intake: int):
    """The regulations an earlier intake followed (same content as `later` in the
    demo). `curriculum_version_copy` only copies forward, so the parts are copied
    here, the same way."""
    from curriculum.models import Competency, CurriculumVersion, YearRequirement

    year = min(intake, 2016)
    version, created = CurriculumVersion.objects.get_or_create(
        code=f"nursing-{year}",
        defaults={
            "programme": later.programme,
            "name_ar": "لائحة التمريض الفني "
            + str(year).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
            "name_en": f"Technical nursing curriculum {year}",
            "applies_from_intake": year,
            "max_failed_courses_carried": later.max_failed_courses_carried,
        },
    )
    if not created:
        return version
    new_by_old = {}
    for course in later.courses.all():
        old_pk = course.pk
        course.pk = course.id = None
        course._state.adding = True
        course.version = version
        course.save()
        new_by_old[old_pk] = course
    for old in later.courses.prefetch_related("prerequisites"):
        new_by_old[old.pk].prerequisites.set(
            [new_by_old[p.pk] for p in old.prerequisites.all() if p.pk in new_by_old]
        )
    Competency.objects.bulk_create(
        Competency(
            version=version,
            year=c.year,
            code=c.code,
            title_ar=c.title_ar,
            title_en=c.title_en,
            description_ar=c.description_ar,
            description_en=c.description_en,
        )
        for c in later.competencies.all()
    )
    YearRequirement.objects.bulk_create(
        YearRequirement(
            version=version,
            year=r.year,
            required_clinical_hours=r.required_clinical_hours,
        )
        for r in later.year_requirements.all()
    )
    return version


def past_intake(
    ctx, *, institute, intake: int, size: int, by, serial: int, before_rollover=None
) -> tuple[Cohort, list]:
    """A past intake taken through its five academic years with the real rollover.

    Each year: the marks, then `before_rollover(cohort, year_of_study)` (the training
    demo records the year's clinical training there, which promotion and graduation
    require), then the rollover, then the resits of carried courses. Students are
    strong enough that nobody repeats. Returns the cohort and the rollover summaries.
    """
    with translation.override("ar"):
        rng = ctx.rng
        given, family = _names()
        later = ctx.shared.get("curriculum_version")
        if later is None:  # a later run: the version the other intakes follow
            later = (
                Cohort.objects.filter(institute=institute)
                .order_by("intake_year")
                .first()
                .curriculum_version
            )
        version = (
            later
            if later.applies_from_intake <= intake
            else _previous_version(later, intake)
        )
        cohort = services.cohort_create(
            institute=institute, intake_year=intake, curriculum_version=version
        )
        abilities: dict[int, float] = {}
        for _i in range(size):
            serial += 1
            sex = "f" if rng.random() < 0.7 else "m"
            details = _person(rng, given, family, sex, intake, serial)
            student = services.student_register(
                cohort=cohort, by=by, admitted=True, **details
            )
            services.student_enrol(student=student, academic_year=intake, by=by)
            abilities[student.pk] = rng.uniform(0.8, 0.92)
        summaries = []
        for year in range(intake, intake + 5):
            _enter_results(rng, cohort, year, abilities, by)
            if before_rollover is not None:
                before_rollover(cohort, year - intake + 1)
            summaries.append(
                services.rollover_confirm(cohort=cohort, academic_year=year, by=by)
            )
            _resit_carried(cohort, year, by)
    return cohort, summaries
