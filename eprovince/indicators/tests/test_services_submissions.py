"""The life of a unit's report: entering values, validation at once, submit, return, approve (lock), reopen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from eprovince.core.models import AuditEvent

from ..constants import SubmissionStatus, ValueChange
from ..models import DataValue, DataValueAudit, Submission
from ..services import rounds
from . import factories as f

pytestmark = pytest.mark.django_db

GOOD = {
    "REVENUE": "252,1",
    "SUB_PHONE": "402.800",
    "SUB_INTERNET": "4.521",
    "SUB_BROADBAND": "4.000",
    "BTS": "120",
    "SUB_MOBILE.VNPT": "300.000",
}


@pytest.fixture
def round_(world: f.World):
    return f.open_round(world, world.enterprise_form, "2009S1")


@pytest.fixture
def sub(world: f.World, round_) -> Submission:
    return f.submission(round_, world.vnpt)


def test_opening_a_round_creates_a_draft_per_expected_unit(world: f.World, round_) -> None:
    assert round_.deadline.isoformat() == "2009-06-24"  # Decree 09: 6 months end on 14/06, plus 10 days
    assert round_.opens_on.isoformat() == "2008-12-15"
    assert sorted(s.organisation.name for s in round_.submissions.all()) == ["VNPT An Giang", "Viettel An Giang"]
    assert set(round_.submissions.values_list("status", flat=True)) == {SubmissionStatus.DRAFT}


def test_a_round_cannot_be_opened_twice_nor_for_the_wrong_period_type(world: f.World, round_) -> None:
    with pytest.raises(ValidationError, match="đã được mở"):
        f.open_round(world, world.enterprise_form, "2009S1")
    with pytest.raises(ValidationError, match="6 tháng"):
        f.open_round(world, world.enterprise_form, "2009Q1")
    with pytest.raises(PermissionDenied):
        rounds.round_open(acting_user=world.officer_vnpt, form=world.enterprise_form, period="2009S2")


def test_values_are_read_the_vietnamese_way_and_stored_as_decimals(world: f.World, sub: Submission) -> None:
    result = f.save(world, sub, world.officer_vnpt, GOOD)
    assert result.created == 6 and result.blocking == []
    stored = {v.element.code: v.value for v in DataValue.objects.select_related("element")}
    assert stored["REVENUE"] == Decimal("252.1") and stored["SUB_PHONE"] == 402800 and stored["SUB_INTERNET"] == 4521


def test_wrong_values_are_named_and_nothing_is_saved(world: f.World, sub: Submission) -> None:
    with pytest.raises(ValidationError) as caught:
        f.save(world, sub, world.officer_vnpt, {**GOOD, "BTS": "-3", "SUB_PHONE": "nhiều", "SUB_INTERNET": "12,5"})
    errors = caught.value.message_dict
    assert errors["BTS"] == ["Số lượng không được âm."]
    assert "không phải là số" in errors["SUB_PHONE"][0]
    assert errors["SUB_INTERNET"] == ["Phải là số nguyên (không có phần thập phân)."]
    assert not DataValue.objects.exists()


def test_validation_runs_at_once_and_errors_block_submission(world: f.World, sub: Submission) -> None:
    result = f.save(world, sub, world.officer_vnpt, {**GOOD, "SUB_BROADBAND": "5.000"})
    assert [v.message for v in result.blocking] == ["Thuê bao băng rộng cố định không được lớn hơn tổng số thuê bao Internet."]
    assert result.blocking[0].left == 5000 and result.blocking[0].right == 4521
    with pytest.raises(ValidationError, match="còn 1 lỗi"):
        rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)
    fixed = f.save(world, sub, world.officer_vnpt, {"SUB_BROADBAND": "4.500"})
    assert fixed.updated == 1 and fixed.blocking == []
    rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)
    assert sub.status == SubmissionStatus.SUBMITTED and sub.first_submitted_at is not None


def test_warnings_do_not_block(world: f.World, sub: Submission) -> None:
    result = f.save(world, sub, world.officer_vnpt, {**GOOD, "BTS": "0"})
    assert [v.severity for v in result.violations] == ["warning"] and result.blocking == []
    rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)


def test_an_empty_report_cannot_be_submitted(world: f.World, sub: Submission) -> None:
    with pytest.raises(ValidationError, match="báo cáo trống"):
        rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)


def test_a_big_change_on_last_year_needs_a_comment(world: f.World, sub: Submission) -> None:
    f.approved(world, world.enterprise_form, "2008S1", world.vnpt, {"REVENUE": "100", "SUB_INTERNET": "4000"})
    result = f.save(world, sub, world.officer_vnpt, GOOD)
    (violation,) = result.blocking
    assert violation.elements == ("REVENUE",) and "+152,1%" in violation.message
    with pytest.raises(ValidationError, match="giải trình"):
        rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)
    from ..services.values import ValueEntry, values_save

    values_save(
        acting_user=world.officer_vnpt,
        submission=sub,
        entries=[ValueEntry(world.elements["REVENUE"], "252,1", comment="Gộp doanh thu của hai chi nhánh")],
    )
    rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)


def test_return_needs_a_comment_and_reopens_editing(world: f.World, sub: Submission) -> None:
    f.save(world, sub, world.officer_vnpt, GOOD)
    rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)
    with pytest.raises(ValidationError, match="đang chờ duyệt"):
        f.save(world, sub, world.officer_vnpt, {"BTS": "121"})
    with pytest.raises(ValidationError):
        rounds.submission_return(acting_user=world.reviewer, submission=sub, comment="  ")
    rounds.submission_return(acting_user=world.reviewer, submission=sub, comment="Số trạm BTS chưa khớp")
    assert sub.status == SubmissionStatus.RETURNED and sub.return_comment == "Số trạm BTS chưa khớp"
    f.save(world, sub, world.officer_vnpt, {"BTS": "121"})
    rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)
    rounds.submission_approve(acting_user=world.reviewer, submission=sub)
    assert sub.status == SubmissionStatus.APPROVED


def test_approval_locks_values_with_who_and_when_and_how_to_reopen(world: f.World, sub: Submission) -> None:
    f.save(world, sub, world.officer_vnpt, GOOD)
    rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)
    rounds.submission_approve(acting_user=world.reviewer, submission=sub)
    with pytest.raises(ValidationError) as caught:
        f.save(world, sub, world.officer_vnpt, {"BTS": "130"})
    message = caught.value.messages[0]
    assert "Lê Thị Hạnh" in message and "phê duyệt lúc" in message and "Đề nghị mở lại" in message
    assert "Phòng Bưu chính, Viễn thông" in message
    assert DataValue.objects.get(element__code="BTS").value == 120
    with pytest.raises(ValidationError):
        rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)


def test_reopen_on_request_with_a_reason(world: f.World, sub: Submission) -> None:
    f.save(world, sub, world.officer_vnpt, GOOD)
    rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)
    rounds.submission_approve(acting_user=world.reviewer, submission=sub)
    rounds.submission_request_reopen(acting_user=world.officer_vnpt, submission=sub, reason="Sai số trạm BTS")
    assert sub.reopen_request_reason == "Sai số trạm BTS"
    with pytest.raises(PermissionDenied):
        rounds.submission_reopen(acting_user=world.officer_vnpt, submission=sub, reason="tự mở")
    with pytest.raises(ValidationError):
        rounds.submission_reopen(acting_user=world.leader, submission=sub, reason="")
    rounds.submission_reopen(acting_user=world.leader, submission=sub, reason="Đồng ý sửa số trạm BTS")
    assert sub.status == SubmissionStatus.RETURNED and sub.reopen_reason == "Đồng ý sửa số trạm BTS"
    f.save(world, sub, world.officer_vnpt, {"BTS": "125"})
    reasons = list(AuditEvent.objects.filter(object_id=str(sub.pk), action="transition").values_list("reason", flat=True))
    assert "Đồng ý sửa số trạm BTS" in reasons


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("draft", "approve"),
        ("draft", "return"),
        ("draft", "reopen"),
        ("submitted", "submit"),
        ("submitted", "reopen"),
        ("approved", "approve"),
        ("approved", "return"),
        ("approved", "submit"),
        ("returned", "approve"),
        ("returned", "reopen"),
    ],
)
def test_transitions_that_do_not_apply_are_refused(world: f.World, sub: Submission, status: str, action: str) -> None:
    f.save(world, sub, world.officer_vnpt, GOOD)
    if status in ("submitted", "approved", "returned"):
        rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)
    if status == "approved":
        rounds.submission_approve(acting_user=world.reviewer, submission=sub)
    if status == "returned":
        rounds.submission_return(acting_user=world.reviewer, submission=sub, comment="Sửa lại")
    calls = {
        "submit": lambda: rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub),
        "approve": lambda: rounds.submission_approve(acting_user=world.reviewer, submission=sub),
        "return": lambda: rounds.submission_return(acting_user=world.reviewer, submission=sub, comment="x"),
        "reopen": lambda: rounds.submission_reopen(acting_user=world.reviewer, submission=sub, reason="x"),
    }
    with pytest.raises(ValidationError):
        calls[action]()
    assert Submission.objects.get(pk=sub.pk).status == status


def test_only_the_units_officer_enters_and_submits_and_only_reviewers_approve(world: f.World, sub: Submission) -> None:
    with pytest.raises(PermissionDenied):
        f.save(world, sub, world.officer_tanchau, GOOD)
    f.save(world, sub, world.officer_vnpt, GOOD)
    with pytest.raises(PermissionDenied):
        rounds.submission_submit(acting_user=world.officer_tanchau, submission=sub)
    rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)
    for outsider in (world.officer_vnpt, world.specialist):
        with pytest.raises(PermissionDenied):
            rounds.submission_approve(acting_user=outsider, submission=sub)
    rounds.submission_approve(acting_user=world.leader, submission=sub)


def test_every_change_is_in_the_value_history(world: f.World, sub: Submission) -> None:
    f.save(world, sub, world.officer_vnpt, {"BTS": "120"})
    f.save(world, sub, world.officer_vnpt, {"BTS": "121"})
    f.save(world, sub, world.officer_vnpt, {"BTS": "121"})  # unchanged: no history row
    f.save(world, sub, world.officer_vnpt, {"BTS": ""})
    history = list(DataValueAudit.objects.order_by("id").values_list("change", "value_before", "value_after", "actor_name"))
    assert history == [
        (ValueChange.CREATE, None, Decimal(120), "Công ty VNPT"),
        (ValueChange.UPDATE, Decimal(120), Decimal(121), "Công ty VNPT"),
        (ValueChange.DELETE, Decimal(121), None, "Công ty VNPT"),
    ]
    with pytest.raises(PermissionError):
        DataValueAudit.objects.all().delete()


def test_late_submission_is_not_on_time(world: f.World, sub: Submission) -> None:
    f.save(world, sub, world.officer_vnpt, GOOD)
    rounds.submission_submit(acting_user=world.officer_vnpt, submission=sub)
    assert sub.on_time is False  # the 2009 deadline is long past
