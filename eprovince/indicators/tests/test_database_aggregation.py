"""The dashboard and the index let the database combine the values (analytics.aggregate_in_database, the pivot's
SQL); the figures must be exactly those of the Python path (Context.element_value / indicator_value), for every
rule over time and over units, options, approval, several scopes at once and years built from months, quarters
and halves."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from .. import summary
from ..analytics import Context, aggregate_in_database, elements_by_code, formula_options, scope_organisations
from ..constants import Aggregation, SubmissionStatus
from ..models import CategoryOption, DataElement, DataValue, Indicator, Submission
from ..periods import Period, periods_of_year
from ..services import catalogue
from . import factories as f

pytestmark = pytest.mark.django_db

YEARS = (2023, 2024)


def _elements(world: f.World) -> list[DataElement]:
    """Every pair of rules: over time (sum, average, last, none) × over units (sum, average, none)."""
    made = []
    for time_rule in Aggregation.values:
        for unit_rule in (Aggregation.SUM, Aggregation.AVERAGE, Aggregation.NONE):
            made.append(
                catalogue.data_element_save(
                    acting_user=None,
                    code=f"T_{time_rule}_{unit_rule}".upper(),
                    name=f"Thử {time_rule} {unit_rule}",
                    unit="đơn vị",
                    value_type="decimal",
                    decimals=2,
                    time_aggregation=time_rule,
                    aggregation=unit_rule,
                )
            )
    return made


def _fill(world: f.World, elements: list[DataElement], seed: int) -> None:
    """Random values for random periods of every type (a year, its halves, quarters, months), some organisations,
    some with options (SUB_MOBILE), some in a report not yet approved."""
    rng = random.Random(seed)
    orgs = [world.province, world.department, world.division, world.tanchau, world.chauthanh, world.vnpt, world.viettel]
    assert world.committee_form is not None
    pending = f.submission(f.open_round(world, world.committee_form, "2024"), world.tanchau)
    Submission.objects.filter(pk=pending.pk).update(status=SubmissionStatus.SUBMITTED)
    options = list(CategoryOption.objects.filter(combo=world.elements["SUB_MOBILE"].category_combo))
    rows = []
    for element in [*elements, world.elements["SUB_MOBILE"]]:
        for org in orgs:
            for year in YEARS:
                periods = [p for p in periods_of_year(year) if p.type != "nine_months"]
                for period in rng.sample(periods, rng.randint(0, 5)):
                    value = Decimal(rng.randint(0, 40000)) / 4
                    submission = pending if org == world.tanchau and rng.random() < 0.2 else None
                    if element.category_combo_id:
                        for option in rng.sample(options, rng.randint(1, len(options))):
                            rows.append(DataValue(element=element, category_option=option, organisation=org,
                                                  period=period.id, year=year, value=value + option.pk, submission=submission))  # fmt: skip
                        if rng.random() < 0.3:  # a total stored beside the options
                            rows.append(DataValue(element=element, organisation=org, period=period.id, year=year,
                                                  value=value, submission=submission))  # fmt: skip
                    else:
                        rows.append(DataValue(element=element, organisation=org, period=period.id, year=year, value=value,
                                              submission=submission))  # fmt: skip
    DataValue.objects.bulk_create(rows)
    summary.rebuild()  # values written here without the services, which keep the yearly summary


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_database_gives_the_same_figures_as_python(world: f.World, seed: int) -> None:
    elements = _elements(world)
    _fill(world, elements, seed)
    mobile = world.elements["SUB_MOBILE"]
    share = Indicator.objects.create(
        code="VNPT_SHARE", name="Thị phần VNPT", unit="%", decimals=2,
        formula="#{SUB_MOBILE.VNPT} * 100 / #{SUB_MOBILE} + #{T_LAST_SUM} / last_year(#{T_SUM_SUM})",
    )  # fmt: skip
    everything = [*elements, mobile]
    periods = [Period.parse(str(y)) for y in YEARS]
    roots = [None, world.province, world.department, world.tanchau, world.vnpt]
    python = {i: Context.for_root(root) for i, root in enumerate(roots)}
    database = {i: Context.for_root(root) for i, root in enumerate(roots)}
    codes = elements_by_code()
    aggregate_in_database(database, everything, [Period.parse("2022"), *periods], formula_options([share], codes))
    vnpt = CategoryOption.objects.get(combo=mobile.category_combo, code="VNPT")
    compared = 0
    for i in python:
        for period in periods:
            for element in everything:
                expected = python[i].element_value(element, period)
                assert database[i].element_value(element, period) == expected, (i, element.code, period.id)
                compared += expected is not None
            assert database[i].element_value(mobile, period, vnpt.pk) == python[i].element_value(mobile, period, vnpt.pk)
            assert database[i].indicator_value(share, period, codes) == python[i].indicator_value(share, period, codes)
        assert not database[i]._rows  # nothing was loaded into Python
    assert compared > 20  # the data is not empty


def test_a_scope_of_one_organisation_among_many(world: f.World) -> None:
    elements = _elements(world)
    _fill(world, elements, 7)
    scopes = {k: Context(organisations=scope_organisations(root)) for k, root in enumerate([world.tanchau, world.department])}
    expected = {k: Context(organisations=ctx.organisations) for k, ctx in scopes.items()}
    aggregate_in_database(scopes, elements, [Period.parse("2024")])
    for k in scopes:
        for element in elements:
            assert scopes[k].element_value(element, Period.parse("2024")) == expected[k].element_value(
                element, Period.parse("2024")
            )


def test_other_periods_stay_in_python(world: f.World) -> None:
    """A level known for the year holds for its halves (DHIS2's disaggregation): not in the SQL, so not asked of it."""
    population = world.elements["POPULATION"]
    DataValue.objects.create(element=population, organisation=world.tanchau, period="2024", year=2024, value=1000)
    summary.rebuild()
    ctx = Context()
    aggregate_in_database({0: ctx}, [population], [Period.parse("2024S1"), Period.parse("2024")])
    assert ctx.element_value(population, Period.parse("2024")) == 1000
    assert not ctx._rows
    assert ctx.element_value(population, Period.parse("2024S1")) == 1000  # the Python path, loaded on demand
