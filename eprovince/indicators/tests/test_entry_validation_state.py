"""The entry page has one validation state: the box at the top counts the values that could not be saved and the
rules the saved values break together (red with the count, amber for warnings, green only when there is nothing);
a broken rule says in words what is wrong; a value far from the previous period's approved one is a warning (it
never blocks), with the previous value, against a threshold the form or the element sets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from .. import selectors, validation
from ..constants import SubmissionStatus
from ..models import DataElement, ReportForm, Submission
from ..periods import Period
from ..services import rounds
from . import factories as f

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def flat(html: str) -> str:
    return " ".join(html.split())


def current(world: f.World, data: dict[str, Any]) -> Submission:
    sub = f.submission(f.open_round(world, world.enterprise_form, "2026S1"), world.vnpt)
    f.save(world, sub, None, data)
    return sub


def post_data(sub: Submission, **typed: str) -> dict[str, str]:
    data = {"save": "1"}
    for row in selectors.entry_rows(sub):
        value = typed.get(row.element.code)
        if value is not None and not row.option:
            data[row.field] = value
    return data


def test_a_broken_rule_says_in_words_what_is_wrong(world: f.World) -> None:
    sub = current(world, {"SUB_INTERNET": 14, "SUB_BROADBAND": 20})
    page = flat(client_for(world.officer_vnpt).get(reverse("indicators:submission", args=[sub.pk])).content.decode())
    assert "Thuê bao Internet băng rộng cố định (20) không được lớn hơn Thuê bao Internet (14)." in page
    assert "(20 ≤ 14)" not in page


def test_a_rule_against_a_constant_names_the_constant(world: f.World) -> None:
    assert validation.rule_sentence("Trạm BTS", Decimal(0), ">", None, Decimal(0)) == "Trạm BTS (0) phải lớn hơn 0."
    assert validation.rule_sentence(None, Decimal("252.1"), "<=", "Dân số", Decimal(4020)) == (
        "Giá trị tính được (252,1) không được lớn hơn Dân số (4.020)."
    )


def test_field_errors_and_rule_errors_make_one_red_state_with_their_count(world: f.World) -> None:
    sub = current(world, {"SUB_INTERNET": 14, "SUB_BROADBAND": 20, "BTS": 5})
    response = client_for(world.officer_vnpt).post(reverse("indicators:submission", args=[sub.pk]), post_data(sub, BTS="abc"))
    page = flat(response.content.decode())
    assert response.status_code == 400
    assert "Không có lỗi hay cảnh báo nào" not in page
    assert "ind-state-error" in page and "Có 2 lỗi cần sửa." in page
    assert "data-error-summary" in page and "Có lỗi cần sửa" in page


def test_a_field_error_alone_is_never_reported_as_no_error(world: f.World) -> None:
    sub = current(world, {"SUB_INTERNET": 14, "SUB_BROADBAND": 10, "BTS": 5})
    response = client_for(world.officer_vnpt).post(reverse("indicators:submission", args=[sub.pk]), post_data(sub, BTS="abc"))
    page = flat(response.content.decode())
    assert response.status_code == 400
    assert "Không có lỗi hay cảnh báo nào" not in page
    assert "ind-state-error" in page and "Có 1 lỗi cần sửa." in page


def test_the_state_is_green_only_when_there_is_nothing(world: f.World) -> None:
    sub = current(world, {"SUB_INTERNET": 14, "SUB_BROADBAND": 10, "BTS": 5})
    page = flat(client_for(world.officer_vnpt).get(reverse("indicators:submission", args=[sub.pk])).content.decode())
    assert "ind-state-ok" in page and "Không có lỗi hay cảnh báo nào." in page


def test_the_state_counts_warnings_in_amber() -> None:
    warning = validation.Violation("R", "m", "warning")
    state = validation.page_state(0, [warning])
    assert state.level == "warning" and state.headline == "Không có lỗi; có 1 cảnh báo cần xem lại."
    assert validation.page_state(1, [warning]).headline == "Có 1 lỗi cần sửa và 1 cảnh báo."


def test_a_value_far_above_the_previous_approved_one_is_a_warning_with_that_value(world: f.World) -> None:
    f.approved(world, world.enterprise_form, "2025S2", world.vnpt, {"BTS": 4})
    sub = current(world, {"BTS": 4020})
    found = validation.check(world.enterprise_form, world.vnpt, Period.parse("2026S1"))
    outliers = [v for v in found if v.elements == ("BTS",)]
    assert len(outliers) == 1 and not outliers[0].blocking
    assert outliers[0].message.startswith("“Trạm BTS” kỳ này là 4.020, gấp 1.005 lần kỳ trước (6 tháng cuối năm 2025: 4,")
    page = flat(client_for(world.officer_vnpt).get(reverse("indicators:submission", args=[sub.pk])).content.decode())
    assert "ind-state-warning" in page and "gấp 1.005 lần kỳ trước" in page
    rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)  # a warning never blocks
    assert Submission.objects.get(pk=sub.pk).status == SubmissionStatus.SUBMITTED


def test_a_value_far_below_the_previous_approved_one_is_a_warning(world: f.World) -> None:
    f.approved(world, world.enterprise_form, "2025S2", world.vnpt, {"BTS": 4020})
    current(world, {"BTS": 402})
    messages = [v.message for v in validation.check(world.enterprise_form, world.vnpt, Period.parse("2026S1"))]
    assert any("chỉ bằng 10% kỳ trước (6 tháng cuối năm 2025: 4.020" in m for m in messages)


def test_a_value_within_the_threshold_raises_no_outlier_warning(world: f.World) -> None:
    f.approved(world, world.enterprise_form, "2025S2", world.vnpt, {"BTS": 4})
    current(world, {"BTS": 12})
    assert not [v for v in validation.check(world.enterprise_form, world.vnpt, Period.parse("2026S1")) if v.elements == ("BTS",)]


def test_an_unapproved_previous_value_is_not_compared(world: f.World) -> None:
    previous = f.submission(f.open_round(world, world.enterprise_form, "2025S2"), world.vnpt)
    f.save(world, previous, None, {"BTS": 4})  # entered, never approved
    current(world, {"BTS": 4020})
    assert not [v for v in validation.check(world.enterprise_form, world.vnpt, Period.parse("2026S1")) if v.elements == ("BTS",)]


def test_the_threshold_is_set_by_the_form_and_overridden_by_the_element(world: f.World) -> None:
    f.approved(world, world.enterprise_form, "2025S2", world.vnpt, {"BTS": 4, "SUB_INTERNET": 100})
    current(world, {"BTS": 40, "SUB_INTERNET": 1000})

    def flagged() -> set[str]:
        found = validation.check(ReportForm.objects.get(pk=world.enterprise_form.pk), world.vnpt, Period.parse("2026S1"))
        return {code for v in found if v.rule.startswith("Số liệu khác thường") for code in v.elements}

    assert flagged() == {"BTS", "SUB_INTERNET"}  # the default: more than 3 times
    DataElement.objects.filter(code="BTS").update(outlier_ratio=Decimal(20))
    assert flagged() == {"SUB_INTERNET"}
    ReportForm.objects.filter(pk=world.enterprise_form.pk).update(outlier_ratio=None)
    assert flagged() == set()
