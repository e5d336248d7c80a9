"""Benchmark: requests/s and p95 latency of the home page and an article page under 50 concurrent clients,
against the production server setup (gunicorn, production settings, PostgreSQL).

    .venv/bin/python bench/portal_pages.py [--database-url postgres://postgres@127.0.0.1:5432/eprovince_bench]

It migrates and loads the demo data into its own database, collects static files, starts gunicorn on
127.0.0.1:8765, runs the load from this machine's loopback only, prints the figures and stops the server."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from loadgen import run  # noqa: E402

PORT = 8765


def run_wrk(url: str, *, clients: int, seconds: float, warmup: float) -> dict[str, float]:
    """The same closed-loop load through wrk (Debian's `wrk`, written in C), so the load generator takes less of
    the two cores than the Python one and measures latency without an event loop's own queueing."""
    script = str(ROOT / "bench" / "wrk_report.lua")
    threads = str(min(2, clients))
    subprocess.run(["wrk", "-t", threads, "-c", str(clients), "-d", f"{warmup:.0f}s", url], check=True, capture_output=True)
    out = subprocess.run(
        ["wrk", "-t", threads, "-c", str(clients), "-d", f"{seconds:.0f}s", "-s", script, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    figures = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}
    return {
        "requests": int(figures["requests"]),
        "rps": figures["requests"] / figures["seconds"],
        "p50_ms": figures["p50_ms"],
        "p95_ms": figures["p95_ms"],
        "p99_ms": figures["p99_ms"],
        "errors": int(figures["errors"]),
        "non_200": int(figures["non_2xx"]),
    }


def ensure_postgres_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/eprovince_bench")
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument(
        "--tool",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="load generator: Debian's wrk when installed (apt-get install wrk), else bench/loadgen.py",
    )
    parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 2)))
    args = parser.parse_args()

    ensure_postgres_database(args.database_url)
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="eprovince.settings.production",
        DATABASE_URL=args.database_url,
        SECRET_KEY="bench-only-secret-key-not-for-production-use-0123456789",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SINGLE_NODE="1",  # without REDIS_URL the production settings need this said
        BIND=f"127.0.0.1:{PORT}",
        WEB_CONCURRENCY=str(args.workers),
        LOG_LEVEL="WARNING",
        # No worker recycling during a measurement: a restart mid-run drops connections and empties caches.
        GUNICORN_MAX_REQUESTS="0",
    )
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "load_demo", "--allow-production"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    gunicorn = str(Path(python).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "eprovince.wsgi", "-c", "deploy/gunicorn.conf.py"], cwd=ROOT, env=env, start_new_session=True
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        news = json.loads(urllib.request.urlopen(base + "/api/v1/news/", timeout=5).read())
        items = news.get("items") or news.get("results") or []
        article_path = items[0]["url"] if items and "url" in items[0] else "/"
        print(f"server: gunicorn, {args.workers} workers, database {args.database_url.split('@')[-1]}, load from {args.tool}")
        for label, path in (("home", "/"), ("article", article_path)):
            if args.tool == "wrk":
                figures = run_wrk(base + path, clients=args.clients, seconds=args.seconds, warmup=3)
            else:
                figures = asyncio.run(run(base + path, clients=args.clients, seconds=args.seconds, warmup=3))
            print(
                f"{label:8} {path:60} clients={args.clients} rps={figures['rps']:.0f} "
                f"p50={figures['p50_ms']:.1f}ms p95={figures['p95_ms']:.1f}ms p99={figures['p99_ms']:.1f}ms "
                f"requests={figures['requests']} errors={figures['errors']} non_200={figures['non_200']}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
