"""Background work of staff training (django-tasks): recomputation, messages, reminders.

Cancellations, waitlist promotions and due-training reminders go through the
notification layer (`notifications`: e-mail and SMS, queued, retried, recorded).

Reminders run daily. Either schedule the management command with cron
(`manage.py send_training_reminders`, see docs/training.md), or enqueue
`send_training_reminders` once with `reschedule=True`: each run then enqueues the next
one for the following morning (needs a backend that supports `run_after`, such as the
database backend the project uses by default).
"""

from __future__ import annotations

import datetime

from django_tasks import default_task_backend, task

from django.conf import settings
from django.utils import timezone

from .models import Registration, TopicRuleChange, TrainingSession

REMINDER_HOUR = 7


@task()
def recompute_topic_status(change_id: int) -> int:
    """Recompute a topic's status rows after its rules changed (progress is saved)."""
    from .models import RecomputeStatus
    from .services import topic_recompute

    change = TopicRuleChange.objects.select_related("topic").get(pk=change_id)
    try:
        topic_recompute(change=change)
    except Exception:
        TopicRuleChange.objects.filter(pk=change_id).update(
            status=RecomputeStatus.FAILED
        )
        raise
    return change.rows_total


def _tell(template: str, staff, session, context: dict) -> bool:
    """Queue a message to a staff member through the notification layer (e-mail and
    SMS, whichever they have; recorded in Messages sent). True if any was queued."""
    from notifications.services import Recipient, notification_send

    recipient = Recipient(
        name=staff.name,
        email=staff.email or staff.person.email,
        phone=staff.phone,
        language=settings.LANGUAGE_CODE,
    )
    made = notification_send(
        template=f"training/{template}",
        recipient=recipient,
        context=context,
        about=session,
        about_label=f"{session.topic.code} {session.starts_at:%Y-%m-%d}",
        hospital=session.hospital,
    )
    return bool(made)


@task()
def notify_session_cancelled(session_id: int, registration_ids: list[int]) -> int:
    """Tell everyone who was booked on a cancelled session."""
    session = TrainingSession.objects.select_related("topic", "hospital").get(
        pk=session_id
    )
    sent = 0
    for reg in Registration.objects.filter(pk__in=registration_ids).select_related(
        "staff__person"
    ):
        context = {"session": session, "staff": reg.staff}
        sent += _tell("session_cancelled", reg.staff, session, context)
    return sent


@task()
def notify_waitlist_promoted(registration_ids: list[int]) -> int:
    """Tell people moved from the waitlist that they have a place."""
    sent = 0
    for reg in Registration.objects.filter(pk__in=registration_ids).select_related(
        "staff__person", "session__topic", "session__hospital"
    ):
        context = {"session": reg.session, "staff": reg.staff}
        sent += _tell("promoted", reg.staff, reg.session, context)
    return sent


@task()
def send_training_reminders(days: int = 30, reschedule: bool = False) -> int:
    """Remind people whose training falls due within `days` (through the
    notification layer: e-mail and SMS, recorded and retried); optionally run again
    tomorrow morning."""
    from .reminders import reminders_send

    sent = reminders_send(days=days)
    if reschedule and default_task_backend.supports_defer:
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        run_after = timezone.make_aware(
            datetime.datetime.combine(tomorrow, datetime.time(REMINDER_HOUR))
        )
        send_training_reminders.using(run_after=run_after).enqueue(
            days=days, reschedule=True
        )
    return sent
