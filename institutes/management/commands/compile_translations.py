"""Compile every .po catalogue of the project into .mo, without GNU gettext.

`compilemessages` needs `msgfmt`, which a fresh machine may not have; polib is a
Python dependency, so `make` can always build the catalogues.
"""

from pathlib import Path

import polib

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po (project and our apps) to .mo with polib."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        roots = [Path(p) for p in settings.LOCALE_PATHS]
        roots += [
            base / app / "locale"
            for app in (
                "institutes",
                "curriculum",
                "students",
                "training",
                "certificates",
                "notifications",
                "contact",
                "portal",
                "cms",
            )
        ]
        count = 0
        for root in roots:
            for po_path in root.glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if (
                    mo_path.exists()
                    and mo_path.stat().st_mtime >= po_path.stat().st_mtime
                ):
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                count += 1
        self.stdout.write(f"compiled {count} catalogue(s)")
