"""Recompute the normalised search text of every searchable row (after the rules change)."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Recompute `search_text` for every model that has one (batches of 2,000)."

    def handle(self, *args, **options):
        for model in apps.get_models():
            names = {f.name for f in model._meta.concrete_fields}
            if "search_text" not in names or not hasattr(model, "refresh_search_text"):
                continue
            changed = []
            for obj in model._default_manager.all().iterator(chunk_size=2000):
                before = obj.search_text
                obj.refresh_search_text()
                if obj.search_text != before:
                    changed.append(obj)
            with transaction.atomic():
                model._default_manager.bulk_update(
                    changed, ["search_text"], batch_size=2000
                )
            self.stdout.write(f"{model._meta.label}: {len(changed)} updated")
