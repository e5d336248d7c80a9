"""The applicant hears of what concerns them: a request to supplement, a refusal, the result, the apology with its
new appointment. Emails leave only once the action's transaction commits, and a dossier without an address sends none."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from eprovince.onestop.services.dossiers import Upload, dossier_issue_apology

from .factories import World, act, at, pdf, receive

pytestmark = pytest.mark.django_db

MON = at(2026, 3, 9, 9)
SOON = at(2026, 3, 17, 9)  # a dossier received on MON is due on the 18th: due soon


def sent(capture: Any, work: Any) -> list[Any]:
    mail.outbox.clear()
    with capture(execute=True):
        work()
    return list(mail.outbox)


def test_a_request_to_supplement_reaches_the_applicant_with_what_is_missing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    d = receive(world, now=MON)
    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: act(d, "request_supplement", world.specialist, reason="Thiếu bản sao giấy chứng nhận đăng ký doanh nghiệp"),
    )
    assert message.to == ["dong@example.vn"]
    assert message.subject == f"Hồ sơ {d.code} cần bổ sung"
    assert "Thiếu bản sao giấy chứng nhận đăng ký doanh nghiệp" in message.body
    assert "Kính gửi Nguyễn Văn Đông" in message.body
    assert f"ma={d.code}" in message.body  # the tracking link, for a walk-in applicant without an account


def test_a_refusal_gives_the_reason(world: World, django_capture_on_commit_callbacks: Any) -> None:
    d = receive(world, now=MON)
    d = act(d, "forward", world.specialist)
    d = act(d, "forward", world.head)
    [message] = sent(
        django_capture_on_commit_callbacks, lambda: act(d, "refuse", world.leader, reason="Không đủ điều kiện cấp phép")
    )
    assert "bị từ chối" in message.subject and "Không đủ điều kiện cấp phép" in message.body


def test_the_result_and_its_return_are_announced_but_internal_steps_are_not(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    d = receive(world, now=MON)
    assert sent(django_capture_on_commit_callbacks, lambda: act(d, "forward", world.specialist)) == []
    d.refresh_from_db()
    assert sent(django_capture_on_commit_callbacks, lambda: act(d, "forward", world.head)) == []
    d.refresh_from_db()
    [ready] = sent(
        django_capture_on_commit_callbacks,
        lambda: act(d, "issue_result", world.leader, uploads=[Upload(file=pdf("giay-phep.pdf"))]),
    )
    assert ready.subject == f"Hồ sơ {d.code} đã có kết quả"
    d.refresh_from_db()
    [done] = sent(django_capture_on_commit_callbacks, lambda: act(d, "return_result", world.clerk))
    assert "đã được trả kết quả" in done.subject and "đánh giá" in done.body


def test_the_apology_states_the_reason_and_the_new_date(world: World, django_capture_on_commit_callbacks: Any) -> None:
    d = receive(world, now=MON)
    [message] = sent(
        django_capture_on_commit_callbacks,
        lambda: dossier_issue_apology(
            dossier=d, acting_user=world.leader, reason="Chờ ý kiến", new_due_date=at(2026, 3, 25).date(), now=SOON
        ),
    )
    assert message.subject == f"Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {d.code}"
    assert "Chờ ý kiến" in message.body and "25/03/2026" in message.body


def test_no_address_no_email_and_a_rolled_back_action_sends_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    quiet = receive(world, now=MON, applicant_email="")
    assert (
        sent(django_capture_on_commit_callbacks, lambda: act(quiet, "request_supplement", world.specialist, reason="Thiếu")) == []
    )

    d = receive(world, now=MON)

    def rolled_back() -> None:
        with pytest.raises(RuntimeError), transaction.atomic():
            act(d, "request_supplement", world.specialist, reason="Thiếu")
            raise RuntimeError

    assert sent(django_capture_on_commit_callbacks, rolled_back) == []
