"""E-mail reminders for training falling due, at most once per person, topic and date.

A reminder is claimed by inserting its `ReminderLog` row (unique on staff, topic and
due date) in the same transaction that sends the e-mail: a second run, or a second
worker running at the same time, finds the row taken and sends nothing. If sending
fails the claim is rolled back and the next run tries again.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation

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
        .select_related("staff__person", "staff__manager__person", "topic")
        .order_by("staff_id", "valid_until")
    )


def reminders_send(
    *, today: datetime.date | None = None, days: int = DEFAULT_REMINDER_DAYS
) -> int:
    """E-mail each person with training due within `days` (and their manager).

    Returns the number of e-mails sent. Safe to run as often as you like.
    """
    today = today or timezone.localdate()
    by_staff = defaultdict(list)
    for row in reminders_due(today=today, days=days):
        by_staff[row.staff_id].append(row)
    sent = 0
    for rows in by_staff.values():
        staff = rows[0].staff
        to = [e for e in {staff.email or staff.person.email} if e]
        cc = []
        if staff.manager_id:
            manager_email = staff.manager.email or staff.manager.person.email
            if manager_email:
                cc.append(manager_email)
        if not to and not cc:
            continue
        try:
            with transaction.atomic():
                claimed = []
                for row in rows:
                    try:
                        with transaction.atomic():
                            ReminderLog.objects.create(
                                staff_id=row.staff_id,
                                topic_id=row.topic_id,
                                due_date=row.valid_until,
                                recipients=", ".join(to + cc)[:500],
                            )
                        claimed.append(row)
                    except IntegrityError:
                        continue  # another run reminded this one already
                if not claimed:
                    continue
                _send(staff, claimed, to or cc, cc if to else [])
                sent += 1
        except OSError:
            continue  # mail server unreachable: nothing is logged, next run retries
    return sent


def _send(staff, rows, to, cc) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"staff": staff, "rows": rows}
        subject = render_to_string(
            "training/staff/email/reminder_subject.txt", context
        ).strip()
        body = render_to_string("training/staff/email/reminder_body.txt", context)
    EmailMessage(subject=subject, body=body, to=to, cc=cc).send()
