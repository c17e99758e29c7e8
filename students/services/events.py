"""The enrolment-event writer: every lifecycle step leaves one `EnrolmentEvent`;
none edits or deletes history."""

from __future__ import annotations

from django.db import transaction

from ..models import (
    Enrolment,
    EnrolmentEvent,
    Student,
)
from ..selectors import students_dashboard_forget


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
