"""The yearly summary (YearlyValue, summary.py): each organisation's approved values combined over a whole year,
kept in the transaction that changes what counts, and read by the pivot and analytics for yearly figures.

Randomised: the summary holds exactly the rows the pivot's SQL computes from the raw values, and every figure read
through it (scope totals, the pivot's aggregate) equals the raw path's, for every rule over time, options, every
state of a report, several scopes; after a rebuild and after refreshing only some organisations and years.
Behaviour: approving a report shows its values at once, reopening removes them, a returned report never counts, a
published figure counts, a new rule over time in the catalogue changes the yearly figure, the migration fills it."""

from __future__ import annotations

import importlib
import io
import random
import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, connections, transaction

from eprovince.core.constants import Role
from eprovince.core.testing import make_user

from .. import summary
from ..analytics import Context, aggregate_in_database, scope_organisations
from ..constants import Aggregation, SubmissionStatus
from ..dashboard import data_years
from ..models import CategoryOption, DataElement, DataValue, Submission, YearlyValue
from ..periods import Period, periods_of_year
from ..pivot import PERIOD, PROVINCE, UNIT, _per_org_ctes, aggregate, pivot, scope_totals
from ..services import catalogue, catalogue_admin, rounds, values
from ..services.values import ValueEntry, entries_from_mapping
from . import factories as f

pytestmark = pytest.mark.django_db

YEARS = (2023, 2024)


# Random data ----------------------------------------------------------------------------------------------


def _elements() -> list[DataElement]:
    """Every rule over time (sum, average, last, none), each with two rules over units."""
    return [
        catalogue.data_element_save(
            acting_user=None,
            code=f"Y_{time_rule}_{unit_rule}".upper(),
            name=f"Thử {time_rule} {unit_rule}",
            unit="đơn vị",
            value_type="decimal",
            decimals=2,
            time_aggregation=time_rule,
            aggregation=unit_rule,
        )
        for time_rule in Aggregation.values
        for unit_rule in (Aggregation.SUM, Aggregation.AVERAGE)
    ]


def _reports(world: f.World) -> dict[int, list[Submission]]:
    """Reports of the committees (yearly form) and the enterprises (6-month form) in every state, by organisation."""
    assert world.committee_form is not None and world.enterprise_form is not None
    made: dict[int, list[Submission]] = {}
    states = list(SubmissionStatus.values)
    for form, orgs, periods in (
        (world.committee_form, [world.tanchau, world.chauthanh], ["2023", "2024"]),
        (world.enterprise_form, [world.vnpt, world.viettel], ["2023S1", "2024S1", "2024S2"]),
    ):
        for i, period in enumerate(periods):
            round_ = f.open_round(world, form, period)
            for j, org in enumerate(orgs):
                sub = f.submission(round_, org)
                Submission.objects.filter(pk=sub.pk).update(status=states[(i + j) % len(states)])
                made.setdefault(org.pk, []).append(sub)
    return made


ORGS = ("province", "department", "division", "tanchau", "chauthanh", "vnpt", "viettel")


def _random_values(world: f.World, elements: list[DataElement], reports: dict[int, list[Submission]], rng: random.Random) -> None:
    """Random values for random periods of every type (a year, its halves, quarters, months; nine months too,
    which never counts towards a year), options with or without a stored total, some outside any report."""
    options = list(CategoryOption.objects.filter(combo=world.elements["SUB_MOBILE"].category_combo))
    rows = []
    for element in [*elements, world.elements["SUB_MOBILE"]]:
        for org in (getattr(world, name) for name in ORGS):
            for year in YEARS:
                for period in rng.sample(periods_of_year(year), rng.randint(0, 6)):
                    value = Decimal(rng.randint(0, 40000)) / 8
                    own = reports.get(org.pk, [])
                    submission = rng.choice(own) if own and rng.random() < 0.6 else None
                    common = {"element": element, "organisation": org, "period": period.id, "year": year}
                    if element.category_combo_id:
                        for option in rng.sample(options, rng.randint(1, len(options))):
                            rows.append(
                                DataValue(**common, category_option=option, value=value + option.pk, submission=submission)
                            )
                        if rng.random() < 0.3:
                            rows.append(DataValue(**common, value=value, submission=submission))
                    else:
                        rows.append(DataValue(**common, value=value, submission=submission))
    DataValue.objects.bulk_create(rows)


# Comparisons ----------------------------------------------------------------------------------------------


def _raw_rows(year: int) -> set[tuple[Any, ...]]:
    """The pivot's per-organisation rows computed from the raw values (every element, every option)."""
    elements = list(DataElement.objects.all())
    ctes, params = _per_org_ctes(elements, [str(year)], option_elements=[e.pk for e in elements])
    sql = "WITH " + ", ".join(ctes) + " SELECT element_id, organisation_id, option_id, value, part_sum, part_n FROM per_org"
    return _rows(sql, params)


def _summary_rows(year: int) -> set[tuple[Any, ...]]:
    sql = (
        "SELECT element_id, organisation_id, category_option_id, value, part_sum, part_n FROM indicators_yearlyvalue "
        "WHERE year = %s"
    )
    return _rows(sql, [year])


def _rows(sql: str, params: list[Any]) -> set[tuple[Any, ...]]:
    averaged = set(DataElement.objects.filter(time_aggregation=Aggregation.AVERAGE).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    # an average over time is stored rounded to the column's places; its exact quotient comes from the parts
    return {
        (
            element,
            org,
            option,
            None if element in averaged or value is None else Decimal(str(value)).normalize(),
            Decimal(str(part_sum)).normalize(),
            int(part_n),
        )
        for element, org, option, value, part_sum, part_n in found
    }


def _assert_same(world: f.World, elements: list[DataElement]) -> int:
    for year in YEARS:
        assert _summary_rows(year) == _raw_rows(year), year
    everything = [*elements, world.elements["SUB_MOBILE"]]
    roots = [None, world.province, world.department, world.tanchau, world.vnpt]
    scopes = {i: scope_organisations(root) for i, root in enumerate(roots)}
    periods = [str(y) for y in (2022, *YEARS)]
    options = [world.elements["SUB_MOBILE"].pk]
    read = scope_totals(elements=everything, scopes=scopes, period_ids=periods, option_elements=options)
    raw = scope_totals(elements=everything, scopes=scopes, period_ids=periods, option_elements=options, use_summary=False)
    assert read == raw
    one = {0: scope_organisations(world.tanchau)}  # a scope of its organisations only (not the whole province)
    assert scope_totals(elements=everything, scopes=one, period_ids=periods) == scope_totals(
        elements=everything, scopes=one, period_ids=periods, use_summary=False
    )
    units = {PROVINCE: None, world.tanchau.pk: scopes[3], world.vnpt.pk: scopes[4]}
    assert sorted(aggregate(elements=everything, scopes=units, period_ids=periods)) == sorted(
        aggregate(elements=everything, scopes=units, period_ids=periods, use_summary=False)
    )
    return len(read)


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_the_summary_gives_the_figures_of_the_raw_values(world: f.World, seed: int) -> None:
    rng = random.Random(seed)
    elements = _elements()
    reports = _reports(world)
    _random_values(world, elements, reports, rng)
    summary.rebuild()
    assert YearlyValue.objects.count() > 50
    assert _assert_same(world, elements) > 50  # the data is not empty

    # Reports change state and values change behind the summary's back: refreshing only the organisations and
    # years concerned brings it back in line (and leaves the others as they were).
    touched: set[tuple[int, int]] = set()
    for sub in rng.sample([s for subs in reports.values() for s in subs], 4):
        Submission.objects.filter(pk=sub.pk).update(status=rng.choice(SubmissionStatus.values))
        touched |= set(DataValue.objects.filter(submission=sub).values_list("organisation_id", "year"))
    for value in rng.sample(list(DataValue.objects.all()), 25):
        if rng.random() < 0.3:
            value.delete()
        else:
            DataValue.objects.filter(pk=value.pk).update(value=value.value + 3)
        touched.add((value.organisation_id, value.year))
    assert _summary_rows(2024) != _raw_rows(2024) or _summary_rows(2023) != _raw_rows(2023)
    summary.refresh(touched)
    _assert_same(world, elements)


# Behaviour --------------------------------------------------------------------------------------------------


def _meetings(world: f.World, unit: Any, year: int = 2024) -> Decimal | None:
    element = world.elements["ONLINE_MEETINGS"]
    table = pivot(
        indicator_ids=[element.pk], unit_ids=[unit], period_type="year", year_from=year, year_to=year, rows=UNIT, cols=PERIOD
    )
    return table.value(indicator=element.pk, unit=unit, period=str(year))


def _analytics(world: f.World, code: str, year: int = 2024) -> Decimal | None:
    ctx = Context()
    element = world.elements[code]
    aggregate_in_database({0: ctx}, [element], [Period.parse(str(year))])
    return ctx.element_value(element, Period.parse(str(year)))


def test_an_approved_report_counts_at_once_and_a_reopened_one_no_longer(world: f.World) -> None:
    assert world.committee_form is not None
    sub = f.submission(f.open_round(world, world.committee_form, "2024"), world.tanchau)
    f.save(world, sub, world.officer_tanchau, {"ONLINE_MEETINGS": "12", "POPULATION": "150.000"})
    rounds.submission_submit(acting_user=world.officer_tanchau, submission=sub)
    assert _meetings(world, world.tanchau.pk) is None  # waiting for approval: not counted
    assert not YearlyValue.objects.exists()

    rounds.submission_approve(acting_user=world.reviewer, submission=sub)
    assert _meetings(world, world.tanchau.pk) == 12
    assert _meetings(world, PROVINCE) == 12
    assert _analytics(world, "POPULATION") == 150000
    assert YearlyValue.objects.get(element=world.elements["ONLINE_MEETINGS"], organisation=world.tanchau).value == 12

    rounds.submission_reopen(acting_user=world.reviewer, submission=sub, reason="Sai số liệu dân số")
    assert _meetings(world, world.tanchau.pk) is None
    assert _analytics(world, "POPULATION") is None
    assert not YearlyValue.objects.filter(organisation=world.tanchau).exists()


def test_a_returned_report_does_not_count(world: f.World) -> None:
    assert world.committee_form is not None
    chauthanh = f.approved(world, world.committee_form, "2024", world.chauthanh, {"ONLINE_MEETINGS": "7"})
    sub = f.submission(chauthanh.round, world.tanchau)
    f.save(world, sub, world.officer_tanchau, {"ONLINE_MEETINGS": "12"})
    rounds.submission_submit(acting_user=world.officer_tanchau, submission=sub)
    rounds.submission_return(acting_user=world.reviewer, submission=sub, comment="Thiếu giải trình")
    f.save(world, sub, world.officer_tanchau, {"ONLINE_MEETINGS": "13"})  # corrected, not yet sent again
    assert _meetings(world, PROVINCE) == 7
    assert _meetings(world, world.tanchau.pk) is None
    assert set(YearlyValue.objects.values_list("organisation_id", flat=True)) == {world.chauthanh.pk}


def _publish(world: f.World, org: Any, period: str, data: dict[str, Any]) -> None:
    entries = [
        ValueEntry(element=e.element, raw=e.raw, option=e.option, key=e.key, source="Báo cáo tổng kết năm (đã công bố)")
        for e in entries_from_mapping(world.elements, data)
    ]
    values.values_import_published(acting_user=None, organisation=org, period=Period.parse(period), entries=entries)


def test_a_published_figure_counts_and_so_does_removing_it(world: f.World) -> None:
    _publish(world, world.vnpt, "2024Q1", {"REVENUE": "10.5", "SUB_MOBILE.VNPT": "1000", "SUB_MOBILE.VIETTEL": "500"})
    _publish(world, world.vnpt, "2024Q3", {"REVENUE": "12", "SUB_MOBILE.VNPT": "1100"})
    assert _analytics(world, "REVENUE") == Decimal("22.5")  # a flow: the quarters add up
    assert _analytics(world, "SUB_MOBILE") == 1100  # a level: the latest quarter (its options added up)
    mobile = world.elements["SUB_MOBILE"]
    vnpt = CategoryOption.objects.get(combo=mobile.category_combo, code="VNPT")
    assert YearlyValue.objects.get(element=mobile, category_option=vnpt).value == 1100

    _publish(world, world.vnpt, "2024Q3", {"REVENUE": None})  # an emptied cell removes the value
    assert _analytics(world, "REVENUE") == Decimal("10.5")


def test_a_new_rule_over_time_in_the_catalogue_changes_the_yearly_figure(world: f.World) -> None:
    admin = make_user("quantri", Role.ADMIN, full_name="Quản trị hệ thống")
    for quarter, count in (("2024Q1", 3), ("2024Q2", 5), ("2024Q4", 7)):
        _publish(world, world.tanchau, quarter, {"ONLINE_MEETINGS": count})
    assert _meetings(world, world.tanchau.pk) == 15  # sum over time

    meetings = catalogue_admin.data_element_update(
        acting_user=admin, element=world.elements["ONLINE_MEETINGS"], code="ONLINE_MEETINGS", time_aggregation=Aggregation.LAST
    )
    world.elements["ONLINE_MEETINGS"] = meetings
    assert _meetings(world, world.tanchau.pk) == 7  # the latest quarter

    catalogue_admin.data_element_update(
        acting_user=admin, element=meetings, code="ONLINE_MEETINGS", time_aggregation=Aggregation.AVERAGE
    )
    assert _meetings(world, world.tanchau.pk) == 5  # (3 + 5 + 7) / 3
    catalogue_admin.data_element_update(
        acting_user=admin, element=meetings, code="ONLINE_MEETINGS", time_aggregation=Aggregation.NONE
    )
    assert _meetings(world, world.tanchau.pk) is None  # no value stored for the year itself


def test_the_migration_and_the_command_fill_the_summary_from_the_values(world: f.World) -> None:
    assert world.committee_form is not None
    f.approved(world, world.committee_form, "2023", world.tanchau, {"ONLINE_MEETINGS": "9", "POPULATION": "149.000"})
    f.approved(world, world.committee_form, "2024", world.chauthanh, {"ONLINE_MEETINGS": "6"})
    expected = {(y.element_id, y.organisation_id, y.year, y.value) for y in YearlyValue.objects.all()}
    assert len(expected) == 3

    YearlyValue.objects.all().delete()
    migration = importlib.import_module("eprovince.indicators.migrations.0005_yearly_summary")
    migration.fill(apps, None)
    assert {(y.element_id, y.organisation_id, y.year, y.value) for y in YearlyValue.objects.all()} == expected

    YearlyValue.objects.filter(year=2023).delete()
    call_command("rebuild_yearly_values", stdout=io.StringIO())
    assert {(y.element_id, y.organisation_id, y.year, y.value) for y in YearlyValue.objects.all()} == expected
    assert data_years() == [2024, 2023]


@pytest.mark.django_db(transaction=True)
def test_two_transactions_refreshing_the_same_year_wait_for_each_other(world: f.World) -> None:
    """Without the advisory lock the second DELETE would not see the rows the first inserted, and its INSERT would
    collide with them (a unique violation: the approval would fail)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself")
    _publish(world, world.tanchau, "2024", {"ONLINE_MEETINGS": 4})
    errors: list[str] = []

    def refresh(hold: float) -> None:
        try:
            with transaction.atomic():
                summary.refresh([(world.tanchau.pk, 2024)])
                time.sleep(hold)
        except Exception as exc:  # reported by the assertion below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    first = threading.Thread(target=refresh, args=(0.5,))
    first.start()
    time.sleep(0.2)
    second = threading.Thread(target=refresh, args=(0,))
    second.start()
    first.join()
    second.join()
    assert errors == []
    assert YearlyValue.objects.get(organisation=world.tanchau, year=2024).value == 4
