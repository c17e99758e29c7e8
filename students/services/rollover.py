"""The year decision (promotion rule, in one place) and the cohort rollover."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from curriculum.models import YEARS_OF_STUDY, Course

from ..models import (
    Cohort,
    CourseResult,
    Enrolment,
    EnrolmentEvent,
    EventKind,
    Student,
    StudentStatus,
    YearOutcome,
)
from ..selectors import students_dashboard_forget
from .requirements import (
    graduation_requirements_for,
    promotion_requirements,
)

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
                ngettext(
                    "Failed %(n)s course (at most %(max)s may be carried): %(codes)s.",
                    "Failed %(n)s courses (at most %(max)s may be carried): %(codes)s.",
                    len(failed),
                )
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
