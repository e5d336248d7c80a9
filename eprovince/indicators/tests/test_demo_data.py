"""The demo data: quoted figures as the articles give them (with their source), the rest marked synthetic,
fast and idempotent."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.utils import translation

from eprovince.core import demo_data as core_demo
from eprovince.core.models import Organisation

from .. import demo_data
from ..models import DataValue, IndexFramework, ReportingRound
from ..periods import Period
from ..rankings import index_table
from ..results import results

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded() -> None:
    core_demo.load(io.StringIO())
    demo_data.load(io.StringIO())


def test_quoted_figures_are_loaded_as_they_are_with_their_source(loaded: None) -> None:
    revenue = DataValue.objects.get(element__code="REVENUE", period="2009S1")
    assert revenue.value == Decimal("252.1") and not revenue.synthetic and "An Giang" in revenue.source
    assert revenue.organisation.name == "Sở Thông tin và Truyền thông tỉnh An Giang"
    quoted = DataValue.objects.filter(synthetic=False)
    assert quoted.count() == 6 and not quoted.filter(source="").exists()
    assert DataValue.objects.filter(synthetic=True).count() > 500


def test_the_results_read_as_the_articles(loaded: None) -> None:
    with translation.override("vi"):
        rows = {r.code: r for r in results(period=Period.parse("2009S1"))}
        assert rows["SUB_PHONE"].actual_display == "402.800" and rows["SUB_PHONE"].change_text == "tăng 1,24% so cùng kỳ"
        assert rows["SUB_INTERNET"].actual_display == "4.521" and rows["SUB_INTERNET"].change_text == "tăng 1,1% so cùng kỳ"
        assert rows["REVENUE"].actual_display == "252,1"
        kien_giang = Organisation.objects.get(name="Sở Thông tin và Truyền thông tỉnh Kiên Giang")
        (funds,) = [r for r in results(period=Period.parse("2008"), root=kien_giang) if r.code == "IT_PROGRAMME_FUNDS"]
        assert funds.achieved_text == "đạt 61% kế hoạch" and funds.actual_display == "9,5"


def test_indices_and_open_rounds(loaded: None) -> None:
    ict = index_table(IndexFramework.objects.get(code="ICT_INDEX", year=2019))
    da_nang = next(r for r in ict.rows if r.subject.name == "Đà Nẵng")
    assert da_nang.score == Decimal("0.8654") and not da_nang.synthetic and da_nang.rank == 1
    tied = [r.rank for r in ict.rows if r.subject.name in ("Hậu Giang", "Quảng Ngãi")]
    assert tied[0] == tied[1]
    assert set(ReportingRound.objects.filter(status="open").values_list("form__code", "period")) == {
        ("DN_BCVT", "2026S2"),
        ("UBND_CNTT", "2025"),
    }


def test_loading_twice_changes_nothing(loaded: None) -> None:
    # How long the load takes is measured, not asserted here (docs/performance.md): wall-clock time is no unit test.
    counts = (DataValue.objects.count(), ReportingRound.objects.count())
    demo_data.load(io.StringIO())
    assert (DataValue.objects.count(), ReportingRound.objects.count()) == counts
