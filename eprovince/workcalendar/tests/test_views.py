"""Administrators' calendar pages (others get 403) and the public page of a year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from eprovince.core.constants import AuditAction
from eprovince.core.models import AuditEvent
from eprovince.workcalendar.constants import DayKind
from eprovince.workcalendar.models import CalendarDay, CalendarYear, DeadlineRule
from eprovince.workcalendar.services import calendar_day_create, calendar_prefill_year, calendar_year_update

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def admin_client(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client


@pytest.fixture
def day(admin_user) -> CalendarDay:
    return calendar_day_create(
        date=dt.date(2025, 6, 2), kind=DayKind.DAY_OFF, name="Nghỉ thử", acting_user=admin_user, reason="x"
    )


def _admin_urls(day: CalendarDay) -> list[tuple[str, str]]:
    return [
        ("get", reverse("workcalendar:admin_year_current")),
        ("get", reverse("workcalendar:admin_year", args=[2025])),
        ("get", reverse("workcalendar:rules")),
        ("get", reverse("workcalendar:day_edit", args=[day.pk])),
        ("get", reverse("workcalendar:day_remove", args=[day.pk])),
        ("post", reverse("workcalendar:day_add", args=[2025])),
        ("post", reverse("workcalendar:prefill", args=[2025])),
        ("post", reverse("workcalendar:year_update", args=[2025])),
        ("post", reverse("workcalendar:day_edit", args=[day.pk])),
        ("post", reverse("workcalendar:day_remove", args=[day.pk])),
        ("post", reverse("workcalendar:rules")),
    ]


def test_staff_without_the_admin_role_get_403_everywhere(client, clerk_user, day: CalendarDay) -> None:
    client.force_login(clerk_user)
    for method, url in _admin_urls(day):
        assert getattr(client, method)(url, {"reason": "x"}).status_code == 403, url
    assert CalendarDay.objects.filter(is_active=True).count() == 1


def test_anonymous_visitors_are_sent_to_login(client, day: CalendarDay) -> None:
    for method, url in _admin_urls(day):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("core:login") in response.url, url


def test_year_page_lists_days_with_dd_mm_yyyy(admin_client, admin_user, django_assert_max_num_queries) -> None:
    calendar_prefill_year(year=2025, acting_user=admin_user)
    admin_client.get(reverse("workcalendar:admin_year", args=[2025]))  # warm the session and role caches
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("workcalendar:admin_year", args=[2025]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "26/04/2025" in page and "02/05/2025" in page and "27/01/2025" in page
    assert "2025-04-26" in page  # machine-readable <time>
    assert "Chưa công bố chính thức" in page
    assert "250 ngày làm việc" in page


def test_current_year_redirects(admin_client) -> None:
    response = admin_client.get(reverse("workcalendar:admin_year_current"))
    assert response.status_code == 302 and response.url.endswith(f"/{dt.date.today().year}/")


def test_prefill_button(admin_client) -> None:
    response = admin_client.post(reverse("workcalendar:prefill", args=[2026]), {"reason": ""})
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__year=2026).count() == 14
    again = admin_client.post(reverse("workcalendar:prefill", args=[2026]), {"reason": ""}, follow=True)
    assert "Không có ngày nào mới" in again.content.decode()


def test_add_a_day(admin_client) -> None:
    data = {"date": "26/04/2025", "kind": DayKind.WORKING_DAY, "name": "Làm bù", "legal_basis": "", "reason": "Thông báo"}
    response = admin_client.post(reverse("workcalendar:day_add", args=[2025]), data)
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=dt.date(2025, 4, 26)).kind == DayKind.WORKING_DAY


def test_add_a_day_without_reason_or_on_a_wrong_weekday_shows_errors(admin_client) -> None:
    data = {"date": "2025-04-26", "kind": DayKind.WORKING_DAY, "name": "Làm bù", "reason": ""}
    response = admin_client.post(reverse("workcalendar:day_add", args=[2025]), data)
    assert response.status_code == 400 and not CalendarDay.objects.exists()
    data |= {"reason": "x", "kind": DayKind.DAY_OFF}  # a Saturday cannot be a day off
    response = admin_client.post(reverse("workcalendar:day_add", args=[2025]), data)
    assert response.status_code == 400
    assert "vốn là ngày nghỉ hằng tuần" in response.content.decode()


def test_edit_a_day(admin_client, day: CalendarDay) -> None:
    url = reverse("workcalendar:day_edit", args=[day.pk])
    assert "02/06/2025" in admin_client.get(url).content.decode()
    assert admin_client.post(url, {"kind": DayKind.DAY_OFF, "name": "Tên mới", "reason": ""}).status_code == 400
    response = admin_client.post(url, {"kind": DayKind.DAY_OFF, "name": "Tên mới", "legal_basis": "TB 1", "reason": "Sửa tên"})
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.name == "Tên mới" and day.legal_basis == "TB 1"


def test_remove_a_day_needs_a_reason(admin_client, day: CalendarDay) -> None:
    url = reverse("workcalendar:day_remove", args=[day.pk])
    assert admin_client.post(url, {"reason": ""}).status_code == 400
    assert admin_client.post(url, {"reason": "Nhập nhầm"}).status_code == 302
    day.refresh_from_db()
    assert not day.is_active
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, reason="Nhập nhầm").exists()
    assert admin_client.get(url).status_code == 404
    page = admin_client.get(reverse("workcalendar:admin_year", args=[2025])).content.decode()
    assert "1 ngày đã gỡ khỏi lịch" in page


def test_publish_a_year(admin_client) -> None:
    url = reverse("workcalendar:year_update", args=[2025])
    assert admin_client.post(url, {"is_published": "on", "reason": ""}).status_code == 400
    assert admin_client.post(url, {"is_published": "on", "note": "Theo TB 6150", "reason": "Đối chiếu"}).status_code == 302
    assert CalendarYear.objects.get(year=2025).is_published


def test_rules_page_changes_rule_and_hours(admin_client) -> None:
    url = reverse("workcalendar:rules")
    page = admin_client.get(url).content.decode()
    assert "07:30-11:30, 13:30-17:00" in page
    data = {
        "counting_mode": "working_hours",
        "after_hours_next_session": "on",
        "supplement_mode": "restart",
        "legal_basis": "Quyết định của UBND tỉnh",
        **{f"weekday_{i}": "07:00-11:00, 13:00-17:00" for i in range(5)},
        "weekday_5": "07:30-11:30",
        "reason": "Áp dụng giờ làm việc mới",
    }
    assert admin_client.post(url, data).status_code == 302
    rule = DeadlineRule.objects.get()
    assert rule.counting_mode == "working_hours" and rule.supplement_mode == "restart" and not rule.receipt_morning_counts
    bad = data | {"weekday_0": "7h-11h"}
    response = admin_client.post(url, bad)
    assert response.status_code == 400 and "GG:PP-GG:PP" in response.content.decode()
    empty = data | {f"weekday_{i}": "" for i in range(7)}
    assert admin_client.post(url, empty).status_code == 400


def test_out_of_range_years_are_not_found(admin_client, client) -> None:
    assert admin_client.get(reverse("workcalendar:admin_year", args=[1990])).status_code == 404
    assert client.get(reverse("workcalendar:public_year", args=[3000])).status_code == 404


def test_public_page_lists_the_year_for_everyone(client, admin_user, django_assert_max_num_queries) -> None:
    calendar_prefill_year(year=2025, acting_user=admin_user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("workcalendar:public_year", args=[2025]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "26/04/2025" in page and "Thứ Bảy" in page and "chưa được công bố chính thức" in page
    calendar_year_update(year=2025, acting_user=admin_user, reason="x", is_published=True)
    assert "chưa được công bố chính thức" not in client.get(reverse("workcalendar:public_year", args=[2025])).content.decode()
    assert client.get(reverse("workcalendar:public_current")).status_code == 302


def test_public_page_computes_a_due_date(client, admin_user) -> None:
    calendar_prefill_year(year=2025, acting_user=admin_user)
    page = client.get(
        reverse("workcalendar:public_year", args=[2025]), {"start": "24/01/2025 09:00", "working_days": "3"}
    ).content.decode()
    assert "17:00, Thứ Tư 05/02/2025" in page
    for start in ("xx", "31/12/9999 10:00"):
        bad = client.get(reverse("workcalendar:public_year", args=[2025]), {"start": start, "working_days": "3"})
        assert bad.status_code == 200 and "error-text" in bad.content.decode() and "Hạn giải quyết" not in bad.content.decode()


def test_staff_home_lists_the_calendar_module_for_administrators_only(client, admin_user, clerk_user) -> None:
    client.force_login(admin_user)
    assert reverse("workcalendar:admin_year_current") in client.get(reverse("core:staff_home")).content.decode()
    client.force_login(clerk_user)
    assert reverse("workcalendar:admin_year_current") not in client.get(reverse("core:staff_home")).content.decode()
