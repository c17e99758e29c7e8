"""Anonymise contact requests closed longer than CONTACT_RETENTION_DAYS (default two years).

`--enqueue` hands the run to the task worker instead (see docs/contact-centre.md).
"""

from django.core.management.base import BaseCommand

from contact.services import contact_requests_anonymise
from contact.tasks import anonymise_old_requests


class Command(BaseCommand):
    help = "Anonymise contact requests closed longer than CONTACT_RETENTION_DAYS (default two years)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true")

    def handle(self, *args, enqueue, **options):
        if enqueue:
            result = anonymise_old_requests.enqueue()
            self.stdout.write(f"Enqueued {result.id}")
            return
        done = contact_requests_anonymise()
        self.stdout.write(self.style.SUCCESS(f"{done} request(s) anonymised"))
