"""Profile one unit's upload (issue 4): an Excel file of 5.000 cells and the same values through the API's path.

    .venv/bin/python bench/profile_upload.py [--database-url sqlite:////tmp/eprovince-profile-upload.sqlite3]
        [--runs 3] [--only template,excel,update,api] [--profile template,excel,api] [--top 30] [--rules]

Builds its own small database (never the 10-million-value benchmark's): one reporting unit, a yearly form of 50
elements × 100 options (the 5.000 cells of bench/indicators_values.py's files, excel.MAX_ROWS), its 2026 round open,
a reporting officer. `--rules` adds last year's values, a change threshold and a few validation rules to the form,
so the rules' evaluation is measured too. Then, with the load average beside every figure:
1. template_bytes of the unit's report (the template a user downloads, pre-filled with the values entered);
2. excel.excel_import of a filled template (the values reset before each run, so each run creates 5.000 values
   and their history), then of a second file changing every value (5.000 updates);
3. the API's path for the same 5.000 values (datasets.rows_from_csv + resolve + services.values.values_import).
Each part: wall time and this process's CPU time per run (median and min of `--runs`), then one run under cProfile
with the top functions by own and cumulative time (`--profile`, '' for none).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "sqlite:////tmp/eprovince-profile-upload.sqlite3"
ELEMENTS, OPTIONS, PERIOD, LAST_PERIOD = 50, 100, "2026", "2025"
FORM_CODE = "HIEUNANG_NHAP"
CACHE = Path("/tmp/eprovince-profile-upload")


def log(text: str) -> None:
    print(text, flush=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f}"


def setup_django(url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="eprovince.settings.production",
        DATABASE_URL=url,
        SECRET_KEY=os.environ.get("SECRET_KEY", "profile-only-secret-key-not-for-production-use-0123456789"),
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SINGLE_NODE="1",  # without REDIS_URL the production settings need this said
        LOG_LEVEL="WARNING",
    )
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        assert name != "eprovince_bench_indicators", "the 10M benchmark's database is not for profiling"
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def world(rules: bool) -> tuple[Any, Any]:
    """(the unit's submission in the open 2026 round, its reporting officer): built once, through the services."""
    from eprovince.core.constants import OrganisationKind, Role
    from eprovince.core.models import Organisation, User
    from eprovince.core.services.accounts import role_grant, user_create
    from eprovince.core.services.organisations import organisation_create
    from eprovince.indicators.models import CategoryCombo, DataElement, ReportForm, ReportingRound, Submission
    from eprovince.indicators.periods import Period
    from eprovince.indicators.services import catalogue, rounds, values

    root = Organisation.objects.filter(name="Sở (đo hiệu năng nhập)", parent=None).first() or organisation_create(
        acting_user=None, name="Sở (đo hiệu năng nhập)", kind=OrganisationKind.DEPARTMENT, parent=None
    )
    unit = Organisation.objects.filter(parent=root).first() or organisation_create(
        acting_user=None, name="Ủy ban nhân dân huyện (đo hiệu năng)", kind=OrganisationKind.PEOPLES_COMMITTEE, parent=root
    )
    combo = CategoryCombo.objects.filter(code="HIEUNANG_XA").first() or catalogue.category_combo_save(
        acting_user=None, code="HIEUNANG_XA", name="Theo xã (đo hiệu năng)",
        options=[(f"XA{i:03d}", f"Xã số {i}") for i in range(1, OPTIONS + 1)],
    )  # fmt: skip
    elements = []
    for i in range(1, ELEMENTS + 1):
        element = DataElement.objects.filter(code=f"HIEUNANG_E{i:02d}").first() or catalogue.data_element_save(
            acting_user=None, code=f"HIEUNANG_E{i:02d}", name=f"Chỉ tiêu đo hiệu năng số {i}", unit="điểm",
            value_type="integer", aggregation="sum", time_aggregation="sum", category_combo=combo, order=900 + i,
        )  # fmt: skip
        elements.append(element)
    form = ReportForm.objects.filter(code=FORM_CODE).first() or catalogue.report_form_save(
        acting_user=None, code=FORM_CODE, name="Biểu đo hiệu năng nhập Excel (theo xã)", owner=root,
        period_type="year", convention="calendar", deadline_days=10, change_comment_threshold=None,
        elements=[(e, "") for e in elements], organisations=[unit],
    )  # fmt: skip
    admin = User.objects.filter(username="profile_admin").first()
    if admin is None:
        admin = user_create(acting_user=None, username="profile_admin", password=None, full_name="Quản trị (đo)")
        role_grant(user=admin, role=Role.ADMIN, organisation=None, acting_user=None)
    if rules:
        if form.change_comment_threshold is None:
            catalogue.report_form_save(
                acting_user=None, code=FORM_CODE, owner=root, elements=[(e, "") for e in elements],
                organisations=[unit], change_comment_threshold=50,
            )  # fmt: skip
        for n, (left, operator, right) in enumerate(
            (
                ("#{HIEUNANG_E01}", ">=", "#{HIEUNANG_E02.XA001}"),
                ("#{HIEUNANG_E03} + #{HIEUNANG_E04}", "<=", "last_year(#{HIEUNANG_E03} + #{HIEUNANG_E04}) * 10"),
                ("#{HIEUNANG_E05.XA050}", "<=", "#{HIEUNANG_E05}"),
            ),
            start=1,
        ):
            catalogue.validation_rule_save(
                acting_user=None, form=form, name=f"Quy tắc đo {n}", left=left, operator=operator, right=right,
                message=f"Quy tắc đo {n} không thỏa.", severity="warning",
            )  # fmt: skip
        from eprovince.indicators.models import DataValue

        if not DataValue.objects.filter(organisation=unit, period=LAST_PERIOD).exists():
            entries = [
                values.ValueEntry(element=e, option=o, raw=(i * 13 + j) % 4000, source="đo hiệu năng")
                for i, e in enumerate(elements)
                for j, o in enumerate(combo.options.order_by("order"))
            ]
            values.values_import_published(
                acting_user=admin, organisation=unit, period=Period.parse(LAST_PERIOD), entries=entries
            )
    round_ = ReportingRound.objects.filter(form=form, period=PERIOD).first() or rounds.round_open(
        acting_user=None, form=form, period=PERIOD
    )
    user = User.objects.filter(username="profile_reporter").first()
    if user is None:
        user = user_create(acting_user=None, username="profile_reporter", password=None, full_name="Báo cáo viên (đo)")
        role_grant(user=user, role=Role.REPORTING_OFFICER, organisation=root, acting_user=None)
    submission = Submission.objects.select_related("organisation", "round__form").get(round=round_, organisation=unit)
    return submission, user


def reset(submission: Any) -> None:
    from django.db import connection

    with connection.cursor() as cursor:  # the history refuses deletes through the ORM, rightly
        cursor.execute("DELETE FROM indicators_datavalueaudit WHERE submission_id = %s", [submission.pk])
        cursor.execute("DELETE FROM indicators_datavalue WHERE submission_id = %s", [submission.pk])
        cursor.execute("UPDATE indicators_submission SET status = 'draft' WHERE id = %s", [submission.pk])
    submission.refresh_from_db()


def filled_workbook(submission: Any, salt: int = 0) -> bytes:
    """The unit's template with every value cell filled, as bench/indicators_values.py fills its files (`salt`
    changes every value: a second file updating the first one's values)."""
    from openpyxl import load_workbook

    from eprovince.indicators import excel

    cache = CACHE / f"{submission.pk}-{submission.round.form.code}-{salt}.xlsx"
    if cache.exists():
        return cache.read_bytes()
    wb = load_workbook(io.BytesIO(excel.template_bytes(submission)))
    ws = wb[excel.SHEET]
    for row in range(excel.FIRST_ROW, ws.max_row + 1):
        if ws[f"A{row}"].value:
            ws[f"F{row}"].value = (row * 37 + submission.pk + salt) % 5000
    out = io.BytesIO()
    wb.save(out)
    CACHE.mkdir(exist_ok=True)
    cache.write_bytes(out.getvalue())
    return out.getvalue()


def profiled(label: str, fn: Callable[[], Any], top: int) -> Any:
    profile = cProfile.Profile()
    start = time.perf_counter()
    result = profile.runcall(fn)
    wall = time.perf_counter() - start
    stats = pstats.Stats(profile, stream=sys.stdout)
    log(f"\n=== {label} under cProfile: {wall:.2f} s wall ({load()}), {stats.total_tt:.2f} s profiled ===")  # type: ignore[attr-defined]
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return result


def timed(label: str, fn: Callable[[], Any], runs: int, prepare: Callable[[], Any] = lambda: None) -> None:
    """`fn` run `runs` times (each after `prepare`, not timed): wall time, and this process's CPU time (the Python
    side of the work: the database server's is not in it, and it moves less with the machine's load)."""
    walls, cpus = [], []
    for _ in range(runs):
        prepare()
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    log(
        f"{label}: wall median {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}), "
        f"Python CPU median {statistics.median(cpus):.2f} s (min {min(cpus):.2f}); {runs} runs, {load()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("PROFILE_UPLOAD_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="template,excel,update,api", help="parts measured")
    parser.add_argument("--profile", default="template,excel,api", help="parts profiled once under cProfile ('' for none)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--rules", action="store_true", help="last year's values, a change threshold and rules")
    args = parser.parse_args()

    setup_django(args.database_url)
    from django.db import connection

    from eprovince.indicators import datasets, excel
    from eprovince.indicators.services.values import values_import

    submission, user = world(args.rules)
    cells = ELEMENTS * OPTIONS
    only = set(args.only.split(","))
    profile = set(args.profile.split(",")) & only
    log(f"database: {connection.vendor} ({args.database_url}); {os.cpu_count()} cores; {load()}")

    def check(result: Any, **expected: int) -> None:
        for name, count in expected.items():
            assert getattr(result, name) == count, result

    if "template" in only:
        reset(submission)

        def template() -> None:
            assert len(excel.template_bytes(submission)) > 10_000

        timed(f"template_bytes ({cells} rows)", template, args.runs)
        if "template" in profile:
            profiled("template_bytes", template, args.top)

    data = filled_workbook(submission)

    def upload(content: bytes) -> Any:
        return excel.excel_import(acting_user=user, submission=submission, data=content, filename="profile.xlsx")

    if "excel" in only:
        log(f"Excel file: {len(data) // 1024} KiB, {cells} cells")
        timed(
            f"excel_import, {cells} new values", lambda: check(upload(data), created=cells), args.runs, lambda: reset(submission)
        )
        if "excel" in profile:
            reset(submission)
            check(profiled("excel_import", lambda: upload(data), args.top), created=cells)

    if "update" in only:
        changed = filled_workbook(submission, salt=1)

        def first() -> None:
            reset(submission)
            upload(data)

        timed(f"excel_import, {cells} values changed", lambda: check(upload(changed), updated=cells), args.runs, first)
        if "update" in profile:
            first()
            check(profiled("excel_import (values changed)", lambda: upload(changed), args.top), updated=cells)

    lines = ["dataElement,categoryOption,orgUnit,period,value"]
    for i in range(1, ELEMENTS + 1):
        for j in range(1, OPTIONS + 1):
            lines.append(f"HIEUNANG_E{i:02d},XA{j:03d},{submission.organisation_id},{PERIOD},{(j * 7 + i) % 999}")
    body = "\n".join(lines).encode()

    def api() -> Any:
        return values_import(acting_user=user, rows=datasets.resolve(datasets.rows_from_csv(body)))

    if "api" in only:
        label = f"API path, CSV of {cells} rows (rows_from_csv + resolve + values_import)"
        timed(label, lambda: check(api(), created=cells), args.runs, lambda: reset(submission))
        if "api" in profile:
            reset(submission)
            check(profiled("API path", api, args.top), created=cells)
    reset(submission)
    log(f"done; {load()}")


if __name__ == "__main__":
    main()
