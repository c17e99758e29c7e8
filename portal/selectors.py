"""The portal's reads: a person's own rows only, each list one query with its joins.

Every function takes the signed-in `Viewer` (or its person/student) and filters by
it first: there is no argument through which another person's rows could be asked
for. Lists cost a fixed number of queries whatever the person's history.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from certificates.models import IssuedDocument
from institutes.models import Person

from .models import SHOWN_TO_PERSON, PortalAccount, PortalEvent

#: How many past placement days the hours page lists (newest first).
HOURS_DAYS_SHOWN = 60
ACTIVITY_SHOWN = 30


@dataclass
class Viewer:
    """The signed-in person with what every page needs: their student record (or
    None), their active staff records, their portal account."""

    person: Person
    account: PortalAccount
    student: object = None
    staff: list = field(default_factory=list)

    @property
    def is_student(self) -> bool:
        return self.student is not None

    @property
    def is_staff(self) -> bool:
        return bool(self.staff)


def viewer_for(person_id: int) -> Viewer | None:
    """Load the signed-in person in two queries; None when they may no longer use
    the portal (no student record, no active staff record)."""
    from training.models import StaffMember

    account = (
        PortalAccount.objects.select_related(
            "person", "user", "person__student__cohort__institute"
        )
        .filter(person_id=person_id)
        .first()
    )
    if account is None:
        return None
    person = account.person
    try:
        student = person.student
    except Person.student.RelatedObjectDoesNotExist:
        student = None
    staff = list(
        StaffMember.objects.filter(person_id=person_id, is_active=True)
        .select_related("hospital", "ward")
        .order_by("pk")
    )
    if student is None and not staff:
        return None
    return Viewer(person=person, account=account, student=student, staff=staff)


# --- Students --------------------------------------------------------------------


def student_placements(student):
    """The student's placements, newest first, with ward, hospital and supervisor."""
    from training.models import Placement

    return (
        Placement.objects.filter(student=student)
        .select_related("ward__hospital", "block", "supervisor")
        .order_by("-start_date", "-pk")
    )


def student_upcoming_days(student, *, today=None, limit: int = 14):
    """The student's next placement days (today included)."""
    from training.models import PlacementDay, PlacementStatus

    today = today or timezone.localdate()
    return (
        PlacementDay.objects.filter(student=student, date__gte=today)
        .exclude(placement__status=PlacementStatus.CANCELLED)
        .select_related("ward__hospital")
        .order_by("date")[:limit]
    )


def student_hours_days(student, *, today=None):
    """Past placement days of confirmed, running or completed placements, newest
    first, each with `current` (its current hours entry or None)."""
    from training.models import (
        ClinicalHours,
        HoursStatus,
        PlacementDay,
        PlacementStatus,
    )

    today = today or timezone.localdate()
    days = list(
        PlacementDay.objects.filter(
            student=student,
            date__lte=today,
            placement__status__in=[
                PlacementStatus.CONFIRMED,
                PlacementStatus.IN_PROGRESS,
                PlacementStatus.COMPLETED,
            ],
        )
        .select_related("ward__hospital", "placement")
        .prefetch_related(
            Prefetch(
                "hours",
                queryset=ClinicalHours.objects.exclude(
                    status=HoursStatus.SUPERSEDED
                ).select_related("decided_by"),
                to_attr="current_hours",
            )
        )
        .order_by("-date")[:HOURS_DAYS_SHOWN]
    )
    for day in days:
        day.current = day.current_hours[0] if day.current_hours else None
    return days


def student_hours_totals(student) -> dict:
    """Hours approved and awaiting approval, over the whole record (one query)."""
    from training.models import ClinicalHours, HoursStatus

    return ClinicalHours.objects.filter(placement__student=student).aggregate(
        approved=Sum("hours", filter=Q(status=HoursStatus.APPROVED)),
        pending=Sum("hours", filter=Q(status=HoursStatus.PENDING)),
    )


def student_day(student, day_id: int):
    """One of the student's placement days, or None (someone else's, or none)."""
    from training.models import PlacementDay

    return (
        PlacementDay.objects.select_related("placement__block", "student")
        .filter(pk=day_id, student=student)
        .first()
    )


def student_signoffs(student):
    """Competency sign-offs the student received (current ones: corrected rows are
    replaced by their correction), newest first, with who signed."""
    from training.models import CompetencySignOff

    return (
        CompetencySignOff.objects.filter(student=student, correction__isnull=True)
        .select_related("competency", "placement__ward", "signed_by")
        .order_by("-assessed_on", "-pk")
    )


def student_results(student):
    """Course results with a decision (pass or fail recorded), latest year first."""
    from students.models import CourseResult

    return (
        CourseResult.objects.filter(enrolment__student=student, passed__isnull=False)
        .select_related("course", "enrolment")
        .order_by("-enrolment__year_of_study", "course__code")
    )


# --- Documents -------------------------------------------------------------------


def person_documents(person):
    """Documents issued to the person that are in force (not revoked or replaced)."""
    return IssuedDocument.objects.filter(
        holder=person, revoked_at__isnull=True, replaced_at__isnull=True
    ).order_by("-issued_at", "-pk")


def person_document(person, document_id: int):
    return person_documents(person).filter(pk=document_id).first()


# --- Staff -----------------------------------------------------------------------


def staff_compliance(staff: list, *, today=None) -> list:
    """(status row, state) for each required topic of the person's active staff
    records, soonest due first."""
    from training.models import StaffTopicStatus
    from training.staff.selectors import row_state

    rows = list(
        StaffTopicStatus.objects.filter(staff__in=[s.pk for s in staff])
        .select_related("topic", "staff__hospital")
        .order_by("valid_until", "topic__code")
    )
    return [(row, row_state(row, today)) for row in rows]


def staff_bookings(person, *, now=None):
    """The person's active bookings of sessions still to come, with trainers."""
    from django.contrib.auth import get_user_model

    from training.models import ACTIVE_REGISTRATION, Registration

    now = now or timezone.now()
    return (
        Registration.objects.filter(
            ACTIVE_REGISTRATION, person=person, ends_at__gte=now
        )
        .select_related("session__topic", "session__hospital")
        .prefetch_related(
            Prefetch("session__trainers", queryset=get_user_model().objects.all())
        )
        .order_by("starts_at")
    )


def staff_bookable_sessions(staff: list, person, *, now=None, limit: int = 20):
    """Scheduled sessions at the person's hospitals, of topics required of them,
    whose registration is still open and that they have not booked, with the
    number of places taken."""
    from training.models import (
        ACTIVE_REGISTRATION,
        Registration,
        RegistrationStatus,
        SessionStatus,
        StaffTopicStatus,
        TrainingSession,
    )

    now = now or timezone.now()
    topics = StaffTopicStatus.objects.filter(staff__in=[s.pk for s in staff]).values(
        "topic_id"
    )
    booked = Registration.objects.filter(ACTIVE_REGISTRATION, person=person).values(
        "session_id"
    )
    sessions = (
        TrainingSession.objects.filter(
            hospital__in=[s.hospital_id for s in staff],
            status=SessionStatus.SCHEDULED,
            starts_at__gt=now,
            topic_id__in=topics,
        )
        .filter(
            Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now)
        )
        .exclude(pk__in=booked)
        .select_related("topic", "hospital")
        .annotate(
            taken=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.REGISTERED),
            )
        )
        .order_by("starts_at")[:limit]
    )
    return sessions


def staff_session(staff: list, session_id: int):
    """A scheduled session at one of the person's hospitals, or None."""
    from training.models import TrainingSession

    return (
        TrainingSession.objects.filter(
            pk=session_id, hospital__in=[s.hospital_id for s in staff]
        )
        .select_related("topic", "hospital")
        .first()
    )


def person_booking(person, registration_id: int):
    from training.models import Registration

    return (
        Registration.objects.filter(pk=registration_id, person=person)
        .select_related("session")
        .first()
    )


# --- Activity --------------------------------------------------------------------


def recent_activity(person, *, limit: int = ACTIVITY_SHOWN):
    """What happened on the person's account, newest first."""
    return PortalEvent.objects.filter(person=person, kind__in=SHOWN_TO_PERSON)[:limit]


# --- Calendar feeds --------------------------------------------------------------


def feed_account(token: str) -> PortalAccount | None:
    if not token or len(token) > 64:
        return None
    return (
        PortalAccount.objects.select_related("person").filter(feed_token=token).first()
    )


def feed_placement_days(person, *, since: datetime.date):
    from training.models import PlacementDay, PlacementStatus

    return (
        PlacementDay.objects.filter(student__person=person, date__gte=since)
        .exclude(placement__status=PlacementStatus.CANCELLED)
        .select_related("ward__hospital")
        .order_by("date")
    )


def feed_bookings(person, *, since: datetime.datetime):
    from training.models import Registration, RegistrationStatus

    return (
        Registration.objects.filter(
            person=person, status=RegistrationStatus.REGISTERED, ends_at__gte=since
        )
        .select_related("session__topic", "session__hospital")
        .order_by("starts_at")
    )
