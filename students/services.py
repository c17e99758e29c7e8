"""Every write about students: registration, the enrolment lifecycle, marks, rollover.

The lifecycle (see docs/students.md):

    applicant → admitted → enrolled (year N) → promoted (year N+1) | repeating (year N)
                                             → suspended → re-admitted
                                             → withdrawn (reason code) → re-admitted
                                             → graduated (after year 5)

Each step is one function here, in one transaction, that writes a new
`EnrolmentEvent` row; none edits or deletes history. The promotion rule of the
curriculum version is applied in exactly one place, `year_decision`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from curriculum.models import YEARS_OF_STUDY, Course, CurriculumVersion
from curriculum.services import curriculum_version_freeze
from institutes import access
from institutes.formatting import NumberParseError, parse_number
from institutes.identity import DocumentInput
from institutes.models import Institute
from institutes.services import (
    people_upsert_bulk,
    person_find,
    person_input,
    person_upsert,
)

from .models import (
    Cohort,
    CourseResult,
    Enrolment,
    EnrolmentEvent,
    EventKind,
    MarkChange,
    Student,
    StudentStatus,
    WithdrawalReason,
    YearOutcome,
    academic_year_label,
)
from .selectors import students_dashboard_forget


class LifecycleError(ValidationError):
    """A status change that the lifecycle does not allow, with the reason in words."""


class CohortFull(LifecycleError):
    """Admitting one more student would exceed the cohort's capacity."""


# Statuses that take a place in a cohort.
SEATED = (StudentStatus.ADMITTED, StudentStatus.ENROLLED, StudentStatus.SUSPENDED)


# --- Cohorts ---------------------------------------------------------------------


@transaction.atomic
def cohort_create(
    *,
    institute: Institute,
    intake_year: int,
    curriculum_version: CurriculumVersion,
    capacity: int | None = None,
) -> Cohort:
    """Open an intake of an institute; freezes the curriculum version it follows."""
    cohort = Cohort(
        institute=institute,
        intake_year=intake_year,
        curriculum_version=curriculum_version,
        capacity=capacity or institute.intake_capacity,
    )
    cohort.full_clean()
    cohort.save()
    curriculum_version_freeze(version=curriculum_version)
    return cohort


def cohort_seats_taken(cohort: Cohort) -> int:
    return cohort.students.filter(status__in=SEATED).count()


def _ensure_seat(cohort: Cohort, *, extra: int = 1) -> None:
    # Lock the cohort row so two registrars can't take the last seat together.
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    taken = cohort_seats_taken(locked)
    if taken + extra > locked.capacity:
        raise CohortFull(
            _(
                "The cohort %(cohort)s is full: %(taken)s of %(capacity)s places are "
                "taken."
            )
            % {
                "cohort": locked.intake_label,
                "taken": taken,
                "capacity": locked.capacity,
            },
            code="cohort_full",
        )


# --- Registration ----------------------------------------------------------------


def student_number_next(cohort: Cohort) -> str:
    """`<INSTITUTE>-<intake>-<seq>`, e.g. KARNAK-2025-0007."""
    prefix = f"{cohort.institute.code.split('-')[0].upper()}-{cohort.intake_year}-"
    last = (
        Student.objects.filter(student_number__startswith=prefix)
        .aggregate(m=Max("student_number"))
        .get("m")
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _event(
    *,
    student: Student,
    kind: str,
    by,
    enrolment: Enrolment | None = None,
    note: str = "",
    reason_code: str = "",
) -> EnrolmentEvent:
    event = EnrolmentEvent(
        student=student,
        enrolment=enrolment,
        kind=kind,
        status_after=student.status,
        academic_year=enrolment.academic_year if enrolment else None,
        year_of_study=enrolment.year_of_study if enrolment else student.year_of_study,
        reason_code=reason_code,
        note=note,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    event.full_clean(exclude=["student", "enrolment", "recorded_by"])
    event.save()
    transaction.on_commit(students_dashboard_forget)
    return event


def _student_exists_message(person, by) -> str:
    """Name the existing record only to a user who may see it: to anyone else, say
    only that the person is a student elsewhere."""
    own = (
        access.filter_for(Student.objects.filter(person=person), by, "view")
        .select_related("cohort__institute")
        .first()
    )
    if own is None:
        return _("This person is already a student at another institute.")
    return _(
        "This person already has a student record (%(number)s, %(institute)s)."
    ) % {
        "number": own.student_number,
        "institute": own.cohort.institute.name,
    }


@transaction.atomic
def student_register(
    *,
    cohort: Cohort,
    national_id: str = "",
    document: DocumentInput | None = None,
    name_ar: str,
    name_en: str = "",
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    nationality: str = "",
    phone: str = "",
    by=None,
    confirm_link: bool = False,
    admitted: bool = False,
    student_number: str = "",
    note: str = "",
    **details,
) -> Student:
    """Record an applicant (or, with `admitted=True`, an admitted student) in a cohort.

    The person is found or created by identity document (`national_id` is shorthand
    for an Egyptian national ID, checked against the birth date and sex) through
    `person_upsert`, as `by`, with its identity rule. A person has at most one
    student record.
    """
    typed = person_input(
        document=document,
        national_id=national_id,
        name_ar=name_ar,
        name_en=name_en,
        birth_date=birth_date,
        sex=sex,
    )
    known = person_find(
        document_type=typed.document.document_type,
        country=typed.document.country,
        number=typed.document.number,
    )
    # A second student record is refused before any linking is asked for.
    if known is not None and Student.objects.filter(person=known).exists():
        raise LifecycleError(_student_exists_message(known, by), code="student_exists")
    person = person_upsert(
        by=by,
        document=document,
        national_id=national_id,
        name_ar=name_ar,
        name_en=name_en,
        birth_date=birth_date,
        sex=sex,
        nationality=nationality,
        phone=phone,
        confirm_link=confirm_link,
    )
    if Student.objects.filter(person=person).exists():
        raise LifecycleError(_student_exists_message(person, by), code="student_exists")
    if admitted:
        _ensure_seat(cohort)
    student = Student(
        person=person,
        cohort=cohort,
        student_number=student_number or student_number_next(cohort),
        status=StudentStatus.ADMITTED if admitted else StudentStatus.APPLICANT,
        **details,
    )
    student.full_clean(exclude=["person"])
    student.save()
    student.status = StudentStatus.APPLICANT
    _event(student=student, kind=EventKind.APPLIED, by=by, note=note)
    if admitted:
        student.status = StudentStatus.ADMITTED
        _event(student=student, kind=EventKind.ADMITTED, by=by)
    return student


#: The statuses each lifecycle step starts from. The services enforce them; the
#: student page offers only the steps the current status allows (`lifecycle_steps`).
LIFECYCLE_FROM: dict[str, tuple[str, ...]] = {
    "admit": (StudentStatus.APPLICANT,),
    "enrol": (StudentStatus.ADMITTED,),
    "suspend": (StudentStatus.ENROLLED,),
    "withdraw": (
        StudentStatus.APPLICANT,
        StudentStatus.ADMITTED,
        StudentStatus.ENROLLED,
        StudentStatus.SUSPENDED,
    ),
    "readmit": (StudentStatus.SUSPENDED, StudentStatus.WITHDRAWN),
    "graduate": (StudentStatus.ENROLLED,),
}


def lifecycle_steps(student: Student) -> list[str]:
    """The lifecycle steps the student's status allows now (graduation: final year)."""
    return [
        step
        for step, allowed in LIFECYCLE_FROM.items()
        if student.status in allowed
        and (step != "graduate" or student.year_of_study == YEARS_OF_STUDY)
    ]


def _transition(student: Student, allowed: Iterable[str], action) -> Student:
    locked = (
        Student.objects.select_for_update().select_related("cohort").get(pk=student.pk)
    )
    if locked.status not in allowed:
        raise LifecycleError(
            _("A student who is “%(status)s” cannot be %(action)s.")
            % {"status": locked.get_status_display(), "action": action},
            code="bad_transition",
        )
    return locked


@transaction.atomic
def student_admit(*, student: Student, by=None, note: str = "") -> Student:
    """Applicant → admitted (takes a place in the cohort)."""
    student = _transition(student, LIFECYCLE_FROM["admit"], gettext_lazy("admitted"))
    _ensure_seat(student.cohort)
    student.status = StudentStatus.ADMITTED
    student.save(update_fields=["status"])
    _event(student=student, kind=EventKind.ADMITTED, by=by, note=note)
    return student


def _new_enrolment(student: Student, academic_year: int, year_of_study: int):
    if Enrolment.objects.filter(student=student, academic_year=academic_year).exists():
        raise LifecycleError(
            _("%(student)s is already enrolled in %(year)s.")
            % {"student": student.name, "year": academic_year_label(academic_year)},
            code="already_enrolled",
        )
    enrolment = Enrolment(
        student=student,
        cohort=student.cohort,
        academic_year=academic_year,
        year_of_study=year_of_study,
    )
    enrolment.full_clean(exclude=["student", "cohort"])
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        raise LifecycleError(
            _("%(student)s is already enrolled in %(year)s.")
            % {"student": student.name, "year": academic_year_label(academic_year)},
            code="already_enrolled",
        ) from None
    return enrolment


@transaction.atomic
def student_enrol(
    *, student: Student, academic_year: int | None = None, by=None, note: str = ""
) -> Enrolment:
    """Admitted → enrolled in year 1 of the cohort's intake year (or `academic_year`)."""
    student = _transition(student, LIFECYCLE_FROM["enrol"], gettext_lazy("enrolled"))
    academic_year = academic_year or student.cohort.intake_year
    enrolment = _new_enrolment(student, academic_year, 1)
    student.status = StudentStatus.ENROLLED
    student.year_of_study = 1
    student.save(update_fields=["status", "year_of_study"])
    _event(
        student=student, kind=EventKind.ENROLLED, by=by, enrolment=enrolment, note=note
    )
    return enrolment


def current_enrolment(student: Student) -> Enrolment | None:
    """The student's latest enrolment (their current academic year)."""
    return (
        Enrolment.objects.filter(student=student)
        .select_related("cohort")
        .order_by("-academic_year")
        .first()
    )


@transaction.atomic
def student_suspend(*, student: Student, by=None, note: str) -> Student:
    """Enrolled → suspended (keeps the place; the year's outcome is "suspended")."""
    if not (note or "").strip():
        raise LifecycleError(_("Say why the student is suspended."), code="no_reason")
    student = _transition(student, LIFECYCLE_FROM["suspend"], gettext_lazy("suspended"))
    enrolment = current_enrolment(student)
    if enrolment is not None:
        enrolment.outcome = YearOutcome.SUSPENDED
        enrolment.save(update_fields=["outcome"])
    student.status = StudentStatus.SUSPENDED
    student.save(update_fields=["status"])
    _event(
        student=student, kind=EventKind.SUSPENDED, by=by, enrolment=enrolment, note=note
    )
    return student


@transaction.atomic
def student_withdraw(
    *, student: Student, reason_code: str, by=None, note: str = ""
) -> Student:
    """Any student not yet graduated → withdrawn, with a reason code. Records stay."""
    if reason_code not in WithdrawalReason.values:
        raise LifecycleError(
            _("Choose the reason for the withdrawal from the list."),
            code="no_reason",
        )
    student = _transition(
        student, LIFECYCLE_FROM["withdraw"], gettext_lazy("withdrawn")
    )
    enrolment = current_enrolment(student)
    if enrolment is not None and enrolment.outcome in (
        YearOutcome.IN_PROGRESS,
        YearOutcome.SUSPENDED,
    ):
        enrolment.outcome = YearOutcome.WITHDRAWN
        enrolment.save(update_fields=["outcome"])
    student.status = StudentStatus.WITHDRAWN
    student.save(update_fields=["status"])
    _event(
        student=student,
        kind=EventKind.WITHDRAWN,
        by=by,
        enrolment=enrolment,
        note=note,
        reason_code=reason_code,
    )
    return student


@transaction.atomic
def student_readmit(
    *,
    student: Student,
    academic_year: int,
    year_of_study: int | None = None,
    by=None,
    note: str = "",
) -> Enrolment:
    """Suspended or withdrawn → enrolled again, in `academic_year`.

    Back in the same academic year, the enrolment of that year resumes; in a later
    year a new enrolment starts in the year of study they left (or `year_of_study`).
    """
    if not (note or "").strip():
        raise LifecycleError(_("Say why the student is re-admitted."), code="no_reason")
    student = _transition(
        student, LIFECYCLE_FROM["readmit"], gettext_lazy("re-admitted")
    )
    _ensure_seat(student.cohort)
    existing = Enrolment.objects.filter(
        student=student, academic_year=academic_year
    ).first()
    if existing is not None:
        existing.outcome = YearOutcome.IN_PROGRESS
        existing.save(update_fields=["outcome"])
        enrolment = existing
    else:
        last = current_enrolment(student)
        if last is not None and last.academic_year > academic_year:
            raise LifecycleError(
                _("The student already has an enrolment after %(year)s.")
                % {"year": academic_year_label(academic_year)},
                code="bad_year",
            )
        enrolment = _new_enrolment(
            student,
            academic_year,
            year_of_study or student.year_of_study or 1,
        )
    student.status = StudentStatus.ENROLLED
    student.year_of_study = enrolment.year_of_study
    student.save(update_fields=["status", "year_of_study"])
    _event(
        student=student,
        kind=EventKind.READMITTED,
        by=by,
        enrolment=enrolment,
        note=note,
    )
    return enrolment


@transaction.atomic
def student_record_correction(*, student: Student, by, note: str) -> EnrolmentEvent:
    """Add a correction to the history (history rows are never edited)."""
    if not (note or "").strip():
        raise LifecycleError(_("Describe the correction."), code="no_reason")
    return _event(student=student, kind=EventKind.CORRECTION, by=by, note=note)


# --- Graduation requirements (a registry other apps plug into) ---------------------

GraduationCheck = Callable[[Sequence[Student]], Mapping[int, list[str]]]
_graduation_checks: dict[str, GraduationCheck] = {}


def register_graduation_requirement(name: str, check: GraduationCheck) -> None:
    """Add a graduation requirement.

    `check(students)` returns `{student_id: [unmet items in words]}` — only students
    with something unmet — for the whole list with a fixed number of queries (the
    rollover asks for a whole final-year cohort at once). Call it from your
    AppConfig.ready(), e.g. the placements app registers clinical hours and
    competency sign-offs. Registering the same name twice replaces it.
    """
    _graduation_checks[name] = check


def graduation_requirements_for(
    students: Sequence[Student],
) -> dict[int, list[str]]:
    """Every unmet graduation requirement per student id (absent = nothing unmet)."""
    unmet: dict[int, list[str]] = {}
    if not students:
        return unmet
    for check in _graduation_checks.values():
        for student_id, items in check(students).items():
            if items:
                unmet.setdefault(student_id, []).extend(items)
    return unmet


def graduation_requirements(student: Student) -> list[str]:
    """Every unmet graduation requirement of the student, in plain words (empty = ok)."""
    return graduation_requirements_for([student]).get(student.pk, [])


def _courses_passed_check(students: Sequence[Student]) -> dict[int, list[str]]:
    """Year 5 reached and every course of the curriculum passed (latest result).

    Three queries for any number of students.
    """
    ids = [s.pk for s in students]
    reached = dict(
        Enrolment.objects.filter(student__in=ids)
        .values_list("student")
        .annotate(m=Max("year_of_study"))
        .values_list("student", "m")
    )
    courses_by_version: dict[int, list[Course]] = {}
    for course in Course.objects.filter(
        version__in={s.cohort.curriculum_version_id for s in students}
    ).order_by("year", "sort_order", "pk"):
        courses_by_version.setdefault(course.version_id, []).append(course)
    latest: dict[int, dict[int, bool | None]] = {}
    for student_id, course_id, passed in (
        CourseResult.objects.filter(enrolment__student__in=ids)
        .order_by("enrolment__academic_year", "pk")
        .values_list("enrolment__student", "course_id", "passed")
    ):
        latest.setdefault(student_id, {})[course_id] = passed
    unmet: dict[int, list[str]] = {}
    for student in students:
        items = []
        year = reached.get(student.pk) or 0
        if year < YEARS_OF_STUDY:
            items.append(
                _("Has not reached year %(n)s (currently year %(year)s).")
                % {"n": YEARS_OF_STUDY, "year": year or "—"}
            )
        passed = latest.get(student.pk, {})
        missing = [
            c.code
            for c in courses_by_version.get(student.cohort.curriculum_version_id, [])
            if passed.get(c.pk) is not True
        ]
        if missing:
            items.append(
                _("Courses not passed: %(codes)s.") % {"codes": "، ".join(missing)}
            )
        if items:
            unmet[student.pk] = items
    return unmet


register_graduation_requirement("students.courses", _courses_passed_check)


# --- Promotion requirements (a registry other apps plug into) -----------------------

PromotionCheck = Callable[[Sequence[Enrolment]], Mapping[int, list[str]]]
_promotion_checks: dict[str, PromotionCheck] = {}


def register_promotion_requirement(name: str, check: PromotionCheck) -> None:
    """Add a requirement for moving up a year (years 1–4; year 5 is graduation).

    `check(enrolments)` receives every enrolment the rollover is deciding on (with
    `student` and `cohort` loaded; `year_of_study` is the year being finished) and
    returns `{student_id: [unmet items in words]}` — only students with something
    unmet. It must work for the whole list with a fixed number of queries. Call it
    from your AppConfig.ready() (the placements app registers clinical hours and
    competency sign-offs). Registering the same name twice replaces it.
    """
    _promotion_checks[name] = check


def unregister_promotion_requirement(name: str) -> None:
    """Remove a requirement (tests)."""
    _promotion_checks.pop(name, None)


def promotion_requirements(enrolments: Sequence[Enrolment]) -> dict[int, list[str]]:
    """Every unmet promotion requirement per student id (absent = nothing unmet)."""
    unmet: dict[int, list[str]] = {}
    if not enrolments:
        return unmet
    for check in _promotion_checks.values():
        for student_id, items in check(enrolments).items():
            if items:
                unmet.setdefault(student_id, []).extend(items)
    return unmet


@transaction.atomic
def student_graduate(*, student: Student, by=None, note: str = "") -> Student:
    """Enrolled in year 5 with every requirement met → graduated."""
    student = _transition(
        student, LIFECYCLE_FROM["graduate"], gettext_lazy("graduated")
    )
    unmet = graduation_requirements(student)
    if unmet:
        raise LifecycleError(
            _("Cannot graduate yet: %(unmet)s") % {"unmet": " ".join(unmet)},
            code="requirements_unmet",
        )
    enrolment = current_enrolment(student)
    if enrolment is not None:
        enrolment.outcome = YearOutcome.GRADUATED
        enrolment.save(update_fields=["outcome"])
    student.status = StudentStatus.GRADUATED
    student.save(update_fields=["status"])
    _event(
        student=student, kind=EventKind.GRADUATED, by=by, enrolment=enrolment, note=note
    )
    return student


# --- Results -----------------------------------------------------------------------


class ResultsGridError(ValidationError):
    """Marks that could not be saved: `cell_errors[enrolment_id][part] = message`."""

    def __init__(self, *, cell_errors: dict[int, dict[str, str]]):
        self.cell_errors = cell_errors
        super().__init__(
            _("Nothing was saved: %(count)s mark(s) need correcting.")
            % {"count": sum(len(v) for v in cell_errors.values())},
            code="results_invalid",
        )


def _parse_mark(raw, maximum: int) -> tuple[Decimal | None, str]:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None, ""
    # One reader for typed numbers: Arabic-Indic digits, "٫" "," or "." (82,5 = 82.5).
    try:
        value = parse_number(text)
    except NumberParseError:
        return None, _("“%(value)s” is not a number.") % {"value": text}
    if maximum == 0:
        return None, _("This course has no mark for this part.")
    if value < 0 or value > maximum:
        return None, _("Must be between 0 and %(max)s.") % {"max": maximum}
    if value != value.quantize(Decimal("0.1")):
        return None, _("Use at most one decimal place.")
    return value, ""


def result_outcome(
    course: Course, theory: Decimal | None, practical: Decimal | None
) -> tuple[Decimal | None, bool | None]:
    """Total and pass/fail of a course result (None while a needed mark is missing)."""
    needs_theory = course.theory_max > 0
    needs_practical = course.practical_max > 0
    if (needs_theory and theory is None) or (needs_practical and practical is None):
        return None, None
    total = (theory or Decimal(0)) + (practical or Decimal(0))
    passed = (not needs_theory or theory >= course.theory_pass) and (
        not needs_practical or practical >= course.practical_pass
    )
    return total, passed


@transaction.atomic
def results_save(
    *,
    course: Course,
    enrolments: Iterable[Enrolment],
    marks: Mapping[int, Mapping[str, object]],
    by=None,
    reason: str = "",
) -> int:
    """Save the theory and practical marks of many students in one course, or none.

    `marks` maps an enrolment id to {"theory": raw, "practical": raw}. Every cell is
    checked first; if any is wrong, `ResultsGridError` says which and nothing is
    written. A mark that changes after it was first saved needs a `reason` and leaves
    a `MarkChange`. Returns the number of results written or changed.
    """
    enrolments = {e.pk: e for e in enrolments}
    errors: dict[int, dict[str, str]] = {}
    parsed: dict[int, tuple[Decimal | None, Decimal | None]] = {}
    for enrolment_id, cells in marks.items():
        if enrolment_id not in enrolments:
            errors.setdefault(enrolment_id, {})["theory"] = _(
                "This student is not in this results sheet."
            )
            continue
        theory, t_err = _parse_mark(cells.get("theory"), course.theory_max)
        practical, p_err = _parse_mark(cells.get("practical"), course.practical_max)
        if t_err:
            errors.setdefault(enrolment_id, {})["theory"] = t_err
        if p_err:
            errors.setdefault(enrolment_id, {})["practical"] = p_err
        parsed[enrolment_id] = (theory, practical)
    existing = {
        r.enrolment_id: r
        for r in CourseResult.objects.select_for_update().filter(
            course=course, enrolment_id__in=list(parsed)
        )
    }
    changed = [
        eid
        for eid, (t, p) in parsed.items()
        if eid in existing
        and (existing[eid].theory_mark, existing[eid].practical_mark) != (t, p)
        and (
            existing[eid].theory_mark is not None
            or existing[eid].practical_mark is not None
        )
    ]
    if changed and not (reason or "").strip():
        for eid in changed:
            errors.setdefault(eid, {}).setdefault(
                "theory",
                _("This mark was already saved: give a reason for the change."),
            )
    if errors:
        raise ResultsGridError(cell_errors=errors)

    written = 0
    new_results = []
    change_rows = []
    for eid, (theory, practical) in parsed.items():
        total, passed = result_outcome(course, theory, practical)
        result = existing.get(eid)
        if result is None:
            if theory is None and practical is None:
                continue
            new_results.append(
                CourseResult(
                    enrolment_id=eid,
                    course=course,
                    theory_mark=theory,
                    practical_mark=practical,
                    total=total,
                    passed=passed,
                    recorded_by=by,
                )
            )
            continue
        if (result.theory_mark, result.practical_mark) == (theory, practical):
            continue
        if eid in changed:
            change_rows.append(
                MarkChange(
                    result=result,
                    old_theory_mark=result.theory_mark,
                    old_practical_mark=result.practical_mark,
                    new_theory_mark=theory,
                    new_practical_mark=practical,
                    reason=reason.strip(),
                    changed_by=by,
                )
            )
        result.theory_mark, result.practical_mark = theory, practical
        result.total, result.passed, result.recorded_by = total, passed, by
        result.save(
            update_fields=[
                "theory_mark",
                "practical_mark",
                "total",
                "passed",
                "recorded_by",
                "updated_at",
            ]
        )
        written += 1
    CourseResult.objects.bulk_create(new_results)
    MarkChange.objects.bulk_create(change_rows)
    return written + len(new_results)


# --- Year decision and rollover ------------------------------------------------------


class Decision:
    PROMOTE = "promote"
    REPEAT = "repeat"
    GRADUATE = "graduate"
    BLOCKED = "blocked"
    SKIP = "skip"


DECISION_LABELS = {
    Decision.PROMOTE: gettext_lazy("Promoted"),
    Decision.REPEAT: gettext_lazy("Repeats the year"),
    Decision.GRADUATE: gettext_lazy("Graduates"),
    Decision.BLOCKED: gettext_lazy("Blocked"),
    Decision.SKIP: gettext_lazy("Not concerned"),
}


@dataclass
class RolloverLine:
    student: Student
    enrolment: Enrolment
    decision: str
    reasons: list[str]
    failed: list[str]

    @property
    def label(self):
        return DECISION_LABELS[self.decision]


def year_decision(
    *,
    enrolment: Enrolment,
    courses: list[Course],
    results: Mapping[int, CourseResult | _CourseOutcome],
    max_failed: int,
    graduation_unmet: Callable[[], list[str]] | None = None,
    promotion_unmet: list[str] | None = None,
) -> tuple[str, list[str], list[str]]:
    """The promotion rule, in one place: what happens to a student at year end.

    - a course of the year without a complete mark blocks the decision;
    - in years 1–4, failing at most `max_failed` courses promotes (they are carried),
      more failures repeat the year; a student the courses would promote but who has
      an unmet promotion requirement (`promotion_unmet`, e.g. clinical hours) is
      blocked — left in the year until it is met, then the rollover is run again;
    - in year 5 nothing can be carried: any failure repeats the year; otherwise the
      student graduates if every graduation requirement is met, else is blocked.
    """
    missing = [
        c.code
        for c in courses
        if results.get(c.pk) is None or results[c.pk].passed is None
    ]
    if missing:
        return (
            Decision.BLOCKED,
            [_("Marks missing: %(codes)s.") % {"codes": "، ".join(missing)}],
            [],
        )
    failed = [c.code for c in courses if results[c.pk].passed is False]
    if enrolment.year_of_study >= YEARS_OF_STUDY:
        if failed:
            return (
                Decision.REPEAT,
                [
                    _("Failed in the final year: %(codes)s.")
                    % {"codes": "، ".join(failed)}
                ],
                failed,
            )
        unmet = graduation_unmet() if graduation_unmet else []
        if unmet:
            return Decision.BLOCKED, unmet, failed
        return Decision.GRADUATE, [], failed
    if len(failed) > max_failed:
        return (
            Decision.REPEAT,
            [
                _("Failed %(n)s courses (at most %(max)s may be carried): %(codes)s.")
                % {"n": len(failed), "max": max_failed, "codes": "، ".join(failed)}
            ],
            failed,
        )
    reasons = [_("Carries %(codes)s.") % {"codes": "، ".join(failed)}] if failed else []
    if promotion_unmet:
        return Decision.BLOCKED, [*promotion_unmet, *reasons], failed
    return Decision.PROMOTE, reasons, failed


class _CourseOutcome(NamedTuple):
    passed: bool | None


def rollover_preview(*, cohort: Cohort, academic_year: int) -> list[RolloverLine]:
    """What confirming the rollover of `cohort` at the end of `academic_year` would do.

    Only students enrolled that year whose year is still in progress are concerned,
    so a second run finds nobody to move.
    """
    enrolments = list(
        Enrolment.objects.filter(
            cohort=cohort,
            academic_year=academic_year,
            outcome=YearOutcome.IN_PROGRESS,
            student__status=StudentStatus.ENROLLED,
        )
        .select_related("student__person", "student__cohort", "cohort")
        .order_by("student__person__name_ar")
    )
    if not enrolments:
        return []
    version = cohort.curriculum_version
    courses_by_year: dict[int, list[Course]] = {}
    for course in Course.objects.filter(version=version).order_by("year", "sort_order"):
        courses_by_year.setdefault(course.year, []).append(course)
    # Only whether each course was passed decides; rows, not model instances (a
    # 300-student cohort has thousands of results).
    results: dict[int, dict[int, _CourseOutcome]] = {}
    for enrolment_id, course_id, passed in CourseResult.objects.filter(
        enrolment__in=enrolments
    ).values_list("enrolment_id", "course_id", "passed"):
        results.setdefault(enrolment_id, {})[course_id] = _CourseOutcome(passed)
    promotion_unmet = promotion_requirements(
        [e for e in enrolments if e.year_of_study < YEARS_OF_STUDY]
    )
    # Asked at once (a fixed number of queries) for the final-year students who passed
    # every course of the year: only they can graduate.
    graduation_unmet = graduation_requirements_for(
        [
            e.student
            for e in enrolments
            if e.year_of_study >= YEARS_OF_STUDY
            and all(
                getattr(results.get(e.pk, {}).get(c.pk), "passed", None) is True
                for c in courses_by_year.get(e.year_of_study, [])
            )
        ]
    )
    lines = []
    for enrolment in enrolments:
        decision, reasons, failed = year_decision(
            enrolment=enrolment,
            courses=courses_by_year.get(enrolment.year_of_study, []),
            results=results.get(enrolment.pk, {}),
            max_failed=version.max_failed_courses_carried,
            graduation_unmet=lambda e=enrolment: graduation_unmet.get(e.student_id, []),
            promotion_unmet=promotion_unmet.get(enrolment.student_id),
        )
        lines.append(
            RolloverLine(
                student=enrolment.student,
                enrolment=enrolment,
                decision=decision,
                reasons=reasons,
                failed=failed,
            )
        )
    return lines


@dataclass
class RolloverSummary:
    promoted: int = 0
    repeating: int = 0
    graduated: int = 0
    blocked: int = 0

    @property
    def moved(self) -> int:
        return self.promoted + self.repeating + self.graduated


@transaction.atomic
def rollover_confirm(*, cohort: Cohort, academic_year: int, by=None) -> RolloverSummary:
    """Apply the preview in one transaction; a second run changes nothing.

    Promoted students start year N+1 in the next academic year, repeaters start year N
    again, final-year students who met every requirement graduate; blocked students
    are left as they are (shown in the preview with why).
    """
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    lines = rollover_preview(cohort=cohort, academic_year=academic_year)
    summary = RolloverSummary()
    next_year = academic_year + 1
    taken = set(
        Enrolment.objects.filter(
            student__in=[line.student for line in lines], academic_year=next_year
        ).values_list("student_id", flat=True)
    )
    new_enrolments: list[Enrolment] = []
    moves: list[tuple[RolloverLine, str]] = []
    for line in lines:
        if line.decision == Decision.BLOCKED or line.student.pk in taken:
            summary.blocked += 1
            continue
        enrolment = line.enrolment
        if line.decision == Decision.GRADUATE:
            enrolment.outcome = YearOutcome.GRADUATED
            line.student.status = StudentStatus.GRADUATED
            summary.graduated += 1
            moves.append((line, EventKind.GRADUATED))
            continue
        promote = line.decision == Decision.PROMOTE
        enrolment.outcome = YearOutcome.PROMOTED if promote else YearOutcome.REPEATING
        year = enrolment.year_of_study + (1 if promote else 0)
        new_enrolments.append(
            Enrolment(
                student=line.student,
                cohort=enrolment.cohort,
                academic_year=next_year,
                year_of_study=year,
            )
        )
        line.student.year_of_study = year
        if promote:
            summary.promoted += 1
            moves.append((line, EventKind.PROMOTED))
        else:
            summary.repeating += 1
            moves.append((line, EventKind.REPEATING))
    if not moves:
        return summary
    Enrolment.objects.bulk_update([m.enrolment for m, _k in moves], ["outcome"])
    Student.objects.bulk_update(
        [m.student for m, _k in moves], ["status", "year_of_study"]
    )
    Enrolment.objects.bulk_create(new_enrolments)
    started = {e.student_id: e for e in new_enrolments}
    recorded_by = by if getattr(by, "pk", None) else None
    # Promoted / repeating rows point at the year they start; graduation at the last.
    EnrolmentEvent.objects.bulk_create(
        EnrolmentEvent(
            student=line.student,
            enrolment=started.get(line.student.pk, line.enrolment),
            kind=kind,
            status_after=line.student.status,
            academic_year=started.get(line.student.pk, line.enrolment).academic_year,
            year_of_study=line.student.year_of_study,
            note=" ".join(str(r) for r in line.reasons),
            recorded_by=recorded_by,
        )
        for line, kind in moves
    )
    transaction.on_commit(students_dashboard_forget)
    return summary


# --- Bulk import -----------------------------------------------------------------------


@transaction.atomic
def students_import(
    *,
    items: list[tuple[Cohort, dict]],
    by=None,
    admitted: bool = False,
    confirm_link: bool = False,
) -> int:
    """Register many checked rows at once (the import's confirm step), all or nothing.

    `items` are (cohort, fields) pairs already validated by `students.importing`:
    `fields["person"]` is the checked `PersonInput` (document, names). People are
    found or created by `people_upsert_bulk` as `by`, with the person-identity rule
    (`confirm_link` is the preview's confirmation for people recorded elsewhere);
    one who already has a student record makes the whole import fail. Returns the
    number of students created.
    """
    if not items:
        return 0
    for cohort in {c for c, _d in items}:
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        if admitted:
            extra = sum(1 for c, _d in items if c.pk == cohort.pk)
            _ensure_seat(cohort, extra=extra)
    people = people_upsert_bulk(
        by=by, items=[d["person"] for _c, d in items], confirm_link=confirm_link
    )
    persons = people
    taken_ids = set(
        Student.objects.filter(person__in=list(persons.values())).values_list(
            "person_id", flat=True
        )
    )
    if taken_ids:
        typed = sorted(
            {
                d["person"].document.number
                for _c, d in items
                if persons[d["person"].document.key].pk in taken_ids
            }
        )
        raise LifecycleError(
            _("Some people already have a student record: %(ids)s.")
            % {"ids": "، ".join(typed[:5])},
            code="student_exists",
        )
    next_seq: dict[int, tuple[str, int]] = {}
    students = []
    detail_fields = (
        "guardian_name",
        "guardian_relation",
        "guardian_phone",
        "governorate",
        "address",
        "prep_certificate_total",
        "prep_certificate_year",
    )
    for cohort, data in items:
        if cohort.pk not in next_seq:
            first = student_number_next(cohort)
            prefix, seq = first.rsplit("-", 1)
            next_seq[cohort.pk] = (prefix, int(seq))
        prefix, seq = next_seq[cohort.pk]
        next_seq[cohort.pk] = (prefix, seq + 1)
        student = Student(
            person=persons[data["person"].document.key],
            cohort=cohort,
            student_number=f"{prefix}-{seq:04d}",
            status=StudentStatus.ADMITTED if admitted else StudentStatus.APPLICANT,
            **{k: data[k] for k in detail_fields if k in data},
        )
        student.refresh_search_text()
        students.append(student)
    Student.objects.bulk_create(students, batch_size=500)
    if students and students[0].pk is None:
        by_number = dict(
            Student.objects.filter(
                student_number__in=[s.student_number for s in students]
            ).values_list("student_number", "pk")
        )
        for student in students:
            student.pk = student.id = by_number[student.student_number]
    recorded_by = by if getattr(by, "pk", None) else None
    events = []
    for student in students:
        events.append(
            EnrolmentEvent(
                student=student,
                kind=EventKind.APPLIED,
                status_after=StudentStatus.APPLICANT,
                note=_("Imported from a file."),
                recorded_by=recorded_by,
            )
        )
        if admitted:
            events.append(
                EnrolmentEvent(
                    student=student,
                    kind=EventKind.ADMITTED,
                    status_after=StudentStatus.ADMITTED,
                    recorded_by=recorded_by,
                )
            )
    EnrolmentEvent.objects.bulk_create(events, batch_size=500)
    transaction.on_commit(students_dashboard_forget)
    return len(students)
