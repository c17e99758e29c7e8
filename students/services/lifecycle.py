"""The enrolment lifecycle after registration: admit, enrol, suspend, withdraw,
re-admit, correct and graduate; each step one transaction and one event row."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from curriculum.models import YEARS_OF_STUDY

from ..models import (
    Enrolment,
    EnrolmentEvent,
    EventKind,
    Student,
    StudentStatus,
    WithdrawalReason,
    YearOutcome,
    academic_year_label,
)
from .cohorts import _ensure_seat
from .errors import LifecycleError
from .events import _event
from .requirements import graduation_requirements

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
