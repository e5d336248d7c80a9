"""Dossier codes: the format, the daily reset, per-agency patterns, and uniqueness under any order of submissions
and under real concurrency."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eprovince.core.constants import OrganisationKind
from eprovince.core.testing import make_org
from eprovince.onestop import numbering
from eprovince.onestop.constants import NumberingReset
from eprovince.onestop.models import Dossier, DossierCounter
from eprovince.onestop.services.catalogue import numbering_save

from .factories import World, at, receive, submit_online

pytestmark = pytest.mark.django_db


def test_the_default_code_is_agency_date_and_a_four_digit_daily_sequence(world: World) -> None:
    first = receive(world, now=at(2026, 3, 9, 9))
    second = submit_online(world, now=at(2026, 3, 9, 23, 59))
    assert (first.code, second.code) == ("000.20.00.H99-260309-0001", "000.20.00.H99-260309-0002")


def test_the_sequence_starts_again_each_day_in_local_time(world: World) -> None:
    receive(world, now=at(2026, 3, 9, 16))
    # 00:30 in Vietnam is still 9 March in UTC: the local date decides.
    assert receive(world, now=at(2026, 3, 10, 0, 30)).code == "000.20.00.H99-260310-0001"
    assert receive(world, now=at(2026, 3, 10, 9)).code == "000.20.00.H99-260310-0002"


def test_an_agency_may_have_its_own_pattern(world: World) -> None:
    numbering_save(
        organisation=world.dept, pattern="HS-{code}/{yyyy}/{seq:6}", reset=NumberingReset.YEARLY, acting_user=world.admin
    )
    assert receive(world, now=at(2026, 3, 9, 9)).code == "HS-000.20.00.H99/2026/000001"
    assert receive(world, now=at(2026, 12, 31, 9)).code == "HS-000.20.00.H99/2026/000002"
    assert receive(world, now=at(2027, 1, 4, 9)).code == "HS-000.20.00.H99/2027/000001"


@pytest.mark.parametrize(
    ("pattern", "reset", "message"),
    [
        ("{code}-{yymmdd}", NumberingReset.DAILY, "đúng một {seq}"),
        ("{yymmdd}-{seq:4}", NumberingReset.DAILY, "{code}"),
        ("{code}-{seq}-{seq}", NumberingReset.NEVER, "đúng một {seq}"),
        ("{code}-{yyyy}-{seq:4}", NumberingReset.DAILY, "ngày đầy đủ"),
        ("{code}-{mm}{dd}-{seq:4}", NumberingReset.DAILY, "ngày đầy đủ"),
        ("{code}-{seq:4}", NumberingReset.YEARLY, "phải có năm"),
        ("{code}-{nnnn}-{seq}", NumberingReset.NEVER, "{nnnn}"),
        ("{code}-{seq:x}", NumberingReset.NEVER, "độ dài"),
        ("{code}-{yyyy:2}-{seq}", NumberingReset.NEVER, "độ dài"),
        ("{code-{seq}", NumberingReset.NEVER, "ngoặc"),
    ],
)
def test_patterns_that_could_repeat_a_code_are_refused(world: World, pattern: str, reset: str, message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        numbering_save(organisation=world.dept, pattern=pattern, reset=reset, acting_user=world.admin)


@pytest.mark.parametrize(
    ("pattern", "reset"),
    [
        ("{code}-{yymmdd}-{seq:4}", "daily"),
        ("{code}{yy}{mm}{dd}{seq:3}", "daily"),
        ("{code}-{yy}-{seq}", "yearly"),
        ("{code}.{seq:9}", "never"),
    ],
)
def test_patterns_that_keep_codes_unique_are_accepted(pattern: str, reset: str) -> None:
    numbering.validate_pattern(pattern, reset)


def test_an_agency_without_electronic_code_borrows_its_parents() -> None:
    parent = make_org("Sở A", electronic_code="000.40.00.H99")
    child = make_org("Phòng B", parent=parent, kind=OrganisationKind.DIVISION)
    orphan = make_org("Cơ quan C")
    assert numbering.agency_code(child) == f"000.40.00.H99.{child.pk}"
    assert numbering.agency_code(orphan) == f"CQ{orphan.pk}"


def test_the_counter_must_run_inside_a_transaction(world: World) -> None:
    # pytest-django wraps the test in a transaction; leave it to check the guard.
    with pytest.raises(RuntimeError), _outside_atomic():
        numbering.next_sequence(world.dept, "2026-03-09")


@contextlib.contextmanager
def _outside_atomic() -> Any:
    saved = connection.in_atomic_block
    connection.in_atomic_block = False
    try:
        yield
    finally:
        connection.in_atomic_block = saved


# --- Laws, for any order of submissions --------------------------------------------------------------------------------

_SUBMISSIONS = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 400)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(submissions=_SUBMISSIONS)
def test_sequences_strictly_increase_per_period_and_codes_never_repeat(db: None, submissions: list[tuple[int, int]]) -> None:
    with transaction.atomic():
        daily = make_org("Sở Một", electronic_code="000.50.00.H99")
        yearly = make_org("Sở Hai", electronic_code="000.51.00.H99")
        bare = make_org("Sở Ba")
        numbering_save(organisation=yearly, pattern="{code}/{yyyy}/{seq:6}", reset=NumberingReset.YEARLY, acting_user=None)
        orgs = [(daily, NumberingReset.DAILY), (yearly, NumberingReset.YEARLY), (bare, NumberingReset.DAILY)]
        last: dict[tuple[int, str], int] = {}
        codes = []
        for index, offset in submissions:
            org, reset = orgs[index]
            day = dt.date(2025, 12, 1) + dt.timedelta(days=offset)
            code = numbering.next_code(org, day)
            seq = int(re.search(r"(\d+)$", code).group(1))  # type: ignore[union-attr]
            key = (index, numbering.period_key(reset, day))
            assert seq == last.get(key, 0) + 1  # strictly increasing by one, from 1, within each period
            last[key] = seq
            codes.append(code)
        assert len(set(codes)) == len(codes)
        transaction.set_rollback(True)


# --- Real concurrency ---------------------------------------------------------------------------------------------------


def run_together(count: int, work: Any) -> list[Any]:
    """Run work(i) in `count` threads released at the same moment; each thread uses (and closes) its own database
    connection. On PostgreSQL they really run at once. SQLite in tests is an in-memory database shared between
    connections, where concurrent writers fail with "table is locked" instead of waiting: there the threads take
    turns (the serialised path), which still checks the code path but not the locking."""
    barrier = threading.Barrier(count)
    turn = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    results: list[Any] = [None] * count

    def target(i: int) -> None:
        try:
            barrier.wait()
            with turn:
                results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_receptions_get_unique_consecutive_codes(world: World) -> None:
    threads, each = 8, 5
    day = at(2026, 3, 9, 9)

    def work(i: int) -> list[str]:
        return [receive(world, now=day).code for _ in range(each)]

    results = run_together(threads, work)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    codes = [code for batch in results for code in batch]
    assert len(codes) == len(set(codes)) == threads * each
    assert sorted(codes) == [f"000.20.00.H99-260309-{n:04d}" for n in range(1, threads * each + 1)]
    assert DossierCounter.objects.get(organisation=world.dept, period="2026-03-09").last_value == threads * each
    assert Dossier.objects.count() == threads * each


@pytest.mark.django_db(transaction=True)
def test_the_first_dossiers_of_a_day_race_to_create_the_counter(world: World) -> None:
    """Many transactions find no counter row for a new day and create it at once: one wins, the others use it."""
    results = run_together(6, lambda i: receive(world, now=at(2026, 4, 1, 9)).code)
    assert all(isinstance(r, str) for r in results), results
    assert sorted(results) == [f"000.20.00.H99-260401-{n:04d}" for n in range(1, 7)]
