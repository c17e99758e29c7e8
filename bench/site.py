"""Benchmark: public-site throughput under gunicorn (2 workers), loopback only.

    .venv/bin/python -m bench.site                  # 10 s per scenario, 16 connections
    .venv/bin/python -m bench.site --seconds 5 --connections 8
    .venv/bin/python -m bench.site --reuse          # keep var/bench-site.sqlite3

Builds `var/bench-site.sqlite3` (never the demo db) with the institutes and public-site
demo data, starts gunicorn with 2 sync workers on 127.0.0.1 (DEBUG off, per-worker
local-memory cache as on a single box without Redis), and drives it with `wrk` when
installed (`apt-get install -y wrk`), else with a small threaded Python client. Each
scenario is bounded in time. Scenarios: an anonymous campaign page (cache hit), the same
page rendered every time (a query string bypasses the page cache), the home page, and
the contact form (never cached).
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
SCENARIOS = [
    ("campaign page, cached (anonymous)", "/ar/campaigns/newborn-hearing/"),
    ("campaign page, rendered each time", "/ar/campaigns/newborn-hearing/?utm=bench"),
    ("home page, cached (anonymous)", "/ar/"),
    ("contact form (never cached)", "/ar/contact/"),
]


def _env() -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{DB}",
        DEBUG="0",
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    return env


def build_database(reuse: bool) -> None:
    if reuse and DB.exists():
        return
    DB.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    manage = [PYTHON, str(ROOT / "manage.py")]
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


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args(argv)
    args.seconds = max(1, min(args.seconds, 60))  # bounded
    build_database(args.reuse)
    port = _free_port()
    server = start_gunicorn(port)
    results = {}
    try:
        for name, path in SCENARIOS:
            url = f"http://127.0.0.1:{port}{path}"
            # Warm both workers (and their caches) first.
            for _ in range(20):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", path)
                status = conn.getresponse().status
                if status != 200:
                    raise SystemExit(f"{path} answered {status}")
            if shutil.which("wrk"):
                result = run_wrk(url, args.seconds, args.connections)
            else:
                result = run_python(port, path, args.seconds, args.connections)
            results[name] = result
            print(
                f"{name:40s} {result['requests_per_second']:8.1f} req/s  "
                f"p50 {result['p50_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms  "
                f"errors {result['non_2xx']}  ({result['tool']})"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "site.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.exit(main())
