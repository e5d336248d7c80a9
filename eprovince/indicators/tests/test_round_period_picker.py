"""Opening a round: the period is chosen from a list in words ("6 tháng đầu năm 2024"), the blank choices are in
Vietnamese, each period says its type so the page offers only the chosen form's periods, and a wrong period is
refused with a message naming the problem, never repeating what was typed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ..forms import RoundOpenForm, period_choices
from ..models import ReportingRound
from ..selectors import reviewable_forms
from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    moment = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def labels(choices: list[tuple[Any, Any]]) -> dict[str, str]:
    return {str(value): str(label) for group, options in choices[1:] for value, label in options}


def test_periods_are_offered_in_words_for_this_year_and_the_previous_ones(frozen: dt.datetime) -> None:
    choices = period_choices()
    assert str(choices[0][1]) == "— Chọn kỳ báo cáo —"
    words = labels(choices)
    assert words["2024S1"] == "6 tháng đầu năm 2024"
    assert words["2024N9"] == "9 tháng năm 2024"
    assert words["2026Q3"] == "Quý III/2026"
    assert words["202403"] == "Tháng 3/2024"
    assert words["2025"] == "Năm 2025"
    assert "2027" not in words


def test_the_home_page_offers_the_periods_in_words_with_their_type(world: f.World, frozen: dt.datetime) -> None:
    page = client_for(world.reviewer).get(reverse("indicators:home")).content.decode()
    assert "— Chọn kỳ báo cáo —" in page and "— Chọn biểu mẫu —" in page
    assert '<option value="2024S1" data-period-type="six_months">6 tháng đầu năm 2024</option>' in page
    assert f'<option value="{world.committee_form.pk}" data-period-type="year">' in page
    assert "Select an option" not in page and "---------" not in page
    assert "indicators/round-open.js" in page


def test_a_period_of_another_type_than_the_form_is_refused_in_words(world: f.World, frozen: dt.datetime) -> None:
    response = client_for(world.reviewer).post(
        reverse("indicators:round_open"), {"form": world.committee_form.pk, "period": "2025S1"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Có lỗi cần sửa" in page
    assert "báo cáo theo kỳ năm: hãy chọn một kỳ năm" in page
    assert not ReportingRound.objects.exists()


def test_an_unknown_period_is_refused_without_repeating_the_input(world: f.World, frozen: dt.datetime) -> None:
    typed = "2024S1xxxxxxxxxxxxxxxxxxxx"
    form = RoundOpenForm({"form": world.committee_form.pk, "period": typed}, forms_qs=reviewable_forms(world.reviewer))
    assert not form.is_valid()
    assert form.errors["period"] == ["Kỳ báo cáo không hợp lệ: hãy chọn một kỳ trong danh sách."]
    assert "2024S1x" not in str(form.errors)


def test_a_round_opens_for_the_period_chosen_in_words(world: f.World, frozen: dt.datetime) -> None:
    response = client_for(world.reviewer).post(
        reverse("indicators:round_open"), {"form": world.enterprise_form.pk, "period": "2026S1"}
    )
    assert response.status_code == 302
    assert ReportingRound.objects.get().period == "2026S1"


def test_the_catalogue_form_editor_has_vietnamese_blank_choices_and_the_outlier_threshold(world: f.World) -> None:
    from ..forms_catalogue import DataElementForm, ReportFormForm

    html = str(ReportFormForm()) + str(DataElementForm())
    assert "---------" not in html and "Select an option" not in html
    assert "— Chọn loại kỳ —" in html and "— Chọn đơn vị chủ trì —" in html
    assert "ngưỡng cảnh báo số bất thường" in html.lower()
    assert ReportFormForm().initial.get("outlier_ratio", ReportFormForm().fields["outlier_ratio"].initial) == 3
