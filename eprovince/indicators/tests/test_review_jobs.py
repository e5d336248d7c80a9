"""Asking for the annual review report: an identical request while one is waiting or running returns that job; a
request with other parameters (the year, the issuing agency, the symbol on the document number) is a new job that
carries what was asked for."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from eprovince.core.constants import Role
from eprovince.core.testing import make_org, make_user

from ..models import ReviewReportJob
from ..review import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> dict[str, Any]:
    department = make_org("Sở Khoa học và Công nghệ")
    leader = make_user("lanhdao_h4", (Role.LEADER, department))
    return {"department": department, "leader": leader}


def request(setup: dict[str, Any], **kwargs: Any) -> ReviewReportJob:
    params: dict[str, Any] = {"year": 2025, "symbol": "SKHCN", **kwargs}
    return services.review_report_request(acting_user=setup["leader"], organisation=setup["department"], **params)


def test_an_identical_request_while_one_waits_returns_the_waiting_job(setup: dict[str, Any]) -> None:
    first = request(setup)
    assert request(setup).pk == first.pk
    assert ReviewReportJob.objects.count() == 1


def test_a_request_with_another_symbol_is_a_new_job_with_that_symbol(setup: dict[str, Any]) -> None:
    first = request(setup, symbol="SKHCN")
    second = request(setup, symbol="KHCN")
    assert second.pk != first.pk
    assert second.symbol == "KHCN"
    assert ReviewReportJob.objects.get(pk=first.pk).symbol == "SKHCN"


def test_a_request_for_another_year_is_a_new_job_for_that_year(setup: dict[str, Any]) -> None:
    first = request(setup, year=2025)
    second = request(setup, year=2024)
    assert second.pk != first.pk
    assert second.year == 2024


def test_the_page_opens_the_job_of_the_parameters_just_sent(setup: dict[str, Any]) -> None:
    client = Client()
    client.force_login(setup["leader"])
    data = {"year": 2025, "organisation": setup["department"].pk, "symbol": "SKHCN"}
    first = client.post(reverse("indicators:review"), data)
    second = client.post(reverse("indicators:review"), {**data, "symbol": "VPUB"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] != second["Location"]
    job = ReviewReportJob.objects.order_by("-pk").first()
    assert job is not None and job.symbol == "VPUB"
    assert second["Location"] == reverse("indicators:review_job", args=[job.pk])
