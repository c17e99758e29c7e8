"""Deliver queued messages whose next attempt is due (run every few minutes by cron).

`--enqueue` hands the run to the task worker instead.
"""

from django.core.management.base import BaseCommand

from notifications.services import notifications_retry_due
from notifications.tasks import retry_due_notifications


class Command(BaseCommand):
    help = "Deliver queued e-mail and SMS messages whose next attempt is due."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true")

    def handle(self, *args, enqueue, **options):
        if enqueue:
            result = retry_due_notifications.enqueue()
            self.stdout.write(f"Enqueued delivery run {result.id}")
            return
        tried = notifications_retry_due()
        self.stdout.write(self.style.SUCCESS(f"{tried} message(s) tried"))
