"""What the benchmarks share: Django set up on a database of their own, and a timer."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(
    db: Path, *, keep_database_url: bool = False, tasks: str = "immediate"
) -> None:
    """Django on the SQLite file `db` (or on `DATABASE_URL` when `keep_database_url`
    and it is set), tasks run at once (or `tasks="database"`: queued, as in
    production, and not run), and no query log (it would grow without bound).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if not (keep_database_url and "DATABASE_URL" in os.environ):
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["TASKS_BACKEND"] = tasks
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def timed(fn, repeat: int = 7) -> tuple[float, float]:
    """(median, max) wall time in milliseconds over `repeat` runs after a warm-up."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), max(runs)
