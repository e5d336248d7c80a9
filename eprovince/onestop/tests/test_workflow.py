"""The process engine: where a dossier stands, which actions each role may take where, what each action does
to the status and the deadline clock."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from eprovince.core.models import AuditEvent
from eprovince.onestop import selectors, workflow
from eprovince.onestop.constants import DossierStatus, StepKind
from eprovince.onestop.errors import ActionNotAllowed
from eprovince.onestop.models import Dossier, DossierEvent, ProcessStep
from eprovince.onestop.services.catalogue import process_problems
from eprovince.onestop.services.dossiers import Upload, dossier_issue_apology

from .factories import World, act, at, pdf, receive, submit_online

pytestmark = pytest.mark.django_db

MON = at(2026, 3, 9, 9)  # Monday 9 March 2026, 09:00


def codes(dossier: Dossier, user: object) -> set[str]:
    return {a.code for a in workflow.available_actions(dossier, user)}


# --- Entering the process ---------------------------------------------------------------------------------------------


def test_counter_reception_receives_and_passes_the_dossier_to_appraisal(world: World) -> None:
    d = receive(world, now=MON)
    assert d.code == "000.20.00.H99-260309-0001"
    assert d.status == DossierStatus.PROCESSING
    assert d.current_step.code == "tham-dinh"
    assert (d.current_role, d.current_organisation) == ("specialist", world.division)
    assert d.received_at == MON
    assert d.due_at == at(2026, 3, 18, 17)  # 7 working days, the day of receipt not counted
    assert d.step_due_at == at(2026, 3, 16, 17)  # the appraisal step's own 5 days
    labels = list(d.events.values_list("action", "from_status", "to_status"))
    assert labels == [("receive", "", "received"), ("accept", "received", "processing")]
    assert d.files.count() == 1 and d.files.get().document.name == "Đơn đề nghị"
    assert AuditEvent.objects.filter(object_id=str(d.pk), content_type__model="dossier").exists()


def test_online_submission_waits_for_reception_without_a_deadline(world: World) -> None:
    d = submit_online(world, now=at(2026, 3, 9, 20))
    assert (d.status, d.current_step.code, d.received_at, d.due_at) == ("new", "tiep-nhan", None, None)
    assert d.submitted_at == at(2026, 3, 9, 20)
    assert codes(d, world.clerk) == {"accept", "request_supplement", "refuse", "withdraw"}
    d = act(d, "accept", world.clerk, now=at(2026, 3, 10, 8))
    assert d.status == DossierStatus.PROCESSING and d.received_at == at(2026, 3, 10, 8)
    assert d.due_at == at(2026, 3, 19, 17)


def test_a_procedure_without_process_cannot_receive(world: World) -> None:
    ProcessStep.objects.filter(procedure=world.procedure).delete()
    with pytest.raises(ValidationError, match="chưa có quy trình"):
        receive(world)
    assert not Dossier.objects.exists()


# --- Who may do what, where -------------------------------------------------------------------------------------------

# (step reached by these actions, user → the actions that user sees)
ROLE_TABLE = [
    ([], {"specialist": {"forward", "request_supplement"}, "clerk": {"withdraw"}, "head": set(), "leader": set(),
          "other_specialist": set(), "builder": set()}),
    (["forward"], {"head": {"forward", "return"}, "specialist": set(), "clerk": {"withdraw"}, "leader": set()}),
    (["forward", "forward"], {"leader": {"issue_result", "return", "refuse"}, "head": set(), "clerk": {"withdraw"}}),
    # Once the result is issued it can no longer be withdrawn (issue 12).
    (["forward", "forward", "issue_result"], {"clerk": {"return_result"}, "leader": set(), "specialist": set()}),
]  # fmt: skip


@pytest.mark.parametrize(("path", "expected"), ROLE_TABLE)
def test_each_role_sees_only_its_actions_at_each_step(world: World, path: list[str], expected: dict[str, set[str]]) -> None:
    d = receive(world, now=MON)
    actors = {"forward": None, "issue_result": world.leader}
    for code in path:
        user = actors[code] or {"tham-dinh": world.specialist, "truong-phong": world.head}[d.current_step.code]
        d = act(d, code, user, uploads=[Upload(file=pdf())] if code == "issue_result" else ())
    for name, allowed in expected.items():
        assert codes(d, getattr(world, name)) == allowed, name


def test_an_action_of_another_step_is_refused(world: World) -> None:
    d = receive(world)
    with pytest.raises(ActionNotAllowed, match="Thẩm định hồ sơ"):
        act(d, "issue_result", world.leader, uploads=[Upload(file=pdf())])
    with pytest.raises(ActionNotAllowed):
        act(d, "no-such-action", world.specialist)
    assert Dossier.objects.get(pk=d.pk).version == d.version


def test_the_right_action_without_the_role_is_refused(world: World) -> None:
    d = receive(world)
    for user in (world.head, world.leader, world.clerk, world.other_specialist, world.outsider, world.builder):
        with pytest.raises(PermissionDenied):
            act(d, "forward", user)
    assert DossierEvent.objects.filter(dossier=d).count() == 2


def test_an_officer_outside_the_scope_cannot_even_see_the_dossier(world: World) -> None:
    d = receive(world)
    for user in (world.outsider, world.other_specialist, world.citizen, world.builder):
        with pytest.raises(Http404):
            selectors.dossier_for_user(user, d.pk)
    for user in (world.clerk, world.specialist, world.head, world.leader, world.admin):
        assert selectors.dossier_for_user(user, d.pk) == d
    # The agency consulted in an inter-agency step sees a dossier once it has reached its step, not before.
    bts = receive(world, procedure=world.bts)
    with pytest.raises(Http404):
        selectors.dossier_for_user(world.builder, bts.pk)
    bts = act(bts, "forward", world.specialist)
    assert selectors.dossier_for_user(world.builder, bts.pk) == bts


def test_a_superuser_may_act_anywhere(world: World, django_user_model: type) -> None:
    root = django_user_model.objects.create_superuser("root", "root@example.vn", "x")
    d = act(receive(world), "forward", root)
    assert d.current_step.code == "truong-phong"


def test_a_reason_is_required_where_the_process_says_so_and_nothing_changes_without_it(world: World) -> None:
    d = receive(world)
    with pytest.raises(ValidationError) as exc:
        act(d, "request_supplement", world.specialist, reason="   ")
    assert "reason" in exc.value.message_dict
    fresh = Dossier.objects.get(pk=d.pk)
    assert (fresh.status, fresh.version, fresh.pauses) == (d.status, d.version, [])


def test_a_file_is_required_where_the_process_says_so(world: World) -> None:
    d = act(act(receive(world), "forward", world.specialist), "forward", world.head)
    with pytest.raises(ValidationError) as exc:
        act(d, "issue_result", world.leader)
    assert "files" in exc.value.message_dict
    d = act(d, "issue_result", world.leader, uploads=[Upload(file=pdf("giay-phep.pdf"))])
    assert d.status == DossierStatus.RESULT_READY
    assert d.files.filter(kind="result").get().original_name == "giay-phep.pdf"


def test_return_goes_back_a_step_with_the_reason_recorded(world: World) -> None:
    d = act(receive(world), "forward", world.specialist)
    d = act(d, "return", world.head, reason="Thiếu phân tích mạng lưới")
    assert d.current_step.code == "tham-dinh"
    event = d.events.order_by("-pk").first()
    assert (event.reason, event.from_step_name, event.to_step_name) == (
        "Thiếu phân tích mạng lưới",
        "Trưởng phòng xem xét",
        "Thẩm định hồ sơ",
    )
    assert event.actor == world.head


# --- Ending ---------------------------------------------------------------------------------------------------------


def test_the_whole_process_to_the_result_returned(world: World) -> None:
    d = receive(world, now=MON)
    d = act(d, "forward", world.specialist, now=at(2026, 3, 12, 9))
    d = act(d, "forward", world.head, now=at(2026, 3, 13, 9))
    d = act(d, "issue_result", world.leader, now=at(2026, 3, 16, 9), uploads=[Upload(file=pdf())])
    d = act(d, "return_result", world.clerk, now=at(2026, 3, 17, 9))
    assert (d.status, d.finished_at, d.is_final) == ("done", at(2026, 3, 17, 9), True)
    assert (d.current_role, d.current_organisation) == ("", None)
    assert codes(d, world.clerk) == set() and codes(d, world.admin) == set()
    assert [e.to_status for e in d.events.all()] == [
        "received",
        "processing",
        "processing",
        "waiting_approval",
        "result_ready",
        "done",
    ]


def test_refusal_and_withdrawal_end_the_dossier(world: World) -> None:
    d = act(act(receive(world), "forward", world.specialist), "forward", world.head)
    refused = act(d, "refuse", world.leader, reason="Không đủ điều kiện")
    assert refused.status == DossierStatus.REFUSED and refused.finished_at is not None
    with pytest.raises(ActionNotAllowed):
        act(refused, "withdraw", world.clerk, reason="x")
    withdrawn = act(receive(world), "withdraw", world.clerk, reason="Người nộp đề nghị rút")
    assert withdrawn.status == DossierStatus.WITHDRAWN


def test_the_clerk_withdraws_at_any_step_even_at_another_agency(world: World) -> None:
    d = act(receive(world, procedure=world.bts), "forward", world.specialist)
    assert d.current_organisation == world.construction
    assert "withdraw" in codes(d, world.clerk)
    assert act(d, "withdraw", world.clerk, reason="Rút").status == DossierStatus.WITHDRAWN


# --- Pausing and resuming the clock ----------------------------------------------------------------------------------


def test_a_supplement_request_pauses_the_clock_and_its_receipt_resumes_it(world: World) -> None:
    d = receive(world, now=MON)  # due Wednesday 18 March
    d = act(d, "request_supplement", world.specialist, now=at(2026, 3, 11, 10), reason="Bổ sung bản sao giấy phép kinh doanh")
    assert d.status == DossierStatus.WAITING_SUPPLEMENT and d.is_paused
    assert d.due_at is None and d.step_due_at is None
    assert codes(d, world.specialist) == set()  # nothing to do while waiting
    assert codes(d, world.clerk) == {"receive_supplement", "withdraw"}
    d = act(d, "receive_supplement", world.clerk, now=at(2026, 3, 16, 9), uploads=[Upload(file=pdf("bo-sung.pdf"))])
    assert d.status == DossierStatus.PROCESSING and not d.is_paused
    # One working day (Tuesday) was used before the pause: six remain from Monday 16.
    assert d.due_at == at(2026, 3, 24, 17)
    assert d.files.filter(kind="supplement").count() == 1
    assert d.pause_list() == [(at(2026, 3, 11, 10), at(2026, 3, 16, 9))]


def test_resuming_is_only_possible_while_paused(world: World) -> None:
    d = receive(world)
    with pytest.raises(ActionNotAllowed):
        act(d, "receive_supplement", world.clerk)


def test_a_supplement_requested_before_reception_does_not_start_the_clock(world: World) -> None:
    d = submit_online(world, now=at(2026, 3, 9, 8))
    d = act(d, "request_supplement", world.clerk, now=at(2026, 3, 9, 9), reason="Thiếu đơn")
    assert (d.status, d.due_at) == ("waiting_supplement", None)
    d = act(d, "receive_supplement", world.clerk, now=at(2026, 3, 12, 9))
    assert (d.status, d.received_at, d.due_at) == ("new", None, None)
    d = act(d, "accept", world.clerk, now=at(2026, 3, 12, 10))
    assert d.due_at == at(2026, 3, 23, 17)  # 7 working days from Thursday 12


def test_repeated_supplements_keep_counting_the_days_used(world: World) -> None:
    d = receive(world, now=MON)
    d = act(d, "request_supplement", world.specialist, now=at(2026, 3, 11, 10), reason="1")
    d = act(d, "receive_supplement", world.clerk, now=at(2026, 3, 12, 9))  # 6 days left → Friday 20
    assert d.due_at == at(2026, 3, 20, 17)
    d = act(d, "request_supplement", world.specialist, now=at(2026, 3, 16, 10), reason="2")  # Friday used → 5 left
    d = act(d, "receive_supplement", world.clerk, now=at(2026, 3, 23, 9))
    assert d.due_at == at(2026, 3, 30, 17)


# --- Inter-agency ----------------------------------------------------------------------------------------------------


def test_an_inter_agency_step_is_handled_by_the_consulted_agency(world: World) -> None:
    d = act(receive(world, procedure=world.bts), "forward", world.specialist)
    assert d.status == DossierStatus.INTER_AGENCY and d.current_step.kind == StepKind.INTER_AGENCY
    assert codes(d, world.specialist) == set()
    assert codes(d, world.builder) == {"return"}
    assert d in selectors.dossier_queue(world.builder, "new")
    with pytest.raises(ValidationError):
        act(d, "return", world.builder, reason="Đồng ý")  # the opinion must be attached
    d = act(d, "return", world.builder, reason="Đồng ý vị trí lắp đặt", uploads=[Upload(file=pdf("y-kien-so-xay-dung.pdf"))])
    assert (d.status, d.current_step.code, d.current_organisation) == ("processing", "tong-hop", world.division)
    assert codes(d, world.specialist) == {"forward"}
    assert d.files.filter(kind="opinion").count() == 1


# --- Apology and new appointment --------------------------------------------------------------------------------------


def test_an_apology_sets_a_new_appointment_once(world: World) -> None:
    d = receive(world, now=MON)
    soon = at(2026, 3, 17, 9)  # due on Wednesday 18: due soon
    with pytest.raises(PermissionDenied):
        dossier_issue_apology(dossier=d, acting_user=world.specialist, reason="x", new_due_date=at(2026, 3, 25).date())
    with pytest.raises(ValidationError, match="chưa sắp đến hạn"):
        dossier_issue_apology(dossier=d, acting_user=world.leader, reason="x", new_due_date=at(2026, 3, 25).date(), now=MON)
    with pytest.raises(ValidationError) as exc:
        dossier_issue_apology(dossier=d, acting_user=world.leader, reason="", new_due_date=at(2026, 3, 21).date(), now=soon)
    assert set(exc.value.message_dict) == {"reason", "new_due_date"}  # a Saturday, and no reason
    with pytest.raises(ValidationError, match="sau hạn"):
        dossier_issue_apology(
            dossier=d, acting_user=world.leader, reason="Chờ ý kiến", new_due_date=at(2026, 3, 17).date(), now=soon
        )
    d = dossier_issue_apology(
        dossier=d, acting_user=world.leader, reason="Chờ ý kiến", new_due_date=at(2026, 3, 25).date(), now=soon
    )
    assert d.apology_due_at == at(2026, 3, 25, 17) and d.appointment_at == at(2026, 3, 25, 17)
    assert d.due_at == at(2026, 3, 18, 17)  # the legal due date stays, for the statistics
    assert d.events.filter(action="apology").count() == 1
    with pytest.raises(ValidationError, match="một lần"):
        dossier_issue_apology(dossier=d, acting_user=world.clerk, reason="Lần hai", new_due_date=at(2026, 3, 30).date(), now=soon)


# --- The process as data ------------------------------------------------------------------------------------------


def test_the_standard_process_has_no_problems(world: World) -> None:
    assert process_problems(world.procedure) == []
    assert process_problems(world.bts) == []


def test_a_broken_process_is_reported(world: World) -> None:
    world.procedure.actions.filter(final_status="done").delete()
    world.procedure.actions.filter(code="accept").delete()
    problems = process_problems(world.procedure)
    assert any("trả kết quả" in p for p in problems) and any("tiếp nhận" in p for p in problems)
    assert any("không thể đến được" in p for p in problems)
