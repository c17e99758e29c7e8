"""Benchmark: public-site throughput under gunicorn (2 workers), loopback only.

    .venv/bin/python -m bench.site                  # 10 s per scenario, 16 connections
    .venv/bin/python -m bench.site --seconds 5 --connections 8
    .venv/bin/python -m bench.site --reuse          # keep var/bench-site.sqlite3
    .venv/bin/python -m bench.site --rounds 4       # alternate the scenarios 4 times

Builds `var/bench-site.sqlite3` (never the demo db) with the institutes and public-site
demo data, collects the static files, starts gunicorn with 2 sync workers on
127.0.0.1 (DEBUG off, no Redis: the zero-set-up file cache in `var/bench-site-cache`)
and drives it with `wrk` when installed (`apt-get install -y wrk`), else with a small
threaded Python client. Each scenario is bounded in time.

The conditions match the comparison against Wagtail's demo (bakerydemo) described in
docs/performance.md: the same gunicorn and wrk settings, each public page type rendered
every time (a query string bypasses the page cache, as for a cache miss, a preview or a
signed-in editor) and served from the page cache, and a static file from the same
gunicorn as the yardstick for cached pages. It also prints the queries each page type
takes when rendered (counted in-process on the same database).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench-site.sqlite3"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
SEARCH = "/ar/search/?q=%D8%B5%D8%AD%D8%A9"  # صحة
SCENARIOS = [
    ("static file (yardstick)", "/static/site/site.css"),
    ("home, cached (anonymous)", "/ar/"),
    ("campaign page, cached (anonymous)", "/ar/campaigns/newborn-hearing/"),
    ("home, rendered", "/ar/?utm=bench"),
    ("campaign index, rendered", "/ar/campaigns/?utm=bench"),
    ("campaign page, rendered", "/ar/campaigns/newborn-hearing/?utm=bench"),
    ("search, rendered", SEARCH),
    ("contact form (never cached)", "/ar/contact/"),
]
CACHE_DIR = ROOT / "var" / "bench-site-cache"

_COUNT_QUERIES = """
import json, sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
counts = {}
for path in json.loads(sys.argv[1]):
    client.get(path)  # renditions and what is remembered until the next publish
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    counts[path] = (status, len(captured))
print(json.dumps(counts))
"""


def _env() -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{DB}",
        DEBUG="0",
        PYTHONPATH=str(ROOT),
        CACHE_DIR=str(CACHE_DIR),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    env.pop("REDIS_URL", None)
    return env


def rendered_queries(paths: list[str]) -> dict[str, tuple[int, int]]:
    """Queries per page when rendered (in-process, Django's test client)."""
    out = subprocess.run(  # noqa: S603
        [
            PYTHON,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            _COUNT_QUERIES.replace("sys.argv[1]", repr(json.dumps(paths))),
        ],
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def build_database(reuse: bool) -> None:
    shutil.rmtree(CACHE_DIR, ignore_errors=True)
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run(  # noqa: S603
        [*manage, "collectstatic", "--noinput", "-v0"], env=_env(), check=True
    )
    if reuse and DB.exists():
        return
    DB.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    subprocess.run([*manage, "migrate", "-v0"], env=_env(), check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*manage, "load_demo_data", "--only", "institutes", "cms"],
        env=_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - fixed arguments, loopback only
        [
            GUNICORN,
            "config.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=_env(),
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def run_wrk(url: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk"),
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_second": rps,
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "tool": "wrk",
    }


def run_python(port: int, path: str, seconds: int, connections: int) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            start = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if response.status >= 400:
                    errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {
        "requests_per_second": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1],
        "non_2xx": errors[0],
        "tool": "python",
    }


def _measure(port: int, path: str, seconds: int, connections: int) -> dict:
    # Warm both workers (and their caches) first.
    for _ in range(20):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path)
        status = conn.getresponse().status
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    if shutil.which("wrk"):
        return run_wrk(f"http://127.0.0.1:{port}{path}", seconds, connections)
    return run_python(port, path, seconds, connections)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args(argv)
    args.seconds = max(1, min(args.seconds, 60))  # bounded
    args.rounds = max(1, min(args.rounds, 8))
    build_database(args.reuse)
    queries = rendered_queries([path for _name, path in SCENARIOS[3:]])
    port = _free_port()
    server = start_gunicorn(port)
    rounds: dict[str, list[dict]] = {name: [] for name, _path in SCENARIOS}
    try:
        for _round in range(args.rounds):
            for name, path in SCENARIOS:
                result = _measure(port, path, args.seconds, args.connections)
                rounds[name].append(result)
                print(
                    f"{name:36s} {result['requests_per_second']:8.1f} req/s  "
                    f"p50 {result['p50_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms"
                    f"  errors {result['non_2xx']}  ({result['tool']})",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
    results = {}
    print(f"\nmedians of {args.rounds} round(s):")
    static = statistics.median(
        r["requests_per_second"] for r in rounds[SCENARIOS[0][0]]
    )
    for name, path in SCENARIOS:
        rps = statistics.median(r["requests_per_second"] for r in rounds[name])
        p50 = statistics.median(r["p50_ms"] for r in rounds[name])
        status, count = queries.get(path, (None, None))
        results[name] = {
            "path": path,
            "requests_per_second": rps,
            "p50_ms": p50,
            "queries_when_rendered": count,
            "rounds": rounds[name],
        }
        extra = f"{count:3d} queries" if count is not None else " " * 11
        ratio = f"{rps / static:5.2f}x static" if "cached" in name else ""
        print(f"{name:36s} {rps:8.1f} req/s  p50 {p50:7.1f} ms  {extra}  {ratio}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "site.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.exit(main())
