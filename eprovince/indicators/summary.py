"""The per-organisation yearly summary (`YearlyValue`): each organisation's approved values combined over each
whole year, what analytics, the pivot, the dashboard and the index read for yearly figures instead of millions
of raw values.

No nightly rebuild: the summary is written in the same transaction as whatever changes the values that count
(approving or reopening a report, values stored outside a round or in an approved one, deleted values, an
element's rule over time changed in the catalogue), so a figure is current the moment its report is approved.

Both operations are set-based SQL: DELETE the rows concerned, then INSERT … SELECT from the very statement the
pivot combines values with (`pivot._per_org_ctes`: the value stored for the year wins, else the coarsest kind of
period present, by the element's rule; only approved values), restricted to the organisations and years asked.
The time rules are written once, there.

- `refresh(pairs)`: the rows of some (organisation id, year) pairs, for every element and option.
- `rebuild(element_ids=None)`: every row (of some elements): the migration that created the table, demo data,
  the benchmark's generator, `manage.py rebuild_yearly_values`, a change of an element's rule over time.

Concurrent refreshes of the same organisation and year are serialised on PostgreSQL by a transaction-scoped
advisory lock (otherwise the second DELETE would not see the rows the first inserted, and its INSERT would collide
with them); a rebuild locks the table against refreshes. SQLite serialises writers itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from django.db import connection, transaction

from .constants import SubmissionStatus
from .models import DataElement, DataValue, Submission, YearlyValue
from .pivot import _per_org_ctes

_COLUMNS = "element_id, organisation_id, category_option_id, year, value, part_sum, part_n"
_LOCK_SPACE = 0x5956  # "YV": the advisory-lock keys of this table are (_LOCK_SPACE << 48) | (organisation << 16) | year


def _table() -> str:
    return connection.ops.quote_name(YearlyValue._meta.db_table)


def _elements(element_ids: Collection[int] | None = None) -> list[DataElement]:
    # only the columns the SQL needs: also run by migration 0005, before later migrations add columns
    qs = DataElement.objects.only("pk", "time_aggregation").order_by("pk")
    if element_ids is not None:
        qs = qs.filter(pk__in=list(element_ids))
    return list(qs)


def _fill(elements: list[DataElement], year: int, organisations: frozenset[int] | None) -> int:
    """INSERT the rows of `year` (of `organisations`, or all): every element's total and every option's value."""
    ctes, params = _per_org_ctes(elements, [str(year)], option_elements=[e.pk for e in elements], organisations=organisations)
    sql = (
        "WITH " + ", ".join(ctes) + f" INSERT INTO {_table()} ({_COLUMNS}) "  # noqa: S608 - a quoted table name
        "SELECT element_id, organisation_id, option_id, %s, value, part_sum, part_n FROM per_org "
        "ORDER BY element_id, organisation_id, option_id"  # the indexes' order: appended, not scattered
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, year])
        return max(cursor.rowcount, 0)


def _lock(by_year: dict[int, set[int]]) -> None:
    if connection.vendor != "postgresql":
        return
    keys = sorted((_LOCK_SPACE << 48) | (org << 16) | year for year, orgs in by_year.items() for org in orgs)
    with connection.cursor() as cursor:  # in key order: two transactions never wait on each other crosswise
        cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", [keys])


def refresh(pairs: Iterable[tuple[int, int]]) -> int:
    """Recompute the summary of these (organisation id, year) pairs from their approved values; the rows written."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for organisation, year in pairs:
        by_year[int(year)].add(int(organisation))
    if not by_year:
        return 0
    elements = _elements()
    written = 0
    with transaction.atomic():
        _lock(by_year)
        for year, organisations in sorted(by_year.items()):
            YearlyValue.objects.filter(year=year, organisation_id__in=sorted(organisations)).delete()
            if elements:
                written += _fill(elements, year, frozenset(organisations))
    return written


def refresh_submission(submission: Submission) -> int:
    """After a report's approval or reopening: the years of its organisation that its values fall in."""
    pairs = set(DataValue.objects.filter(submission=submission).order_by().values_list("organisation_id", "year").distinct())
    return refresh(pairs)


def refresh_after_write(*, organisation_id: int, year: int, submission: Submission | None, previous: Iterable[int | None]) -> int:
    """After values of one organisation and period were created, changed or deleted (`previous`: the reports the
    values there belonged to before): refresh its year when they count (no report, or an approved one) or when
    values that may have counted were moved or removed. Entries in a draft change nothing."""
    own = submission.pk if submission is not None else None
    counts = submission is None or submission.status == SubmissionStatus.APPROVED
    if counts or any(other != own for other in previous):
        return refresh([(organisation_id, year)])
    return 0


def years() -> list[int]:
    """The years with an approved value, oldest first: one probe of the (year, organisation) index per year (a loose
    index scan), not a DISTINCT over the whole summary (about 2 million rows for 10 million values)."""
    table = _table()
    sql = (
        f"WITH RECURSIVE y (year) AS (SELECT MIN(year) FROM {table} UNION ALL "  # noqa: S608 - a quoted table name
        f"SELECT (SELECT MIN(t.year) FROM {table} t WHERE t.year > y.year) FROM y WHERE y.year IS NOT NULL) "
        "SELECT year FROM y WHERE year IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [int(row[0]) for row in cursor.fetchall()]


def rebuild(element_ids: Collection[int] | None = None) -> int:
    """Recompute the whole summary (or the rows of `element_ids`), one statement per year; the rows written."""
    elements = _elements(element_ids)
    written = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":  # refreshes wait (readers do not)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {_table()} IN SHARE ROW EXCLUSIVE MODE")
        stale = YearlyValue.objects.all()
        values = DataValue.objects.order_by()
        if element_ids is not None:
            stale = stale.filter(element_id__in=list(element_ids))
            values = values.filter(element_id__in=list(element_ids))
        stale.delete()
        if not elements:
            return 0
        for year in sorted(values.values_list("year", flat=True).distinct()):
            written += _fill(elements, year, None)
    return written
