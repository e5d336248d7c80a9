"""Who reads which indicator values through the API (GET /api/v1/indicators/dataValueSets and /results).

The security review's repro: a specialist of any organisation read every unit's values, unapproved ones included.
The rule (indicators.permissions, module docstring): unapproved values are read by the reporting unit and the form's
reviewers only; approved values by the unit (and the units above it) and by the Department's staff of the division
collecting the figure."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from eprovince.core.constants import Role
from eprovince.core.testing import make_user

from ..services import rounds
from . import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/indicators/dataValueSets"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def read(user: Any, **params: Any) -> set[tuple[int, str, bool]]:
    response = client_for(user).get(URL, {"page_size": 200, **params})
    assert response.status_code == 200, response.content
    return {(item["orgUnit"], item["value"], item["approved"]) for item in response.json()["items"]}


@pytest.fixture
def values(world: f.World) -> f.World:
    """VNPT's 2024S1 report approved (REVENUE 100); Viettel's entered and submitted, not approved (REVENUE 50)."""
    f.approved(world, world.enterprise_form, "2024S1", world.vnpt, {"REVENUE": "100"})
    viettel = f.submission(f.open_round(world, world.enterprise_form, "2024S2"), world.viettel)
    f.save(world, viettel, None, {"REVENUE": "50"})
    rounds.submission_submit(acting_user=None, submission=viettel)
    return world


def test_a_specialist_of_another_organisation_reads_nothing_of_other_units(values: f.World) -> None:
    """The repro: a specialist of a district committee is no reader of the Department's reports."""
    outsider = make_user("chuyenvien_chauthanh", (Role.SPECIALIST, values.chauthanh))
    assert read(outsider) == set()
    assert read(outsider, orgUnit=values.viettel.pk) == set()


def test_the_reporting_unit_reads_its_own_values_approved_or_not(values: f.World) -> None:
    assert read(values.officer_vnpt) == {(values.vnpt.pk, "100.000000", True)}
    officer_viettel = make_user("baocao_viettel", (Role.REPORTING_OFFICER, values.viettel))
    assert read(officer_viettel) == {(values.viettel.pk, "50.000000", False)}


def test_the_forms_reviewer_and_the_leader_read_unapproved_values_too(values: f.World) -> None:
    everything = {(values.vnpt.pk, "100.000000", True), (values.viettel.pk, "50.000000", False)}
    assert read(values.reviewer) == everything
    assert read(values.leader) == everything


def test_the_collecting_divisions_specialist_reads_approved_values_only(values: f.World) -> None:
    assert read(values.specialist) == {(values.vnpt.pk, "100.000000", True)}
    assert read(values.specialist, orgUnit=values.viettel.pk) == set()


def test_a_reviewer_of_another_division_does_not_read_unapproved_values(values: f.World) -> None:
    other_division = f.make_org("Phòng Công nghệ thông tin", parent=values.department)
    head = make_user("truongphong_cntt", (Role.DIVISION_HEAD, other_division))
    assert read(head) == set()


def test_results_are_for_readers_within_their_scope(values: f.World) -> None:
    results = "/api/v1/indicators/results"
    outsider = make_user("chuyenvien_chauthanh", (Role.SPECIALIST, values.chauthanh))
    assert client_for(outsider).get(results, {"period": "2024S1"}).status_code == 403
    assert client_for(outsider).get(results, {"period": "2024S1", "organisation": values.vnpt.pk}).status_code == 404
    assert client_for(outsider).get(results, {"period": "2024S1", "organisation": values.chauthanh.pk}).status_code == 200
    assert client_for(values.specialist).get(results, {"period": "2024S1"}).status_code == 200
    assert client_for(values.leader).get(results, {"period": "2024S1", "organisation": values.vnpt.pk}).status_code == 200
