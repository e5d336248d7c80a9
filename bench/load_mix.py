"""Load on a mix (issue 10): 200 concurrent clients for 60 s against the production setup, every answer checked.

    .venv/bin/python bench/load_mix.py [--clients 200] [--seconds 60] [--warmup 10] [--think 0] [--workers N]
        [--database-url postgres://postgres@127.0.0.1:5432/eprovince_bench_mix] [--redis-url redis://127.0.0.1:6379/13]

It drops and recreates its own PostgreSQL database, migrates it, loads the demo data, collects the static files,
signs up one business applicant account per submitting client and gives one reporting officer account to each of as
many organisations with an open report as there are saving clients (through the services, in a subprocess:
`load_mix.py --prepare PLAN`), flushes its Redis database, and serves the platform with gunicorn and the production
settings (deploy/gunicorn.conf.py, one worker per core, REDIS_URL set) on 127.0.0.1:8766. Then every client signs in
if its kind needs it (before the clock starts: the Argon2 hashes are not part of the mix) and loops, each sending its
next request as soon as the previous answer arrived (plus --think seconds), on keep-alive connections, loopback only:

- public (anonymous readers): the home page, the published articles, the procedure catalogue and a procedure's page;
- tracking: the public tracking form posted with a demo dossier's code and phone (200 with the dossier);
- queues: officers (one-stop clerk, specialist, division head, leader) reading "Chờ tôi xử lý" and "Tất cả";
- submissions: applicants applying online through the pages: start, applicant, answers, documents (a PDF upload),
  check your answers and submit (the last step is measured on its own);
- indicator saves: reporting officers saving their organisation's open report (every cell posted, one value
  changed each time: a history row and an audit row per save).

Throttles are configured high for the run (ONESTOP_TRACKING_ATTEMPTS, ONESTOP_SIGNUP_ATTEMPTS, LOGIN_* in the
server's environment): every client comes from 127.0.0.1, so a per-address limit would otherwise answer 429 to the
mix, which is not what is measured. It prints per kind the number of requests, errors and p50/p95/p99, and exits
with status 1 on any error: a 5xx, an unexpected 4xx or redirect, or a broken connection."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
PORT = 8766
SECRET = "bench-only-secret-key-not-for-production-use-0123456789"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# Clients per kind, in this proportion of --clients (--only keeps some kinds, in the same proportions).
MIX = {"public": 0.45, "tracking": 0.15, "queue": 0.15, "submission": 0.125, "indicators": 0.125}


# --- Preparing the database (run in a subprocess with Django set up) ---------------------------------------------


def plain_number(value: Any) -> str:
    """A Decimal as the entry form takes it: 142, 252,1 (no thousands separator); "" for no value."""
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else format(value.normalize(), "f").replace(".", ",")


def prepare(plan_path: str, applicants: int, reporters: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", allow_production=True, stdout=quiet)  # a benchmark server, not a real one
    call_command("collectstatic", interactive=False, verbosity=0)

    from eprovince.core.constants import Role
    from eprovince.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
    from eprovince.core.models import User
    from eprovince.core.permissions import has_role
    from eprovince.core.services.accounts import role_grant, user_create
    from eprovince.indicators import selectors as indicator_selectors
    from eprovince.indicators.models import ReportForm, ReportingRound, Submission
    from eprovince.indicators.permissions import can_report_for
    from eprovince.indicators.services import rounds
    from eprovince.onestop import drafts
    from eprovince.onestop.constants import FormFieldType
    from eprovince.onestop.forms import address_choices
    from eprovince.onestop.models import Dossier, Procedure
    from eprovince.onestop.services.applicants import applicant_sign_up, applicant_verify_email, verification_token
    from eprovince.portal.models import Article

    articles = [a.get_absolute_url() for a in Article.objects.filter(status="published").select_related("category")[:8]]
    tracked = [
        (d.code, d.applicant_phone) for d in Dossier.objects.exclude(code="").exclude(applicant_phone="").order_by("pk")[:30]
    ]
    online = [p for p in Procedure.objects.order_by("national_code") if p.accepts_online]
    procedure = next(p for p in online if p.documents.filter(is_required=True).exists())
    layout = drafts.Layout.of(procedure)
    provinces = address_choices()[1:]  # ("", "—") first, then (province, [(commune pk, name), …])
    unit = provinces[0][1][0][0] if provinces else ""
    groups = []
    for group in layout.groups:
        fields: dict[str, str] = {}
        files: list[str] = []
        for f in group.fields:
            name = f"f_{f.key}"
            if f.field_type == FormFieldType.TEXT:
                fields[name] = "Công ty TNHH Truyền thông Mê Kông"
            elif f.field_type == FormFieldType.NUMBER:
                fields[name] = "3"
            elif f.field_type == FormFieldType.DATE:
                fields[name] = "15/01/2026"
            elif f.field_type == FormFieldType.CHOICE:
                fields[name] = f.choices[0]
            elif f.field_type == FormFieldType.FILE:
                files.append(name)
            else:
                fields[name] = str(unit)
                fields[f"{name}__street"] = "12 Nguyễn Huệ"
        groups.append({"number": group.number, "fields": fields, "files": files})
    officers = [a.username for a in DEMO_ACCOUNTS if a.role in {"onestop_clerk", "specialist", "division_head", "leader"}]
    # One reporting officer per open report (a report of its own each, as in a real round), made here; the demo data
    # leaves few reports open, so the next periods' rounds of the forms are opened (a draft report per unit).
    admin = User.objects.get(username="quantri")
    open_reports = Submission.objects.filter(status__in=["draft", "returned"]).count()
    for _attempt in range(5):
        for form in ReportForm.objects.order_by("pk"):
            latest = ReportingRound.objects.filter(form=form).order_by("-period").first()
            if open_reports < reporters and latest is not None:
                opened = rounds.round_open(acting_user=None, form=form, period=latest.period_obj.next())
                open_reports += opened.submissions.count()
    reports = []
    for submission in Submission.objects.select_related("round__form", "organisation").order_by("-round__pk", "pk"):
        if len(reports) >= reporters:
            break
        if not submission.is_editable:
            continue
        username = f"baocao-bench-{len(reports)}"
        user = user_create(
            acting_user=admin, username=username, password=DEMO_PASSWORD, full_name=f"Cán bộ báo cáo {len(reports)}"
        )
        role_grant(user=user, role=Role.REPORTING_OFFICER, organisation=submission.organisation, acting_user=admin)
        assert can_report_for(user, submission.organisation)
        rows = indicator_selectors.entry_rows(submission)
        values = {r.field: plain_number(r.value) for r in rows}
        comments = {r.comment_field: r.comment for r in rows}
        target = next((r.field for r in rows if r.value is None or r.value == int(r.value)), None)
        if target is None:
            continue
        reports.append({"user": username, "pk": submission.pk, "fields": {**values, **comments}, "target": target})
    site = f"http://127.0.0.1:{PORT}"
    accounts = []
    for i in range(applicants):
        email = f"bench-{i}@mekong.vn"
        user = applicant_sign_up(
            kind="business", full_name=f"Trần Thị Hoa {i}", email=email, phone="0912 000 111",
            password=DEMO_PASSWORD, business_name="Công ty TNHH Truyền thông Mê Kông", tax_code="0312345678",
            site_url=site,
        )  # fmt: skip
        applicant_verify_email(token=verification_token(user))
        assert has_role(user, "business")
        accounts.append(user.username)
    plan = {
        "password": DEMO_PASSWORD,
        "articles": articles,
        "procedure": procedure.national_code,
        "catalogue": ["/thu-tuc-hanh-chinh/", f"/thu-tuc-hanh-chinh/{quote(procedure.national_code)}/"],
        "tracked": tracked,
        "officers": officers,
        "applicants": accounts,
        "groups": groups,
        "documents": list(procedure.documents.filter(is_required=True).values_list("pk", flat=True)),
        "reports": reports,
    }
    Path(plan_path).write_text(json.dumps(plan, ensure_ascii=False))


# --- A client: one keep-alive connection, its cookies ------------------------------------------------------------


class Broken(Exception):
    pass


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)
    # Latencies of the requests started in [measure_from, deadline); errors are counted whenever they happen.
    measure_from: float = float("inf")
    deadline: float = float("inf")
    # CPU seconds used in the measured window by the gunicorn processes, the PostgreSQL backends, this load generator.
    server_cpu: float = 0.0
    postgres_cpu: float = 0.0
    client_cpu: float = 0.0
    codes: list[str] = field(default_factory=list)  # the codes the submitted dossiers were given

    def record(self, kind: str, started: float, ms: float, ok: bool, detail: str) -> None:
        if self.measure_from <= started < self.deadline:
            self.latencies[kind].append(ms)
        if not ok:
            self.errors[kind] += 1
            if len(self.samples) < 20:
                self.samples.append(f"{kind}: {detail}")


class Client:
    def __init__(self, host: str, port: int, stats: Stats) -> None:
        self.host, self.port, self.stats = host, port, stats
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=2**22)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def _exchange(self, raw: bytes) -> Answer:
        if self.writer is None:
            await self._connect()
        assert self.reader is not None and self.writer is not None
        self.writer.write(raw)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if not line:
                continue
            name, _, value = line.partition(":")
            lname, value = name.strip().lower(), value.strip()
            if lname == "set-cookie":
                cookie, _, attrs = value.partition(";")
                key, _, val = cookie.partition("=")
                if "max-age=0" in attrs.lower() or "expires=thu, 01 jan 1970" in attrs.lower():
                    self.cookies.pop(key.strip(), None)
                else:
                    self.cookies[key.strip()] = val.strip().strip('"')
            headers[lname] = value
        if "chunked" in headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunks.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(c[:-2] for c in chunks)
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Answer(status, headers, body)

    async def request(
        self, kind: str, method: str, path: str, *, data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None, expect: tuple[int, ...] = (200,),
    ) -> Answer | None:  # fmt: skip
        body = b""
        extra = ""
        if method == "POST":
            fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(data or {})}
            if files is not None:
                boundary = f"----bench{random.getrandbits(64):x}"
                parts = []
                for key, value in fields.items():
                    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
                for key, (name, content) in files.items():
                    parts.append(
                        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{name}"\r\n'
                        f"Content-Type: application/pdf\r\n\r\n".encode()
                        + content
                        + b"\r\n"
                    )
                body = b"".join(parts) + f"--{boundary}--\r\n".encode()
                extra = f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            else:
                body = urlencode(fields).encode()
                extra = "Content-Type: application/x-www-form-urlencoded\r\n"
            extra += f"Content-Length: {len(body)}\r\n"
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        raw = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept-Language: vi\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + extra
            + "Connection: keep-alive\r\n\r\n"
        ).encode() + body
        start = time.perf_counter()
        answer: Answer | None = None
        for attempt in (1, 2):
            reused = self.writer is not None
            try:
                answer = await self._exchange(raw)
                break
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
                self.close()
                if attempt == 2 or not reused:  # a kept-alive connection the server closed: once more, new
                    ms = (time.perf_counter() - start) * 1000
                    self.stats.record(kind, start, ms, False, f"{method} {path}: {type(exc).__name__} {exc}")
                    return None
        ms = (time.perf_counter() - start) * 1000
        assert answer is not None
        ok = answer.status in expect
        self.stats.record(kind, start, ms, ok, f"{method} {path}: {answer.status} {answer.body[:160]!r}")
        return answer if ok else None

    async def login(self, username: str, password: str) -> None:
        await self.request("login", "GET", "/dang-nhap/")
        answer = await self.request(
            "login", "POST", "/dang-nhap/", data={"username": username, "password": password}, expect=(302,)
        )
        if answer is None:
            raise Broken(f"{username} could not sign in")


# --- The kinds of clients --------------------------------------------------------------------------------------------


async def public_reader(c: Client, plan: dict[str, Any], i: int) -> None:
    pages = [("home", "/")] + [("article", p) for p in plan["articles"]] + [("catalogue", p) for p in plan["catalogue"]]
    kind, path = pages[i % len(pages)]
    await c.request(kind, "GET", path)


async def tracker(c: Client, plan: dict[str, Any], i: int) -> None:
    if "csrftoken" not in c.cookies:
        await c.request("tracking page", "GET", "/tra-cuu-ho-so/")
    code, phone = plan["tracked"][i % len(plan["tracked"])]
    answer = await c.request("tracking", "POST", "/tra-cuu-ho-so/", data={"code": code, "contact": phone})
    if answer is not None and code.encode() not in answer.body:
        c.stats.record("tracking", 0.0, 0.0, False, f"tracking {code}: dossier not shown")


async def officer(c: Client, plan: dict[str, Any], i: int) -> None:
    await c.request("queue", "GET", "/can-bo/mot-cua/" if i % 2 == 0 else "/can-bo/mot-cua/?hang=all")


async def applicant(c: Client, plan: dict[str, Any], i: int) -> None:
    code = quote(plan["procedure"])
    started = await c.request("apply steps", "POST", f"/thu-tuc-hanh-chinh/{code}/nop-truc-tuyen/", expect=(302,))
    found = re.search(r"/nhap/(\d+)/", started.location) if started else None
    if found is None:
        return
    base = f"/ho-so-cua-toi/nhap/{found.group(1)}"
    applicant_fields = {
        "applicant_name": "Công ty TNHH Truyền thông Mê Kông", "applicant_id_number": "0312345678",
        "applicant_phone": "0912 000 111", "applicant_email": "hoa@mekong.vn",
        "applicant_address": "12 Nguyễn Huệ, phường Long Xuyên, tỉnh An Giang",
    }  # fmt: skip
    if await c.request("apply steps", "POST", f"{base}/nguoi-nop/", data=applicant_fields, expect=(302,)) is None:
        return
    for group in plan["groups"]:
        files = {name: ("giay-to.pdf", PDF) for name in group["files"]}
        if await c.request("apply steps", "POST", f"{base}/to-khai/{group['number']}/", data=group["fields"], files=files,
                           expect=(302,)) is None:  # fmt: skip
            return
    for document in plan["documents"]:
        if await c.request("apply steps", "POST", f"{base}/giay-to/{document}/tai-len/", data={},
                           files={"attachments": ("don-de-nghi.pdf", PDF)}, expect=(302,)) is None:  # fmt: skip
            return
    if await c.request("apply steps", "POST", f"{base}/giay-to/", expect=(302,)) is None:
        return
    submitted = await c.request("apply submit", "POST", f"{base}/kiem-tra/", expect=(302,))
    if submitted is not None:
        found = re.search(r"/ho-so-cua-toi/([^/]+)/da-nop/", submitted.location)
        if found is None:
            c.stats.record("apply submit", 0.0, 0.0, False, f"submit went to {submitted.location}")
        else:
            c.stats.codes.append(found.group(1))


async def reporter(c: Client, plan: dict[str, Any], i: int, report: dict[str, Any]) -> None:
    fields = dict(report["fields"])
    current = fields[report["target"]] or "0"
    fields[report["target"]] = str(int(current) + 1 + i % 2)  # a change every time (history row and audit row)
    await c.request("indicator save", "POST", f"/can-bo/chi-tieu/bao-cao/{report['pk']}/", data=fields, expect=(302,))


def client_counts(clients: int, only: set[str]) -> dict[str, int]:
    """How many clients of each kind: MIX's shares of `clients`, among the kinds asked for."""
    mix = {kind: share for kind, share in MIX.items() if not only or kind in only}
    counts = {kind: max(1, round(share / sum(mix.values()) * clients)) for kind, share in mix.items()}
    counts[next(iter(counts))] += clients - sum(counts.values())
    return counts


async def run_clients(
    plan: dict[str, Any],
    *,
    clients: int,
    seconds: float,
    warmup: float,
    think: float,
    only: set[str],
    master: int,
    database: str,
) -> Stats:
    stats = Stats()
    counts = client_counts(clients, only)
    everyone: list[tuple[str, Client, int]] = []
    logins = asyncio.Semaphore(8)

    async def make(kind: str, n: int) -> tuple[str, Client, int]:
        c = Client("127.0.0.1", PORT, stats)
        async with logins:
            if kind == "queue":
                await c.login(plan["officers"][n % len(plan["officers"])], plan["password"])
            elif kind == "submission":
                await c.login(plan["applicants"][n % len(plan["applicants"])], plan["password"])
            elif kind == "indicators":
                await c.login(plan["reports"][n % len(plan["reports"])]["user"], plan["password"])
        return kind, c, n

    everyone = list(await asyncio.gather(*(make(kind, n) for kind, count in counts.items() for n in range(count))))
    print(
        "clients: " + ", ".join(f"{kind} {count}" for kind, count in counts.items())
        + f" ({len(plan['officers'])} officers' accounts, {len(plan['applicants'])} applicants, {len(plan['reports'])} open reports)",
        flush=True,
    )  # fmt: skip
    start = time.perf_counter()
    stats.measure_from, stats.deadline = start + warmup, start + warmup + seconds
    deadline = stats.deadline

    async def loop(kind: str, c: Client, n: int) -> None:
        i = n
        while time.perf_counter() < deadline:
            if kind == "public":
                await public_reader(c, plan, i)
            elif kind == "tracking":
                await tracker(c, plan, i)
            elif kind == "queue":
                await officer(c, plan, i)
            elif kind == "submission":
                await applicant(c, plan, i)
            else:
                await reporter(c, plan, i, plan["reports"][n % len(plan["reports"])])
            i += 1
            if think:
                await asyncio.sleep(think)
        c.close()

    async def cpu_window() -> None:
        await asyncio.sleep(max(0.0, stats.measure_from - time.perf_counter()))
        server, postgres, client = *cpu_seconds(master, database), time.process_time()
        await asyncio.sleep(max(0.0, stats.deadline - time.perf_counter()))
        server_end, postgres_end = cpu_seconds(master, database)
        stats.server_cpu, stats.postgres_cpu = server_end - server, postgres_end - postgres
        stats.client_cpu = time.process_time() - client

    await asyncio.gather(cpu_window(), *(loop(kind, c, n) for kind, c, n in everyone))
    return stats


def cpu_seconds(master: int, database: str) -> tuple[float, float]:
    """CPU time (user + system) so far of the gunicorn master and its workers, and of the PostgreSQL backends serving
    `database`, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    server = postgres = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            title = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        pid, ppid, used = int(stat.parent.name), int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if pid == master or ppid == master:
            server += used
        elif title.startswith("postgres: ") and f" {database} " in title:
            postgres += used
    return server, postgres


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))] if ordered else float("nan")


# --- Serving -------------------------------------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    import psycopg

    admin_url, name = url.rsplit("/", 1)[0] + "/postgres", url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prepare", metavar="PLAN", help=argparse.SUPPRESS)
    parser.add_argument("--applicants", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--reporters", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/eprovince_bench_mix")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--think", type=float, default=0.0, help="seconds each client waits between requests")
    parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 2)))
    parser.add_argument("--only", default="", help=f"comma-separated kinds of clients among {', '.join(MIX)} (default: all)")
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, args.applicants, args.reporters)
        return

    import redis

    media = Path(tempfile.mkdtemp(prefix="eprovince-bench-mix-"))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="eprovince.settings.production",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        DEMO_MODE="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        MEDIA_ROOT=str(media / "media"),
        ONESTOP_FILES_ROOT=str(media / "private"),
        ONESTOP_SITE_URL=f"http://127.0.0.1:{PORT}",
        # Every client is 127.0.0.1: per-address limits are lifted for the run (see the docstring).
        ONESTOP_TRACKING_ATTEMPTS="100000000",
        ONESTOP_SIGNUP_ATTEMPTS="100000000",
        LOGIN_MAX_FAILURES="1000000",
        BIND=f"127.0.0.1:{PORT}",
        WEB_CONCURRENCY=str(args.workers),
        LOG_LEVEL="WARNING",
        GUNICORN_MAX_REQUESTS="0",
    )
    only = {kind for kind in args.only.split(",") if kind}
    counts = client_counts(args.clients, only)
    applicants, reporters = max(1, counts.get("submission", 0)), max(1, counts.get("indicators", 0))
    print(
        f"preparing {args.database_url.split('@')[-1]}: migrate, demo data, {applicants} applicants, {reporters} reporting officers",
        flush=True,
    )
    recreate_database(args.database_url)
    redis.Redis.from_url(args.redis_url).flushdb()
    plan_path = media / "plan.json"
    subprocess.run(
        [sys.executable, __file__, "--prepare", str(plan_path), "--applicants", str(applicants), "--reporters", str(reporters)],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    plan = json.loads(plan_path.read_text())
    if not plan["reports"]:
        raise SystemExit("No open report for the demo reporting officers: the indicator saves cannot run.")
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    # No control socket: another gunicorn on this machine (make serve-prod, a test) may hold the default path.
    command = [gunicorn, "eprovince.wsgi", "-c", "deploy/gunicorn.conf.py", "--no-control-socket"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        load = os.getloadavg()
        print(
            f"server: gunicorn, {args.workers} workers × {os.environ.get('GUNICORN_THREADS', '4')} threads, PostgreSQL "
            f"{args.database_url.split('@')[-1]}, Redis {args.redis_url}; load average {load[0]:.2f} {load[1]:.2f} "
            f"{load[2]:.2f}; {args.clients} clients, {args.seconds:.0f} s after {args.warmup:.0f} s of warm-up, "
            f"think {args.think} s",
            flush=True,
        )
        stats = asyncio.run(
            run_clients(
                plan, clients=args.clients, seconds=args.seconds, warmup=args.warmup, think=args.think, only=only,
                master=server.pid, database=args.database_url.rsplit("/", 1)[1],
            )
        )  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(media, ignore_errors=True)  # the plan and the files of the submitted dossiers
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    total = sum(len(v) for v in stats.latencies.values())
    print(f"{'kind':16} {'requests':>9} {'per s':>7} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    # Every kind the clients run, also one with no request in the window (a submission longer than the window).
    kinds = {"public": ["home", "article", "catalogue"], "tracking": ["tracking"], "queue": ["queue"],
             "submission": ["apply steps", "apply submit"], "indicators": ["indicator save"]}  # fmt: skip
    expected = [k for kind in client_counts(args.clients, only) for k in kinds[kind]]
    for kind in sorted({*expected, *stats.latencies, *stats.errors}):
        values = stats.latencies.get(kind, [])
        print(
            f"{kind:16} {len(values):9d} {len(values) / args.seconds:7.1f} {stats.errors[kind]:7d} "
            f"{percentile(values, 50):8.1f} {percentile(values, 95):8.1f} {percentile(values, 99):8.1f}"
        )
    every = [v for values in stats.latencies.values() for v in values]
    duplicates = len(stats.codes) - len(set(stats.codes))
    print(f"dossiers submitted: {len(stats.codes)}, codes given twice: {duplicates}")
    if duplicates:
        stats.errors["apply submit"] += duplicates
        stats.samples.append(f"apply submit: {duplicates} dossier codes given twice")
    errors = sum(stats.errors.values())
    print(
        f"{'all':16} {total:9d} {total / args.seconds:7.1f} {errors:7d} "
        f"{percentile(every, 50):8.1f} {percentile(every, 95):8.1f} {percentile(every, 99):8.1f}"
    )
    if total:
        print(
            f"CPU in the window ({args.seconds * (os.cpu_count() or 1):.0f} s available): gunicorn {stats.server_cpu:.1f} s "
            f"({stats.server_cpu * 1000 / total:.1f} ms a request), PostgreSQL {stats.postgres_cpu:.1f} s "
            f"({stats.postgres_cpu * 1000 / total:.1f} ms a request), this load generator {stats.client_cpu:.1f} s"
        )
    if errors:
        print("ERRORS (first ones):", *stats.samples, sep="\n  ", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
