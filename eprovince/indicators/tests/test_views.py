"""The workspace screens: who sees what (another district's report answers 404), entering values with errors
shown at once, submitting, reviewing, and a fixed number of queries on the list pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from eprovince.core.constants import Role
from eprovince.core.testing import make_user

from ..constants import SubmissionStatus
from ..models import DataValue, Submission
from ..services import catalogue, rounds
from . import factories as f

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def committee_round(world: f.World):
    return f.open_round(world, world.committee_form, "2024")


def test_the_module_needs_a_login_and_a_reporting_or_department_role(client: Client, world: f.World) -> None:
    response = client.get(reverse("indicators:home"))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    editor = make_user("bientap", Role.EDITOR)
    assert client_for(editor).get(reverse("indicators:home")).status_code == 403
    assert reverse("indicators:home") not in client_for(editor).get("/can-bo/").content.decode()
    assert reverse("indicators:home") in client_for(world.officer_tanchau).get("/can-bo/").content.decode()


def test_an_officer_sees_only_their_units_reports(world: f.World, committee_round) -> None:
    own = f.submission(committee_round, world.tanchau)
    other = f.submission(committee_round, world.chauthanh)
    officer = client_for(world.officer_tanchau)
    page = officer.get(reverse("indicators:home")).content.decode()
    assert reverse("indicators:submission", args=[own.pk]) in page
    assert reverse("indicators:submission", args=[other.pk]) not in page
    assert officer.get(reverse("indicators:submission", args=[other.pk])).status_code == 404
    assert officer.post(reverse("indicators:submission", args=[other.pk]), {}).status_code == 404
    assert officer.post(reverse("indicators:submission_action", args=[other.pk, "submit"])).status_code == 404
    assert officer.get(reverse("indicators:round", args=[committee_round.pk])).status_code == 404
    assert officer.get(reverse("indicators:results")).status_code == 403


def test_entering_values_shows_errors_then_saves_and_submits(world: f.World, committee_round) -> None:
    sub = f.submission(committee_round, world.tanchau)
    officer = client_for(world.officer_tanchau)
    url = reverse("indicators:submission", args=[sub.pk])
    fields = {row_field: "" for row_field in _fields(officer, url)}
    pop, pct, meetings = _field_names(world, sub)
    response = officer.post(url, {**fields, pop: "150.000", pct: "120", meetings: "11"})
    assert response.status_code == 400
    assert "Tỉ lệ phần trăm phải từ 0 đến 100." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not DataValue.objects.exists()
    response = officer.post(url, {**fields, pop: "150.000", pct: "98,5", meetings: "11", "submit": "1"}, follow=True)
    assert "Đã nộp báo cáo" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED
    assert DataValue.objects.get(element__code="POPULATION").value == 150000
    page = officer.get(url).content.decode()
    assert "150.000" in page and "98,5" in page and "Lịch sử thay đổi số liệu" in page


def test_a_reviewer_returns_then_approves_and_the_locked_form_explains(world: f.World, committee_round) -> None:
    sub = f.submission(committee_round, world.tanchau)
    f.save(world, sub, world.officer_tanchau, {"POPULATION": "150000", "ONLINE_MEETINGS": "11"})
    rounds.submission_submit(acting_user=world.officer_tanchau, submission=sub)
    reviewer = client_for(world.reviewer)
    action = reverse("indicators:submission_action", args=[sub.pk, "return"])
    page = reviewer.post(action, {"reason": "Thiếu tỉ lệ cán bộ dùng thư điện tử"}, follow=True).content.decode()
    assert "Đã trả lại báo cáo" in page and "Thiếu tỉ lệ cán bộ dùng thư điện tử" in page
    f.save(world, sub, world.officer_tanchau, {"EMAIL_OFFICIALS_PCT": "100"})
    rounds.submission_submit(acting_user=world.officer_tanchau, submission=sub)
    reviewer.post(reverse("indicators:submission_action", args=[sub.pk, "approve"]))
    assert Submission.objects.get(pk=sub.pk).status == SubmissionStatus.APPROVED
    officer_page = client_for(world.officer_tanchau).get(reverse("indicators:submission", args=[sub.pk])).content.decode()
    assert "Số liệu đã khóa." in officer_page and "Lê Thị Hạnh" in officer_page and "Đề nghị mở lại" in officer_page
    assert 'name="v_' not in officer_page  # no inputs on a locked report
    response = client_for(world.officer_tanchau).post(reverse("indicators:submission", args=[sub.pk]), {}, follow=True)
    assert "phê duyệt lúc" in response.content.decode()


def test_an_officer_cannot_approve_and_a_specialist_reads_only_once_approved(world: f.World, committee_round) -> None:
    sub = f.submission(committee_round, world.tanchau)
    f.save(world, sub, world.officer_tanchau, {"POPULATION": "150000"})
    rounds.submission_submit(acting_user=world.officer_tanchau, submission=sub)
    client_for(world.officer_tanchau).post(reverse("indicators:submission_action", args=[sub.pk, "approve"]))
    specialist = client_for(world.specialist)
    # Unapproved figures are the unit's and its reviewers' (the API's rule): the specialist is not even told it exists.
    assert specialist.get(reverse("indicators:submission", args=[sub.pk])).status_code == 404
    specialist.post(reverse("indicators:submission_action", args=[sub.pk, "approve"]))
    assert Submission.objects.get(pk=sub.pk).status == SubmissionStatus.SUBMITTED
    client_for(world.reviewer).post(reverse("indicators:submission_action", args=[sub.pk, "approve"]))
    assert Submission.objects.get(pk=sub.pk).status == SubmissionStatus.APPROVED
    response = specialist.get(reverse("indicators:submission", args=[sub.pk]))
    assert response.status_code == 200
    assert "Phê duyệt" not in response.content.decode().replace("phê duyệt lúc", "")


def test_reviewers_open_a_round_from_the_home_page(world: f.World) -> None:
    reviewer = client_for(world.reviewer)
    response = reviewer.post(reverse("indicators:round_open"), {"form": world.committee_form.pk, "period": "2025"}, follow=True)
    assert "Đã mở đợt báo cáo" in response.content.decode() and "0/2" in response.content.decode()
    again = reviewer.post(reverse("indicators:round_open"), {"form": world.committee_form.pk, "period": "2025"})
    assert again.status_code == 400 and "đã được mở" in again.content.decode()
    bad = reviewer.post(reverse("indicators:round_open"), {"form": world.committee_form.pk, "period": "2025Q9"})
    assert bad.status_code == 400 and "không hợp lệ" in bad.content.decode()
    assert client_for(world.specialist).post(reverse("indicators:round_open"), {}).status_code == 403


def test_the_round_page_shows_completeness_timeliness_and_late_units(world: f.World, committee_round) -> None:
    sub = f.submission(committee_round, world.tanchau)
    f.save(world, sub, world.officer_tanchau, {"POPULATION": "150000"})
    rounds.submission_submit(acting_user=world.officer_tanchau, submission=sub)
    page = client_for(world.leader).get(reverse("indicators:round", args=[committee_round.pk])).content.decode()
    assert "1/2" in page and "(50%)" in page
    assert "Ủy ban nhân dân huyện Châu Thành – chưa nộp" in " ".join(page.split())


def test_list_pages_use_a_fixed_number_of_queries(world: f.World, django_assert_max_num_queries: Any) -> None:
    for year in ("2021", "2022", "2023"):
        r = f.open_round(world, world.committee_form, year)
        for org in (world.tanchau, world.chauthanh):
            f.save(world, f.submission(r, org), None, {"POPULATION": "1000"})
    reviewer = client_for(world.reviewer)
    reviewer.get(reverse("indicators:home"))
    with django_assert_max_num_queries(12):
        assert reviewer.get(reverse("indicators:home")).status_code == 200
    with django_assert_max_num_queries(12):
        assert reviewer.get(reverse("indicators:round", args=[r.pk])).status_code == 200
    officer = client_for(world.officer_tanchau)
    with django_assert_max_num_queries(12):
        assert officer.get(reverse("indicators:home")).status_code == 200
    sub = f.submission(r, world.tanchau)
    with django_assert_max_num_queries(22):
        assert officer.get(reverse("indicators:submission", args=[sub.pk])).status_code == 200


def test_results_page_shows_targets_and_phrases(world: f.World) -> None:
    f.approved(world, world.enterprise_form, "2012S2", world.vnpt, {"REVENUE": "3900"})
    f.approved(world, world.enterprise_form, "2013S2", world.vnpt, {"REVENUE": "4020"})
    catalogue.target_set(acting_user=None, year=2013, element=world.elements["REVENUE"], value=3941)
    page = client_for(world.leader).get(reverse("indicators:results"), {"period": "2013"}).content.decode()
    assert "4.020,0" in page and "đạt 102% kế hoạch" in page and "tăng 3,08% so cùng kỳ" in page


def _fields(client: Client, url: str) -> list[str]:
    import re

    page = client.get(url).content.decode()
    return re.findall(r'name="([vc]_\d+_\d+)"', page)


def _field_names(world: f.World, sub: Submission) -> tuple[str, str, str]:
    e = world.elements
    return (f"v_{e['POPULATION'].pk}_0", f"v_{e['EMAIL_OFFICIALS_PCT'].pk}_0", f"v_{e['ONLINE_MEETINGS'].pk}_0")


def test_the_results_page_costs_the_same_whatever_the_number_of_rows(world: f.World, django_assert_max_num_queries: Any) -> None:
    leader = client_for(world.leader)
    f.approved(world, world.enterprise_form, "2013S2", world.vnpt, {"REVENUE": "4020"})
    leader.get(reverse("indicators:results"), {"period": "2013"})
    with django_assert_max_num_queries(20):
        assert leader.get(reverse("indicators:results"), {"period": "2013"}).status_code == 200
    for code in ("A", "B", "C", "D"):
        catalogue.indicator_save(acting_user=None, code=f"IND_{code}", name=code, formula="#{REVENUE} / #{POPULATION}")
    f.approved(world, world.enterprise_form, "2013S1", world.viettel, {"REVENUE": "100", "BTS": "10", "SUB_PHONE": "5"})
    with django_assert_max_num_queries(20):
        assert leader.get(reverse("indicators:results"), {"period": "2013"}).status_code == 200
