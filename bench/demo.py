"""Benchmark: loading the demo data (`manage.py load_demo_data`, what `make demo` runs).

    .venv/bin/python -m bench.demo                    # migrate once, then time the seed
    .venv/bin/python -m bench.demo --counts out.json  # also write the row counts

Migrates `var/bench-demo-migrated.sqlite3` once (timed, kept for later runs), copies
it to `var/bench-demo.sqlite3` and runs the demo loader on the copy in a child
process: wall clock and CPU time of the child. Then counts the rows of every model
of the project's apps, users and pages, so that two versions of the loader can be
compared (the same demo: the same counts).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIGRATED = ROOT / "var" / "bench-demo-migrated.sqlite3"
DB = ROOT / "var" / "bench-demo.sqlite3"
APPS = (
    "institutes",
    "curriculum",
    "students",
    "training",
    "certificates",
    "contact",
    "notifications",
    "cms",
)


def _run(args: list[str], db: Path) -> tuple[float, float]:
    """Run `manage.py *args` on `db`: wall seconds and the child's CPU seconds."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own manage.py
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def counts(db: Path) -> dict[str, int]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.apps import apps

    labels = {*APPS, "auth", "wagtailcore", "wagtailimages", "wagtaildocs"}
    found = {}
    for model in apps.get_models():
        if model._meta.app_label in labels and not model._meta.proxy:
            found[model._meta.label] = model._base_manager.count()
    return dict(sorted(found.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counts", help="write the row counts to this JSON file")
    parser.add_argument("--remigrate", action="store_true")
    args = parser.parse_args()
    MIGRATED.parent.mkdir(exist_ok=True)
    print(f"load average at start: {os.getloadavg()[0]:.1f}", flush=True)
    if args.remigrate or not MIGRATED.exists():
        _fresh(MIGRATED)
        wall, cpu = _run(["migrate", "--noinput", "-v0"], MIGRATED)
        print(f"migrate (fresh database): {wall:.1f} s wall, {cpu:.1f} s CPU")
    _fresh(DB)
    shutil.copyfile(MIGRATED, DB)
    wall, cpu = _run(["load_demo_data"], DB)
    print(f"load_demo_data: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    found = counts(DB)
    for label, n in found.items():
        if n:
            print(f"  {label}: {n}")
    if args.counts:
        Path(args.counts).write_text(json.dumps(found, indent=1) + "\n")


if __name__ == "__main__":
    main()
