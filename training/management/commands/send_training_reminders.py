"""E-mail staff whose mandatory training falls due soon (and their managers).

Run daily from cron, e.g. `0 7 * * * cd /srv/app && .venv/bin/python manage.py
send_training_reminders`. Safe to run again: a reminder is sent once per person,
topic and due date (`ReminderLog`'s unique constraint). `--enqueue` hands the run to
the task worker instead, and `--enqueue --daily` makes it re-enqueue itself each morning.
"""

from django.core.management.base import BaseCommand

from training.staff.reminders import DEFAULT_REMINDER_DAYS, reminders_send
from training.staff.tasks import send_training_reminders


class Command(BaseCommand):
    help = "E-mail reminders for mandatory training due within N days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=DEFAULT_REMINDER_DAYS)
        parser.add_argument("--enqueue", action="store_true")
        parser.add_argument("--daily", action="store_true")

    def handle(self, *args, days, enqueue, daily, **options):
        if enqueue:
            result = send_training_reminders.enqueue(days=days, reschedule=daily)
            self.stdout.write(f"Enqueued reminder run {result.id}")
            return
        sent = reminders_send(days=days)
        self.stdout.write(self.style.SUCCESS(f"{sent} reminder e-mail(s) sent"))
