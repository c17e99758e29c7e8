"""Rebuild the contact centre's monthly figures from the requests (idempotent).

Run after writes that bypass the services (bulk loads, data fixes); the services keep
the figures in step themselves. `--enqueue` hands the run to the task worker.
"""

from django.core.management.base import BaseCommand

from contact.figures import figures_rebuild
from contact.tasks import rebuild_figures


class Command(BaseCommand):
    help = "Rebuild the contact centre's monthly figures from the requests."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true")

    def handle(self, *args, enqueue, **options):
        if enqueue:
            result = rebuild_figures.enqueue()
            self.stdout.write(f"Enqueued {result.id}")
            return
        done = figures_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{done['requests']} request(s) read, {done['cells']} monthly "
                f"cell(s), {done['hour_cells']} hour histogram(s)"
            )
        )
