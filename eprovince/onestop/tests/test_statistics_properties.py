"""Laws of the statistics, for any set of dossiers: what comes in (received in the period, carried over) equals what
goes out (finished, refused, withdrawn) plus what is still in progress at the end; and every number equals a
straightforward count in Python of the same rows.

The dossiers are written as rows (bulk_create), not through the services: the property is about counting any mix
of timestamps and final statuses, many per example, which driving the process engine would make slow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eprovince.onestop.constants import Channel, DossierStatus
from eprovince.onestop.models import Dossier
from eprovince.onestop.statistics import StatsFilters, dossier_statistics

from .factories import TZ, World, at

pytestmark = pytest.mark.django_db

BASE = at(2026, 1, 1, 0)
HOUR = dt.timedelta(hours=1)
FINAL = [DossierStatus.DONE, DossierStatus.REFUSED, DossierStatus.WITHDRAWN]
RUNNING = [DossierStatus.PROCESSING, DossierStatus.WAITING_SUPPLEMENT, DossierStatus.RESULT_READY]

dossier_specs = st.fixed_dictionaries(
    {
        "received": st.integers(0, 120 * 24),  # hours after 1 January, up to the end of April
        "duration": st.one_of(st.none(), st.integers(0, 40 * 24)),  # hours to the end (None: not ended)
        "due": st.one_of(st.none(), st.integers(1, 30 * 24)),  # hours from receipt to the legal due date
        "final": st.sampled_from(FINAL),
        "running": st.sampled_from(RUNNING),
        "channel": st.sampled_from(Channel.values),
        "seconds": st.integers(-2, 2),  # a few seconds either side of the due moment
    }
)
periods = st.tuples(st.integers(0, 100), st.integers(0, 60)).map(
    lambda p: (dt.date(2026, 1, 1) + dt.timedelta(days=p[0]), dt.date(2026, 1, 1) + dt.timedelta(days=p[0] + p[1]))
)


def _rows(world: World, specs: list[dict[str, object]]) -> list[Dossier]:
    rows = []
    for n, s in enumerate(specs):
        received = BASE + s["received"] * HOUR  # type: ignore[operator]
        due = None if s["due"] is None else received + s["due"] * HOUR  # type: ignore[operator]
        finished = None
        if s["duration"] is not None:
            finished = received + s["duration"] * HOUR  # type: ignore[operator]
            if due is not None and n % 3 == 0:  # often right at the due moment, to the second
                finished = max(received, due + dt.timedelta(seconds=s["seconds"]))  # type: ignore[arg-type]
        rows.append(
            Dossier(
                code=f"TEST-{n:05d}",
                procedure=world.procedure,
                receiving_agency=world.dept,
                handling_agency=world.dept,
                applicant_name="Người nộp",
                channel=s["channel"],
                received_at=received,
                due_at=due,
                finished_at=finished,
                status=s["final"] if finished else s["running"],
            )
        )
    return Dossier.objects.bulk_create(rows)


def _expected(rows: list[Dossier], start: dt.datetime, end: dt.datetime, now: dt.datetime) -> dict[str, int]:
    counted = [d for d in rows if d.received_at < end and (d.finished_at is None or d.finished_at >= start)]  # type: ignore[operator]
    ended = [d for d in counted if d.finished_at is not None and d.finished_at < end]
    done = [d for d in ended if d.status == DossierStatus.DONE]

    def day(moment: dt.datetime) -> dt.date:
        return moment.astimezone(TZ).date()

    running = [d for d in counted if d not in ended]
    return {
        "received": sum(d.received_at >= start for d in counted),  # type: ignore[operator]
        "carried_over": sum(d.received_at < start for d in counted),  # type: ignore[operator]
        "early": sum(d.due_at is not None and day(d.finished_at) < day(d.due_at) for d in done),  # type: ignore[arg-type]
        "late": sum(d.due_at is not None and d.finished_at > d.due_at for d in done),  # type: ignore[operator]
        "refused": sum(d.status == DossierStatus.REFUSED for d in ended),
        "withdrawn": sum(d.status == DossierStatus.WITHDRAWN for d in ended),
        "finished": len(done),
        "in_progress": len(running),
        "overdue_in_progress": sum(d.due_at is not None and d.due_at < min(end, now) for d in running),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=st.lists(dossier_specs, max_size=25), period=periods, now_days=st.integers(0, 200))
def test_what_comes_in_goes_out_or_stays_and_every_number_is_a_plain_count(
    world: World, specs: list[dict[str, object]], period: tuple[dt.date, dt.date], now_days: int
) -> None:
    now = BASE + dt.timedelta(days=now_days, hours=10)
    with transaction.atomic():
        rows = _rows(world, specs)
        filters = StatsFilters(start=period[0], end=period[1])
        total = dossier_statistics(world.admin, filters, now=now).total
        assert total.received + total.carried_over == total.finished + total.refused + total.withdrawn + total.in_progress
        assert total.early + total.on_time + total.late == total.finished
        got = {key: getattr(total, key) for key in _expected(rows, filters.start_at, filters.end_at, now)}
        assert got == _expected(rows, filters.start_at, filters.end_at, now)
        transaction.set_rollback(True)
