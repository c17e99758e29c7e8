"""Reminders for training falling due, at most once per person, topic and date.

A reminder is claimed by inserting its `ReminderLog` row (unique on staff, topic and
due date) in the same transaction that queues the messages through the notification
layer (`notifications.services.notification_send`): the person by e-mail and SMS
(whichever they have), their manager a copy by e-mail. A second run, or a second worker
running at the same time, finds the row taken and queues nothing. Each message is a
`Notification` (Settings → Messages sent), delivered after the transaction commits
and retried by the notification layer when the mail server or SMS provider fails.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from .models import ReminderLog, StaffTopicStatus

DEFAULT_REMINDER_DAYS = 30


def reminders_due(*, today: datetime.date, days: int):
    """Status rows falling due within `days` that have not been reminded for that date."""
    until = today + datetime.timedelta(days=days)
    already = ReminderLog.objects.filter(
        staff_id=OuterRef("staff_id"),
        topic_id=OuterRef("topic_id"),
        due_date=OuterRef("valid_until"),
    )
    return (
        StaffTopicStatus.objects.filter(
            valid_until__gte=today, valid_until__lte=until, staff__is_active=True
        )
        .exclude(Exists(already))
        .select_related(
            "staff__person", "staff__hospital", "staff__manager__person", "topic"
        )
        .order_by("staff_id", "valid_until")
    )


def _recipients(staff) -> list:
    """The person (e-mail and SMS) and a copy to their manager (e-mail)."""
    from notifications.models import Channel
    from notifications.services import Recipient

    found = [
        Recipient(
            name=staff.name,
            email=staff.email or staff.person.email,
            phone=staff.phone,
            language=settings.LANGUAGE_CODE,
            channels=(Channel.EMAIL, Channel.SMS),
        )
    ]
    if staff.manager_id:
        manager = staff.manager
        found.append(
            Recipient(
                name=manager.name,
                email=manager.email or manager.person.email,
                language=settings.LANGUAGE_CODE,
                channels=(Channel.EMAIL,),
            )
        )
    return [recipient for recipient in found if recipient.addresses()]


def reminders_send(
    *, today: datetime.date | None = None, days: int = DEFAULT_REMINDER_DAYS
) -> int:
    """Remind each person with training due within `days` (and their manager).

    Returns the number of people reminded. Safe to run as often as you like: a due
    date is reminded once; delivery is retried by the notification layer.
    """
    from notifications.services import notification_send

    today = today or timezone.localdate()
    by_staff = defaultdict(list)
    for row in reminders_due(today=today, days=days):
        by_staff[row.staff_id].append(row)
    reminded = 0
    for rows in by_staff.values():
        staff = rows[0].staff
        recipients = _recipients(staff)
        if not recipients:
            continue
        addresses = ", ".join(
            address for r in recipients for _channel, address in r.addresses()
        )
        with transaction.atomic():
            claimed = []
            for row in rows:
                try:
                    with transaction.atomic():
                        ReminderLog.objects.create(
                            staff_id=row.staff_id,
                            topic_id=row.topic_id,
                            due_date=row.valid_until,
                            recipients=addresses[:500],
                        )
                    claimed.append(row)
                except IntegrityError:
                    continue  # another run reminded this one already
            if not claimed:
                continue
            for recipient in recipients:
                notification_send(
                    template="training/reminder",
                    recipient=recipient,
                    context={"staff": staff, "rows": claimed},
                    about=staff,
                    about_label=staff.employee_number or str(staff),
                    hospital=staff.hospital,
                )
            reminded += 1
    return reminded
