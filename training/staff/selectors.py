"""Reads of mandatory staff training: compliance aggregates, lists, records, rosters.

Compliance is aggregated in the database over `StaffTopicStatus` (one row per staff
member and required topic) with one conditional count per state, so a hospital's or
the nation's figures cost one query whatever the number of people. Every function
takes the requesting user and scopes through `institutes.access`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from institutes import access
from institutes.models import Hospital

from .compliance import State, TopicState, state_conditions, state_of
from .models import (
    ACTIVE_REGISTRATION,
    Attendance,
    Registration,
    RegistrationStatus,
    SessionStatus,
    StaffMember,
    StaffTopicStatus,
    Topic,
    TrainingSession,
)


def staff_for(user, action: str = "view") -> QuerySet:
    """Staff the user may see, with what listings show."""
    return access.filter_for(
        StaffMember.objects.select_related("person", "hospital", "ward"), user, action
    )


def statuses_for(user) -> QuerySet:
    return access.filter_for(StaffTopicStatus.objects.all(), user, "view")


def sessions_for(user, action: str = "view") -> QuerySet:
    return access.filter_for(
        TrainingSession.objects.select_related("topic", "hospital"), user, action
    )


@dataclass
class ComplianceFigures:
    """Counts per state for one group (a hospital, a ward, a topic, the nation)."""

    key: dict
    compliant: int = 0
    due: int = 0
    expired: int = 0
    never: int = 0
    grace: int = 0

    @property
    def total(self) -> int:
        return self.compliant + self.due + self.expired + self.never + self.grace

    @property
    def counted(self) -> int:
        """People in grace are not yet expected to comply."""
        return self.total - self.grace

    @property
    def percent(self) -> float | None:
        """Share currently valid (compliant or due soon) of those expected to be."""
        if not self.counted:
            return None
        return round(100 * (self.compliant + self.due) / self.counted, 1)

    @property
    def percent_int(self) -> int:
        return round(self.percent or 0)

    def segments(self, width: int = 240) -> list[tuple[str, int, int]]:
        """(state, x, width) of a stacked bar, for the inline SVG chart."""
        out, x = [], 0
        for state in State.ORDER:
            count = getattr(self, state)
            if not count or not self.total:
                continue
            w = round(width * count / self.total)
            out.append((state, x, w))
            x += w
        return out


def compliance_counts(
    statuses: QuerySet, group_by: tuple[str, ...] = (), today=None
) -> list[ComplianceFigures]:
    """One query: counts of each state per group of `group_by` fields."""
    conditions = state_conditions(today)
    annotations = {
        state: Count("pk", filter=condition) for state, condition in conditions.items()
    }
    if group_by:
        rows = statuses.values(*group_by).annotate(**annotations).order_by(*group_by)
    else:
        rows = [statuses.aggregate(**annotations)]
    return [
        ComplianceFigures(
            key={k: row[k] for k in group_by},
            **{state: row[state] or 0 for state in State.ORDER},
        )
        for row in rows
    ]


def hospital_compliance(*, hospital: Hospital, user, today=None) -> dict:
    """A hospital's figures overall, per ward and per topic (three aggregate queries)."""
    statuses = statuses_for(user).filter(hospital=hospital)
    total = compliance_counts(statuses, today=today)[0]
    by_ward = compliance_counts(statuses, ("ward_id",), today)
    by_topic = compliance_counts(statuses, ("topic_id",), today)
    wards = {w.pk: w for w in hospital.wards.all()}
    topics = {t.pk: t for t in Topic.objects.all()}
    for fig in by_ward:
        fig.key["ward"] = wards.get(fig.key["ward_id"])
    for fig in by_topic:
        fig.key["topic"] = topics.get(fig.key["topic_id"])
    return {"total": total, "by_ward": by_ward, "by_topic": by_topic}


def national_overview(*, user, today=None) -> dict:
    """Every hospital the user may see with its figures, per topic, and the total.

    One aggregate query grouped by hospital and topic (a few hundred groups); the
    per-hospital and per-topic figures are sums of those groups.
    """
    statuses = statuses_for(user)
    groups = compliance_counts(statuses, ("hospital_id", "topic_id"), today)
    hospitals = {h.pk: h for h in access.hospitals_for(user)}
    topics = {t.pk: t for t in Topic.objects.all()}
    by_hospital: dict[int, ComplianceFigures] = {}
    by_topic: dict[int, ComplianceFigures] = {}
    total = ComplianceFigures(key={})
    for fig in groups:
        hospital_id, topic_id = fig.key["hospital_id"], fig.key["topic_id"]
        if hospital_id not in hospitals:
            continue
        h = by_hospital.setdefault(
            hospital_id,
            ComplianceFigures(
                key={"hospital_id": hospital_id, "hospital": hospitals[hospital_id]}
            ),
        )
        t = by_topic.setdefault(
            topic_id,
            ComplianceFigures(
                key={"topic_id": topic_id, "topic": topics.get(topic_id)}
            ),
        )
        for target in (h, t, total):
            for state in State.ORDER:
                setattr(target, state, getattr(target, state) + getattr(fig, state))
    rows = sorted(by_hospital.values(), key=lambda f: f.key["hospital"].name_ar)
    topic_rows = sorted(
        by_topic.values(), key=lambda f: f.key["topic"].code if f.key["topic"] else ""
    )
    return {"total": total, "by_hospital": rows, "by_topic": topic_rows}


def people_in_states(
    *,
    user,
    states: list[str],
    hospital=None,
    ward=None,
    topic=None,
    today=None,
) -> QuerySet:
    """Status rows in the given states, with the person, ward and topic joined."""
    conditions = state_conditions(today)
    condition = Q()
    for state in states:
        condition |= conditions[state]
    qs = statuses_for(user).filter(condition)
    if hospital is not None:
        qs = qs.filter(hospital=hospital)
    if ward is not None:
        qs = qs.filter(ward=ward)
    if topic is not None:
        qs = qs.filter(topic=topic)
    return qs.select_related(
        "staff__person", "staff__ward", "staff__hospital", "topic"
    ).order_by("valid_until", "staff__employee_number")


def row_state(row: StaffTopicStatus, today=None) -> TopicState:
    return state_of(
        completed_on=row.completed_on,
        valid_until=row.valid_until,
        grace_until=row.grace_until,
        today=today,
    )


def staff_record(*, staff: StaffMember, today=None) -> dict:
    """One person's training record: status per required topic, then all attempts."""
    statuses = list(
        StaffTopicStatus.objects.filter(staff=staff)
        .select_related("topic")
        .order_by("topic__code")
    )
    history = list(
        Attendance.objects.filter(staff=staff)
        .select_related("session__topic", "session__hospital")
        .order_by("-completed_on", "-pk")
    )
    upcoming = list(
        Registration.objects.filter(
            ACTIVE_REGISTRATION, staff=staff, starts_at__gte=timezone.now()
        )
        .select_related("session__topic")
        .order_by("starts_at")
    )
    from django.contrib.contenttypes.models import ContentType

    from certificates.models import IssuedDocument

    issued = dict(
        IssuedDocument.objects.filter(
            achievement_type=ContentType.objects.get_for_model(Attendance),
            achievement_id__in=[a.pk for a in history if a.passed],
            revoked_at__isnull=True,
            replaced_at__isnull=True,
        ).values_list("achievement_id", "serial")
    )
    for attendance in history:
        attendance.certificate_serial = issued.get(attendance.pk, "")
    return {
        "statuses": [(row, row_state(row, today)) for row in statuses],
        "history": history,
        "upcoming": upcoming,
    }


def trainer_sessions(*, user, start: datetime.datetime, end: datetime.datetime):
    """Sessions between `start` and `end` the user runs (or, for authority staff and
    trainers without own sessions, those of their hospitals), with booking counts."""
    qs = sessions_for(user).filter(starts_at__gte=start, starts_at__lt=end)
    mine = qs.filter(trainers=user)
    if mine.exists():
        qs = mine
    return qs.annotate(
        registered_count=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.REGISTERED),
        ),
        waitlisted_count=Count(
            "registrations",
            filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
        ),
    ).order_by("starts_at")


def session_roster(*, session: TrainingSession) -> list[dict]:
    """Everyone on a session's roster: booked people and anyone with attendance.

    Three queries whatever the size: bookings, attendance, and the staff they name.
    """
    registrations = {
        r.staff_id: r
        for r in Registration.objects.filter(session=session).exclude(
            status=RegistrationStatus.CANCELLED
        )
    }
    attendance = {a.staff_id: a for a in Attendance.objects.filter(session=session)}
    staff_ids = set(registrations) | set(attendance)
    staff = StaffMember.objects.filter(pk__in=staff_ids).select_related(
        "person", "ward"
    )
    rows = []
    for member in staff:
        rows.append(
            {
                "staff": member,
                "registration": registrations.get(member.pk),
                "attendance": attendance.get(member.pk),
            }
        )
    rows.sort(
        key=lambda r: (
            r["registration"] is not None
            and r["registration"].status == RegistrationStatus.WAITLISTED,
            r["staff"].person.name_ar,
        )
    )
    return rows


def staff_due_for_topic(*, session: TrainingSession, user, today=None) -> QuerySet:
    """Staff of the session's hospital who need this topic now (expired, due, never
    taken, or new staff in their grace period) and are not booked on it already."""
    conditions = state_conditions(today)
    need = (
        conditions[State.DUE]
        | conditions[State.EXPIRED]
        | conditions[State.NEVER]
        | conditions[State.GRACE]  # new staff must be trained before grace ends
    )
    due_staff = StaffTopicStatus.objects.filter(
        need, topic_id=session.topic_id, hospital_id=session.hospital_id
    ).values("staff_id")
    booked = Registration.objects.filter(
        ACTIVE_REGISTRATION, session=session, staff_id=OuterRef("pk")
    )
    return (
        staff_for(user)
        .filter(pk__in=due_staff, is_active=True)
        .exclude(Exists(booked))
        .order_by("ward__name_ar", "employee_number")
    )


def session_with_people(session_id: int, user) -> TrainingSession:
    """A session the user may see, with its trainers prefetched (404 if not)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        sessions_for(user).prefetch_related(Prefetch("trainers")), pk=session_id
    )


@dataclass
class StaffingFigures:
    """Active staff of one hospital or department: how many, and how many nationals."""

    key: dict
    total: int = 0
    nationals: int = 0
    by_employment: dict = field(default_factory=dict)

    @property
    def share(self) -> float | None:
        """Share of nationals in percent (one decimal), None when nobody is counted."""
        if not self.total:
            return None
        return round(100 * self.nationals / self.total, 1)


def staffing_by_nationality(*, user) -> dict:
    """Active staff per hospital and department with the share of nationals (the
    deployment's `IDENTITY_DEFAULT_COUNTRY`), and per employment type.

    One aggregate query grouped by hospital, department and employment type, scoped by
    the access module; names come from two small lookups.
    """
    from django.conf import settings

    national = Q(person__nationality=settings.IDENTITY_DEFAULT_COUNTRY)
    groups = (
        access.filter_for(StaffMember.objects.filter(is_active=True), user, "view")
        .values("hospital_id", "ward_id", "employment_type")
        .annotate(total=Count("pk"), nationals=Count("pk", filter=national))
        .order_by()
    )
    hospitals = {h.pk: h for h in access.hospitals_for(user)}
    wards = {w.pk: w for w in access.wards_for(user)}
    by_hospital: dict[int, StaffingFigures] = {}
    by_ward: dict[tuple, StaffingFigures] = {}
    total = StaffingFigures(key={})
    for row in groups:
        hospital = hospitals.get(row["hospital_id"])
        if hospital is None:
            continue
        h = by_hospital.setdefault(
            hospital.pk, StaffingFigures(key={"hospital": hospital})
        )
        w = by_ward.setdefault(
            (hospital.pk, row["ward_id"]),
            StaffingFigures(
                key={"hospital": hospital, "ward": wards.get(row["ward_id"])}
            ),
        )
        for target in (h, w, total):
            target.total += row["total"]
            target.nationals += row["nationals"]
            kind = row["employment_type"]
            target.by_employment[kind] = (
                target.by_employment.get(kind, 0) + row["total"]
            )
    hospital_rows = sorted(
        by_hospital.values(), key=lambda f: f.key["hospital"].name_ar
    )
    ward_rows = sorted(
        by_ward.values(),
        key=lambda f: (
            f.key["hospital"].name_ar,
            f.key["ward"] is None,
            f.key["ward"].name_ar if f.key["ward"] else "",
        ),
    )
    return {"total": total, "by_hospital": hospital_rows, "by_ward": ward_rows}


def trainer_home(*, user, now: datetime.datetime | None = None, limit: int = 8) -> dict:
    """What a trainer's home shows: today's sessions (in the site's time zone), the
    staff whose training expires within 30 days, and past sessions whose roster is
    still unmarked. A fixed number of queries whatever the numbers."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day_start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    today_sessions = list(
        trainer_sessions(
            user=user, start=day_start, end=day_start + datetime.timedelta(days=1)
        ).exclude(status=SessionStatus.CANCELLED)[:limit]
    )
    expiring = (
        statuses_for(user)
        .filter(state_conditions(today)[State.DUE])
        .select_related("staff__person", "topic")
        .order_by("valid_until", "staff__person__name_ar")
    )
    unmarked = (
        sessions_for(user)
        .filter(ends_at__lt=now, status=SessionStatus.SCHEDULED)
        .filter(~Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        .order_by("-starts_at")
    )
    return {
        "today_sessions": today_sessions,
        "expiring": list(expiring[:limit]),
        "expiring_count": expiring.count(),
        "unmarked": list(unmarked[:limit]),
        "unmarked_count": unmarked.count(),
    }
