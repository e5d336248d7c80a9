"""The demo data gives an honest annual review: 2025 is compared like for like with 2024 across the merger of
Kiên Giang into An Giang (1 July 2025), every field of the Department has figures, and the figures quoted from the
seed articles stay as quoted with the article as source."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.utils import translation

from eprovince.core import demo_data as core_demo
from eprovince.core.models import Organisation

from .. import demo_data
from ..analytics import series
from ..constants import SubmissionStatus
from ..models import DataElement, DataValue, Submission
from ..periods import Period
from ..review.content import ReviewReport, build_report
from ..review.fields import FIELDS, INSPECTION
from ..services import rounds

pytestmark = pytest.mark.django_db

CHANGE = re.compile(r"(tăng|giảm) ([\d.]+(?:,\d+)?)% so cùng kỳ")
ACHIEVED = re.compile(r"đạt ([\d.]+(?:,\d+)?)% kế hoạch")


def vietnamese(number: str) -> Decimal:
    return Decimal(number.replace(".", "").replace(",", "."))


@pytest.fixture
def department() -> Organisation:
    core_demo.load(io.StringIO())
    demo_data.load(io.StringIO())
    return Organisation.objects.get(name="Sở Khoa học và Công nghệ tỉnh An Giang")


def review(department: Organisation) -> ReviewReport:
    with translation.override("vi"):
        return build_report(year=2025, organisation=department)


def test_the_2025_review_compares_like_for_like_and_reports_every_field(department: Organisation) -> None:
    report = review(department)
    sentences = report.sentences()
    text = "\n".join(sentences)

    changes = [(m.group(0), vietnamese(m.group(2))) for m in CHANGE.finditer(text)]
    assert len(changes) >= 20
    assert [c for c, pct in changes if pct > 50] == []
    table_changes = [
        (row[1], row[-1])
        for part in report.parts
        for section in part.sections
        for table in section.tables
        if table.columns[-1] == "So với cùng kỳ (%)"
        for row in table.rows
        if row[-1] != "—"
    ]
    assert table_changes and [(n, c) for n, c in table_changes if abs(vietnamese(c.lstrip("+-"))) > 50] == []
    achieved = [vietnamese(m.group(1)) for m in ACHIEVED.finditer(text)]
    assert achieved and all(85 <= pct <= 115 for pct in achieved), achieved

    titles = [s.title for s in report.parts[0].sections]
    for spec in (*FIELDS, INSPECTION):
        assert spec.title in titles
    inspection = next(s for s in report.parts[0].sections if s.title == INSPECTION.title)
    assert inspection.tables and "chưa có số liệu" not in " ".join(inspection.paragraphs)
    assert re.search(r"đã tiến hành \d+ cuộc thanh tra, kiểm tra", " ".join(inspection.paragraphs))
    press = next(s for s in report.parts[0].sections if s.title == "Báo chí, xuất bản")
    assert "giấy phép xuất bản bản tin" in " ".join(press.paragraphs)
    assert "chưa có số liệu đã phê duyệt" not in text


def test_the_former_kien_giang_counts_once_in_every_year(department: Organisation) -> None:
    phones = DataElement.objects.get(code="SUB_PHONE")
    kien_giang = Organisation.objects.get(name="Sở Thông tin và Truyền thông tỉnh Kiên Giang")
    years = [Period.parse(str(y)) for y in (2023, 2024, 2025)]
    province = dict(series(phones, years))
    former = dict(series(phones, years, root=kien_giang))
    # Its history is there up to the merger, and not counted again in 2025 (the enterprises report it from 2025S2).
    assert former[years[0]] and former[years[1]] and former[years[2]] is None
    assert province[years[1]] is not None and province[years[2]] is not None
    assert Decimal("0.4") < former[years[1]] / province[years[1]] < Decimal("0.5")  # type: ignore[operator]
    assert Decimal(0) < province[years[2]] / province[years[1]] - 1 < Decimal("0.1")  # type: ignore[operator]
    assert not DataValue.objects.filter(organisation=kien_giang, synthetic=False).exclude(period="2008").exists()

    # 2025 inspections: reported by the current Department (Sở KH&CN) and the former Sở TT&TT's first two months.
    inspections = DataValue.objects.filter(element__code="INSPECTIONS", period="2025")
    assert {v.organisation.name for v in inspections} == {department.name, "Sở Thông tin và Truyền thông tỉnh An Giang"}
    assert all(v.synthetic and v.submission.status == SubmissionStatus.APPROVED for v in inspections)  # type: ignore[union-attr]


def test_an_approved_annual_report_of_a_former_district_replaces_its_handover_figures(department: Organisation) -> None:
    services = DataElement.objects.get(code="EGOV_SERVICES_L12")
    (before,) = [v for _p, v in series(services, [Period.parse("2025")])]
    pending = Submission.objects.get(
        round__form__code="UBND_CNTT", round__period="2025", organisation__name="Ủy ban nhân dân huyện Châu Thành"
    )
    handover = DataValue.objects.get(element=services, organisation=pending.organisation, period="2025S1").value
    annual = DataValue.objects.get(element=services, submission=pending).value
    rounds.submission_approve(acting_user=None, submission=pending)
    (after,) = [v for _p, v in series(services, [Period.parse("2025")])]
    assert after == before - handover + annual  # type: ignore[operator]


def test_the_seed_article_figures_stay_as_quoted(department: Organisation) -> None:
    quoted = {
        (v.organisation.name, v.element.code, v.period): v
        for v in DataValue.objects.filter(synthetic=False).select_related("organisation", "element")
    }
    an_giang, kien_giang = "Sở Thông tin và Truyền thông tỉnh An Giang", "Sở Thông tin và Truyền thông tỉnh Kiên Giang"
    expected = {
        (an_giang, "REVENUE", "2009S1"): Decimal("252.1"),
        (an_giang, "SUB_PHONE", "2009S1"): Decimal(402800),
        (an_giang, "SUB_INTERNET", "2009S1"): Decimal(4521),
        (an_giang, "BRIDGE_POINTS", "2009S1"): Decimal(11),
        (kien_giang, "IT_PROGRAMMES", "2008"): Decimal(18),
        (kien_giang, "IT_PROGRAMME_FUNDS", "2008"): Decimal("9.5"),
    }
    assert {k: v.value for k, v in quoted.items()} == expected
    assert all(v.source.startswith("Mic.gov.vn") for v in quoted.values())
    assert not DataValue.objects.filter(synthetic=True, source="").exists()
    assert DataValue.objects.filter(synthetic=True, source=demo_data.SYNTHETIC).count() > 700
