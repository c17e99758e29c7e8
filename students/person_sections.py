"""The student side of the person page: the study record and its results.

Registered with `institutes.person_record` from `StudentsConfig.ready()`. Scoped by
`institutes.access`; what a reader gets follows `sees_full_student_record`:
administrators of the student's institute and authority staff read enrolments and
results, a clinical supervisor (who sees the student through a placement in their
ward) gets name, student number and year of study only.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from institutes import access
from institutes.person_record import STUDENT_SIDE, PersonSection

from .models import CourseResult, Enrolment, Student
from .selectors import sees_full_student_record


def visible_student(person, user) -> Student | None:
    """The person's student record if `user` may see it (one query)."""
    return (
        access.filter_for(
            Student.objects.select_related(
                "cohort__institute", "cohort__curriculum_version"
            ),
            user,
            "view",
        )
        .filter(person=person)
        .first()
    )


def student_sections(person, user) -> list[PersonSection]:
    """Enrolment history and results (order 100). Two queries more for a full
    reader whatever the number of years and results."""
    student = visible_student(person, user)
    if student is None:
        return []
    full = sees_full_student_record(user, student)
    context = {"student": student, "full": full, "years": []}
    if full:
        results = CourseResult.objects.select_related("course").order_by(
            "course__year", "course__term", "course__code"
        )
        context["years"] = list(
            access.filter_for(Enrolment.objects.filter(student=student), user, "view")
            .prefetch_related(Prefetch("results", queryset=results))
            .order_by("academic_year")
        )
    return [
        PersonSection(
            key="enrolment",
            order=100,
            side=STUDENT_SIDE,
            title=_("Enrolment history and results"),
            template_name="students/person/enrolment.html",
            context=context,
            identity=full,
        )
    ]
