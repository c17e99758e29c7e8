"""Writes of the contact centre: a visitor's submission and the back office's handling."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from institutes.models import Hospital, Institute
from institutes.plain_text import hidden_characters_problem

from .models import ContactRequest, ContactRequestEvent, ContactStatus

# No 0/O, 1/I/L: the visitor may read the reference over the phone.
_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """A random, unguessable reference such as `CC-7KQ4-M2XW`."""
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"CC-{chars[:4]}-{chars[4:]}"


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
) -> ContactRequest:
    """Record a visitor's request with a fresh reference number and its first event."""
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
        subject=subject.strip(),
        message=message.strip(),
        institute=institute,
        hospital=hospital,
        name=name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        language=language,
        consent_at=timezone.now(),
        status=ContactStatus.NEW,
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
    ContactRequestEvent.objects.create(
        request=contact_request, status=ContactStatus.NEW
    )
    return contact_request


@transaction.atomic
def contact_request_update(
    *,
    contact_request: ContactRequest,
    status: str,
    assigned_to=None,
    answer: str = "",
    actor=None,
) -> ContactRequest:
    """Change status, assignee or answer, keeping the previous state in the history.

    Assigning someone to a new request moves it to "being handled"; answering stamps
    `answered_at`, closing stamps `closed_at`.
    """
    locked = ContactRequest.objects.select_for_update().get(pk=contact_request.pk)
    answer = (answer or "").strip()
    if status == ContactStatus.NEW and assigned_to is not None:
        status = ContactStatus.ASSIGNED
    changed = (
        locked.status != status
        or locked.assigned_to_id != getattr(assigned_to, "pk", None)
        or locked.answer != answer
    )
    contact_request.status = status
    contact_request.assigned_to = assigned_to
    contact_request.answer = answer
    now = timezone.now()
    if status == ContactStatus.ANSWERED and locked.answer != answer:
        contact_request.answered_at = now
    if status == ContactStatus.CLOSED and locked.status != ContactStatus.CLOSED:
        contact_request.closed_at = now
    contact_request.full_clean()
    contact_request.save()
    if changed:
        ContactRequestEvent.objects.create(
            request=contact_request,
            status=status,
            assigned_to=assigned_to,
            answer=answer if answer != locked.answer else "",
            actor=actor,
            at=now,
        )
    return contact_request
