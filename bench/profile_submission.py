"""Profile of one online submission (issue 3: 100 submissions a second from 20 clients on two cores).

    .venv/bin/python bench/profile_submission.py [--count 300] [--fresh] [--clients N]
        [--database-url postgres://postgres@127.0.0.1:5432/eprovince_profile_submit] [--top 30] [--queries] [--plans] [--dump FILE]

Sets up its own PostgreSQL database (migrated, the demo data loaded: procedure 1.901002 and its agency), prepares
complete drafts as bench/onestop_dossiers.py does, then submits them one after the other through the real service
(services.online.dossier_online_submit), with the production settings of the benchmark:

1. timed, no profiler: the wall time, this process's CPU and the CPU of its PostgreSQL backend (read from
   /proc/<pid>/stat; the server runs on the same machine) per submission: the CPU a submission costs in total, the
   figure that caps the rate on two cores;
2. the queries of one submission (CaptureQueriesContext) with their time as seen from Django, and the statements
   of its transaction replayed under EXPLAIN (ANALYZE, BUFFERS) then rolled back (planning and execution time in
   the server; --plans prints the plans);
3. `--count` submissions under cProfile, timed by this process's CPU clock (the waits for PostgreSQL and for a core
   left out): the top functions by cumulative and by own time.

With --clients N it measures instead N processes (forked after one warm-up submission, as the benchmark's workers)
submitting `--count` drafts in all as fast as they can: the rate, the CPU per submission under contention, how long
each waited for and held the agency's counter row, and what the holder did meanwhile (statement by statement). Point
it at the benchmark's database (--database-url …/eprovince_bench_onestop) for the 1.000.000-dossier figures.

Nothing is asserted; the figures depend on the load of the machine (printed)."""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/eprovince_profile_submit"
TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the PostgreSQL backend `pid`."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _concurrent_worker(user_id: int, draft_ids: list[int], start_at: float, out: Any) -> None:
    from django.db import connection, connections, transaction

    from eprovince.core.models import User
    from eprovince.onestop.models import Dossier
    from eprovince.onestop.services.online import dossier_online_submit

    connections.close_all()
    user = User.objects.get(pk=user_id)
    drafts = list(Dossier.objects.filter(pk__in=draft_ids).order_by("pk"))
    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        pid = c.fetchone()[0]
    marks: dict[str, float] = {}
    slowest: list[tuple[float, str]] = []  # the slowest statements, with the start of their SQL
    steps: list[tuple[list[str], float, float]] = []  # statements while the counter row is held: (words, before, took)

    def timing(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counter = '"onestop_dossiercounter"' in sql and "asked" not in marks  # the first statement that locks it
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - t
            if len(slowest) < 5 or took > slowest[0][0]:
                slowest.append((took, sql[:60]))
                slowest.sort()
                del slowest[:-5]
            if counter:
                marks["asked"], marks["got"] = t, time.perf_counter()
                transaction.on_commit(lambda: marks.__setitem__("committed", time.perf_counter()))
            elif "asked" in marks and "committed" not in marks:  # a statement while the row is held
                steps.append((sql.split(None, 3)[:3], t - marks.get("last", marks["got"]), took))
                marks["last"] = time.perf_counter()

    rows = []
    while time.time() < start_at:
        time.sleep(0.001)
    cpu, pg = time.process_time(), backend_cpu(pid)
    with connection.execute_wrapper(timing):
        for draft in drafts:
            t = time.perf_counter()
            marks.clear()
            dossier_online_submit(dossier=draft, acting_user=user, site_url="https://dichvucong.example.vn")
            rows.append((t, marks["asked"], marks["got"], marks["committed"], time.perf_counter()))
            steps.append((["COMMIT"], marks["committed"] - marks.get("last", marks["got"]), 0.0))
    out.put((rows, time.process_time() - cpu, backend_cpu(pid) - pg, slowest, steps))


def concurrent(bench: Any, clients: int, count: int) -> None:
    """`clients` processes submit `count` drafts in all, each as fast as it can: the rate, the CPU a submission
    costs under contention, how long each waited for the agency's counter row and how long it held it."""
    import multiprocessing as mp

    from django.db import connections

    plan = bench._prepare_drafts(clients, max(1, count // clients))
    bench._warm_up()
    connections.close_all()
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 2
    load = os.getloadavg()
    procs = [ctx.Process(target=_concurrent_worker, args=(uid, ids, start_at, out)) for uid, ids in plan]
    for p in procs:
        p.start()
    results = [out.get(timeout=3600) for _p in procs]
    for p in procs:
        p.join()
    rows = [r for rs, *_rest in results for r in rs]
    cpu, pg = sum(r[1] for r in results), sum(r[2] for r in results)
    slowest = sorted((s for r in results for s in r[3]), reverse=True)[:8]
    by_statement: dict[str, list[tuple[float, float]]] = {}
    for r in results:
        for words, before, took in r[4]:
            by_statement.setdefault(" ".join(words), []).append((before, took))
    n = len(rows)
    span = max(r[4] for r in rows) - min(r[0] for r in rows)
    waits = sorted((got - asked) * 1000 for _t, asked, got, _c, _e in rows)
    holds = sorted((done - got) * 1000 for _t, _a, got, done, _e in rows)
    held = sum(done - asked for _t, asked, _g, done, _e in rows)
    print(
        f"{n} submissions by {clients} processes in {span:.1f} s: {n / span:.1f}/s; CPU per submission "
        f"{cpu / n * 1000:.1f} ms Django + {pg / n * 1000:.1f} ms PostgreSQL = {(cpu + pg) / n * 1000:.1f} ms\n"
        f"  counter row: waited p50 {waits[n // 2]:.1f} ms, p95 {waits[int(n * 0.95)]:.1f} ms; held (drawn to "
        f"committed) p50 {holds[n // 2]:.1f} ms, p95 {holds[int(n * 0.95)]:.1f} ms; held or waited for "
        f"{held / span:.0%} of the time summed over the processes\n"
        f"  load average {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after, {os.cpu_count()} cores",
        flush=True,
    )
    print("  while the counter row is held, per statement: p50 of the time before it (Python, waiting for a core) and in it")
    for label, pairs in by_statement.items():
        before = sorted(b for b, _t in pairs)[len(pairs) // 2]
        took = sorted(t for _b, t in pairs)[len(pairs) // 2]
        print(f"    {label[:50]:50} n={len(pairs):<5} before {before * 1000:6.1f} ms, in it {took * 1000:6.1f} ms")
    print("  slowest statements (the counter's include the wait for its row):")
    for took, sql in slowest:
        print(f"    {took * 1000:8.1f} ms  {sql}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--count", type=int, default=300, help="submissions per phase")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--queries", action="store_true", help="print every query of one submission")
    parser.add_argument("--plans", action="store_true", help="print the whole plan of each statement")
    parser.add_argument("--dump", default="", help="also write the cProfile statistics to this file (for pstats)")
    parser.add_argument(
        "--clients", type=int, default=0, help="instead: N processes submitting as fast as they can (lock and CPU diagnosis)"
    )
    args = parser.parse_args()

    import onestop_dossiers as bench

    bench.prepare(args.database_url, fresh=args.fresh)
    from django.db import connection, connections, transaction
    from django.test.utils import CaptureQueriesContext

    from eprovince.core.models import User
    from eprovince.onestop.models import Dossier
    from eprovince.onestop.services.online import dossier_online_submit

    if args.clients:
        concurrent(bench, args.clients, args.count)
        return
    warmup = 10
    t = time.perf_counter()
    ((user_id, ids),) = bench._prepare_drafts(1, warmup + 2 * args.count + 2)
    print(f"prepared {len(ids):,} drafts in {time.perf_counter() - t:.0f} s", flush=True)
    connections.close_all()
    user = User.objects.get(pk=user_id)
    drafts = list(Dossier.objects.filter(pk__in=ids).order_by("pk"))
    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        pid = c.fetchone()[0]

    def submit(draft: Dossier) -> Any:
        return dossier_online_submit(dossier=draft, acting_user=user, site_url=bench.SITE_URL)

    for draft in drafts[:warmup]:
        submit(draft)
    timed, profiled = drafts[warmup : warmup + args.count], drafts[warmup + args.count : -2]
    one, explained = drafts[-1], drafts[-2]

    # 1. Timed, no profiler, in five rounds (the machine is shared: the median and the best round are printed).
    load = os.getloadavg()
    rounds = []
    size = max(1, len(timed) // 5)
    for start in range(0, size * 5, size):
        wall, cpu, pg = time.perf_counter(), time.process_time(), backend_cpu(pid)
        for draft in timed[start : start + size]:
            submit(draft)
        rounds.append(((time.perf_counter() - wall) / size, (time.process_time() - cpu) / size, (backend_cpu(pid) - pg) / size))
    rounds.sort(key=lambda r: r[1] + r[2])
    print(f"\n{size * 5} submissions one after the other, 5 rounds of {size} (ms per submission):")
    for label, (wall, cpu, pg) in (("median round", rounds[2]), ("best round", rounds[0])):
        print(
            f"  {label:13} wall {wall * 1000:5.1f}, CPU {cpu * 1000:5.1f} Django + {pg * 1000:4.1f} PostgreSQL = "
            f"{(cpu + pg) * 1000:5.1f} ms: two cores top out near {2 / (cpu + pg):.0f}/s"
        )
    print(
        f"  load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} before, {os.getloadavg()[0]:.2f} after, "
        f"{os.cpu_count()} cores",
        flush=True,
    )

    # 2. The queries of one submission.
    with CaptureQueriesContext(connection) as queries:
        done = submit(one)
    total = sum(float(q["time"]) for q in queries.captured_queries)
    print(f"\none submission ({done.code}): {len(queries)} queries, {total * 1000:.1f} ms in them (round trips included)")
    for q in queries.captured_queries:
        sql = q["sql"] if args.queries else q["sql"][:150]
        print(f"  {float(q['time']) * 1000:6.2f} ms  {sql}")

    # 2b. The plans of the submission's statements: replayed under EXPLAIN ANALYZE, then rolled back.
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            submit(explained)
        statements = [q["sql"] for q in queries.captured_queries if q["sql"].split(None, 1)[0] in ("SELECT", "UPDATE", "INSERT")]
        transaction.set_rollback(True)
    print("\nEXPLAIN (ANALYZE, BUFFERS) of the transaction's statements (replayed, rolled back):")
    with transaction.atomic(), connection.cursor() as c:
        for sql in statements:
            c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in c.fetchall()]
            times = " ".join(line.strip() for line in plan if line.startswith(("Planning Time", "Execution Time")))
            print(f"  {times:48} {sql[:90]}")
            if args.plans:
                print("\n".join(f"      {line}" for line in plan))
        transaction.set_rollback(True)

    # 3. Under cProfile.
    # CPU time, not wall time: on a shared machine the wall clock mostly measures the waits (for PostgreSQL, for a core).
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    for draft in profiled:
        submit(draft)
    profile.disable()
    if args.dump:
        profile.dump_stats(args.dump)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        text = out.getvalue()
        print(f"\n--- top {args.top} by {order} ({len(profiled)} submissions) ---")
        print(text[text.find("   ncalls") :] if "   ncalls" in text else text)


if __name__ == "__main__":
    main()
