"""Demo: name one student and one staff member who can sign in to the portal.

Nothing is invented here: the students, placements, staff and sessions come from
the other apps' demo data. This picks a student with a running placement and a
phone, and a staff member with a session open for booking at their hospital, makes
their portal accounts and prints how to sign in (docs/portal.md).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from .services import portal_account_for


def _demo_student():
    from students.models import Student
    from training.models import PlacementStatus

    return (
        Student.objects.filter(
            placements__status=PlacementStatus.IN_PROGRESS,
            placements__days__date__lte=timezone.localdate(),
        )
        .exclude(person__phone="")
        .select_related("person")
        .order_by("pk")
        .first()
    )


def _demo_staff():
    from training.models import SessionStatus, StaffMember, TrainingSession

    now = timezone.now()
    open_sessions = TrainingSession.objects.filter(
        status=SessionStatus.SCHEDULED, starts_at__gt=now
    ).filter(Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now))
    hospitals = open_sessions.values("hospital_id")
    topics = open_sessions.values("topic_id")
    return (
        StaffMember.objects.filter(
            is_active=True,
            hospital_id__in=hospitals,
            topic_statuses__topic_id__in=topics,
        )
        .exclude(phone="", email="")
        .select_related("person", "hospital")
        .order_by("pk")
        .first()
    )


def load(ctx) -> None:
    found = []
    student = _demo_student()
    if student is not None:
        found.append(("student", student.person))
    staff = _demo_staff()
    if staff is not None:
        found.append(("staff member", staff.person))
    for label, person in found:
        portal_account_for(person)
        document = person.documents.order_by("pk").first()
        ctx.say(
            f"  Portal {label}: {person.name_en or person.name_ar} — sign in at "
            f"/ar/my/ with document number {document.number}; the code is printed by "
            f"the task worker and listed in Settings → Messages sent."
        )
    ctx.shared["portal_people"] = [person for _label, person in found]
