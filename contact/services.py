"""Writes of the contact centre: intake, routing, handling, answering, telling people,
deadlines and escalation, digests, retention.

Every change goes through one of these functions, which checks the rule, writes the
request and its `ContactRequestEvent` in one transaction, and queues the messages
(`notifications`) that go out once the transaction commits.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from institutes import access
from institutes.models import Hospital, Institute
from institutes.plain_text import hidden_characters_problem
from notifications.models import Channel, Notification
from notifications.services import Recipient, notification_send

from .figures import figures_track, footprint
from .models import (
    DONE_STATUSES,
    OPEN_STATUSES,
    ContactChannel,
    ContactKind,
    ContactRequest,
    ContactRequestEvent,
    ContactStatus,
    EventKind,
    Office,
    OfficeKind,
    OfficeMember,
    PublicHoliday,
    Resolution,
    Topic,
)
from .selectors import phone_digits
from .working_time import add_working_time

# No 0/O, 1/I/L: the requester may read the reference over the phone.
_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

DEFAULT_KIND_TARGET_DAYS = {
    ContactKind.COMPLAINT: 7,
    ContactKind.REPORT: 3,
    ContactKind.INQUIRY: 3,
    ContactKind.SUGGESTION: 14,
}

# Which status a handler may move a request to from each status (answering and
# re-routing have their own functions; reopening is the requester's).
STAFF_TRANSITIONS = {
    ContactStatus.NEW: {
        ContactStatus.IN_PROGRESS,
        ContactStatus.NEEDS_INFO,
        ContactStatus.CLOSED,
    },
    ContactStatus.ASSIGNED: {
        ContactStatus.IN_PROGRESS,
        ContactStatus.NEEDS_INFO,
        ContactStatus.CLOSED,
    },
    ContactStatus.IN_PROGRESS: {ContactStatus.NEEDS_INFO, ContactStatus.CLOSED},
    ContactStatus.NEEDS_INFO: {ContactStatus.IN_PROGRESS, ContactStatus.CLOSED},
    ContactStatus.REOPENED: {
        ContactStatus.IN_PROGRESS,
        ContactStatus.NEEDS_INFO,
        ContactStatus.CLOSED,
    },
    ContactStatus.ANSWERED: {ContactStatus.IN_PROGRESS, ContactStatus.CLOSED},
    ContactStatus.CLOSED: set(),
}
# Status changes the requester is told about.
TOLD_STATUSES = {ContactStatus.NEEDS_INFO, ContactStatus.CLOSED}


def _setting(name: str, default):
    return getattr(settings, name, default)


def new_reference() -> str:
    """A random, unguessable reference such as `CC-7KQ4-M2XW`."""
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"CC-{chars[:4]}-{chars[4:]}"


# --- Offices and routing -----------------------------------------------------------


def authority_office() -> Office:
    """The health authority's own office (made on first use)."""
    office = Office.objects.filter(kind=OfficeKind.AUTHORITY).first()
    if office is None:
        office, _created = Office.objects.get_or_create(
            kind=OfficeKind.AUTHORITY,
            defaults={
                "name_ar": "مركز الاتصال — مديرية الصحة",
                "name_en": "Contact centre — Health Authority",
            },
        )
    return office


def office_for_place(
    *, institute: Institute | None = None, hospital: Hospital | None = None
) -> Office:
    """The office of an institute or hospital (made on first use), else the
    authority's."""
    if institute is not None:
        office, _created = Office.objects.get_or_create(
            kind=OfficeKind.INSTITUTE,
            institute=institute,
            defaults={"name_ar": institute.name_ar, "name_en": institute.name_en},
        )
        return office
    if hospital is not None:
        office, _created = Office.objects.get_or_create(
            kind=OfficeKind.HOSPITAL,
            hospital=hospital,
            defaults={"name_ar": hospital.name_ar, "name_en": hospital.name_en},
        )
        return office
    return authority_office()


def _inside(office: Office, place: Office) -> bool:
    current, depth = office, 0
    while current is not None and depth < 5:
        if current.pk == place.pk:
            return True
        current, depth = current.parent, depth + 1
    return False


def office_for_request(
    *,
    topic: Topic | None,
    institute: Institute | None,
    hospital: Hospital | None,
    confidential: bool = False,
) -> Office:
    """Where a new request goes.

    A confidential staff matter goes to an authority office that handles them. A
    request naming a hospital or institute goes to that place's office, or to its
    topic's default office when that office is a department of the place. A request
    naming no place goes to its topic's default office, else the authority's.
    """
    if confidential:
        office = Office.objects.filter(handles_confidential=True, active=True).first()
        if office is None:
            raise ValidationError(
                _(
                    "No office handles confidential staff matters yet: ask the "
                    "authority to designate one."
                )
            )
        return office
    default = topic.default_office if topic and topic.default_office_id else None
    if institute is not None or hospital is not None:
        place = office_for_place(institute=institute, hospital=hospital)
        if default is not None and default.active and _inside(default, place):
            return default
        return place
    if default is not None and default.active:
        return default
    return authority_office()


def due_for(*, kind: str, topic: Topic | None, start: datetime.datetime):
    """The deadline of a request received at `start`: its topic's target time, else the
    kind's (`CONTACT_TARGET_DAYS`), counted in working days of the offices' week,
    skipping public holidays (`contact.working_time`)."""
    if topic is not None:
        days = topic.target_days
    else:
        targets = {**DEFAULT_KIND_TARGET_DAYS, **_setting("CONTACT_TARGET_DAYS", {})}
        days = targets.get(kind, 7)
    return add_working_time(start, days=days)


# --- Telling people ------------------------------------------------------------------


def _requester(contact_request: ContactRequest) -> Recipient:
    channels = []
    if contact_request.notify_email:
        channels.append(Channel.EMAIL)
    if contact_request.notify_sms:
        channels.append(Channel.SMS)
    email = contact_request.email
    if not email and contact_request.raised_by_id:
        email = contact_request.raised_by.email
    return Recipient(
        name=contact_request.name,
        email=email,
        phone=contact_request.phone,
        language=contact_request.language,
        channels=tuple(channels),
        user=contact_request.raised_by,
    )


def _follow_url(contact_request: ContactRequest) -> str:
    base = _setting("SITE_BASE_URL", "").rstrip("/")
    lang = contact_request.language or settings.LANGUAGE_CODE
    return f"{base}/{lang}/contact/follow/?reference={contact_request.reference}"


def _tell_requester(contact_request: ContactRequest, template: str, **extra) -> None:
    if contact_request.anonymised_at:
        return
    notification_send(
        template=f"contact/{template}",
        recipient=_requester(contact_request),
        context={
            "request": contact_request,
            "follow_url": _follow_url(contact_request),
            **extra,
        },
        about=contact_request,
        about_label=contact_request.reference,
        institute=contact_request.office.institute if contact_request.office else None,
        hospital=contact_request.office.hospital if contact_request.office else None,
    )


def _staff_recipients(office: Office, *, heads_only: bool = False) -> list[Recipient]:
    members = OfficeMember.objects.filter(office=office).select_related("user")
    if heads_only:
        members = members.filter(is_head=True)
    found = [
        Recipient(
            name=m.user.get_full_name() or m.user.get_username(),
            email=m.user.email,
            language=settings.LANGUAGE_CODE,
            channels=(Channel.EMAIL,),
            user=m.user,
        )
        for m in members
        if m.user.email and m.user.is_active
    ]
    if office.email and not any(r.email == office.email for r in found):
        found.append(
            Recipient(
                name=office.name_ar,
                email=office.email,
                language=settings.LANGUAGE_CODE,
                channels=(Channel.EMAIL,),
            )
        )
    return found


def _tell_office(
    office: Office, template: str, contact_request=None, heads_only=False, **extra
):
    for recipient in _staff_recipients(office, heads_only=heads_only):
        notification_send(
            template=f"contact/{template}",
            recipient=recipient,
            context={"request": contact_request, "office": office, **extra},
            about=contact_request or office,
            about_label=contact_request.reference if contact_request else str(office),
            institute=office.institute,
            hospital=office.hospital,
        )


def _event(contact_request, kind, *, actor=None, internal=False, **fields):
    return ContactRequestEvent.objects.create(
        request=contact_request,
        kind=kind,
        status=contact_request.status,
        actor=actor,
        internal=internal,
        at=timezone.now(),
        **fields,
    )


# --- Intake --------------------------------------------------------------------------


@transaction.atomic
def contact_request_submit(
    *,
    kind: str,
    subject: str,
    message: str,
    institute: Institute | None = None,
    hospital: Hospital | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
    language: str = "ar",
    topic: Topic | None = None,
    channel: str = ContactChannel.WEB,
    taken_by=None,
    raised_by=None,
    confidential: bool = False,
    notify_email: bool = True,
    notify_sms: bool = True,
) -> ContactRequest:
    """Record a request with a fresh reference, route it to its office with a deadline,
    tell the requester the reference and the office of its new request."""
    # Shown to agents and offices: no bidi override or invisible character.
    errors = {}
    for field_name, value, multiline in (
        ("subject", subject, False),
        ("message", message, True),
        ("name", name, False),
        ("phone", phone, False),
        ("email", email, False),
    ):
        problem = hidden_characters_problem(value, multiline=multiline)
        if problem is not None:
            errors[field_name] = problem
    if errors:
        raise ValidationError(errors)
    contact_request = ContactRequest(
        kind=kind,
        channel=channel,
        topic=topic,
        subject=subject.strip(),
        message=message.strip(),
        institute=institute,
        hospital=hospital,
        name=name.strip(),
        phone=phone.strip(),
        phone_digits=phone_digits(phone),
        email=email.strip(),
        language=language,
        consent_at=timezone.now(),
        status=ContactStatus.NEW,
        taken_by=taken_by,
        raised_by=raised_by,
        confidential=confidential,
        notify_email=notify_email,
        notify_sms=notify_sms,
    )
    office = office_for_request(
        topic=topic, institute=institute, hospital=hospital, confidential=confidential
    )
    for _attempt in range(5):
        contact_request.reference = new_reference()
        contact_request.full_clean()
        try:
            with transaction.atomic():
                contact_request.save()
            break
        except IntegrityError:
            # A reference collision (one in ~10^12): draw another.
            contact_request.pk = None
            continue
    else:  # pragma: no cover
        raise RuntimeError("Could not draw a unique reference number.")
    _event(contact_request, EventKind.STATUS, actor=taken_by)
    contact_request.office = office
    contact_request.status = ContactStatus.ASSIGNED
    contact_request.due_at = due_for(
        kind=kind, topic=topic, start=contact_request.created_at
    )
    contact_request.save(update_fields=["office", "status", "due_at", "updated_at"])
    figures_track(None, contact_request)
    _event(contact_request, EventKind.ROUTED, office=office, internal=True)
    _tell_requester(contact_request, "received")
    _tell_office(office, "assigned", contact_request)
    return contact_request


# --- Handling ------------------------------------------------------------------------


def _lock(contact_request: ContactRequest) -> ContactRequest:
    # No join: PostgreSQL cannot lock the nullable side of an outer join.
    return ContactRequest.objects.select_for_update().get(pk=contact_request.pk)


def _check_can_handle(user, contact_request) -> None:
    if user is not None and not access.can(user, "change", contact_request):
        raise PermissionDenied(_("You can only handle requests of your own office."))


def _refresh(target: ContactRequest, source: ContactRequest) -> ContactRequest:
    for f in ContactRequest._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    target._state.fields_cache = {}
    return target


@transaction.atomic
def contact_request_route(
    *, contact_request: ContactRequest, office: Office, reason: str, actor
) -> ContactRequest:
    """Send a request to another office with a reason (kept, internal); the receiving
    office sees it at once and is told."""
    _check_can_handle(actor, contact_request)
    locked = _lock(contact_request)
    before = footprint(locked)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the request goes to another office.")}
        )
    if locked.office_id == office.pk:
        raise ValidationError({"office": _("The request is already with this office.")})
    if not office.active:
        raise ValidationError({"office": _("This office no longer takes requests.")})
    if locked.status in DONE_STATUSES:
        raise ValidationError(
            _("An answered or closed request is not routed; reopen it first.")
        )
    locked.office = office
    locked.assigned_to = None
    locked.escalation_level = 0
    locked.escalated_at = None
    locked.status = ContactStatus.ASSIGNED
    locked.full_clean()
    locked.save()
    figures_track(before, locked)
    _event(
        locked, EventKind.ROUTED, actor=actor, office=office, note=reason, internal=True
    )
    _tell_office(office, "assigned", locked, reason=reason)
    return _refresh(contact_request, locked)


@transaction.atomic
def contact_request_assign(
    *, contact_request: ContactRequest, assignee, actor
) -> ContactRequest:
    """Give the request to one person of its office (or take it back: `None`)."""
    _check_can_handle(actor, contact_request)
    locked = _lock(contact_request)
    before = footprint(locked)
    if assignee is not None and not access.can(assignee, "change", locked):
        raise ValidationError(
            {"assigned_to": _("This person does not work in the request's office.")}
        )
    if locked.assigned_to_id == getattr(assignee, "pk", None):
        return _refresh(contact_request, locked)
    locked.assigned_to = assignee
    if locked.status == ContactStatus.NEW:
        locked.status = ContactStatus.ASSIGNED
    locked.save()
    figures_track(before, locked)
    _event(locked, EventKind.ASSIGNED, actor=actor, assigned_to=assignee, internal=True)
    if assignee is not None and assignee.email and assignee != actor:
        notification_send(
            template="contact/assigned",
            recipient=Recipient(
                name=assignee.get_full_name(),
                email=assignee.email,
                language=settings.LANGUAGE_CODE,
                channels=(Channel.EMAIL,),
                user=assignee,
            ),
            context={"request": locked, "office": locked.office},
            about=locked,
            about_label=locked.reference,
            institute=locked.office.institute,
            hospital=locked.office.hospital,
        )
    return _refresh(contact_request, locked)


@transaction.atomic
def contact_request_set_status(
    *, contact_request: ContactRequest, status: str, actor, note: str = ""
) -> ContactRequest:
    """Move a request along (in progress, needs information, closed); the requester is
    told of the changes that concern them, with the note when it is for them."""
    _check_can_handle(actor, contact_request)
    locked = _lock(contact_request)
    before = footprint(locked)
    note = (note or "").strip()
    allowed = STAFF_TRANSITIONS.get(locked.status, set())
    if status not in allowed:
        raise ValidationError(
            {
                "status": _("A request that is “%(from)s” cannot become “%(to)s”.")
                % {
                    "from": ContactStatus(locked.status).label,
                    "to": ContactStatus(status).label,
                }
            }
        )
    if status == ContactStatus.NEEDS_INFO and not note:
        raise ValidationError(
            {"note": _("Write what you need from the requester: they will read it.")}
        )
    if status == ContactStatus.CLOSED and not locked.answer and not note:
        raise ValidationError(
            {"note": _("Say why the request is closed without an answer.")}
        )
    locked.status = status
    if status == ContactStatus.CLOSED:
        locked.closed_at = timezone.now()
    locked.full_clean()
    locked.save()
    figures_track(before, locked)
    told = status in TOLD_STATUSES
    _event(locked, EventKind.STATUS, actor=actor, note=note, internal=not told)
    if told:
        _tell_requester(locked, f"status_{status}", note=note)
    return _refresh(contact_request, locked)


@transaction.atomic
def contact_request_answer(
    *, contact_request: ContactRequest, answer: str, actor
) -> ContactRequest:
    """Answer the requester: shown on the follow page and sent to them, with the
    one-question rating."""
    _check_can_handle(actor, contact_request)
    locked = _lock(contact_request)
    before = footprint(locked)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer before sending it.")})
    if locked.status == ContactStatus.CLOSED:
        raise ValidationError(_("The request is closed; it can no longer be answered."))
    locked.answer = answer
    locked.status = ContactStatus.ANSWERED
    locked.answered_at = timezone.now()
    # Kept so that the median time to answer is one grouped query at any volume.
    locked.hours_to_answer = int(
        (locked.answered_at - locked.created_at).total_seconds() // 3600
    )
    locked.full_clean()
    locked.save()
    figures_track(before, locked)
    _event(locked, EventKind.ANSWER, actor=actor, answer=answer)
    _tell_requester(locked, "answered")
    return _refresh(contact_request, locked)


@transaction.atomic
def contact_request_note(
    *, contact_request: ContactRequest, note: str, actor
) -> ContactRequestEvent:
    """An internal note: kept in the history, never shown to the requester."""
    _check_can_handle(actor, contact_request)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write the note.")})
    return _event(
        contact_request, EventKind.NOTE, actor=actor, note=note, internal=True
    )


@transaction.atomic
def contact_request_merge(
    *, duplicate: ContactRequest, original: ContactRequest, actor
) -> ContactRequest:
    """Close `duplicate` as a copy of `original` (both must be visible to the actor)."""
    _check_can_handle(actor, duplicate)
    _check_can_handle(actor, original)
    if duplicate.pk == original.pk or original.merged_into_id:
        raise ValidationError(_("Choose another request to merge into."))
    locked = _lock(duplicate)
    before = footprint(locked)
    locked.merged_into = original
    locked.status = ContactStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save()
    figures_track(before, locked)
    _event(
        locked,
        EventKind.MERGED,
        actor=actor,
        note=_("Same matter as %(reference)s.") % {"reference": original.reference},
    )
    return _refresh(duplicate, locked)


# --- The requester's side --------------------------------------------------------------


def reopen_days() -> int:
    return _setting("CONTACT_REOPEN_DAYS", 14)


def may_reopen(contact_request: ContactRequest, now=None) -> bool:
    now = now or timezone.now()
    return bool(
        contact_request.status in DONE_STATUSES
        and contact_request.answered_at
        and not contact_request.merged_into_id
        and not contact_request.anonymised_at
        and now - contact_request.answered_at <= datetime.timedelta(days=reopen_days())
    )


@transaction.atomic
def contact_request_reopen(
    *, contact_request: ContactRequest, reason: str
) -> ContactRequest:
    """The requester says the answer did not settle it, within `CONTACT_REOPEN_DAYS`
    of the answer; the office is told and a new deadline runs."""
    locked = _lock(contact_request)
    before = footprint(locked)
    reason = (reason or "").strip()
    if not may_reopen(locked):
        raise ValidationError(
            _(
                "This request can no longer be reopened. Please send a new request "
                "and mention the reference %(reference)s."
            )
            % {"reference": locked.reference}
        )
    if not reason:
        raise ValidationError({"reason": _("Tell us what is still not resolved.")})
    now = timezone.now()
    locked.status = ContactStatus.REOPENED
    locked.closed_at = None
    locked.due_at = due_for(kind=locked.kind, topic=locked.topic, start=now)
    locked.escalation_level = 0
    locked.escalated_at = None
    locked.save()
    figures_track(before, locked)
    _event(locked, EventKind.REOPENED, note=reason)
    _tell_office(locked.office, "reopened", locked, reason=reason)
    return _refresh(contact_request, locked)


@transaction.atomic
def contact_request_rate(
    *, contact_request: ContactRequest, resolution: str
) -> ContactRequest:
    """The requester's one answer: did the reply resolve the issue? (once)."""
    locked = _lock(contact_request)
    before = footprint(locked)
    if resolution not in Resolution.values:
        raise ValidationError({"resolution": _("Choose one of the answers.")})
    if not locked.answered_at:
        raise ValidationError(_("You can rate the answer once you have received it."))
    if locked.resolution:
        raise ValidationError(_("Thank you: this answer has already been rated."))
    locked.resolution = resolution
    locked.rated_at = timezone.now()
    locked.full_clean()
    locked.save()
    figures_track(before, locked)
    _event(locked, EventKind.RATED, note=Resolution(resolution).label)
    return _refresh(contact_request, locked)


# --- Deadlines, escalation, digest, retention ----------------------------------------


def escalate_to_authority_after() -> int:
    """Working days between the head's escalation (the deadline) and the authority's."""
    return _setting("CONTACT_ESCALATE_AUTHORITY_AFTER_DAYS", 2)


def contact_requests_escalate(*, now: datetime.datetime | None = None) -> int:
    """Escalate overdue open requests: to the office's head when the deadline passes,
    then to the authority's office `CONTACT_ESCALATE_AUTHORITY_AFTER_DAYS` working
    days later.
    Each step happens once per request (its level is kept). Returns the steps taken."""
    now = now or timezone.now()
    steps = 0
    holidays = frozenset(PublicHoliday.objects.values_list("date", flat=True))
    overdue = ContactRequest.objects.filter(
        status__in=OPEN_STATUSES, due_at__lt=now, escalation_level__lt=2
    ).values_list("pk", flat=True)
    for pk in list(overdue[:5000]):
        with transaction.atomic():
            locked = ContactRequest.objects.select_for_update().get(pk=pk)
            if locked.status not in OPEN_STATUSES or locked.due_at >= now:
                continue
            if locked.escalation_level == 0:
                level, target = 1, locked.office
            elif now >= add_working_time(
                locked.due_at, days=escalate_to_authority_after(), holidays=holidays
            ):
                level, target = 2, authority_office()
            else:
                continue
            locked.escalation_level = level
            locked.escalated_at = now
            locked.save(
                update_fields=["escalation_level", "escalated_at", "updated_at"]
            )
            _event(
                locked,
                EventKind.ESCALATED,
                office=target,
                internal=True,
                note=_("Overdue since %(due)s")
                % {"due": timezone.localtime(locked.due_at).strftime("%Y-%m-%d %H:%M")},
            )
            _tell_office(
                target,
                "escalated",
                locked,
                heads_only=(level == 1),
                level=level,
            )
            steps += 1
    return steps


def contact_digest_send(*, now: datetime.datetime | None = None) -> int:
    """One e-mail per office with open requests: open, overdue, received in the last
    day. Returns the number of offices told."""
    now = now or timezone.now()
    rows = (
        ContactRequest.objects.filter(status__in=OPEN_STATUSES, office__isnull=False)
        .values("office")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
            new=Count("pk", filter=Q(created_at__gte=now - datetime.timedelta(days=1))),
        )
        .order_by()
    )
    offices = Office.objects.in_bulk([row["office"] for row in rows])
    told = 0
    for row in rows:
        office = offices[row["office"]]
        with transaction.atomic():
            _tell_office(
                office,
                "digest",
                None,
                open=row["open"],
                overdue=row["overdue"],
                new=row["new"],
                day=timezone.localdate(now),
            )
        told += 1
    return told


ANONYMISED = "—"


def retention_days() -> int:
    return _setting("CONTACT_RETENTION_DAYS", 730)


def contact_requests_anonymise(*, now: datetime.datetime | None = None) -> int:
    """Remove the personal data of requests closed more than `CONTACT_RETENTION_DAYS`
    ago (default two years): the requester's name, contacts and words, the notes and
    the messages sent about it. Kind, topic, office, dates and rating stay for the
    figures. Returns how many requests were anonymised."""
    from django.contrib.contenttypes.models import ContentType

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    ids = list(
        ContactRequest.objects.filter(
            status=ContactStatus.CLOSED,
            closed_at__lt=cutoff,
            anonymised_at__isnull=True,
        ).values_list("pk", flat=True)[:10000]
    )
    if not ids:
        return 0
    content_type = ContentType.objects.get_for_model(ContactRequest)
    with transaction.atomic():
        ContactRequest.objects.filter(pk__in=ids).update(
            name="",
            phone="",
            phone_digits="",
            email="",
            subject=ANONYMISED,
            message=ANONYMISED,
            answer="",
            anonymised_at=now,
        )
        ContactRequestEvent.objects.filter(request_id__in=ids).update(
            note="", answer=""
        )
        Notification.objects.filter(about_type=content_type, about_id__in=ids).update(
            recipient_name="", address=ANONYMISED, subject="", body=ANONYMISED
        )
    return len(ids)
