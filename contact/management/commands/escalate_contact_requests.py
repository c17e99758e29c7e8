"""Escalate overdue contact requests to the office's head, then the authority (run hourly).

`--enqueue` hands the run to the task worker instead (see docs/contact-centre.md).
"""

from django.core.management.base import BaseCommand

from contact.services import contact_requests_escalate
from contact.tasks import escalate_overdue_requests


class Command(BaseCommand):
    help = "Escalate overdue contact requests to the office's head, then the authority (run hourly)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true")

    def handle(self, *args, enqueue, **options):
        if enqueue:
            result = escalate_overdue_requests.enqueue()
            self.stdout.write(f"Enqueued {result.id}")
            return
        done = contact_requests_escalate()
        self.stdout.write(self.style.SUCCESS(f"{done} request(s) escalated"))
