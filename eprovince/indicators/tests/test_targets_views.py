"""The targets grid of a year (units × indicators): values typed the Vietnamese way, all or nothing, emptied cells
remove a target, every change audited; cells outside the grid are ignored; only administrators get in."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from eprovince.core.constants import Role
from eprovince.core.models import AuditEvent
from eprovince.core.testing import make_org, make_user

from ..forms_catalogue import _shown
from ..models import Indicator, Target
from ..services import catalogue
from ..validators import clean_target_value
from . import factories as f

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def setup(world: f.World) -> dict[str, Any]:
    density = catalogue.indicator_save(
        acting_user=None, code="PHONE_DENSITY", name="Thuê bao điện thoại/100 dân", formula="#{SUB_PHONE} / #{POPULATION} * 100",
        unit="thuê bao/100 dân", order=1,
    )  # fmt: skip
    email = catalogue.indicator_save(
        acting_user=None, code="EMAIL_PCT", name="Tỉ lệ dùng thư điện tử", formula="#{EMAIL_OFFICIALS_PCT}", unit="%", order=2
    )
    client = Client()
    client.force_login(make_user("quantri", Role.ADMIN))
    return {
        "density": density,
        "email": email,
        "client": client,
        "url": reverse("indicators:catalogue_targets_year", args=[YEAR]),
    }


def cell(org: Any, indicator: Indicator) -> str:
    return f"t_{org.pk if org else 0}_{indicator.pk}"


def test_the_grid_has_the_province_and_the_reporting_units(world: f.World, setup: dict[str, Any]) -> None:
    page = setup["client"].get(setup["url"]).content.decode()
    for name in ("Toàn tỉnh", world.tanchau.name, world.vnpt.name, "Thuê bao điện thoại/100 dân", "Tỉ lệ dùng thư điện tử"):
        assert name in page
    assert f'name="{cell(world.chauthanh, setup["density"])}"' in page
    assert setup["client"].get(reverse("indicators:catalogue_targets")).status_code == 302


def test_values_in_vietnamese_format_are_saved_shown_changed_and_removed(world: f.World, setup: dict[str, Any]) -> None:
    client, url, density, email = setup["client"], setup["url"], setup["density"], setup["email"]
    response = client.post(
        url,
        {
            cell(None, density): "1.234,5",
            cell(world.tanchau, density): "96",
            cell(world.chauthanh, email): "99,5",
            "source_decision": "Quyết định số 12/QĐ-UBND ngày 10/01/2025",
        },
        follow=True,
    )
    assert "3 thêm mới, 0 sửa, 0 xóa" in response.content.decode()
    province = Target.objects.get(indicator=density, organisation=None, year=YEAR)
    assert province.value == Decimal("1234.5") and province.source_decision.startswith("Quyết định số 12")
    assert Target.objects.get(indicator=email, organisation=world.chauthanh).value == Decimal("99.5")
    page = response.content.decode()
    assert 'value="1.234,5"' in page and 'value="99,5"' in page
    assert AuditEvent.objects.filter(content_type__model="target", action="create").count() == 3

    response = client.post(
        url, {cell(None, density): "1.234,5", cell(world.tanchau, density): "97", cell(world.chauthanh, email): ""}, follow=True
    )
    assert "0 thêm mới, 1 sửa, 1 xóa" in response.content.decode()
    assert Target.objects.get(indicator=density, organisation=world.tanchau).value == 97
    assert not Target.objects.filter(indicator=email, organisation=world.chauthanh).exists()
    assert AuditEvent.objects.filter(content_type__model="target", action="delete").count() == 1
    # Posting the same grid again changes nothing and writes no audit row.
    audits = AuditEvent.objects.count()
    response = client.post(url, {cell(None, density): "1.234,5", cell(world.tanchau, density): "97"}, follow=True)
    assert "Không có thay đổi nào." in response.content.decode()
    assert AuditEvent.objects.count() == audits


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5", "Chỉ tiêu kế hoạch không được âm."),
        ("abc", "“abc” không phải là số"),
        ("1,2,3", "không phải là số"),
        ("12.34.5", "không phải là số"),
        ("1e400", "Giá trị quá lớn."),
        ("0,1234567", "Không được quá 6 chữ số thập phân."),
        ("9" * 30, "Giá trị quá lớn."),
    ],
)
def test_a_wrong_cell_saves_nothing_and_names_the_cell(world: f.World, setup: dict[str, Any], text: str, message: str) -> None:
    client, url, density = setup["client"], setup["url"], setup["density"]
    before = AuditEvent.objects.count()
    response = client.post(url, {cell(None, density): "96", cell(world.tanchau, density): text})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert f"{world.tanchau.name} – Thuê bao điện thoại/100 dân" in page  # the error summary names the cell
    assert 'aria-invalid="true"' in page and f'value="{text}"' in page  # what was typed is kept
    assert not Target.objects.exists() and AuditEvent.objects.count() == before


def test_cells_outside_the_grid_are_ignored(world: f.World, setup: dict[str, Any]) -> None:
    outsider = make_org("Sở Y tế")  # reports in no form: not a row of the grid
    client, url, density = setup["client"], setup["url"], setup["density"]
    client.post(url, {cell(outsider, density): "5", "t_0_999999": "5", f"t_999999_{density.pk}": "5", "t_x_y": "5"})
    assert not Target.objects.exists()


def test_only_administrators_set_targets_and_years_are_bounded(world: f.World, setup: dict[str, Any]) -> None:
    for user in (world.reviewer, world.leader, world.officer_tanchau):
        client = Client()
        client.force_login(user)
        assert client.get(setup["url"]).status_code == 403
        assert client.post(setup["url"], {cell(None, setup["density"]): "5"}).status_code == 403
    assert not Target.objects.exists()
    assert setup["client"].get(reverse("indicators:catalogue_targets_year", args=[1999])).status_code == 404
    assert setup["client"].get(reverse("indicators:catalogue_targets_year", args=[2101])).status_code == 404


def test_a_target_set_in_the_grid_shows_in_the_results(world: f.World, setup: dict[str, Any]) -> None:
    density = setup["density"]
    setup["client"].post(setup["url"], {cell(None, density): "96"})
    assert Target.objects.get(indicator=density, year=YEAR).value == 96
    page = setup["client"].get(setup["url"]).content.decode()
    assert f'name="{cell(None, density)}" value="96"' in page


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=0, max_value=Decimal("999999999999"), places=3, allow_nan=False, allow_infinity=False))
def test_what_the_grid_shows_reads_back_as_the_same_number(value: Decimal) -> None:
    assert clean_target_value(_shown(value)) == value
