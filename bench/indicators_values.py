"""Benchmark: sector indicators with 10,000,000 data values on PostgreSQL (issue 4).

    .venv/bin/python bench/indicators_values.py [--reuse] [--repeat 5] [--only pivot,dashboard,upload,index]
        [--database-url postgres://postgres@127.0.0.1:5432/eprovince_bench_indicators]

Generation (skipped with --reuse when the values are there): migrates its own database, loads the national
administrative units (`load_units --all`: 63 former provinces with their 696 districts, 34 current provinces with
their 3.321 communes), installs the demo catalogue (demo_catalogue.py) through the catalogue services, creates one
reporting organisation per unit (4.114: a Department per province, a People's Committee per district or commune,
in a tree under one root), three report forms (monthly, quarterly, yearly) over the 27 elements, their rounds from
2012 to 2025, every submission approved, and fills exactly `--values` values with INSERT … SELECT in the server
(small driving tables go in with COPY), then ANALYZE; then the yearly summary (summary.rebuild, timed). With
--reuse on a database whose summary is empty (values generated before it existed), the summary is built first.

Measurements (each the median of `--repeat` runs after a warm-up, figures printed):
1. a pivot of one indicator over all units and 10 years (indicators.pivot.pivot when it exists, else the same
   table built with analytics.Context);
2. the dashboard page through Django's test Client when the view exists, else the selectors it would call;
3. 100.000 values validated and saved: (a) 20 Excel files of one unit's report each (5.000 cells: the most one
   file may hold, excel.MAX_ROWS), through excel.excel_import; (b) one data value set of 100.000 rows through the
   API's code path (datasets.resolve + services.values.values_import), and the same over HTTP in two requests of
   50.000 rows (datasets.MAX_ROWS);
4. an index over 63 provinces and 100 indicators (60 computed from the values, 40 entered), rankings.index_table.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/eprovince_bench_indicators"
ROOT_ORG_NAME = "Đơn vị báo cáo (dữ liệu đo hiệu năng)"
FIRST_YEAR, LAST_YEAR = 2012, 2025
EXCEL_FILES, EXCEL_ELEMENTS, EXCEL_OPTIONS = 20, 50, 100  # 20 files × 50 elements × 100 options = 100.000 values
EXCEL_PERIOD = "2026"

# element code → (form, kind, base value for a commune in one period of the form)
CELLS: dict[str, tuple[str, str, float]] = {
    "REVENUE": ("M", "dec", 2.0),
    "BUDGET_CONTRIBUTION": ("M", "dec", 0.3),
    "SUB_PHONE": ("M", "int", 8000),
    "SUB_INTERNET": ("M", "int", 6000),
    "SUB_BROADBAND": ("M", "int", 2500),
    "ONLINE_MEETINGS": ("M", "int", 3),
    "DVBT2_RECEIVERS": ("M", "int", 10),
    "BTS": ("Q", "int", 12),
    "FIBRE_KM": ("Q", "int", 40),
    "EGOV_SERVICES_L12": ("Q", "int", 100),
    "EGOV_SERVICES_L3": ("Q", "int", 30),
    "EGOV_SERVICES_L4": ("Q", "int", 20),
    "BRIDGE_POINTS": ("Q", "int", 2),
    "BTS_PERMITS": ("Q", "int", 2),
    "TRAINING_CLASSES": ("Q", "int", 1),
    "TRAINEES": ("Q", "int", 30),
    "INSPECTIONS": ("Q", "int", 1),
    "VIOLATIONS": ("Q", "int", 2),
    "FINES": ("Q", "int", 5_000_000),
    "POPULATION": ("Y", "int", 30_000),
    "OFFICIALS_EMAIL_PCT": ("Y", "pct", 0),
    "ONE_STOP_IT": ("Y", "bool", 0),
    "COMMUNES_TOTAL": ("Y", "int", 1),
    "COMMUNES_CRITERION8": ("Y", "int", 1),
    "IT_PROGRAMMES": ("Y", "int", 1),
    "IT_PROGRAMME_FUNDS": ("Y", "dec", 0.5),
}
FORMS = {"M": ("HIEUNANG_THANG", "month"), "Q": ("HIEUNANG_QUY", "quarter"), "Y": ("HIEUNANG_NAM", "year")}
SCALE = {"former_province": 150, "current_province": 300, "district": 10, "commune": 1}


def log(text: str) -> None:
    print(text, flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms".replace(",", ".")


def timed(label: str, fn: Callable[[], Any], *, repeat: int, warmup: int = 1) -> tuple[float, Any]:
    result = None
    for _ in range(warmup):
        result = fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    median = statistics.median(runs)
    log(f"  {label}: median {ms(median)} (min {ms(min(runs))}, max {ms(max(runs))}, {repeat} runs)")
    return median, result


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="eprovince.settings.production",
        DATABASE_URL=url,
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789"),
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SINGLE_NODE="1",  # without REDIS_URL the production settings need this said
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()


# Generation ------------------------------------------------------------------------------------------------


def insert_select(cursor: Any, table: str, given: dict[str, str], source: str, params: tuple = ()) -> int:
    """INSERT INTO table (given columns + every other NOT NULL column without a default) SELECT …: columns other
    changes may add get a neutral value, so the generator keeps working while the models grow."""
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s AND is_nullable = 'NO' "
        "AND column_default IS NULL",
        [table],
    )
    neutral = {"text": "''", "character varying": "''", "boolean": "false", "jsonb": "'{}'::jsonb", "date": "current_date"}
    columns = dict(given)
    for name, kind in cursor.fetchall():
        if name in columns or name == "id":
            continue
        if kind.startswith("timestamp"):
            columns[name] = "now()"
        elif kind in neutral:
            columns[name] = neutral[kind]
        elif kind in ("integer", "smallint", "bigint", "numeric"):
            columns[name] = "0"
    names = ", ".join(f'"{c}"' for c in columns)
    cursor.execute(f'INSERT INTO "{table}" ({names}) SELECT {", ".join(columns.values())} {source}', params)
    return int(cursor.rowcount)


@contextlib.contextmanager
def without_indexes(cursor: Any, table: str) -> Iterator[None]:
    """Drop the table's constraints (but its primary key) and indexes for a bulk load, then build them again: one
    sort per index instead of 10 million index insertions and foreign-key lookups."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype <> 'p'",
        [table],
    )
    constraints = cursor.fetchall()
    for name, _definition in constraints:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype = 'p')",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        started = time.perf_counter()
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        log(
            f"  {table}: {len(indexes)} indexes and {len(constraints)} constraints rebuilt ({time.perf_counter() - started:.0f} s)"
        )


def generate(total: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Q

    from eprovince.core.constants import OrganisationKind
    from eprovince.core.models import AdminUnit, Organisation, UnitSuccession
    from eprovince.indicators import demo_catalogue as cat
    from eprovince.indicators.constants import RoundStatus
    from eprovince.indicators.models import CategoryCombo, CategoryOption, DataElement, ReportForm, ReportingRound
    from eprovince.indicators.periods import periods_of_year
    from eprovince.indicators.services import catalogue

    started = time.perf_counter()
    if AdminUnit.objects.filter(level="province").count() < 97:
        call_command("load_units", all=True, stdout=io.StringIO())
    log(f"  units: {AdminUnit.objects.count()} ({time.perf_counter() - started:.0f} s)")

    for combo in cat.COMBOS:
        catalogue.category_combo_save(acting_user=None, **combo)
    combos = {c.code: c for c in CategoryCombo.objects.all()}
    for order, (code, name, unit, kind, over_units, over_time, decimals, combo_code) in enumerate(cat.ELEMENTS, start=1):
        catalogue.data_element_save(
            acting_user=None, code=code, name=name, unit=unit, value_type=kind, aggregation=over_units,
            time_aggregation=over_time, decimals=decimals, category_combo=combos.get(combo_code or ""), order=order * 10,
        )  # fmt: skip
    for order, spec in enumerate(cat.INDICATORS, start=1):
        catalogue.indicator_save(acting_user=None, order=order * 10, **spec)
    elements = {e.code: e for e in DataElement.objects.all()}

    # Organisations: one per unit, under one root ------------------------------------------------------------
    root = Organisation.objects.filter(name=ROOT_ORG_NAME, parent=None).first()
    if root is None:
        root = Organisation.objects.create(name=ROOT_ORG_NAME, kind=OrganisationKind.MINISTRY)
        Organisation.objects.filter(pk=root.pk).update(path=f"/{root.pk}/")
        root.refresh_from_db()
    if not Organisation.objects.filter(parent=root).exists():
        with transaction.atomic():
            provinces = list(AdminUnit.objects.filter(level="province"))
            top = [
                Organisation(
                    name=("Sở Thông tin và Truyền thông " if u.valid_to else "Sở Khoa học và Công nghệ ") + u.full_name,
                    kind=OrganisationKind.DEPARTMENT,
                    parent=root,
                    admin_unit=u,
                    valid_to=u.valid_to,
                    valid_from=u.valid_from,
                )
                for u in provinces
            ]
            Organisation.objects.bulk_create(top)
            by_unit = {o.admin_unit_id: o for o in top}  # type: ignore[misc]
            # former districts under the former provinces; current communes under the current provinces
            lower = AdminUnit.objects.filter(
                Q(level="district") | Q(level="commune", valid_to__isnull=True), parent_id__in=list(by_unit)
            )
            Organisation.objects.bulk_create(
                [
                    Organisation(
                        name=f"Ủy ban nhân dân {u.full_name}",
                        kind=OrganisationKind.PEOPLES_COMMITTEE,
                        parent=by_unit[u.parent_id],  # type: ignore[index]
                        admin_unit=u,
                        valid_from=u.valid_from,
                        valid_to=u.valid_to,
                    )
                    for u in lower
                ],
                batch_size=2000,
            )
            for link in UnitSuccession.objects.filter(predecessor__level="province", successor__level="province"):
                if link.predecessor_id in by_unit and link.successor_id in by_unit:
                    Organisation.objects.filter(pk=by_unit[link.predecessor_id].pk).update(successor=by_unit[link.successor_id])
            with connection.cursor() as cursor:
                for _level in range(3):
                    cursor.execute(
                        "UPDATE core_organisation o SET path = p.path || o.id || '/' FROM core_organisation p "
                        "WHERE o.parent_id = p.id AND o.path = '' AND p.path <> ''"
                    )
    units = Organisation.objects.filter(path__startswith=root.path).exclude(pk=root.pk)
    unit_count = units.count()
    log(f"  reporting organisations: {unit_count}")

    # Forms, rounds, approved submissions ------------------------------------------------------------------------
    forms: dict[str, ReportForm] = {}
    for key, (code, period_type) in FORMS.items():
        forms[key] = catalogue.report_form_save(
            acting_user=None,
            code=code,
            name=f"Biểu đo hiệu năng ({period_type})",
            owner=root,
            period_type=period_type,
            convention="calendar",
            deadline_days=10,
            change_comment_threshold=None,
            elements=[(elements[c], "") for c, spec in CELLS.items() if spec[0] == key],
            organisations=list(units),
        )
    for form in forms.values():
        if not ReportingRound.objects.filter(form=form).exists():
            ReportingRound.objects.bulk_create(
                [
                    ReportingRound(
                        form=form,
                        period=p.id,
                        opens_on=p.start(),
                        deadline=form.deadline_for(p),
                        status=RoundStatus.CLOSED,
                    )
                    for year in range(FIRST_YEAR, LAST_YEAR + 1)
                    for p in periods_of_year(year, form.period_type)
                ]
            )
    options = {(o.combo_id, o.code): o.pk for o in CategoryOption.objects.all()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM indicators_datavalue WHERE source = 'bench'")
        if cursor.fetchone()[0] >= total:
            return
        cursor.execute("DROP TABLE IF EXISTS bench_orgs, bench_cells, bench_rounds")
        cursor.execute("CREATE TEMP TABLE bench_orgs (id int PRIMARY KEY, scale numeric)")
        cursor.execute("CREATE TEMP TABLE bench_cells (form_id int, element_id int, option_id int, kind text, base numeric)")
        cursor.execute("CREATE TEMP TABLE bench_rounds (id int PRIMARY KEY, form_id int, period text, year int)")
        raw = cursor.connection  # psycopg 3: COPY for the driving tables
        # (every query before the COPY: the connection serves one statement at a time)
        org_rows = list(units.values_list("pk", "admin_unit__level", "admin_unit__valid_to"))
        round_rows = list(ReportingRound.objects.filter(form__in=forms.values()).values_list("pk", "form_id", "period"))
        with raw.cursor() as pg, pg.copy("COPY bench_orgs (id, scale) FROM STDIN") as copy:
            for pk, level, valid_to in org_rows:
                key = {"province": "former_province" if valid_to else "current_province"}.get(level, level)
                copy.write_row((pk, SCALE[key]))
        with raw.cursor() as pg, pg.copy("COPY bench_cells (form_id, element_id, option_id, kind, base) FROM STDIN") as copy:
            for code, (key, kind, base) in CELLS.items():
                element = elements[code]
                opts: list[int | None] = [o for (combo, _c), o in options.items() if combo == element.category_combo_id]
                opts = opts or [None]
                for option in opts:
                    copy.write_row((forms[key].pk, element.pk, option, kind, base / len(opts)))
        with raw.cursor() as pg, pg.copy("COPY bench_rounds (id, form_id, period, year) FROM STDIN") as copy:
            for rid, form_id, period in round_rows:
                copy.write_row((rid, form_id, period, int(period[:4])))
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SELECT count(*) FROM indicators_submission s JOIN bench_rounds r ON r.id = s.round_id")
        if cursor.fetchone()[0] == 0:
            t = time.perf_counter()
            with without_indexes(cursor, "indicators_submission"):
                n = insert_select(
                    cursor,
                    "indicators_submission",
                    {
                        "round_id": "r.id",
                        "organisation_id": "o.id",
                        "status": "'approved'",
                        "first_submitted_at": "(rr.deadline - 3)::timestamptz",
                        "submitted_at": "(rr.deadline - 3)::timestamptz",
                        "approved_at": "(rr.deadline + 2)::timestamptz",
                        "created_at": "now()",
                        "updated_at": "now()",
                    },
                    "FROM bench_rounds r JOIN indicators_reportinground rr ON rr.id = r.id CROSS JOIN bench_orgs o",
                )
            log(f"  approved submissions: {n} ({time.perf_counter() - t:.0f} s)")
        cursor.execute("SELECT count(*) FROM indicators_datavalue WHERE source = 'bench'")
        done = cursor.fetchone()[0]
        noise = "((hashtext(s.organisation_id || ':' || c.element_id || ':' || coalesce(c.option_id, 0) || ':' || r.period) & 1048575) / 1048575.0)"
        grow = "(1 + 0.04 * (r.year - 2012))"
        value = (
            f"CASE c.kind WHEN 'pct' THEN round(60 + 40 * {noise}, 1) WHEN 'bool' THEN (CASE WHEN {noise} > 0.3 THEN 1 ELSE 0 END) "
            f"WHEN 'dec' THEN round(c.base * o.scale * {grow} * (0.8 + 0.4 * {noise}), 1) "
            f"ELSE round(c.base * o.scale * {grow} * (0.8 + 0.4 * {noise})) END"
        )
        with without_indexes(cursor, "indicators_datavalue"):
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                if done >= total:
                    break
                cursor.execute("SELECT EXISTS (SELECT 1 FROM indicators_datavalue WHERE source = 'bench' AND year = %s)", [year])
                if cursor.fetchone()[0]:
                    continue
                t = time.perf_counter()
                n = insert_select(
                    cursor,
                    "indicators_datavalue",
                    {
                        "element_id": "c.element_id",
                        "category_option_id": "c.option_id",
                        "organisation_id": "s.organisation_id",
                        "period": "r.period",
                        "year": "r.year",
                        "value": value,
                        "comment": "''",
                        "source": "'bench'",
                        "synthetic": "true",
                        "submission_id": "s.id",
                        "created_at": "now()",
                        "updated_at": "now()",
                    },
                    "FROM indicators_submission s JOIN bench_rounds r ON r.id = s.round_id "
                    "JOIN bench_orgs o ON o.id = s.organisation_id JOIN bench_cells c ON c.form_id = r.form_id "
                    "WHERE r.year = %s LIMIT %s",
                    (year, total - done),
                )
                done += n
                log(f"  values {year}: {n} (total {done}, {time.perf_counter() - t:.0f} s)")
        # the visibility map too: index-only scans, as autovacuum would leave a table loaded over the years
        cursor.execute("VACUUM (ANALYZE) indicators_datavalue")
        cursor.execute("VACUUM (ANALYZE) indicators_submission")
        cursor.execute("ANALYZE")
    build_summary()
    log(f"  generated in {time.perf_counter() - started:.0f} s")


def build_summary() -> None:
    """The yearly summary of every organisation (summary.rebuild: one INSERT … SELECT per year), then VACUUM for
    index-only reads."""
    from django.db import connection

    from eprovince.indicators import summary

    started = time.perf_counter()
    rows = summary.rebuild()
    log(f"  yearly summary (summary.rebuild): {rows:,} rows in {time.perf_counter() - started:.0f} s".replace(",", "."))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) indicators_yearlyvalue")


def ensure_summary() -> None:
    """--reuse on values generated before the summary existed: build it when the table is empty (migration 0005
    fills it when it finds values; not when the values came after it), and vacuum it once."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM indicators_yearlyvalue)")
        if not cursor.fetchone()[0]:
            log("yearly summary empty:")
            build_summary()
            return
        cursor.execute(
            "SELECT last_vacuum IS NULL AND last_autovacuum IS NULL FROM pg_stat_user_tables WHERE relname = 'indicators_yearlyvalue'"
        )
        if cursor.fetchone()[0]:
            cursor.execute("VACUUM (ANALYZE) indicators_yearlyvalue")


# Measurements ----------------------------------------------------------------------------------------------


def bench_root() -> Any:
    from eprovince.core.models import Organisation

    return Organisation.objects.get(name=ROOT_ORG_NAME, parent=None)


def bench_user(role: str, username: str) -> Any:
    from eprovince.core.models import User
    from eprovince.core.services.accounts import role_grant, user_create

    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(acting_user=None, username=username, password=None, full_name=f"Đo hiệu năng ({role})")
    role_grant(user=user, role=role, organisation=bench_root(), acting_user=None)
    return user


def measure_pivot(repeat: int) -> None:
    from eprovince.indicators.models import DataElement
    from eprovince.indicators.pivot import PERIOD, UNIT, pivot, unit_scopes

    root = bench_root()
    unit_ids = list(
        type(root).objects.filter(path__startswith=root.path).exclude(pk=root.pk).order_by("path").values_list("pk", flat=True)
    )
    log(f"pivot (indicators.pivot.pivot), {len(unit_ids)} units as rows, years {LAST_YEAR - 9}–{LAST_YEAR}:")
    timed("scopes of the units (unit_scopes)", lambda: unit_scopes(unit_ids), repeat=repeat)
    for code, period_type in (("POPULATION", "year"), ("SUB_PHONE", "quarter"), ("REVENUE", "month")):
        element = DataElement.objects.get(code=code)
        _median, table = timed(
            f"{code} by {period_type}",
            lambda e=element, t=period_type: pivot(  # type: ignore[misc]
                indicator_ids=[e.pk],
                unit_ids=unit_ids,
                period_type=t,
                year_from=LAST_YEAR - 9,
                year_to=LAST_YEAR,
                rows=UNIT,
                cols=PERIOD,
            ),
            repeat=repeat,
        )
        log(f"    {len(table.rows)} rows × {len(table.columns)} columns, {table.filled} cells filled")


def measure_dashboard(repeat: int) -> None:
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from eprovince.core.constants import Role

    call_command("collectstatic", interactive=False, verbosity=0)  # the production settings' manifest of static files

    user = bench_user(Role.LEADER, "bench_leader")
    client = Client()
    client.force_login(user)
    url = reverse("indicators:dashboard")
    province = bench_root().children.filter(valid_to__isnull=True).order_by("path").first()

    def get(query: str = "") -> int:
        response = client.get(url + query)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    log(f"dashboard page {url} (test Client, signed in as a leader of the root organisation):")
    _m, size = timed("whole province", get, repeat=repeat)
    log(f"    {size:,} bytes".replace(",", "."))
    timed(f"one province ({province.name})", lambda: get(f"?unit={province.pk}"), repeat=repeat)


def upload_setup() -> tuple[Any, list[Any]]:
    """A yearly form of 50 elements × 100 communes (5.000 cells per unit), its 2026 round open for 20 units."""
    from eprovince.core.models import Organisation
    from eprovince.indicators.models import CategoryCombo, DataElement, ReportForm, ReportingRound, Submission
    from eprovince.indicators.services import catalogue, rounds

    root = bench_root()
    combo = CategoryCombo.objects.filter(code="HIEUNANG_XA").first()
    if combo is None:
        combo = catalogue.category_combo_save(
            acting_user=None,
            code="HIEUNANG_XA",
            name="Theo xã (đo hiệu năng)",
            options=[(f"XA{i:03d}", f"Xã số {i}") for i in range(1, EXCEL_OPTIONS + 1)],
        )
    elements = []
    for i in range(1, EXCEL_ELEMENTS + 1):
        element = DataElement.objects.filter(code=f"HIEUNANG_E{i:02d}").first() or catalogue.data_element_save(
            acting_user=None, code=f"HIEUNANG_E{i:02d}", name=f"Chỉ tiêu đo hiệu năng số {i}", unit="điểm",
            value_type="integer", aggregation="sum", time_aggregation="sum", category_combo=combo, order=900 + i,
        )  # fmt: skip
        elements.append(element)
    form = ReportForm.objects.filter(code="HIEUNANG_NHAP").first()
    if form is None:
        # current provinces: a round of 2026 expects the organisations that exist in 2026
        units = list(Organisation.objects.filter(parent=root, valid_to__isnull=True).order_by("path")[:EXCEL_FILES])
        form = catalogue.report_form_save(
            acting_user=None, code="HIEUNANG_NHAP", name="Biểu đo hiệu năng nhập Excel (theo xã)", owner=root,
            period_type="year", convention="calendar", deadline_days=10, change_comment_threshold=None,
            elements=[(e, "") for e in elements], organisations=units,
        )  # fmt: skip
    round_ = ReportingRound.objects.filter(form=form, period=EXCEL_PERIOD).first() or rounds.round_open(
        acting_user=None, form=form, period=EXCEL_PERIOD
    )
    return form, list(Submission.objects.filter(round=round_).select_related("organisation").order_by("pk"))


def upload_reset(submissions: list[Any]) -> None:
    from django.db import connection

    ids = [s.pk for s in submissions]
    with connection.cursor() as cursor:  # the audit trail refuses deletes through the ORM, rightly
        cursor.execute("DELETE FROM indicators_datavalueaudit WHERE submission_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM indicators_datavalue WHERE submission_id = ANY(%s)", [ids])
        cursor.execute("UPDATE indicators_submission SET status = 'draft' WHERE id = ANY(%s)", [ids])


def filled_workbook(submission: Any) -> bytes:
    from openpyxl import load_workbook

    from eprovince.indicators import excel

    cache = Path("/tmp/eprovince-bench-excel") / f"{submission.pk}.xlsx"
    if cache.exists():
        return cache.read_bytes()
    wb = load_workbook(io.BytesIO(excel.template_bytes(submission)))
    ws = wb[excel.SHEET]
    for row in range(excel.FIRST_ROW, ws.max_row + 1):
        if ws[f"A{row}"].value:
            ws[f"F{row}"].value = (row * 37 + submission.pk) % 5000
    out = io.BytesIO()
    wb.save(out)
    cache.parent.mkdir(exist_ok=True)
    cache.write_bytes(out.getvalue())
    return out.getvalue()


def measure_upload(repeat: int, excel_runs: int = 1) -> None:
    from django.test import Client

    from eprovince.core.constants import Role
    from eprovince.core.services.accounts import api_token_create
    from eprovince.indicators import excel

    user = bench_user(Role.REPORTING_OFFICER, "bench_reporter")
    _form, submissions = upload_setup()
    cells = EXCEL_ELEMENTS * EXCEL_OPTIONS
    started = time.perf_counter()
    files = [filled_workbook(s) for s in submissions]
    log(f"upload: {len(files)} Excel files of {cells} cells prepared ({time.perf_counter() - started:.0f} s, "
        f"{sum(map(len, files)) // len(files) // 1024} KiB each)")  # fmt: skip

    def excel_run() -> float:
        upload_reset(submissions)
        total = 0.0
        for submission, data in zip(submissions, files, strict=True):
            submission.refresh_from_db()
            start = time.perf_counter()
            result = excel.excel_import(acting_user=user, submission=submission, data=data, filename="bench.xlsx")
            total += time.perf_counter() - start
            assert result.created == cells, result
        return total

    runs = [excel_run() for _ in range(excel_runs)] or [float("nan")]
    log(f"  Excel, {len(files)} files × {cells} = {len(files) * cells} values (excel.excel_import, sum over the files): "
        f"median {ms(statistics.median(runs))} (min {ms(min(runs))}, max {ms(max(runs))}, {len(runs)} runs), "
        f"{ms(statistics.median(runs) / len(files))} per file")  # fmt: skip

    _token, raw = api_token_create(user=user, name="bench", acting_user=user)
    client = Client()
    url = "/api/v1/indicators/dataValueSets"
    lines = ["dataElement,categoryOption,orgUnit,period,value"]
    element_codes = [f"HIEUNANG_E{i:02d}" for i in range(1, EXCEL_ELEMENTS + 1)]
    for submission in submissions:
        for code in element_codes:
            for option in range(1, EXCEL_OPTIONS + 1):
                lines.append(
                    f"{code},XA{option:03d},{submission.organisation_id},{EXCEL_PERIOD},{(option * 7 + submission.pk) % 999}"
                )
    half = (len(lines) - 1) // 2
    bodies = ["\n".join([lines[0], *lines[1 : half + 1]]), "\n".join([lines[0], *lines[half + 1 :]])]

    def api_run() -> float:
        upload_reset(submissions)
        start = time.perf_counter()
        imported = 0
        for body in bodies:
            response = client.post(url, data=body.encode(), content_type="text/csv", headers={"authorization": f"Bearer {raw}"})
            assert response.status_code == 200, response.content[:500]
            imported += response.json()["imported"]
        assert imported == len(lines) - 1, imported
        return time.perf_counter() - start

    runs = [api_run() for _ in range(max(1, repeat // 2))]
    log(f"  API dataValueSets, CSV, {len(lines) - 1} values in 2 requests of {half} (datasets.MAX_ROWS): "
        f"median {ms(statistics.median(runs))} (min {ms(min(runs))}, max {ms(max(runs))}, {len(runs)} runs)")  # fmt: skip
    upload_reset(submissions)


def index_setup() -> Any:
    """An index of 100 indicators in 5 components over the 63 former provinces: 60 items computed from the
    values (each catalogue element and indicator in turn, min–max among the provinces), 40 entered (scores)."""
    from eprovince.core.models import Organisation
    from eprovince.indicators.models import DataElement, IndexFramework, IndexInput, IndexSubject, Indicator
    from eprovince.indicators.services import indices

    framework = IndexFramework.objects.filter(code="HIEUNANG_CHISO", year=LAST_YEAR).first()
    if framework is not None and IndexInput.objects.filter(item__component__framework=framework).count() == 63 * 40:
        return framework
    backed: list[dict[str, Any]] = [{"element": e} for e in DataElement.objects.filter(code__in=list(CELLS))]
    backed += [{"indicator": i} for i in Indicator.objects.all()]
    items = []
    for n in range(100):
        spec: dict[str, Any] = {"code": f"TC{n + 1:03d}", "name": f"Tiêu chí {n + 1}"}
        if n < 60:
            spec.update(backed[n % len(backed)], normalisation="min_max")
        else:
            spec.update(normalisation="raw")
        items.append(spec)
    definition = {
        "code": "HIEUNANG_CHISO",
        "name": "Chỉ số đo hiệu năng (100 tiêu chí)",
        "aggregation": "weighted_mean",
        "components": [
            {"code": f"TP{c + 1}", "name": f"Thành phần {c + 1}", "items": items[c * 20 : (c + 1) * 20]} for c in range(5)
        ],
    }
    framework = indices.framework_install(acting_user=None, definition=definition, year=LAST_YEAR)
    root = bench_root()
    for org in Organisation.objects.filter(parent=root, valid_to__isnull=False).select_related("admin_unit"):
        subject = indices.index_subject_save(
            acting_user=None,
            code=f"HIEUNANG_{org.admin_unit.code if org.admin_unit else org.pk}",
            name=org.name,
            organisation=org,
            frameworks=[framework],
        )
        indices.index_inputs_save(
            acting_user=None,
            framework=framework,
            subject=subject,
            values={f"TC{n + 1:03d}": f"0.{(n * 31 + subject.pk * 17) % 1000:03d}" for n in range(60, 100)},
            synthetic=True,
        )
    assert IndexSubject.objects.filter(frameworks=framework).count() == 63
    return framework


def measure_index(repeat: int) -> None:
    from eprovince.indicators.rankings import index_table

    framework = index_setup()
    log("index (rankings.index_table), 63 provinces × 100 indicators (60 from the values of 2025, 40 entered):")
    _m, table = timed("index_table", lambda: index_table(framework), repeat=repeat)
    log(f"    {table.ranked} provinces ranked; first: {table.rows[0].subject.name} {table.rows[0].score}")


def ensure_model_indexes() -> None:
    """Build the models' indexes a database migrated before they were declared lacks (0003 was a placeholder)."""
    from django.db import connection

    from eprovince.indicators.models import DataValue, Submission

    for model in (DataValue, Submission):
        with connection.cursor() as cursor:
            existing = connection.introspection.get_constraints(cursor, model._meta.db_table)
        for index in model._meta.indexes:
            if index.name not in existing:
                started = time.perf_counter()
                with connection.schema_editor() as editor:
                    editor.add_index(model, index)
                log(f"index {index.name} built ({time.perf_counter() - started:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("BENCH_INDICATORS_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--values", type=int, default=10_000_000)
    parser.add_argument("--reuse", action="store_true", help="skip generation when the values are there")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="pivot,dashboard,upload,index")
    parser.add_argument("--excel-runs", type=int, default=1, help="runs of the 20 Excel files (0: only the API)")
    args = parser.parse_args()

    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)  # 0005 builds the yearly summary of the values there
    log(f"migrate: {time.perf_counter() - started:.0f} s")
    ensure_model_indexes()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM indicators_datavalue")
        present = cursor.fetchone()[0]
    if not (args.reuse and present >= args.values):
        log("generation:")
        generate(args.values)
    ensure_summary()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('indicators_datavalue')) FROM indicators_datavalue"
        )
        count, size = cursor.fetchone()
    log(f"data values: {count:,} ({size} with indexes)".replace(",", "."))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('indicators_yearlyvalue')) FROM indicators_yearlyvalue"
        )
        count, size = cursor.fetchone()
    log(f"yearly summary: {count:,} rows ({size} with indexes)".replace(",", "."))
    load = os.getloadavg()
    log(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    only = set(args.only.split(","))
    for name, fn in (
        ("pivot", measure_pivot),
        ("dashboard", measure_dashboard),
        ("upload", lambda r: measure_upload(r, args.excel_runs)),
        ("index", measure_index),
    ):
        if name in only:
            fn(args.repeat)
    load = os.getloadavg()
    log(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
