"""The clinical part of the person page: placements, hours and competencies.

Registered with `institutes.person_record` from the wing's hooks. Shown to those
who read the student's whole record (`sees_full_student_record`: the institute's
administrators and authority staff); a supervisor keeps to the placement screens of
their ward, a trainer sees no student. A fixed number of queries
(`clinical_record`) whatever the number of placements, days and sign-offs.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from institutes.person_record import STUDENT_SIDE, PersonSection

from .selectors import clinical_record


def placement_sections(person, user) -> list[PersonSection]:
    """Clinical placements (order 200) and hours and competencies signed off (300)."""
    from students.person_sections import visible_student
    from students.selectors import sees_full_student_record

    student = visible_student(person, user)
    if student is None or not sees_full_student_record(user, student):
        return []
    years = clinical_record(student)
    placements = [p for year in years for p in year.placements]
    return [
        PersonSection(
            key="placements",
            order=200,
            side=STUDENT_SIDE,
            title=_("Clinical placements"),
            template_name="training/placements/person/placements.html",
            context={"placements": placements, "student": student},
        ),
        PersonSection(
            key="clinical",
            order=300,
            side=STUDENT_SIDE,
            title=_("Hours and competencies signed off"),
            template_name="training/placements/person/clinical.html",
            context={"years": [y for y in years if y.tracked], "student": student},
        ),
    ]
