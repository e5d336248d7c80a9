"""Benchmark: the one-stop shop with 1.000.000 dossiers spread over 10 years, on PostgreSQL (issue 3).

    .venv/bin/python bench/onestop_dossiers.py [--reuse] [--dossiers 1000000] [--years 10]
        [--database-url postgres://postgres@127.0.0.1:5432/eprovince_bench_onestop]
        [--rate 100] [--clients 20] [--seconds 20] [--samples 200]

Without --reuse it drops and recreates its own database, migrates it, loads the demo data (procedures, agencies,
officers) and generates the dossiers in bulk (COPY, 50.000 rows a transaction): Vietnamese names with diacritics
from a seeded generator, mostly finished, the last weeks still in progress, with their history (submission,
reception, end) and ratings, and the agencies' code counters. With --reuse it keeps a database that already holds
the dossiers. Then it measures the real code paths, one after the other, and prints p50/p95/max of each:

- lookup by code: the public tracking selector and the tracking API (code plus phone, as the public page does);
- an officer's queue page: the real view through Django's test client, signed in as the division's specialist and
  as the one-stop clerk ("Chờ tôi xử lý", 25 a page with the count), and the "Tất cả" queue;
- search by applicant name without diacritics ("nguyen van an" finds "Nguyễn Văn An"), on the queue page and the API;
- a year's statistics by agency and procedure (statistics.dossier_statistics, as the leader sees them);
- online submissions: `--clients` processes, each with its own database connection, submit drafts through the real
  service (services.online.dossier_online_submit) paced at `--rate` a second in total for `--seconds`; afterwards no
  two dossiers may share a code. Prints the rate achieved and the latency of a submission.

No figure is asserted here or in a test: docs/performance.md records them with the machine they ran on."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import math
import multiprocessing as mp
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/eprovince_bench_onestop"
BATCH = 50_000
SITE_URL = "https://dichvucong.angiang.example.vn"

# --- Vietnamese names ------------------------------------------------------------------------------------------------
# Family names with their approximate share of the population; middle and given names by sex; organisations.
FAMILY = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 3), ("Huỳnh", 2.5), ("Phan", 4.5), ("Vũ", 2),
    ("Võ", 2), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5),
    ("Trương", 1), ("Đinh", 0.8), ("Lâm", 0.7), ("Mai", 0.5), ("Tô", 0.4), ("Châu", 0.4), ("Thái", 0.3), ("Quách", 0.2),
]  # fmt: skip
MIDDLE_MALE = [("Văn", 40), ("Hữu", 8), ("Đức", 8), ("Minh", 10), ("Quốc", 6), ("Thanh", 6), ("Hoàng", 5), ("Công", 4),
               ("Ngọc", 3), ("Xuân", 3), ("Trọng", 3), ("Tấn", 4)]  # fmt: skip
MIDDLE_FEMALE = [("Thị", 50), ("Ngọc", 10), ("Thanh", 8), ("Thu", 7), ("Kim", 6), ("Mỹ", 5), ("Hồng", 5), ("Minh", 4),
                 ("Bích", 3), ("Phương", 2)]  # fmt: skip
GIVEN_MALE = """An Anh Bảo Bình Cường Chiến Công Danh Dũng Duy Dương Đạt Đông Đức Giang Hải Hào Hậu Hiếu Hòa Hoàng Hùng Huy
Hưng Khang Khánh Khoa Kiên Lâm Lộc Long Luân Lực Mạnh Minh Nam Nghĩa Nhân Phát Phong Phúc Phước Quang Quân Sang Sơn Tài
Tâm Tân Thái Thành Thắng Thiện Thịnh Toàn Trí Trung Trường Tuấn Tùng Việt Vinh Vũ""".split()
GIVEN_FEMALE = """An Anh Bích Châu Chi Diễm Dung Duyên Giang Hà Hạnh Hằng Hiền Hoa Hòa Hồng Huệ Hương Lan Liên Linh Loan
Mai My Nga Ngân Ngọc Nhung Như Oanh Phương Quyên Quỳnh Tâm Thảo Thanh Thu Thủy Thư Trang Trâm Trinh Tuyết Uyên Vân Vy
Xuân Yến""".split()
COMPANY_KIND = ["Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân", "Hợp tác xã", "Chi nhánh Công ty TNHH"]
COMPANY_TRADE = ["In", "Truyền thông", "Quảng cáo", "Chuyển phát nhanh", "Viễn thông", "Xuất bản", "Công nghệ thông tin",
                 "Dịch vụ Bưu chính", "Thương mại và Dịch vụ", "Giải pháp số"]  # fmt: skip
PLACES = ["Long Xuyên", "Châu Đốc", "Tân Châu", "An Phú", "Tịnh Biên", "Tri Tôn", "Chợ Mới", "Thoại Sơn", "Phú Tân",
          "Mê Kông", "Cửu Long", "Rạch Giá", "Hà Tiên", "Núi Sam", "Hậu Giang", "Phú Quốc"]  # fmt: skip
STREETS = ["Trần Hưng Đạo", "Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Tôn Đức Thắng", "Hùng Vương", "Nguyễn Trãi",
           "Lý Thái Tổ", "Phạm Văn Đồng", "Võ Thị Sáu"]  # fmt: skip


class NameGenerator:
    """Seeded Vietnamese names: about one in six applicants an organisation, the others people."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.family = [n for n, _w in FAMILY]
        self.family_w = [w for _n, w in FAMILY]

    def _pick(self, items: Sequence[tuple[str, float]]) -> str:
        return self.rng.choices([n for n, _w in items], [w for _n, w in items])[0]

    def person(self) -> str:
        family = self.rng.choices(self.family, self.family_w)[0]
        if self.rng.random() < 0.5:
            return f"{family} {self._pick(MIDDLE_MALE)} {self.rng.choice(GIVEN_MALE)}"
        return f"{family} {self._pick(MIDDLE_FEMALE)} {self.rng.choice(GIVEN_FEMALE)}"

    def applicant(self) -> tuple[str, bool]:
        if self.rng.random() < 0.16:
            return f"{self.rng.choice(COMPANY_KIND)} {self.rng.choice(COMPANY_TRADE)} {self.rng.choice(PLACES)}", True
        return self.person(), False


# --- Setup -----------------------------------------------------------------------------------------------------------


def _env(url: str) -> dict[str, str]:
    media = Path(os.environ.get("BENCH_MEDIA_ROOT", "/tmp/eprovince-bench-onestop/media"))
    return {
        "DJANGO_SETTINGS_MODULE": "eprovince.settings.production",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SINGLE_NODE": "1",  # without REDIS_URL the production settings need this said
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": str(media),
        "ONESTOP_FILES_ROOT": str(media.with_name("private")),
        "ONESTOP_TRACKING_ATTEMPTS": "1000000",
    }


def _admin(url: str) -> tuple[str, str]:
    return url.rsplit("/", 1)[0] + "/postgres", url.rsplit("/", 1)[1]


def recreate_database(url: str) -> None:
    import psycopg

    admin_url, name = _admin(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(url: str) -> bool:
    import psycopg

    admin_url, name = _admin(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def prepare(url: str, *, fresh: bool) -> None:
    """(Re)create the database if asked, migrate it and load the demo data (idempotent), then set Django up here."""
    if fresh or not database_exists(url):
        recreate_database(url)
    env = dict(os.environ, **_env(url))
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "load_demo", "--allow-production"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(_env(url))
    import django

    django.setup()


# --- Generation ------------------------------------------------------------------------------------------------------


def _copy(cursor: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    cols = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


class Table:
    """Rows for one model's table, in its column order; columns a row does not give take the field's default (so
    fields other changes add to the model need nothing here)."""

    def __init__(self, model: Any) -> None:
        from django.db import models

        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if f.has_default():
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif isinstance(f, (models.CharField, models.TextField)):
                self.defaults[f.attname] = ""

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for f in self.fields:
            value = values[f.attname] if f.attname in values else self.defaults[f.attname]
            out.append(json.dumps(value, ensure_ascii=False) if f.attname in self.json else value)
        return tuple(out)


def _working_days(cal: Any, start: dt.date, end: dt.date) -> list[dt.date]:
    from eprovince.workcalendar import engine

    days, day = [], start
    while day <= end:
        if engine.is_working_day(cal, day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def generate(total: int, years: int, seed: int = 2026) -> None:
    """`total` dossiers received over the `years` years before today, with their history, ratings and counters."""
    from django.db import connection, transaction
    from django.utils import timezone

    from eprovince.core.models import User
    from eprovince.onestop import deadlines, numbering
    from eprovince.onestop.constants import Channel, DossierStatus
    from eprovince.onestop.demo_data import DEPARTMENT
    from eprovince.onestop.models import Dossier, DossierCounter, DossierEvent, Procedure, ProcessStep, SatisfactionRating
    from eprovince.onestop.services.dossiers import _search_text
    from eprovince.workcalendar import engine

    rng = random.Random(seed)
    names = NameGenerator(seed)
    cal = deadlines.calendar()
    procedures = list(Procedure.objects.filter(receiving_agency__name=DEPARTMENT).order_by("national_code"))
    weights = [3, 2, 2, 3, 1, 1, 3][: len(procedures)] + [1] * max(0, len(procedures) - 7)
    steps = {p.pk: {s.code: s for s in ProcessStep.objects.filter(procedure=p)} for p in procedures}
    users = {u.username: u for u in User.objects.filter(username__in=["motcua", "lanhdao", "congdan"])}
    clerk, leader, citizen = (users[k] for k in ("motcua", "lanhdao", "congdan"))
    dept = procedures[0].receiving_agency
    pattern, reset = numbering.numbering_for(dept)
    agency_code = numbering.agency_code(dept)
    counters = {
        period: last for period, last in DossierCounter.objects.filter(organisation=dept).values_list("period", "last_value")
    }

    now = timezone.now()
    today = timezone.localdate()
    first = today.replace(year=today.year - years)
    days = _working_days(cal, first, today - dt.timedelta(days=1))
    # More dossiers each year (online services grew): weight grows linearly from 1 to 2 over the span.
    day_w = [1 + (d - first).days / (today - first).days for d in days]
    scale = total / sum(day_w)
    per_day = [int(w * scale) for w in day_w]
    for i in rng.sample(range(len(days)), total - sum(per_day)):
        per_day[i] += 1

    due_cache: dict[tuple[dt.datetime, int], dt.datetime] = {}

    def due(received: dt.datetime, n: int) -> dt.datetime:
        key = (received.replace(minute=0, second=0, microsecond=0), n)
        if key not in due_cache:
            due_cache[key] = engine.add_working_days(cal, key[0], n)
        return due_cache[key] + (received - key[0])

    d_table, e_table, r_table = Table(Dossier), Table(DossierEvent), Table(SatisfactionRating)
    with connection.cursor() as c:
        c.execute("SELECT COALESCE(MAX(id), 0) FROM onestop_dossier")
        next_id = c.fetchone()[0] + 1
        c.execute("SELECT COALESCE(MAX(id), 0) FROM onestop_dossierevent")
        next_event = c.fetchone()[0] + 1
        c.execute("SELECT COALESCE(MAX(id), 0) FROM onestop_satisfactionrating")
        next_rating = c.fetchone()[0] + 1

    tz = timezone.get_current_timezone()
    made = 0
    started = time.perf_counter()
    d_rows: list[tuple[Any, ...]] = []
    e_rows: list[tuple[Any, ...]] = []
    r_rows: list[tuple[Any, ...]] = []

    def flush() -> None:
        if not d_rows:
            return
        with transaction.atomic(), connection.cursor() as c:
            raw = c.cursor if hasattr(c, "cursor") else c
            _copy(raw, d_table.table, d_table.columns, d_rows)
            _copy(raw, e_table.table, e_table.columns, e_rows)
            _copy(raw, r_table.table, r_table.columns, r_rows)
            save_counters(c)  # with the rows that used them: an interrupted run resumes (--reuse) without clashes
        d_rows.clear()
        e_rows.clear()
        r_rows.clear()

    def save_counters(c: Any) -> None:
        c.executemany(
            "INSERT INTO onestop_dossiercounter (organisation_id, period, last_value) VALUES (%s, %s, %s) "
            "ON CONFLICT (organisation_id, period) DO UPDATE SET last_value = EXCLUDED.last_value",
            [(dept.pk, period, last) for period, last in counters.items()],
        )

    def event(dossier_id: int, at: dt.datetime, actor: Any, action: str, label: str, frm: Any, to: Any, fs: str, ts: str,
              due_at: Any, reason: str = "") -> None:  # fmt: skip
        nonlocal next_event
        e_rows.append(e_table.row({
            "id": next_event, "dossier_id": dossier_id, "created_at": at, "actor_id": actor.pk if actor else None,
            "actor_name": str(actor) if actor else "", "organisation_id": (to or frm).organisation_id or dept.pk,
            "action": action, "label": label, "from_status": fs, "to_status": ts,
            "from_step_id": frm.pk if frm else None, "to_step_id": to.pk if to else None,
            "from_step_name": frm.name if frm else "", "to_step_name": to.name if to else "", "reason": reason,
            "due_at": due_at,
        }))  # fmt: skip
        next_event += 1

    for day, count in zip(days, per_day, strict=True):
        year_share = (day - first).days / (today - first).days
        online_share = 0.1 + 0.6 * year_share
        moments = sorted(rng.uniform(7.5, 17.0) for _ in range(count))
        seqs: dict[str, int] = {}
        for hour in moments:
            procedure = rng.choices(procedures, weights)[0]
            st = steps[procedure.pk]
            name, is_org = names.applicant()
            moment = dt.datetime.combine(day, dt.time(int(hour), int(hour % 1 * 60), rng.randint(0, 59)), tzinfo=tz)
            r = rng.random()
            channel = Channel.ONLINE if r < online_share else Channel.POST if r > 0.97 else Channel.COUNTER
            submitted = moment - dt.timedelta(hours=rng.uniform(1, 16)) if channel == Channel.ONLINE else None
            received: dt.datetime | None = moment
            code_day = timezone.localdate(submitted) if submitted else day
            period = numbering.period_key(reset, code_day)
            if period not in seqs:
                seqs[period] = counters.get(period, 0)
            seqs[period] += 1
            counters[period] = seqs[period]
            code = numbering.render_code(pattern, agency_code=agency_code, day=code_day, seq=seqs[period])
            due_at = due(moment, procedure.processing_days)
            span = due_at - moment
            # How the dossier ends, and when: most before the due date, some late, a few refused or withdrawn.
            r = rng.random()
            final = DossierStatus.DONE if r < 0.95 else DossierStatus.REFUSED if r < 0.98 else DossierStatus.WITHDRAWN
            fraction = rng.uniform(0.25, 1.0) if rng.random() < 0.9 else rng.uniform(1.0, 1.8)
            if final != DossierStatus.DONE:
                fraction = rng.uniform(0.05, 0.6)
            finished: dt.datetime | None = moment + span * fraction
            if rng.random() < 0.003:
                finished = None  # forgotten: still in progress long after its due date
            if channel == Channel.ONLINE and submitted is not None and moment > now:
                received = None
            status, step, pauses = final, st["tra-ket-qua"], []
            if finished is None or finished > now:
                finished = None
                progress = (now - moment) / span if span.total_seconds() > 0 else 1
                if received is None:
                    status, step = DossierStatus.NEW, st["tiep-nhan"]
                elif rng.random() < 0.04:
                    status, step = DossierStatus.WAITING_SUPPLEMENT, st["tham-dinh"]
                    pauses = [{"start": (moment + span * 0.2).isoformat(), "end": None}]
                elif progress < 0.6:
                    status, step = DossierStatus.PROCESSING, st["tham-dinh"]
                elif progress < 0.75:
                    status, step = DossierStatus.PROCESSING, st["truong-phong"]
                elif progress < 0.9:
                    status, step = DossierStatus.WAITING_APPROVAL, st["lanh-dao"]
                else:
                    status, step = DossierStatus.RESULT_READY, st["tra-ket-qua"]
            elif final != DossierStatus.DONE:
                step = st["tiep-nhan"] if final == DossierStatus.REFUSED and fraction < 0.2 else st["tham-dinh"]
            phone = f"09{rng.randint(10_000_000, 99_999_999)}"
            id_number = f"{rng.randint(1_600_000_000, 1_699_999_999)}" if is_org else f"0890{rng.randint(10**7, 10**8 - 1)}"
            active = finished is None
            paused = bool(pauses)
            values = {
                "id": next_id, "code": code, "procedure_id": procedure.pk, "receiving_agency_id": dept.pk,
                "handling_agency_id": procedure.handling_agency_id, "applicant_name": name, "applicant_phone": phone,
                "applicant_email": f"hoso{next_id}@example.vn" if rng.random() < 0.7 else "",
                "applicant_id_number": id_number,
                "applicant_address": f"Số {rng.randint(1, 400)} đường {rng.choice(STREETS)}, {rng.choice(PLACES)}",
                "channel": channel, "form_data": {"ten_to_chuc": name} if is_org else {}, "status": status,
                "current_step_id": step.pk, "current_role": step.role if active else "",
                "current_organisation_id": (step.organisation_id or procedure.handling_agency_id) if active else None,
                "step_entered_at": moment if active else None,
                "step_due_at": due(moment, max(step.duration_days, 1)) if active and received and not paused else None,
                "submitted_at": submitted, "received_at": received,
                "due_at": None if received is None or paused else due_at, "finished_at": finished, "pauses": pauses,
                "version": 3 if finished else 2, "created_by_id": None if submitted else clerk.pk,
                "created_at": submitted or moment, "updated_at": finished or moment,
            }  # fmt: skip
            values["search_text"] = _search_text(SimpleNamespace(**values))  # type: ignore[arg-type]
            d_rows.append(d_table.row(values))
            reception, handling = st["tiep-nhan"], st["tham-dinh"]
            if submitted:
                event(next_id, submitted, None, "submit", "Nộp hồ sơ trực tuyến", None, reception, "draft", "new", None)
            else:
                event(next_id, moment, clerk, "receive", "Tiếp nhận hồ sơ tại bộ phận một cửa", None, reception, "",
                      "received", due_at)  # fmt: skip
            if received is not None and not (final == DossierStatus.REFUSED and step == reception):
                event(next_id, moment + dt.timedelta(minutes=5), clerk, "accept", "Tiếp nhận, chuyển thẩm định", reception,
                      handling, "new" if submitted else "received", "processing", due_at)  # fmt: skip
            if finished is not None:
                action, label, actor = {
                    DossierStatus.DONE: ("return_result", "Trả kết quả cho người nộp", clerk),
                    DossierStatus.REFUSED: ("refuse", "Từ chối giải quyết", leader if step == handling else clerk),
                    DossierStatus.WITHDRAWN: ("withdraw", "Rút hồ sơ theo đề nghị của người nộp", clerk),
                }[status]  # fmt: skip
                event(next_id, finished, actor, action, label, step, None, "result_ready" if action == "return_result"
                      else "processing", status, due_at,
                      "Hồ sơ không đáp ứng điều kiện theo quy định." if status == DossierStatus.REFUSED else "")  # fmt: skip
                if status == DossierStatus.DONE and rng.random() < 0.15:
                    scores = {k: rng.choice([3, 4, 4, 5, 5, 5]) for k in ("timeliness", "attitude", "simplicity", "outcome")}
                    r_rows.append(r_table.row({"id": next_rating, "dossier_id": next_id, "rated_by_id": citizen.pk,
                                               "created_at": finished + dt.timedelta(days=1), **scores}))  # fmt: skip
                    next_rating += 1
            next_id += 1
            made += 1
            if len(d_rows) >= BATCH:
                flush()
                rate = made / (time.perf_counter() - started)
                print(f"  generated {made:>9,} dossiers ({rate:,.0f}/s)", flush=True)
    flush()
    with transaction.atomic(), connection.cursor() as c:
        for table in ("onestop_dossier", "onestop_dossierevent", "onestop_satisfactionrating"):
            c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    print(f"  generated {made:,} dossiers in {time.perf_counter() - started:.0f} s; VACUUM ANALYZE", flush=True)
    vacuum_analyze()


def vacuum_analyze() -> None:
    """What autovacuum would do after a bulk load, at once: statistics for the planner, the visibility map."""
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        for table in ("onestop_dossier", "onestop_dossierevent", "onestop_satisfactionrating", "onestop_dossiercounter"):
            conn.execute(f"VACUUM ANALYZE {table}")


# --- Measuring -------------------------------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def report(label: str, ms: list[float], extra: str = "") -> None:
    print(
        f"{label:58} n={len(ms):<4} p50={pct(ms, 50):8.1f}ms p95={pct(ms, 95):8.1f}ms max={max(ms):8.1f}ms {extra}",
        flush=True,
    )


def timed(calls: Iterator[Callable[[], Any]], *, warmup: int = 3) -> list[float]:
    out = []
    for i, call in enumerate(calls):
        t = time.perf_counter()
        call()
        if i >= warmup:
            out.append((time.perf_counter() - t) * 1000)
    return out


def sample_dossiers(n: int, seed: int = 7) -> list[tuple[str, str, str]]:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT MIN(id), MAX(id) FROM onestop_dossier")
        lo, hi = c.fetchone()
        rng = random.Random(seed)
        ids = [rng.randint(lo, hi) for _ in range(n * 2)]
        c.execute(
            "SELECT code, applicant_phone, applicant_name FROM onestop_dossier WHERE id = ANY(%s) AND status <> 'draft'",
            [ids],
        )
        rows = c.fetchall()
    return rows[:n]


def officer_client(username: str) -> Any:
    from django.test import Client

    from eprovince.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def bench_lookup(samples: int) -> None:
    from django.test import Client

    from eprovince.onestop import selectors

    rows = sample_dossiers(samples + 3)
    found = 0

    def track(code: str, phone: str) -> Callable[[], None]:
        def call() -> None:
            nonlocal found
            found += selectors.track_dossier(code, phone) is not None

        return call

    ms = timed(track(code, phone) for code, phone, _n in rows)
    report("lookup by code: selectors.track_dossier", ms, f"found={found}/{len(rows)}")
    client = Client()
    statuses: dict[int, int] = {}

    def api(i: int, code: str, phone: str) -> Callable[[], None]:
        def call() -> None:
            response = client.post("/api/v1/onestop/tracking", {"code": code, "contact": phone}, content_type="application/json",
                                   REMOTE_ADDR=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}")  # fmt: skip
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        return call

    ms = timed(api(i, code, phone) for i, (code, phone, _n) in enumerate(rows))
    report("lookup by code: POST /api/v1/onestop/tracking", ms, f"statuses={statuses}")


def bench_queue(samples: int) -> None:
    from django.urls import reverse

    url = reverse("onestop:queue")
    for username, queue in (("chuyenvien", "new"), ("motcua", "new"), ("chuyenvien", "all"), ("lanhdao", "all")):
        client = officer_client(username)
        statuses: dict[int, int] = {}

        def call(page: int, client: Any = client, queue: str = queue, statuses: dict[int, int] = statuses) -> None:
            response = client.get(url, {"hang": queue, "page": page})
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        # "Tất cả" counts every dossier the officer may see (the whole department here): fewer samples.
        n = samples if queue == "new" else max(5, samples // 10)
        pages = [1 if i % 2 == 0 else 2 + i % 5 for i in range(n + 3)]
        ms = timed(functools.partial(call, p) for p in pages)
        report(f"queue page: {username} ?hang={queue} (pages 1-6)", ms, f"statuses={statuses}")


def bench_search(samples: int) -> None:
    from django.db import connection
    from django.urls import reverse

    from eprovince.core.text import fold

    names = [n for _c, _p, n in sample_dossiers(samples * 3, seed=11) if len(n.split()) == 3 and "Công ty" not in n]
    queries = ["nguyen van an"] + [fold(n) for n in names[: samples + 2]]
    url = reverse("onestop:queue")
    client = officer_client("chuyenvien")
    page = client.get(url, {"hang": "all", "q": "nguyen van an"}).content.decode()
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM onestop_dossier WHERE applicant_name = 'Nguyễn Văn An'")
        exact = c.fetchone()[0]
    print(f"  'nguyen van an': {exact} dossiers named exactly “Nguyễn Văn An”; on the page: {'Nguyễn Văn An' in page}")
    misses = 0

    def view(q: str) -> Callable[[], None]:
        def call() -> None:
            nonlocal misses
            response = client.get(url, {"hang": "all", "q": q})
            misses += response.status_code != 200 or "Không có hồ sơ nào" in response.content.decode()

        return call

    ms = timed(view(q) for q in queries)
    report("search by name: queue page ?hang=all&q=<name, no diacritics>", ms, f"empty={misses}")
    statuses: dict[int, int] = {}

    def api(q: str) -> Callable[[], None]:
        def call() -> None:
            response = client.get("/api/v1/onestop/dossiers", {"q": q})
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        return call

    ms = timed(api(q) for q in queries)
    report("search by name: GET /api/v1/onestop/dossiers?q=<name>", ms, f"statuses={statuses}")


def bench_statistics(repeats: int) -> None:
    from django.utils import timezone

    from eprovince.core.models import User
    from eprovince.onestop.statistics import StatsFilters, dossier_statistics

    leader = User.objects.get(username="lanhdao")
    today = timezone.localdate()
    last_year = today.year - 1
    totals = {}

    def year(y: int) -> Callable[[], None]:
        def call() -> None:
            stats = dossier_statistics(leader, StatsFilters(start=dt.date(y, 1, 1), end=dt.date(y, 12, 31)))
            totals[y] = (stats.total.total, len(stats.by_procedure), len(stats.by_agency))

        return call

    ms = timed((year(last_year) for _ in range(repeats + 3)), warmup=3)
    report(f"statistics of {last_year} by procedure and agency (leader)", ms, f"handled={totals[last_year][0]:,}")
    years = list(range(today.year - 9, today.year + 1))
    ms = timed((year(y) for y in [years[0], *years]), warmup=1)
    report(f"statistics of each year {years[0]}-{years[-1]}", ms)


# --- Online submissions under load -----------------------------------------------------------------------------------


def _prepare_drafts(clients: int, per_client: int) -> list[tuple[int, list[int]]]:
    """One signed-up applicant per client and `per_client` complete drafts each: the first through the real services
    (answers, files), the others copied from it in bulk (the preparation is not what is measured)."""
    from django.db import transaction

    from eprovince.core.models import User
    from eprovince.core.services.accounts import user_create
    from eprovince.onestop.demo_data import _form_data, _uploads
    from eprovince.onestop.models import Dossier, DossierFile, Procedure
    from eprovince.onestop.services.dossiers import dossier_draft_create, dossier_file_add

    procedure = Procedure.objects.get(national_code="1.901002")
    rng = random.Random(5)
    names = NameGenerator(99)
    plan = []
    for i in range(clients):
        username = f"bench_nop_{i:02d}"
        user = User.objects.filter(username=username).first() or user_create(
            acting_user=None, username=username, password=None, full_name=names.person(),
            email=f"{username}@example.vn", phone=f"0912{i:06d}", reason="Đo hiệu năng",
        )  # fmt: skip
        name = user.full_name or names.person()
        template = dossier_draft_create(
            acting_user=user, procedure=procedure, form_data=_form_data(procedure, name, rng), applicant_name=name,
            applicant_phone=user.phone, applicant_email=user.email, applicant_id_number=f"0890{90000000 + i}",
            applicant_address=f"Số {i + 1} đường Trần Hưng Đạo, Long Xuyên",
        )  # fmt: skip
        for upload in _uploads(procedure):
            dossier_file_add(dossier=template, acting_user=user, upload=upload)
        files = list(DossierFile.objects.filter(dossier=template))
        with transaction.atomic():
            copies = []
            for _k in range(per_client - 1):
                copy = Dossier.objects.get(pk=template.pk)
                copy.pk = None
                copies.append(copy)
            created = Dossier.objects.bulk_create(copies, batch_size=500)
            DossierFile.objects.bulk_create(
                [
                    DossierFile(
                        dossier=d,
                        kind=f.kind,
                        document_id=f.document_id,
                        field_key=f.field_key,
                        file=f.file.name,
                        original_name=f.original_name,
                        content_type=f.content_type,
                        size=f.size,
                        sha256=f.sha256,
                        uploaded_by=user,
                    )
                    for d in created
                    for f in files
                ],
                batch_size=1000,
            )
        plan.append((user.pk, [template.pk] + [d.pk for d in created]))
    return plan


def _warm_up() -> None:
    """One submission in this process before the workers are forked, not measured: they start as the workers of a
    server that has been running (modules imported, templates and translations loaded, the calendar cached) instead
    of each paying its first request's cost during the measure."""
    from eprovince.core.models import User
    from eprovince.onestop.models import Dossier
    from eprovince.onestop.services.online import dossier_online_submit

    ((user_id, (draft_id,)),) = _prepare_drafts(1, 1)
    dossier_online_submit(dossier=Dossier.objects.get(pk=draft_id), acting_user=User.objects.get(pk=user_id), site_url=SITE_URL)


def _submit_worker(user_id: int, draft_ids: list[int], start_at: float, interval: float, offset: float, out: Any) -> None:
    from django.db import connections

    from eprovince.core.models import User
    from eprovince.onestop.models import Dossier
    from eprovince.onestop.services.online import dossier_online_submit

    connections.close_all()  # this process's own connection
    user = User.objects.get(pk=user_id)
    drafts = list(Dossier.objects.filter(pk__in=draft_ids).order_by("pk"))
    results = []
    while time.time() < start_at:
        time.sleep(0.001)
    for k, draft in enumerate(drafts):
        scheduled = start_at + offset + k * interval
        wait = scheduled - time.time()
        if wait > 0:
            time.sleep(wait)
        t = time.time()
        try:
            done = dossier_online_submit(dossier=draft, acting_user=user, site_url=SITE_URL)
            results.append((t, time.time(), done.code, ""))
        except Exception as exc:  # every failure is reported, none stops the run
            results.append((t, time.time(), "", f"{type(exc).__name__}: {exc}"[:200]))
    out.put(results)


def bench_submissions(rate: float, clients: int, seconds: float) -> None:
    from django.db import connection, connections

    per_client = max(1, round(rate * seconds / clients))
    t = time.perf_counter()
    plan = _prepare_drafts(clients, per_client)
    print(f"  prepared {clients * per_client:,} drafts for {clients} applicants in {time.perf_counter() - t:.0f} s", flush=True)
    _warm_up()
    connections.close_all()
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    interval = clients / rate  # each client submits every `interval` seconds; the clients are staggered
    start_at = time.time() + 3
    procs = [
        ctx.Process(target=_submit_worker, args=(user_id, ids, start_at, interval, i * interval / clients, out))
        for i, (user_id, ids) in enumerate(plan)
    ]
    for p in procs:
        p.start()
    results = [r for _p in procs for r in out.get(timeout=seconds * 20 + 120)]
    for p in procs:
        p.join()
    codes = [code for _s, _e, code, err in results if not err]
    errors = [err for _s, _e, _c, err in results if err]
    latencies = [(e - s) * 1000 for s, e, _c, err in results if not err]
    span = max(e for _s, e, _c, _err in results) - start_at
    with connection.cursor() as c:
        c.execute(
            "SELECT count(*) FROM (SELECT code FROM onestop_dossier WHERE code = ANY(%s) GROUP BY code HAVING count(*) > 1) d",
            [codes],
        )
        duplicated = c.fetchone()[0]
    assert len(set(codes)) == len(codes) and duplicated == 0, "two submissions got the same code"
    report(
        f"online submissions: {clients} processes, {rate:.0f}/s offered",
        latencies,
        f"done={len(codes)} errors={len(errors)} achieved={len(codes) / span:.1f}/s over {span:.1f}s duplicates=0",
    )
    for err in sorted(set(errors))[:5]:
        print(f"  error: {err}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_ONESTOP_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="keep the database if it already holds the dossiers")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--only", default="", help="comma-separated: lookup,queue,search,statistics,submissions")
    args = parser.parse_args()

    prepare(args.database_url, fresh=not args.reuse)
    from django.db import connection

    from eprovince.onestop.models import Dossier

    existing = Dossier.objects.count()
    if existing < args.dossiers:
        print(f"generating {args.dossiers - existing:,} dossiers over {args.years} years …", flush=True)
        generate(args.dossiers - existing, args.years)
    with connection.cursor() as c:
        c.execute("SELECT pg_size_pretty(pg_total_relation_size('onestop_dossier')), (SELECT count(*) FROM onestop_dossierevent)")
        size, events = c.fetchone()
    print(
        f"database {args.database_url.split('@')[-1]}: {Dossier.objects.count():,} dossiers ({size} with indexes), "
        f"{events:,} events; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
    only = set(filter(None, args.only.split(","))) or {"lookup", "queue", "search", "statistics", "submissions"}
    if "lookup" in only:
        bench_lookup(args.samples)
    if "queue" in only:
        bench_queue(max(20, args.samples // 4))
    if "search" in only:
        bench_search(max(20, args.samples // 4))
    if "statistics" in only:
        bench_statistics(10)
    if "submissions" in only:
        bench_submissions(args.rate, args.clients, args.seconds)


if __name__ == "__main__":
    main()
