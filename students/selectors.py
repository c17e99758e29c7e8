"""Reads about students that carry their joins (a page of 50 costs what a page of 5 does)."""

from __future__ import annotations

import datetime
import functools
import hashlib
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, QuerySet

from curriculum.models import Course
from curriculum.selectors import Grade, grade_bands, grade_for_percent
from institutes import access

from .models import (
    Cohort,
    CourseResult,
    Enrolment,
    EnrolmentEvent,
    Student,
    StudentStatus,
    academic_year_label,
)


def student_list(user) -> QuerySet[Student]:
    """Students the user may see, with person, cohort and institute joined."""
    return access.filter_for(
        Student.objects.select_related(
            "person", "cohort__institute", "cohort__curriculum_version"
        ),
        user,
        "view",
    )


def student_history(student: Student) -> QuerySet[EnrolmentEvent]:
    """The enrolment history, oldest first, with who recorded each row."""
    return (
        EnrolmentEvent.objects.filter(student=student)
        .select_related("recorded_by", "enrolment")
        .order_by("recorded_at", "pk")
    )


def cohort_roster(cohort: Cohort) -> QuerySet[Student]:
    """The students of a cohort (any status), by Arabic name."""
    return (
        Student.objects.filter(cohort=cohort)
        .select_related("person")
        .order_by("person__name_ar")
    )


def results_sheet_enrolments(
    *, cohort: Cohort, course: Course, academic_year: int
) -> QuerySet[Enrolment]:
    """Who takes `course` with `cohort` in `academic_year`.

    Students in the course's year of study, and students of later years who carry
    the course (failed it in an earlier year) and re-sit it this year.
    """
    from django.db.models import Exists, OuterRef, Q

    failed_before = CourseResult.objects.filter(
        enrolment__student=OuterRef("student"),
        enrolment__academic_year__lt=academic_year,
        course=course,
        passed=False,
    )
    passed_before = CourseResult.objects.filter(
        enrolment__student=OuterRef("student"),
        enrolment__academic_year__lt=academic_year,
        course=course,
        passed=True,
    )
    return (
        Enrolment.objects.filter(cohort=cohort, academic_year=academic_year)
        .filter(
            Q(year_of_study=course.year)
            | Q(
                Exists(failed_before),
                ~Exists(passed_before),
                year_of_study__gt=course.year,
            )
        )
        .select_related("student__person")
        .order_by("year_of_study", "student__person__name_ar")
    )


def current_academic_year(cohort: Cohort | None = None) -> int:
    """The latest academic year that has enrolments (of a cohort, or anywhere)."""
    qs = Enrolment.objects.all()
    if cohort is not None:
        qs = qs.filter(cohort=cohort)
    latest = qs.order_by("-academic_year").values_list("academic_year", flat=True)
    return latest.first() or (cohort.intake_year if cohort else 0)


@dataclass
class ResultLine:
    course: Course
    result: CourseResult | None
    carried: bool = False

    @property
    def theory(self) -> Decimal | None:
        return self.result.theory_mark if self.result else None

    @property
    def practical(self) -> Decimal | None:
        return self.result.practical_mark if self.result else None

    @property
    def total(self) -> Decimal | None:
        return self.result.total if self.result else None

    @property
    def passed(self) -> bool | None:
        return self.result.passed if self.result else None


@dataclass(frozen=True)
class Standing:
    """Marks obtained out of a maximum, the percentage (one decimal) and its grade.

    `complete` is False while a course counted here has no mark yet: the totals are
    then those of the marked courses and no grade is given.
    """

    obtained: Decimal
    maximum: int
    complete: bool
    grade: Grade | None

    @property
    def percent(self) -> Decimal | None:
        if not self.maximum:
            return None
        return (Decimal(100) * self.obtained / self.maximum).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def standing_of(
    marks: list[tuple[Decimal | None, int]], bands: list[Grade]
) -> Standing:
    """The standing of (total or None, maximum) pairs: unmarked courses are left out
    of the sums and withhold the grade. The grade is that of the printed (rounded)
    percentage, so 84.96 % prints as 85.0 % and gets the 85 % band."""
    marked = [(total, maximum) for total, maximum in marks if total is not None]
    obtained = sum((total for total, _ in marked), Decimal(0))
    maximum = sum(maximum for _, maximum in marked)
    complete = bool(marks) and len(marked) == len(marks)
    standing = Standing(
        obtained=obtained, maximum=maximum, complete=complete, grade=None
    )
    if complete and maximum:
        standing = Standing(
            obtained=obtained,
            maximum=maximum,
            complete=True,
            grade=grade_for_percent(bands, standing.percent),
        )
    return standing


@dataclass
class YearRecord:
    enrolment: Enrolment
    lines: list[ResultLine] = field(default_factory=list)
    # The year's own marks, and everything up to and including this year (each
    # course counted once, with its latest result: a re-sit replaces the failure).
    standing: Standing | None = None
    cumulative: Standing | None = None

    @property
    def academic_year_label(self) -> str:
        return academic_year_label(self.enrolment.academic_year)

    @property
    def year_of_study(self) -> int:
        return self.enrolment.year_of_study

    @property
    def outcome(self) -> str:
        return self.enrolment.get_outcome_display()

    @property
    def total(self) -> Decimal:
        return sum((line.total or Decimal(0)) for line in self.lines)

    @property
    def total_max(self) -> int:
        return sum(line.course.total_max for line in self.lines)

    @property
    def failed_codes(self) -> list[str]:
        return [line.course.code for line in self.lines if line.passed is False]


@dataclass
class AcademicRecord:
    """A student's whole record: each academic year, its courses, marks and outcome."""

    student: Student
    years: list[YearRecord]
    graduated: bool
    unmet_requirements: list[str]
    overall: Standing | None = None


def academic_record(student: Student) -> AcademicRecord:
    """The per-student academic record (for the student page, transcripts, certificates).

    Each enrolment lists every course of its year of study in the cohort's curriculum,
    with the result when there is one; each year has its standing and the cumulative
    one, the record its overall standing (grade bands of the curriculum version). Six
    queries whatever the record's length.
    """
    from .services import graduation_requirements

    student = Student.objects.select_related(
        "person", "cohort__institute", "cohort__curriculum_version"
    ).get(pk=student.pk)
    enrolments = list(
        Enrolment.objects.filter(student=student)
        .select_related("cohort")
        .order_by("academic_year")
    )
    courses_by_year: dict[int, list[Course]] = {}
    for course in Course.objects.filter(
        version=student.cohort.curriculum_version_id
    ).order_by("year", "term", "sort_order", "code"):
        courses_by_year.setdefault(course.year, []).append(course)
    results: dict[tuple[int, int], CourseResult] = {
        (r.enrolment_id, r.course_id): r
        for r in CourseResult.objects.filter(enrolment__student=student)
    }
    by_pk = {c.pk: c for cs in courses_by_year.values() for c in cs}
    years = []
    for e in enrolments:
        own = courses_by_year.get(e.year_of_study, [])
        lines = [ResultLine(course=c, result=results.get((e.pk, c.pk))) for c in own]
        # Courses of earlier years carried and re-sat this year.
        own_pks = {c.pk for c in own}
        lines += [
            ResultLine(course=by_pk[course_pk], result=r, carried=True)
            for (enrolment_pk, course_pk), r in results.items()
            if enrolment_pk == e.pk and course_pk not in own_pks and course_pk in by_pk
        ]
        years.append(YearRecord(enrolment=e, lines=lines))
    bands = grade_bands(student.cohort.curriculum_version_id)
    latest: dict[int, ResultLine] = {}
    for year in years:
        year.standing = standing_of(
            [(line.total, line.course.total_max) for line in year.lines], bands
        )
        for line in year.lines:
            if line.result is not None or line.course.pk not in latest:
                latest[line.course.pk] = line
        year.cumulative = standing_of(
            [(line.total, line.course.total_max) for line in latest.values()], bands
        )
    graduated = student.status == StudentStatus.GRADUATED
    return AcademicRecord(
        student=student,
        years=years,
        graduated=graduated,
        unmet_requirements=[] if graduated else graduation_requirements(student),
        overall=years[-1].cumulative if years else None,
    )


# The admin home page shows these counts on every visit; for authority staff they are
# aggregates over the whole students table (about 1 s at a million students), so
# they are kept for a minute per scope and recounted sooner when a service changes
# a student's status or year (`students_dashboard_forget`).
DASHBOARD_SECONDS = 60
_DASHBOARD_VERSION_KEY = "students:dashboard:version"


def students_dashboard_forget() -> None:
    """Make every dashboard recount on its next view (called after status changes)."""
    cache.set(_DASHBOARD_VERSION_KEY, time.time_ns(), None)


def _dashboard_key(user) -> str:
    scope = access.scope_for(user)
    if scope.is_authority:
        who = "all"
    else:
        who = "|".join(
            ",".join(str(i) for i in sorted(scope.ids_for(d)))
            for d in ("institute", "hospital", "ward")
        )
        who = hashlib.sha256(who.encode()).hexdigest()[:32]
    version = cache.get(_DASHBOARD_VERSION_KEY, 0)
    return f"students:dashboard:{version}:{who}"


def students_dashboard_counts(user) -> dict[str, list[dict]]:
    """Counts for the dashboard panel: per institute, year of study, status and sex.

    Kept in the cache per scope for up to DASHBOARD_SECONDS (see above).
    """
    key = _dashboard_key(user)
    counts = cache.get(key)
    if counts is None:
        counts = _students_dashboard_counts(user)
        cache.set(key, counts, DASHBOARD_SECONDS)
    return counts


def _students_dashboard_counts(user) -> dict[str, list[dict]]:
    qs = access.filter_for(Student.objects.all(), user, "view")
    return {
        "institute": list(
            qs.values("cohort__institute__name_ar", "cohort__institute__name_en")
            .annotate(n=Count("pk"))
            .order_by("cohort__institute__name_ar")
        ),
        "year": list(
            qs.filter(status=StudentStatus.ENROLLED)
            .values("year_of_study")
            .annotate(n=Count("pk"))
            .order_by("year_of_study")
        ),
        "status": list(qs.values("status").annotate(n=Count("pk")).order_by("status")),
        "sex": list(
            qs.values("person__sex").annotate(n=Count("pk")).order_by("person__sex")
        ),
    }


def _version_marks(version_id: int) -> tuple[dict[int, int], list[Grade]]:
    """Each course's maximum mark and the grade bands of a curriculum version."""
    maxima = {
        pk: (theory or 0) + (practical or 0)
        for pk, theory, practical in Course.objects.filter(
            version=version_id
        ).values_list("pk", "theory_max", "practical_max")
    }
    return maxima, grade_bands(version_id)


@functools.lru_cache(maxsize=32)
def _frozen_version_marks(
    version_id: int, frozen_at: datetime.datetime
) -> tuple[dict[int, int], list[Grade]]:
    # A frozen version's courses and bands can no longer change (the models refuse
    # it), so a bulk run of 1,000 certificates reads them once, not 1,000 times.
    return _version_marks(version_id)


def final_standing(student: Student) -> Standing:
    """The overall standing over every course of the student's curriculum version,
    each counted once with its latest result (what a graduation certificate prints).

    One query for a frozen version (every version a cohort uses), three otherwise;
    the same figures as `academic_record(student).overall` for a student who has
    been enrolled in every year.
    """
    version = student.cohort.curriculum_version
    if version.frozen_at is not None:
        maxima, bands = _frozen_version_marks(version.pk, version.frozen_at)
    else:
        maxima, bands = _version_marks(version.pk)
    latest: dict[int, Decimal | None] = dict.fromkeys(maxima)
    for course_pk, total in (
        CourseResult.objects.filter(enrolment__student=student, course__in=maxima)
        .order_by("enrolment__academic_year", "pk")
        .values_list("course_id", "total")
    ):
        latest[course_pk] = total
    return standing_of([(latest[pk], maxima[pk]) for pk in maxima], bands)


def sees_full_student_record(user, student=None) -> bool:
    """Whether `user` reads a student's whole record, or only what clinical
    supervision needs (name, student number, photo, year of study).

    Authority staff and the administrators of the student's institute read it all;
    roles that see a student only through a placement in their ward (supervisors)
    never see the national ID, birth date, contacts, guardian, address, marks or the
    enrolment history. Without a `student`: whether the user reads full records of
    any institute (used for list columns and exports).
    """
    scope = access.scope_for(user)
    if scope.is_authority:
        return True
    if student is None:
        return bool(scope.institute_ids)
    return student.cohort.institute_id in scope.institute_ids
