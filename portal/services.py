"""The portal's writes: sign-in codes, accounts, and the person's own actions.

Every action a person takes about their records goes through the owning app's
service (`hours_record`, `registration_create`, `registration_cancel`,
`contact_request_submit`), signed by the person's portal user, so the rules of the
back office (four eyes, capacity, waitlist, overlap, cut-off, routing) hold here too.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from institutes.identity import document_key
from institutes.models import IdentityDocument, Person
from institutes.national_id import clean_national_id_input
from institutes.ratelimit import over_limit
from notifications.models import Channel
from notifications.services import Recipient, notification_send

from .models import EventKind, PortalAccount, PortalEvent, SignInCode

CODE_DIGITS = 6


def code_minutes() -> int:
    return int(getattr(settings, "PORTAL_CODE_MINUTES", 10))


def code_max_attempts() -> int:
    return int(getattr(settings, "PORTAL_CODE_MAX_ATTEMPTS", 5))


def codes_per_person_per_hour() -> int:
    return int(getattr(settings, "PORTAL_CODES_PER_PERSON_PER_HOUR", 3))


def _digest(code: str, salt: str) -> str:
    key = f"portal-sign-in:{settings.SECRET_KEY}".encode()
    return hmac.new(key, f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def event_record(
    *, kind: str, person: Person | None = None, client: str = "", detail: str = ""
) -> PortalEvent:
    """Log one portal event (sign-in attempts, downloads, bookings ...)."""
    return PortalEvent.objects.create(
        person=person, kind=kind, client=client[:64], detail=detail[:200]
    )


def _masked(number: str) -> str:
    """What the log keeps of a typed number: its length and last two characters."""
    return f"…{number[-2:]} ({len(number)})" if number else ""


def person_by_document(*, document_type: str, country: str, number: str):
    """The person holding this document, if they have a student or staff record."""
    key = document_key(document_type, country, number)
    if not key[2]:
        return None
    document = (
        IdentityDocument.objects.select_related("person")
        .filter(document_type=key[0], country=key[1], number=key[2])
        .first()
    )
    if document is None:
        return None
    person = document.person
    from students.models import Student
    from training.models import StaffMember

    if not (
        Student.objects.filter(person=person).exists()
        or StaffMember.objects.filter(person=person, is_active=True).exists()
    ):
        return None
    return person


def _recipient(person: Person, language: str) -> Recipient:
    # One channel: SMS to the person's phone when they have one, else e-mail.
    phone = person.phone.strip()
    email = person.email.strip()
    if not phone and not email:
        from training.models import StaffMember

        staff = (
            StaffMember.objects.filter(person=person, is_active=True)
            .exclude(phone="", email="")
            .first()
        )
        if staff is not None:
            phone, email = staff.phone.strip(), staff.email.strip()
    channels = (Channel.SMS,) if phone else (Channel.EMAIL,)
    return Recipient(
        name=person.name, phone=phone, email=email, language=language, channels=channels
    )


@transaction.atomic
def sign_in_code_send(
    *, document_type: str, country: str, number: str, client: str, language: str
) -> SignInCode | None:
    """Send a fresh code to the person holding the document; None when the number
    matches nobody who may use the portal, or they asked too often.

    The caller answers the same way in every case, so the door does not tell whether
    a number is known. Earlier unused codes of the person stop working.
    """
    person = person_by_document(
        document_type=document_type, country=country, number=number
    )
    if person is None:
        event_record(
            kind=EventKind.CODE_REQUESTED,
            client=client,
            detail=_masked(clean_national_id_input(number)),
        )
        return None
    now = timezone.now()
    recent = SignInCode.objects.filter(
        person=person, created_at__gte=now - datetime.timedelta(hours=1)
    ).count()
    if recent >= codes_per_person_per_hour():
        event_record(kind=EventKind.RATE_LIMITED, person=person, client=client)
        return None
    SignInCode.objects.filter(person=person, used_at__isnull=True).update(
        expires_at=now
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(8)
    row = SignInCode.objects.create(
        person=person,
        digest=_digest(code, salt),
        salt=salt,
        expires_at=now + datetime.timedelta(minutes=code_minutes()),
    )
    notification_send(
        template="portal/sign_in_code",
        recipient=_recipient(person, language),
        context={"code": code, "minutes": code_minutes()},
    )
    event_record(kind=EventKind.CODE_REQUESTED, person=person, client=client)
    return row


@dataclass(frozen=True)
class SignInOutcome:
    """What checking a typed code gave: `person` when it was right, else a reason
    ("wrong", "expired", "locked") and how many tries are left."""

    person: Person | None = None
    reason: str = ""
    tries_left: int = 0


def normalise_code(typed: str) -> str:
    return clean_national_id_input(typed or "")[:12]


def sign_in_code_check(
    *, code_id: int | None, typed: str, client: str
) -> SignInOutcome:
    """Check a typed code against the code sent; every attempt is logged.

    Wrong tries count on the code row (kept even when the answer is a refusal); at
    `PORTAL_CODE_MAX_ATTEMPTS` the code is locked and a new one must be asked for.
    """
    now = timezone.now()
    limit = code_max_attempts()
    with transaction.atomic():
        code = (
            SignInCode.objects.select_for_update()
            .select_related("person")
            .filter(pk=code_id)
            .first()
            if code_id
            else None
        )
        if code is None or code.used_at is not None:
            return SignInOutcome(reason="expired")
        if code.attempts >= limit:
            event_record(kind=EventKind.LOCKED, person=code.person, client=client)
            return SignInOutcome(reason="locked")
        if now >= code.expires_at:
            event_record(kind=EventKind.CODE_EXPIRED, person=code.person, client=client)
            return SignInOutcome(reason="expired")
        typed = normalise_code(typed)
        if not constant_time_compare(_digest(typed, code.salt), code.digest):
            code.attempts += 1
            code.save(update_fields=["attempts"])
            locked = code.attempts >= limit
            event_record(
                kind=EventKind.LOCKED if locked else EventKind.WRONG_CODE,
                person=code.person,
                client=client,
            )
            return SignInOutcome(
                reason="locked" if locked else "wrong", tries_left=limit - code.attempts
            )
        code.used_at = now
        code.save(update_fields=["used_at"])
        portal_account_for(code.person)
        event_record(kind=EventKind.SIGNED_IN, person=code.person, client=client)
        return SignInOutcome(person=code.person)


# --- The optional password ---------------------------------------------------------


def _password_subject(key: tuple[str, str, str]) -> str:
    # The typed document, not the person: a number nobody holds is counted and
    # locked exactly like a real one, so the answers say nothing about the number.
    return hashlib.sha256("|".join(key).encode()).hexdigest()[:40]


def _password_locked(subject: str, *, count: bool = False) -> bool:
    """The code's limits, reused: `PORTAL_CODE_MAX_ATTEMPTS` wrong passwords for one
    document number within `PORTAL_CODE_MINUTES` (from the first) lock password
    sign-in for that number until those minutes are over (`institutes.ratelimit`, the
    shared cache, so every app server counts against one total)."""
    return over_limit(
        None,
        scope="portal-password",
        subject=subject,
        limit=code_max_attempts(),
        window=60 * code_minutes(),
        count=count,
    )


def sign_in_password_check(
    *, document_type: str, country: str, number: str, password: str, client: str
) -> SignInOutcome:
    """Check a document number and the person's portal password; every attempt is
    logged. Refused ("wrong", or "locked" after too many wrong passwords for that
    number) in the same way whether the number is unknown, belongs to someone
    without a password, or the password is wrong."""
    key = document_key(document_type, country, number)
    subject = _password_subject(key)
    person = person_by_document(
        document_type=document_type, country=country, number=number
    )
    detail = "" if person else _masked(key[2])
    if _password_locked(subject):
        event_record(
            kind=EventKind.PASSWORD_LOCKED, person=person, client=client, detail=detail
        )
        return SignInOutcome(reason="locked")
    account = PortalAccount.objects.filter(person=person).first() if person else None
    if account is not None and account.password:

        def rehash(raw: str) -> None:  # the hasher's settings changed
            account.password = make_password(raw)
            account.save(update_fields=["password"])

        right = check_password(password, account.password, setter=rehash)
    else:
        # The same work as a real check, so the time of the answer says nothing.
        make_password(password)
        right = False
    if right:
        event_record(
            kind=EventKind.SIGNED_IN_WITH_PASSWORD, person=person, client=client
        )
        return SignInOutcome(person=person)
    _password_locked(subject, count=True)
    locked = _password_locked(subject)
    event_record(
        kind=EventKind.PASSWORD_LOCKED if locked else EventKind.WRONG_PASSWORD,
        person=person,
        client=client,
        detail=detail,
    )
    return SignInOutcome(reason="locked" if locked else "wrong")


@transaction.atomic
def password_set(*, account: PortalAccount, password: str, client: str = ""):
    """Give the person a portal password (or a new one), checked by Django's
    password validators (`AUTH_PASSWORD_VALIDATORS`). It opens the portal only: it
    is kept on the account, never on the signing user."""
    validate_password(password, user=account.user)
    account.password = make_password(password)
    account.save(update_fields=["password"])
    event_record(kind=EventKind.PASSWORD_SET, person=account.person, client=client)
    return account


@transaction.atomic
def password_remove(*, account: PortalAccount, client: str = ""):
    """Remove the person's portal password: they sign in with a code only."""
    if not account.password:
        return account
    account.password = ""
    account.save(update_fields=["password"])
    event_record(kind=EventKind.PASSWORD_REMOVED, person=account.person, client=client)
    return account


@transaction.atomic
def portal_account_for(person: Person) -> PortalAccount:
    """The person's portal account, made on first use with its signing user.

    The user is inactive, has no usable password and no role: it only signs what
    the person enters, so supervisors see who entered hours and four eyes holds.
    """
    account = PortalAccount.objects.filter(person=person).select_related("user").first()
    if account is not None:
        return account
    User = get_user_model()
    user = User(
        username=f"portal.{person.pk}",
        first_name=person.name[:150],
        is_active=False,
        is_staff=False,
        is_superuser=False,
    )
    user.set_unusable_password()
    user.save()
    return PortalAccount.objects.create(
        person=person, user=user, feed_token=secrets.token_urlsafe(32)
    )


@transaction.atomic
def feed_token_reset(*, account: PortalAccount, client: str = "") -> PortalAccount:
    """A new secret for the person's calendar feed; the old address stops working."""
    account.feed_token = secrets.token_urlsafe(32)
    account.save(update_fields=["feed_token"])
    event_record(kind=EventKind.FEED_RESET, person=account.person, client=client)
    return account


# --- Students --------------------------------------------------------------------


@transaction.atomic
def student_hours_enter(*, account: PortalAccount, day, hours, client: str = ""):
    """A student's own hours for one of their placement days, awaiting their
    supervisor's approval (`hours_record`, signed by the student's portal user, so
    the four-eyes rule keeps them from approving themselves)."""
    from training.models import ClinicalHours, HoursStatus
    from training.placements.services.records import hours_record

    if day.student.person_id != account.person_id:
        raise ValidationError(_("This is not one of your placement days."))
    current = (
        ClinicalHours.objects.filter(day=day)
        .exclude(status=HoursStatus.SUPERSEDED)
        .first()
    )
    if current is not None:
        if current.status == HoursStatus.APPROVED:
            raise ValidationError(
                _(
                    "These hours are approved. Ask your supervisor if they need "
                    "a correction."
                )
            )
        if (
            current.status == HoursStatus.PENDING
            and current.entered_by_id != account.user_id
        ):
            raise ValidationError(
                _("Your supervisor has already entered hours for this day.")
            )
    entry = hours_record(
        placement=day.placement, date=day.date, hours=hours, by=account.user
    )
    event_record(
        kind=EventKind.HOURS_ENTERED,
        person=account.person,
        client=client,
        detail=f"{day.date.isoformat()} {entry.hours}",
    )
    return entry


# --- Staff -----------------------------------------------------------------------


@transaction.atomic
def staff_session_book(*, account: PortalAccount, session, client: str = ""):
    """Book the person on a session at their hospital through the back office's
    registration service (capacity, waitlist, overlap and cut-off rules)."""
    from training.models import StaffMember
    from training.staff.services import registration_create

    staff = StaffMember.objects.filter(
        person_id=account.person_id, hospital_id=session.hospital_id, is_active=True
    ).first()
    if staff is None:
        raise ValidationError(_("This session is at a hospital you do not work at."))
    registration = registration_create(
        session=session, staff=staff, registered_by=account.user
    )
    event_record(
        kind=EventKind.SESSION_BOOKED,
        person=account.person,
        client=client,
        detail=str(session.pk),
    )
    return registration


@transaction.atomic
def staff_booking_cancel(*, account: PortalAccount, registration, client: str = ""):
    """Cancel one of the person's bookings before the session starts; the waitlist
    moves up (`registration_cancel`)."""
    from training.staff.services import registration_cancel

    if registration.person_id != account.person_id:
        raise ValidationError(_("This is not one of your bookings."))
    if registration.session.starts_at <= timezone.now():
        raise ValidationError(
            _("This session has started; a booking cannot be cancelled now.")
        )
    promoted = registration_cancel(registration=registration, cancelled_by=account.user)
    event_record(
        kind=EventKind.BOOKING_CANCELLED,
        person=account.person,
        client=client,
        detail=str(registration.session_id),
    )
    return promoted


# --- Corrections -----------------------------------------------------------------


@transaction.atomic
def correction_request(
    *, account: PortalAccount, subject: str, message: str, about: str, language: str
):
    """Ask for a correction of one's record: a contact-centre request routed to the
    office of the student's institute or the staff member's hospital."""
    from contact.models import ContactKind
    from contact.services import contact_request_submit

    person = account.person
    institute = hospital = None
    if about == "student":
        from students.models import Student

        student = (
            Student.objects.select_related("cohort__institute")
            .filter(person=person)
            .first()
        )
        institute = student.cohort.institute if student else None
    else:
        from training.models import StaffMember

        staff = (
            StaffMember.objects.filter(person=person, is_active=True)
            .select_related("hospital")
            .first()
        )
        hospital = staff.hospital if staff else None
    if institute is None and hospital is None:
        raise ValidationError(_("There is no record of yours to correct here."))
    request = contact_request_submit(
        kind=ContactKind.INQUIRY,
        subject=subject,
        message=message,
        institute=institute,
        hospital=hospital,
        name=person.name,
        phone=person.phone,
        email=person.email,
        language=language,
    )
    event_record(
        kind=EventKind.CORRECTION_REQUESTED,
        person=person,
        detail=request.reference,
    )
    return request
