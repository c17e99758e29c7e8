"""Graduation and promotion requirements: registries other apps plug into."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.db.models import Max
from django.utils.translation import gettext as _

from curriculum.models import YEARS_OF_STUDY, Course

from ..models import (
    CourseResult,
    Enrolment,
    Student,
)

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
