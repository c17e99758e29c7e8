"""E-mail each office its daily summary of open and overdue requests.

`--enqueue` hands the run to the task worker instead (see docs/contact-centre.md).
"""

from django.core.management.base import BaseCommand

from contact.services import contact_digest_send
from contact.tasks import send_daily_digest


class Command(BaseCommand):
    help = "E-mail each office its daily summary of open and overdue requests."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true")

    def handle(self, *args, enqueue, **options):
        if enqueue:
            result = send_daily_digest.enqueue()
            self.stdout.write(f"Enqueued {result.id}")
            return
        done = contact_digest_send()
        self.stdout.write(self.style.SUCCESS(f"{done} office(s) told"))
