"""Queue, render and deliver messages (e-mail and SMS), keeping a record of each.

Callers describe *who* and *what* (`Recipient`, a template name, a context); this
module picks the channels the person gave and chose, renders the template in their
language, writes one `Notification` per channel and hands it to the background task
once the caller's transaction commits. Delivery failures are retried with a growing
delay up to `NOTIFICATIONS_MAX_ATTEMPTS`, then marked failed.

Templates live at `notifications/<template>/<language>/subject.txt`, `email.txt` and
`sms.txt` in any app's templates folder; a language without its own falls back to
the site's default language.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Channel, DeliveryStatus, Notification
from .sms import get_sms_backend

DEFAULT_MAX_ATTEMPTS = 5
# Delay before attempt n+1 (minutes): 1, 5, 25, 125 ...
BACKOFF_BASE_MINUTES = 5


@dataclass(frozen=True)
class Recipient:
    """A person to tell and how: the channels they gave an address for and chose."""

    name: str = ""
    email: str = ""
    phone: str = ""
    language: str = ""
    channels: tuple[str, ...] = (Channel.EMAIL, Channel.SMS)
    user: object = field(default=None, compare=False)

    def addresses(self) -> list[tuple[str, str]]:
        """(channel, address) for each chosen channel the person gave an address for."""
        found = []
        if Channel.EMAIL in self.channels and self.email.strip():
            found.append((Channel.EMAIL, self.email.strip()))
        if Channel.SMS in self.channels and self.phone.strip():
            found.append((Channel.SMS, self.phone.strip()))
        return found


def max_attempts() -> int:
    return getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)


def _language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _render(template: str, part: str, language: str, context: dict) -> str:
    for lang in dict.fromkeys([language, settings.LANGUAGE_CODE]):
        try:
            with translation.override(lang):
                return render_to_string(
                    f"notifications/{template}/{lang}/{part}.txt", context
                ).strip()
        except TemplateDoesNotExist:
            continue
    raise TemplateDoesNotExist(f"notifications/{template}/{language}/{part}.txt")


def render_message(
    *, template: str, channel: str, language: str, context: dict
) -> tuple[str, str]:
    """(subject, body) of a message in `language` for `channel`."""
    language = _language(language)
    if channel == Channel.SMS:
        return "", _render(template, "sms", language, context)
    subject = " ".join(_render(template, "subject", language, context).split())
    return subject[:200], _render(template, "email", language, context)


def notification_send(
    *,
    template: str,
    recipient: Recipient,
    context: dict,
    about: models.Model | None = None,
    about_label: str = "",
    institute=None,
    hospital=None,
) -> list[Notification]:
    """Queue a message to `recipient` by each channel they gave and chose.

    Returns the `Notification` rows written (none when the person gave no address
    for a channel they chose). Delivery starts after the current transaction commits.
    """
    language = _language(recipient.language)
    about_type = ContentType.objects.get_for_model(about) if about is not None else None
    made = []
    for channel, address in recipient.addresses():
        subject, body = render_message(
            template=template, channel=channel, language=language, context=context
        )
        notification = Notification.objects.create(
            template=template,
            language=language,
            channel=channel,
            recipient_name=recipient.name[:200],
            address=address[:254],
            recipient_user=recipient.user,
            subject=subject,
            body=body,
            about_type=about_type,
            about_id=about.pk if about is not None else None,
            about_label=(about_label or (str(about) if about is not None else ""))[
                :100
            ],
            institute=institute,
            hospital=hospital,
            next_attempt_at=timezone.now(),
        )
        made.append(notification)
    if made:
        ids = [n.pk for n in made]
        transaction.on_commit(lambda: _enqueue(ids))
    return made


def _enqueue(ids: list[int], run_after: datetime.datetime | None = None) -> None:
    from .tasks import deliver_notification

    for pk in ids:
        if run_after is not None:
            deliver_notification.using(run_after=run_after).enqueue(pk)
        else:
            deliver_notification.enqueue(pk)


def _transmit(notification: Notification) -> None:
    if notification.channel == Channel.SMS:
        get_sms_backend().send(to=notification.address, text=notification.body)
    else:
        EmailMessage(
            subject=notification.subject,
            body=notification.body,
            to=[notification.address],
        ).send()


def notification_deliver(*, notification_id: int) -> Notification | None:
    """Try to deliver one queued message now; record success or the failure.

    A failure before the last attempt leaves it queued with `next_attempt_at` set
    (and schedules the task again when the task backend can defer); the last failure
    marks it failed. Never raises for a delivery error: the record is the outcome.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=notification_id, status=DeliveryStatus.QUEUED)
            .first()
        )
        if notification is None:
            return None  # already sent, failed for good, or gone
        notification.attempts += 1
        try:
            _transmit(notification)
        except Exception as exc:  # noqa: BLE001 - any provider error is retried
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if notification.attempts >= max_attempts():
                notification.status = DeliveryStatus.FAILED
                notification.next_attempt_at = None
            else:
                delay = BACKOFF_BASE_MINUTES ** (notification.attempts - 1)
                notification.next_attempt_at = timezone.now() + datetime.timedelta(
                    minutes=delay
                )
        else:
            notification.status = DeliveryStatus.SENT
            notification.sent_at = timezone.now()
            notification.next_attempt_at = None
            notification.last_error = ""
        notification.save()
    if notification.status == DeliveryStatus.QUEUED:
        from django_tasks import default_task_backend

        if default_task_backend.supports_defer:
            run_after = notification.next_attempt_at
            transaction.on_commit(lambda: _enqueue([notification.pk], run_after))
    return notification


def notifications_retry_due(*, now: datetime.datetime | None = None) -> int:
    """Deliver every queued message whose next attempt is due (the safety net that
    also covers task backends that cannot defer). Returns how many were tried."""
    now = now or timezone.now()
    due = list(
        Notification.objects.filter(
            status=DeliveryStatus.QUEUED, next_attempt_at__lte=now
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in due:
        notification_deliver(notification_id=pk)
    return len(due)


def notifications_about(obj: models.Model):
    """The messages sent about one record, oldest first."""
    return Notification.objects.filter(
        about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk
    ).order_by("created_at", "pk")


#: Where `notifications_kept_in_outbox` sends messages: memory, not a person.
OUTBOX_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
OUTBOX_SMS_BACKEND = "notifications.sms.LocmemBackend"


@dataclass
class OutboxSummary:
    """What `notifications_kept_in_outbox` wrote: messages made, and of those sent."""

    made: int = 0
    sent: int = 0


@contextmanager
def notifications_kept_in_outbox() -> Iterator[OutboxSummary]:
    """Messages written inside are recorded and delivered as usual, but to in-memory
    outboxes instead of the configured e-mail and SMS backends; those still queued
    at the end are delivered the same way. For made-up data (the demo): its
    addresses belong to nobody, and development's console backends would print
    every body. The messages stay readable in Settings → Messages sent.
    """
    from django.db.models import Max
    from django.test.utils import override_settings

    first = (Notification.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    summary = OutboxSummary()
    with override_settings(
        EMAIL_BACKEND=OUTBOX_EMAIL_BACKEND,
        NOTIFICATIONS_SMS_BACKEND=OUTBOX_SMS_BACKEND,
    ):
        yield summary
        queued = Notification.objects.filter(
            pk__gte=first, status=DeliveryStatus.QUEUED
        ).values_list("pk", flat=True)
        for pk in list(queued):
            notification_deliver(notification_id=pk)
    made = Notification.objects.filter(pk__gte=first)
    summary.made = made.count()
    summary.sent = made.filter(status=DeliveryStatus.SENT).count()
