"""On-time statistics: how each dossier is classified (to the second around the legal due date), carried over,
refused, withdrawn, in progress and overdue at the end of the period, the apology that does not make a late dossier
on time, the rows by procedure and agency, the ratings, and who sees which numbers. Built through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from eprovince.core.constants import Role
from eprovince.core.testing import make_user
from eprovince.onestop.models import Dossier, SatisfactionRating
from eprovince.onestop.services.dossiers import Upload, dossier_issue_apology
from eprovince.onestop.services.online import dossier_rate
from eprovince.onestop.statistics import Row, StatsFilters, dossier_statistics, tracking_register

from .factories import TZ, World, act, at, pdf, receive, submit_online

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)
MARCH = StatsFilters(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))


def finish(world: World, d: Dossier, when: dt.datetime, *, handled: dt.datetime | None = None) -> Dossier:
    """Take a dossier received at the counter through appraisal, the division head and the leader to the return of
    its result at `when` (the steps before it at `handled`, by default a minute after receipt)."""
    assert d.received_at is not None
    step = handled or d.received_at + dt.timedelta(minutes=1)
    d = act(d, "forward", world.specialist, now=step)
    if d.current_step is not None and d.current_step.code == "lay-y-kien":  # the inter-agency procedure (BTS)
        d = act(d, "return", world.builder, now=step, reason="Đồng ý.", uploads=[Upload(file=pdf("y-kien.pdf"))])
        d = act(d, "forward", world.specialist, now=step)
    d = act(d, "forward", world.head, now=step)
    d = act(d, "issue_result", world.leader, now=step, uploads=[Upload(file=pdf("ket-qua.pdf"))])
    return act(d, "return_result", world.clerk, now=when)


def stats(world: World, filters: StatsFilters = MARCH, *, user: object = None, now: dt.datetime | None = None) -> Row:
    return dossier_statistics(user or world.leader, filters, now=now or at(2026, 5, 1, 9)).total


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(TZ)


# --- Finished: early, on time, late ----------------------------------------------------------------------------------


def test_early_on_time_and_late_to_the_second(world: World) -> None:
    received = at(2026, 3, 9, 9)
    due = receive(world, now=received).due_at
    assert due is not None
    due_day_start = local(due).replace(hour=0, minute=0, second=0)
    cases = {
        "early": [due_day_start - SECOND, received + dt.timedelta(hours=2)],
        "on_time": [due_day_start, due - SECOND, due],
        "late": [due + SECOND, due + dt.timedelta(days=3)],
    }
    for moments in cases.values():
        for moment in moments:
            finish(world, receive(world, now=received), moment)
    total = stats(world)
    assert (total.early, total.on_time, total.late) == (2, 3, 2)
    assert total.finished == 7 and total.in_progress == 1  # the first dossier, never finished
    assert total.on_time_rate == Decimal("71.4")  # 5 / 7


def test_an_apology_with_a_new_appointment_does_not_make_a_late_dossier_on_time(world: World) -> None:
    d = receive(world, now=at(2026, 3, 9, 9))
    assert d.due_at is not None
    d = dossier_issue_apology(
        dossier=d, acting_user=world.clerk, reason="Chờ ý kiến của Sở Xây dựng.", new_due_date=dt.date(2026, 3, 27),
        now=d.due_at - dt.timedelta(hours=2),
    )  # fmt: skip
    assert d.apology_due_at is not None and d.apology_due_at > d.due_at + dt.timedelta(days=1)
    finish(world, d, d.due_at + dt.timedelta(days=1))  # before the new appointment, after the legal due date
    total = stats(world)
    assert (total.early, total.on_time, total.late) == (0, 0, 1)
    assert total.on_time_rate == Decimal("0.0")


def test_refused_and_withdrawn_are_counted_apart_from_the_finished(world: World) -> None:
    refused = receive(world, now=at(2026, 3, 9, 9))
    refused = act(act(refused, "forward", world.specialist), "forward", world.head)
    act(refused, "refuse", world.leader, now=at(2026, 3, 10, 9), reason="Không đủ điều kiện cấp phép.")
    withdrawn = receive(world, now=at(2026, 3, 9, 10))
    act(withdrawn, "withdraw", world.clerk, now=at(2026, 3, 11, 9), reason="Người nộp xin rút.")
    total = stats(world)
    assert (total.refused, total.withdrawn, total.finished, total.in_progress) == (1, 1, 0, 0)
    assert total.on_time_rate is None


# --- Carried over, in progress, overdue at the end of the period --------------------------------------------------


def test_carried_over_received_and_in_progress_across_periods(world: World) -> None:
    before = receive(world, now=at(2026, 2, 25, 9))  # received in February, finished in March
    finish(world, before, at(2026, 3, 3, 10))
    gone = receive(world, now=at(2026, 2, 2, 9))  # finished in February: not in March at all
    finish(world, gone, at(2026, 2, 5, 10))
    still = receive(world, now=at(2026, 2, 26, 9))  # carried over and still in progress at the end of March
    receive(world, now=at(2026, 3, 31, 16))  # received on the last day
    receive(world, now=at(2026, 4, 1, 8))  # after the period
    total = stats(world)
    assert (total.carried_over, total.received, total.finished, total.in_progress) == (2, 1, 1, 2)
    assert total.overdue_in_progress == 1  # `still` was due in March; the one received on 31/03 was not
    assert still.due_at is not None and still.due_at < at(2026, 4, 1)
    february = stats(world, StatsFilters(start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28)))
    assert (february.carried_over, february.received, february.finished, february.in_progress) == (0, 3, 1, 2)


def test_overdue_in_progress_is_judged_at_the_end_of_the_period_or_now(world: World) -> None:
    d = receive(world, now=at(2026, 3, 9, 9))
    assert d.due_at is not None
    due_day = local(d.due_at).date()
    up_to_due_day = StatsFilters(start=dt.date(2026, 3, 1), end=due_day)
    assert stats(world, up_to_due_day).overdue_in_progress == 1  # the period ends at midnight, after the due moment
    assert stats(world, up_to_due_day, now=d.due_at - SECOND).overdue_in_progress == 0  # the period is not over yet
    day_before = StatsFilters(start=dt.date(2026, 3, 1), end=due_day - dt.timedelta(days=1))
    assert stats(world, day_before).overdue_in_progress == 0


def test_received_by_channel_and_online_dossiers_once_the_one_stop_receives_them(world: World) -> None:
    receive(world, now=at(2026, 3, 9, 9))
    receive(world, now=at(2026, 3, 9, 10), channel="post")
    online = submit_online(world, now=at(2026, 3, 9, 11))
    submit_online(world, now=at(2026, 3, 9, 12))  # submitted, not yet received: not counted
    act(online, "accept", world.clerk, now=at(2026, 3, 10, 8))
    total = stats(world)
    assert (total.received_counter, total.received_post, total.received_online, total.received) == (1, 1, 1, 3)


# --- Rows, ratings, filters ------------------------------------------------------------------------------------------


def test_rows_by_procedure_and_agency_add_up_to_the_total_and_ratings_average(world: World) -> None:
    a = finish(world, receive(world, now=at(2026, 3, 9, 9), applicant=world.citizen), at(2026, 3, 10, 9))
    b = finish(world, receive(world, procedure=world.bts, now=at(2026, 3, 9, 9), applicant=world.citizen), at(2026, 3, 10, 9))
    receive(world, procedure=world.bts, now=at(2026, 3, 12, 9))
    for dossier, scores in ((a, (5, 5, 4, 4)), (b, (3, 3, 3, 3))):
        keys = ("timeliness", "attitude", "simplicity", "outcome")
        dossier_rate(dossier=dossier, acting_user=world.citizen, scores=dict(zip(keys, scores, strict=True)))
    assert SatisfactionRating.objects.count() == 2
    result = dossier_statistics(world.leader, MARCH, now=at(2026, 5, 1))
    by_name = {r.label: r for r in result.by_procedure}
    assert by_name["Cấp phép lắp đặt trạm BTS"].received == 2 and by_name["Cấp phép lắp đặt trạm BTS"].finished == 1
    assert by_name["Cấp giấy phép bưu chính"].satisfaction == Decimal("4.5")
    assert [(r.label, r.received) for r in result.by_agency] == [("Sở Khoa học và Công nghệ", 3)]
    assert result.total.received == 3 and result.total.satisfaction == Decimal("3.8")  # 30 / 8 = 3.75
    only_bts = dossier_statistics(world.leader, StatsFilters(MARCH.start, MARCH.end, procedure=world.bts), now=at(2026, 5, 1))
    assert only_bts.total.received == 2 and [r.label for r in only_bts.by_procedure] == ["Cấp phép lắp đặt trạm BTS"]
    elsewhere = StatsFilters(MARCH.start, MARCH.end, agency=world.other_dept)
    assert dossier_statistics(world.admin, elsewhere).total.total == 0
    within = StatsFilters(MARCH.start, MARCH.end, agency=world.dept.parent)
    assert dossier_statistics(world.admin, within).total.received == 3


# --- Scope -----------------------------------------------------------------------------------------------------------


def test_an_officer_of_another_agency_sees_none_of_these_numbers(world: World) -> None:
    finish(world, receive(world, now=at(2026, 3, 9, 9)), at(2026, 3, 10, 9))
    receive(world, now=at(2026, 3, 9, 10))
    for user in (world.leader, world.head, world.admin, world.clerk, world.specialist):
        assert stats(world, user=user).total == 2, user
    outsider = dossier_statistics(world.outsider, MARCH)
    assert outsider.total.total == 0 and outsider.by_procedure == [] and outsider.by_agency == []
    assert stats(world, user=world.citizen).total == 0
    assert list(tracking_register(world.outsider, MARCH)) == []
    assert len(tracking_register(world.leader, MARCH)) == 2
    assert stats(world, user=world.other_specialist).total == 0  # a division with no step in these procedures


def test_leaders_see_the_organisations_below_them_clerks_and_specialists_only_their_own(world: World) -> None:
    receive(world, now=at(2026, 3, 9, 9))
    province = world.dept.parent
    assert province is not None
    assert stats(world, user=make_user("chutich", (Role.LEADER, province))).total == 1
    assert stats(world, user=make_user("vanthu", (Role.ONESTOP_CLERK, province))).total == 0
    assert stats(world, user=make_user("motcua-tinh", Role.ONESTOP_CLERK)).total == 1  # a platform-wide role


def test_the_tracking_register_lists_the_period_with_the_handover(world: World) -> None:
    first = receive(world, now=at(2026, 3, 9, 9))
    receive(world, now=at(2026, 2, 27, 9))
    second = receive(world, now=at(2026, 3, 10, 9))
    rows = list(tracking_register(world.leader, MARCH))
    assert [r.pk for r in rows] == [first.pk, second.pk]
    assert rows[0].handed_over_at == at(2026, 3, 9, 9)  # received at the counter and passed on at once
