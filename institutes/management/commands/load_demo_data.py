"""Load the realistic bilingual demo data set (idempotent).

Each app of ours may have a `demo.py` with `load(ctx)`; they run in INSTALLED_APPS
order (institutes, curriculum, students, training, certificates, cms), so an app can
use what the apps before it created. Running the command twice changes nothing.
"""

import importlib
import random
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

OUR_APPS = (
    "institutes",
    "curriculum",
    "students",
    "training",
    "certificates",
    "contact",
    "portal",
    "cms",
)


@dataclass
class DemoContext:
    """Passed to every app's `demo.load`: output, a seeded random source, shared objects."""

    stdout: object
    rng: random.Random
    shared: dict = field(default_factory=dict)

    def say(self, message: str) -> None:
        self.stdout.write(message)


class Command(BaseCommand):
    help = "Load the demo data set (hospitals, institutes, students, training, pages)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--only",
            nargs="*",
            choices=OUR_APPS,
            help="Load only these apps' demo data.",
        )

    def handle(self, *args, seed, only, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data is disabled in production settings.")
        from notifications.services import notifications_kept_in_outbox

        ctx = DemoContext(stdout=self.stdout, rng=random.Random(seed))
        # The demo's messages (acknowledgements, answers, reminders) go to made-up
        # addresses: they are kept, not printed in full by the console backends.
        with notifications_kept_in_outbox() as outbox:
            for label in OUR_APPS:
                if only and label not in only:
                    continue
                if not apps.is_installed(label):
                    continue
                try:
                    module = importlib.import_module(f"{label}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name == f"{label}.demo":
                        continue
                    raise
                with transaction.atomic():
                    module.load(ctx)
                self.stdout.write(self.style.SUCCESS(f"{label}: demo data loaded"))
        self.stdout.write(
            f"notifications: {outbox.sent} sent (kept in Settings → Messages sent)"
            + (
                f", {outbox.made - outbox.sent} not sent"
                if outbox.made > outbox.sent
                else ""
            )
        )
