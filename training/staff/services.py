"""Writes of mandatory staff training: staff, topic rules, registrations, attendance.

Every function is one transaction and keeps `StaffTopicStatus` in step with what it
changed (see `training.staff.compliance`), so reports read a table that is never stale.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from institutes.formatting import NumberParseError, parse_number, western_digits
from institutes.identity import DocumentInput
from institutes.services import person_upsert

from .compliance import status_sync, topic_affected_staff_ids
from .models import (
    ACTIVE_REGISTRATION,
    AssessmentKind,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
    StaffMember,
    Topic,
    TopicRuleChange,
    TrainingSession,
)

# Topic changes touching more people than this are recomputed by a background task.
INLINE_RECOMPUTE_LIMIT = 2000


# --- Staff -------------------------------------------------------------------------


@transaction.atomic
def staff_member_save(
    *,
    staff: StaffMember | None = None,
    by=None,
    national_id: str = "",
    document: DocumentInput | None = None,
    name_ar: str,
    name_en: str = "",
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    nationality: str = "",
    confirm_link: bool = False,
    **fields,
) -> StaffMember:
    """Create or update a staff member as `by`; the person is found or created by
    identity document (`national_id` is shorthand for an Egyptian national ID) through
    `person_upsert`, with its identity rule.

    `fields` are StaffMember fields (hospital, ward, employee_number, job_category,
    employment_type, hire_date, manager, email, phone, is_active, job_title).
    """
    person = person_upsert(
        by=by,
        document=document,
        national_id=national_id,
        name_ar=name_ar,
        name_en=name_en,
        birth_date=birth_date,
        sex=sex,
        nationality=nationality,
        current=staff.person if staff is not None and staff.person_id else None,
        confirm_link=confirm_link,
    )
    staff = staff or StaffMember()
    staff.person = person
    for key, value in fields.items():
        setattr(staff, key, value)
    staff.full_clean()
    staff.save()
    status_sync([staff.pk])
    return staff


# --- Topics ------------------------------------------------------------------------


@transaction.atomic
def topic_rules_changed(
    *, topic: Topic, before: dict, changed_by=None
) -> TopicRuleChange | None:
    """Record a change of a topic's rules and recompute everyone it concerns.

    Small changes are recomputed at once; large ones by a background task that
    reports progress on the recorded change. Returns None when no rule changed.
    """
    after = topic.rules_snapshot()
    if before == after:
        return None
    staff_ids = topic_affected_staff_ids(topic)
    change = TopicRuleChange.objects.create(
        topic=topic,
        changed_by=changed_by,
        before=before,
        after=after,
        rows_total=len(staff_ids),
    )
    if len(staff_ids) <= INLINE_RECOMPUTE_LIMIT:
        topic_recompute(change=change, staff_ids=staff_ids)
    else:
        from .tasks import recompute_topic_status

        transaction.on_commit(lambda: recompute_topic_status.enqueue(change.pk))
    return change


def topic_recompute(*, change: TopicRuleChange, staff_ids: list[int] | None = None):
    """Recompute one topic's status rows in batches, saving progress after each."""
    from .compliance import SYNC_BATCH
    from .models import RecomputeStatus

    topic = change.topic
    if staff_ids is None:
        staff_ids = topic_affected_staff_ids(topic)
    TopicRuleChange.objects.filter(pk=change.pk).update(
        status=RecomputeStatus.RUNNING, rows_total=len(staff_ids), rows_done=0
    )
    done = 0
    for start in range(0, len(staff_ids), SYNC_BATCH):
        batch = staff_ids[start : start + SYNC_BATCH]
        with transaction.atomic():
            status_sync(batch, topics=[topic])
            done += len(batch)
            TopicRuleChange.objects.filter(pk=change.pk).update(rows_done=done)
    TopicRuleChange.objects.filter(pk=change.pk).update(
        status=RecomputeStatus.DONE, finished_at=timezone.now(), rows_done=done
    )
    change.refresh_from_db()
    return change


# --- Sessions ----------------------------------------------------------------------


def _when(session: TrainingSession) -> str:
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    return (
        f"{formats.date_format(start, 'SHORT_DATE_FORMAT')} {start:%H:%M}–{end:%H:%M}"
    )


def session_label(session: TrainingSession) -> str:
    return f"“{session.topic.title}” ({_when(session)}, {session.venue})"


@transaction.atomic
def session_after_save(*, session: TrainingSession) -> None:
    """Carry a session's new times to its bookings and fill places a larger capacity
    opened. A new time that would double-book someone is refused by name."""
    active = Registration.objects.filter(session=session).filter(ACTIVE_REGISTRATION)
    moved = active.exclude(starts_at=session.starts_at, ends_at=session.ends_at)
    if moved.exists():
        clash = _overlaps(
            person_ids=list(moved.values_list("person_id", flat=True)),
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            exclude_session=session,
        )
        if clash:
            reg = next(iter(clash.values()))
            raise ValidationError(
                _(
                    "Moving the session would double-book %(name)s, who is booked on "
                    "%(other)s."
                )
                % {"name": reg.staff.name, "other": session_label(reg.session)}
            )
        Registration.objects.filter(session=session).update(
            starts_at=session.starts_at, ends_at=session.ends_at
        )
    waitlist_promote(session=session)


@transaction.atomic
def session_cancel(
    *, session: TrainingSession, cancelled_by=None, reason: str = ""
) -> int:
    """Cancel a session and every booking on it; the people booked are e-mailed."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.HELD:
        raise ValidationError(_("A session that was held cannot be cancelled."))
    if session.status == SessionStatus.CANCELLED:
        return 0
    registration_ids = list(
        Registration.objects.filter(session=session)
        .filter(ACTIVE_REGISTRATION)
        .values_list("pk", flat=True)
    )
    Registration.objects.filter(pk__in=registration_ids).update(
        status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now()
    )
    session.status = SessionStatus.CANCELLED
    session.cancelled_reason = reason[:255]
    session.save(update_fields=["status", "cancelled_reason"])
    if registration_ids:
        from .tasks import notify_session_cancelled

        transaction.on_commit(
            lambda: notify_session_cancelled.enqueue(session.pk, registration_ids)
        )
    return len(registration_ids)


# --- Registrations -----------------------------------------------------------------


@dataclass
class RegistrationResult:
    """What a (bulk) registration did, person by person."""

    registered: list[StaffMember] = field(default_factory=list)
    waitlisted: list[StaffMember] = field(default_factory=list)
    already: list[StaffMember] = field(default_factory=list)
    refused: list[tuple[StaffMember, str]] = field(default_factory=list)


def _overlaps(*, person_ids, starts_at, ends_at, exclude_session) -> dict:
    """Active bookings of these people that overlap the given time, by person id."""
    found = {}
    rows = (
        Registration.objects.filter(
            ACTIVE_REGISTRATION,
            person_id__in=person_ids,
            starts_at__lt=ends_at,
            ends_at__gt=starts_at,
        )
        .exclude(session=exclude_session)
        .select_related("session__topic", "staff__person")
    )
    for reg in rows:
        found.setdefault(reg.person_id, reg)
    return found


def _registration_open(session: TrainingSession, now) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("This session was cancelled."))
    if session.status == SessionStatus.HELD:
        raise ValidationError(_("This session has already been held."))
    if now >= session.registration_deadline:
        raise ValidationError(
            _("Registration for this session closed on %(when)s.")
            % {
                "when": formats.date_format(
                    timezone.localtime(session.registration_deadline),
                    "SHORT_DATETIME_FORMAT",
                )
            }
        )


@transaction.atomic
def registration_bulk(
    *,
    session: TrainingSession,
    staff_members,
    registered_by=None,
    now: datetime.datetime | None = None,
) -> RegistrationResult:
    """Register several staff members on a session (one by one, a department, or
    everyone due). Places go in order; beyond capacity people join the waitlist.

    A person already booked at an overlapping time is refused with the other
    session named; the database refuses it too (see migration 0001).
    """
    now = now or timezone.now()
    session = (
        TrainingSession.objects.select_for_update()
        .select_related("topic")
        .get(pk=session.pk)
    )
    _registration_open(session, now)
    result = RegistrationResult()
    staff_members = list(dict.fromkeys(staff_members))
    existing = {r.staff_id: r for r in Registration.objects.filter(session=session)}
    clashes = _overlaps(
        person_ids=[s.person_id for s in staff_members],
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        exclude_session=session,
    )
    taken = Registration.objects.filter(
        session=session, status=RegistrationStatus.REGISTERED
    ).count()
    booked_people = set()
    for staff in staff_members:
        reg = existing.get(staff.pk)
        if reg is not None and reg.status != RegistrationStatus.CANCELLED:
            result.already.append(staff)
            continue
        if staff.hospital_id != session.hospital_id:
            result.refused.append(
                (staff, _("%(name)s works at another hospital.") % {"name": staff.name})
            )
            continue
        if not staff.is_active:
            result.refused.append(
                (
                    staff,
                    _("%(name)s is not an active staff member.") % {"name": staff.name},
                )
            )
            continue
        other = clashes.get(staff.person_id)
        if other is not None or staff.person_id in booked_people:
            label = session_label(other.session) if other else session_label(session)
            result.refused.append(
                (
                    staff,
                    _("%(name)s is already booked on %(other)s at an overlapping time.")
                    % {"name": staff.name, "other": label},
                )
            )
            continue
        status = (
            RegistrationStatus.REGISTERED
            if taken < session.capacity
            else RegistrationStatus.WAITLISTED
        )
        if reg is None:
            reg = Registration(session=session, staff=staff)
        reg.person_id = staff.person_id
        reg.starts_at, reg.ends_at = session.starts_at, session.ends_at
        reg.status = status
        reg.registered_by = registered_by
        reg.cancelled_at = None
        try:
            with transaction.atomic():
                reg.save()
        except IntegrityError:
            result.refused.append(
                (
                    staff,
                    _(
                        "%(name)s was booked on another session at the same time a "
                        "moment ago."
                    )
                    % {"name": staff.name},
                )
            )
            continue
        booked_people.add(staff.person_id)
        if status == RegistrationStatus.REGISTERED:
            taken += 1
            result.registered.append(staff)
        else:
            result.waitlisted.append(staff)
    return result


def registration_create(
    *, session: TrainingSession, staff: StaffMember, registered_by=None, now=None
) -> Registration:
    """Register one staff member; raises ValidationError with the reason if refused."""
    result = registration_bulk(
        session=session, staff_members=[staff], registered_by=registered_by, now=now
    )
    if result.refused:
        raise ValidationError(result.refused[0][1])
    return Registration.objects.get(session=session, staff=staff)


@transaction.atomic
def registration_cancel(*, registration: Registration, cancelled_by=None) -> list:
    """Cancel a booking; the first people on the waitlist take the freed places."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    return waitlist_promote(session=registration.session)


@transaction.atomic
def waitlist_promote(*, session: TrainingSession) -> list[Registration]:
    """Move people from the waitlist into free places, first come first served."""
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.status != SessionStatus.SCHEDULED:
        return []
    counts = Registration.objects.filter(session=session).aggregate(
        taken=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED))
    )
    free = session.capacity - counts["taken"]
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(
            session=session, status=RegistrationStatus.WAITLISTED
        ).order_by("registered_at", "pk")[:free]
    )
    now = timezone.now()
    for reg in promoted:
        reg.status = RegistrationStatus.REGISTERED
        reg.promoted_at = now
    Registration.objects.bulk_update(promoted, ["status", "promoted_at"])
    if promoted:
        from .tasks import notify_waitlist_promoted

        ids = [r.pk for r in promoted]
        transaction.on_commit(lambda: notify_waitlist_promoted.enqueue(ids))
    return promoted


# --- Attendance --------------------------------------------------------------------


@dataclass(frozen=True)
class RosterEntry:
    staff_id: int
    status: str
    score: Decimal | None = None
    walk_in: bool = False


@dataclass
class RosterResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


def _passed(topic: Topic, status: str, score: Decimal | None) -> bool:
    if status != AttendanceStatus.PRESENT:
        return False
    if topic.assessment == AssessmentKind.ATTENDANCE or topic.pass_mark is None:
        return True
    return score is not None and score >= topic.pass_mark


@transaction.atomic
def roster_save(
    *,
    session: TrainingSession,
    entries: list[RosterEntry],
    recorded_by=None,
    reason: str = "",
) -> RosterResult:
    """Record attendance and scores for a whole session in one go.

    Re-submitting the same values changes nothing; a changed value keeps the old
    one in `AttendanceChange`. The number of queries does not grow with the roster.
    """
    session = (
        TrainingSession.objects.select_for_update()
        .select_related("topic")
        .get(pk=session.pk)
    )
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("This session was cancelled; attendance is closed."))
    if timezone.localdate(session.starts_at) > timezone.localdate():
        raise ValidationError(
            _("Attendance can be marked from the day of the session.")
        )
    topic = session.topic
    by_staff: dict[int, RosterEntry] = {}
    for entry in entries:
        if entry.status not in AttendanceStatus.values:
            raise ValidationError(_("Unknown attendance value."))
        if entry.score is not None and not (0 <= entry.score <= 100):
            raise ValidationError(_("Scores are between 0 and 100."))
        by_staff[entry.staff_id] = entry
    allowed = set(
        StaffMember.objects.filter(
            pk__in=list(by_staff), hospital_id=session.hospital_id
        ).values_list("pk", flat=True)
    )
    foreign = set(by_staff) - allowed
    if foreign:
        raise ValidationError(
            _("%(count)s of these people are not staff of this hospital.")
            % {"count": len(foreign)}
        )
    existing = {a.staff_id: a for a in Attendance.objects.filter(session=session)}
    completed_on = timezone.localdate(session.starts_at)
    result = RosterResult()
    to_create, to_update, history, touched = [], [], [], []
    for staff_id, entry in by_staff.items():
        score = entry.score if entry.status == AttendanceStatus.PRESENT else None
        passed = _passed(topic, entry.status, score)
        row = existing.get(staff_id)
        if row is None:
            to_create.append(
                Attendance(
                    session=session,
                    staff_id=staff_id,
                    topic=topic,
                    completed_on=completed_on,
                    status=entry.status,
                    score=score,
                    passed=passed,
                    walk_in=entry.walk_in,
                    recorded_by=recorded_by,
                )
            )
            if passed:
                touched.append(staff_id)
            continue
        if row.status == entry.status and row.score == score:
            result.unchanged += 1
            continue
        history.append(
            AttendanceChange(
                attendance=row,
                old_status=row.status,
                old_score=row.score,
                new_status=entry.status,
                new_score=score,
                reason=reason[:255],
                changed_by=recorded_by,
            )
        )
        if row.passed != passed:
            touched.append(staff_id)
        row.status, row.score, row.passed = entry.status, score, passed
        row.recorded_by = recorded_by
        row.updated_at = timezone.now()
        to_update.append(row)
    Attendance.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        # One prepared UPDATE for every changed row (bulk_update's CASE per column is
        # slow on SQLite for a whole roster).
        table = connection.ops.quote_name(Attendance._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET status = %s, score = %s, passed = %s, "  # noqa: S608
                "recorded_by_id = %s, updated_at = %s WHERE id = %s",
                [
                    (
                        r.status,
                        connection.ops.adapt_decimalfield_value(r.score, 5, 1),
                        r.passed,
                        r.recorded_by_id,
                        connection.ops.adapt_datetimefield_value(r.updated_at),
                        r.pk,
                    )
                    for r in to_update
                ],
            )
    AttendanceChange.objects.bulk_create(history, batch_size=500)
    result.created, result.changed = len(to_create), len(to_update)
    if session.status == SessionStatus.SCHEDULED and (to_create or to_update):
        session.status = SessionStatus.HELD
        session.save(update_fields=["status"])
    if touched:
        status_sync(touched, topics=[topic])
    return result


def attendance_correct(
    *,
    attendance: Attendance,
    status: str,
    score: Decimal | None,
    reason: str,
    changed_by=None,
) -> RosterResult:
    """Correct one attendance row later; the old value is kept with the reason."""
    if not (reason or "").strip():
        raise ValidationError(_("Say why the attendance is corrected."))
    return roster_save(
        session=attendance.session,
        entries=[RosterEntry(attendance.staff_id, status, score)],
        recorded_by=changed_by,
        reason=reason,
    )


def _paper_score(raw: str, line_no: int) -> Decimal | None:
    try:
        return parse_number(raw)
    except NumberParseError:
        raise ValidationError(
            _("Line %(line)s: “%(value)s” is not a score.")
            % {"line": line_no, "value": raw}
        ) from None


def roster_save_from_paper(
    *,
    session: TrainingSession,
    lines: str,
    absent_if_missing: bool,
    recorded_by,
) -> RosterResult:
    """Save a paper sign-in sheet typed as lines of "employee-number [score]".

    Everyone listed is present (a walk-in when not registered); with
    `absent_if_missing`, registered people not listed are absent. An unknown
    employee number, or one at another hospital or outside `recorded_by`'s scope,
    refuses the whole sheet (nothing is saved).
    """
    from .selectors import staff_for

    wanted: dict[str, Decimal | None] = {}
    for line_no, line in enumerate(lines.splitlines(), start=1):
        parts = line.replace("\t", " ").split()
        if not parts:
            continue
        number = western_digits(parts[0])
        wanted[number] = _paper_score(parts[1], line_no) if len(parts) > 1 else None
    staff = {
        s.employee_number: s
        for s in staff_for(recorded_by, "change").filter(
            hospital=session.hospital, employee_number__in=list(wanted)
        )
    }
    unknown = [n for n in wanted if n not in staff]
    if unknown:
        raise ValidationError(
            _(
                "Unknown employee numbers at this hospital: %(numbers)s. Nothing was saved."
            )
            % {"numbers": ", ".join(unknown[:20])}
        )
    booked = set(
        Registration.objects.filter(
            session=session, status=RegistrationStatus.REGISTERED
        ).values_list("staff_id", flat=True)
    )
    entries = [
        RosterEntry(
            staff[n].pk,
            AttendanceStatus.PRESENT,
            score,
            walk_in=staff[n].pk not in booked,
        )
        for n, score in wanted.items()
    ]
    if absent_if_missing:
        present = {e.staff_id for e in entries}
        entries += [
            RosterEntry(staff_id, AttendanceStatus.ABSENT)
            for staff_id in booked - present
        ]
    return roster_save(
        session=session,
        entries=entries,
        recorded_by=recorded_by,
        reason=_("Entered from the paper sign-in sheet"),
    )


# --- Hiring a graduate --------------------------------------------------------------


def hospitals_for_hiring(user):
    """Hospitals where `user` may add staff (authority staff: all; a trainer: theirs),
    read from the staff record's own access rule."""
    from institutes import access
    from institutes.models import Hospital

    scope = access.scope_for(user)
    if scope.is_authority:
        return Hospital.objects.all()
    if not access.user_may(user, "add", StaffMember):
        return Hospital.objects.none()
    return Hospital.objects.filter(pk__in=sorted(scope.ids_for("hospital")))


@transaction.atomic
def graduate_hire(
    *,
    person,
    by,
    hospital,
    employee_number: str,
    hire_date: datetime.date,
    job_category: str,
    ward=None,
    job_title: str = "",
) -> StaffMember:
    """Make a graduate of an institute a staff member of `hospital`, from their person.

    Names and identity documents are not retyped: the person's own document and
    names go through `staff_member_save` (hence `person_upsert` and its identity
    rule; what is typed equals what is recorded, so nothing of the person changes).
    The person's row is locked first, so a second submit waits and then finds the
    staff record; the database also refuses a second active record of one person in
    one hospital. Refused (ValidationError, plain message): a hospital outside
    `by`'s scope, a person who has not graduated, a person already on staff.
    """
    from institutes.identity import DocumentInput
    from institutes.models import Person
    from students.models import Student, StudentStatus

    if not hospitals_for_hiring(by).filter(pk=hospital.pk).exists():
        raise ValidationError(
            {"hospital": _("You may add staff only to your own hospitals.")}
        )
    person = Person.objects.select_for_update().get(pk=person.pk)
    status = (
        Student.objects.filter(person=person).values_list("status", flat=True).first()
    )
    if status != StudentStatus.GRADUATED:
        raise ValidationError(
            _(
                "Only a graduate of an institute is hired from their record: this "
                "person has not graduated."
            )
        )
    if StaffMember.objects.filter(person=person, is_active=True).exists():
        raise ValidationError(
            _(
                "This person is already on a hospital's staff; a second employment "
                "is added from the staff screens."
            )
        )
    document = person.documents.order_by("pk").first()
    if document is None:
        raise ValidationError(
            _("This person has no identity document recorded; ask their institute.")
        )
    try:
        return staff_member_save(
            by=by,
            document=DocumentInput(
                document_type=document.document_type,
                number=document.number,
                country=document.country,
                expires_on=document.expires_on,
            ),
            name_ar=person.name_ar,
            name_en=person.name_en,
            birth_date=person.birth_date,
            sex=person.sex,
            nationality=person.nationality,
            # Hiring this graduate from their own page is the explicit confirmation
            # that the staff record belongs to this person.
            confirm_link=True,
            hospital=hospital,
            ward=ward,
            employee_number=employee_number,
            job_category=job_category,
            job_title=job_title,
            hire_date=hire_date,
        )
    except IntegrityError as exc:
        raise ValidationError(
            _("This person is already on this hospital's staff.")
        ) from exc


@transaction.atomic
def induction_plan_changed(*, job_category: str) -> int:
    """Recompute the due dates of the active staff of a job category after its
    induction plan changed. Returns the number of status rows changed."""
    from .compliance import status_sync

    ids = StaffMember.objects.filter(
        job_category=job_category, is_active=True
    ).values_list("pk", flat=True)
    return status_sync(list(ids))
