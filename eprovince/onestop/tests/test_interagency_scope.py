"""An agency consulted in a later step (liên thông) sees a dossier only once it has reached its step, acts only at its
own step with that step's actions, reads only the files meant for it; the any-step actions (withdraw) and the apology
belong to the handling agency (and the receiving agency's counter for withdraw). Page, API and services agree."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eprovince.core.constants import Role
from eprovince.core.models import Organisation, User
from eprovince.core.permissions import has_role
from eprovince.core.testing import make_user
from eprovince.onestop import deadlines, selectors, statistics, workflow
from eprovince.onestop.constants import PROCESS_ROLES, ActionCode, DossierStatus, OnlineLevel, ResultType, StepKind
from eprovince.onestop.errors import ActionNotAllowed
from eprovince.onestop.models import Dossier, DossierFile, Procedure, ProcessAction, ProcessStep
from eprovince.onestop.services.catalogue import procedure_part_save, procedure_save
from eprovince.onestop.services.dossiers import (
    Upload,
    apology_refusal,
    dossier_issue_apology,
    may_issue_apology,
)

from .factories import World, act, at, pdf, receive, submit_online

pytestmark = [pytest.mark.django_db, pytest.mark.urls("eprovince.onestop.tests.urls")]
API = "/api/v1/onestop"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(d: Dossier) -> str:
    return f"/can-bo/mot-cua/ho-so/{d.pk}/"


def at_construction(world: World, *, now: dt.datetime | None = None, sent: str = "") -> Dossier:
    """A BTS dossier received and forwarded by the division to the Department of Construction's opinion step (with
    a file `sent` along, if named)."""
    d = receive(world, procedure=world.bts, now=now)
    uploads = [Upload(file=pdf(sent))] if sent else []
    later = now + dt.timedelta(hours=1) if now else None
    d = act(d, "forward", world.specialist, uploads=uploads, now=later)
    assert d.current_step.kind == StepKind.INTER_AGENCY and d.current_organisation == world.construction
    return d


# --- The repros: a consulted agency withdrew another agency's dossier and issued its one apology ---------------------


def test_a_consulted_agency_cannot_withdraw_the_dossier_standing_at_its_step(world: World) -> None:
    construction_clerk = make_user("sxd-motcua", (Role.ONESTOP_CLERK, world.construction))
    d = at_construction(world)
    assert "withdraw" not in {a.code for a in workflow.available_actions(d, construction_clerk)}
    with pytest.raises(PermissionDenied, match="cơ quan giải quyết hoặc cơ quan tiếp nhận"):
        act(d, "withdraw", construction_clerk, reason="Rút hộ")
    fresh = Dossier.objects.get(pk=d.pk)
    assert (fresh.status, fresh.version) == (DossierStatus.INTER_AGENCY, d.version)
    # The same through the page and the API: refused, nothing changed.
    client_for(construction_clerk).post(
        f"{detail(d)}thao-tac/",
        {"panel-action": "withdraw", "panel-version": d.version, "panel-reason": "Rút hộ", "panel-confirm": "on"},
    )
    assert (
        client_for(construction_clerk).post(f"{API}/dossiers/{d.pk}/actions", {"action": "withdraw", "reason": "x"}).status_code
        == 403
    )
    assert Dossier.objects.get(pk=d.pk).status == DossierStatus.INTER_AGENCY
    # The receiving agency's counter still withdraws it on the applicant's request.
    assert "withdraw" in {a.code for a in workflow.available_actions(d, world.clerk)}
    assert act(d, "withdraw", world.clerk, reason="Người nộp đề nghị rút").status == DossierStatus.WITHDRAWN


def test_a_consulted_agency_cannot_issue_the_apology_nor_move_the_appointment(world: World) -> None:
    construction_leader = make_user("sxd-lanhdao", (Role.LEADER, world.construction))
    d = at_construction(world, now=deadlines.working_days_ago(11, 9))  # 12 working days: due within two
    assert apology_refusal(d) is None  # due soon: the apology is open, but not to them
    assert not may_issue_apology(construction_leader, d)
    assert "hẹn lại ngày trả kết quả</h2>" not in client_for(construction_leader).get(detail(d)).content.decode()
    new_day = timezone.localdate(d.due_at) + dt.timedelta(days=14)
    while not deadlines.is_working_day(new_day):
        new_day += dt.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        dossier_issue_apology(dossier=d, acting_user=construction_leader, reason="Chậm", new_due_date=new_day)
    response = client_for(construction_leader).post(
        f"{API}/dossiers/{d.pk}/apology", {"reason": "Chậm", "new_due_date": new_day.isoformat()}, content_type="application/json"
    )
    assert response.status_code == 403
    fresh = Dossier.objects.get(pk=d.pk)
    assert (fresh.apology_at, fresh.apology_due_at) == (None, None)
    # The handling agency's leader may, once.
    assert may_issue_apology(world.leader, d)
    assert "hẹn lại ngày trả kết quả</h2>" in client_for(world.leader).get(detail(d)).content.decode()
    d = dossier_issue_apology(dossier=d, acting_user=world.leader, reason="Chờ ý kiến Sở Xây dựng", new_due_date=new_day)
    assert not may_issue_apology(world.leader, d) and "một lần" in (apology_refusal(d) or "")


def test_the_apology_rule_lives_in_the_service_and_the_page_asks_it(world: World) -> None:
    early = receive(world)  # due in seven working days
    assert "chưa sắp đến hạn" in (apology_refusal(early) or "") and not may_issue_apology(world.leader, early)
    with pytest.raises(ValidationError, match="chưa sắp đến hạn"):
        dossier_issue_apology(dossier=early, acting_user=world.leader, reason="Sớm", new_due_date=dt.date(2099, 1, 5))
    assert "hẹn lại ngày trả kết quả</h2>" not in client_for(world.leader).get(detail(early)).content.decode()
    posted = client_for(world.leader).post(
        f"{detail(early)}xin-loi/", {"version": early.version, "reason": "Sớm", "new_due_date": "05/01/2099"}
    )
    assert posted.status_code == 400 and "chưa sắp đến hạn" in posted.content.decode()
    assert Dossier.objects.get(pk=early.pk).apology_at is None
    late = receive(world, now=deadlines.working_days_ago(9, 9))  # overdue
    assert apology_refusal(late) is None and may_issue_apology(world.clerk, late)
    assert not may_issue_apology(world.specialist, late)  # not an apology role


# --- Seeing: not before the dossier reaches the consulted step --------------------------------------------------------


def test_a_consulted_agency_sees_a_dossier_only_once_it_reached_its_step(world: World) -> None:
    d = receive(world, procedure=world.bts)
    online = submit_online(world, procedure=world.bts)
    client = client_for(world.builder)
    for seen in (False, True, True):
        ids = set(selectors.dossier_queue(world.builder, "all").values_list("pk", flat=True))
        assert (d.pk in ids) is seen and online.pk not in ids
        assert client.get(detail(d)).status_code == (200 if seen else 404)
        assert client.get(f"{API}/dossiers/{d.pk}").status_code == (200 if seen else 404)
        counted = Dossier.objects.filter(statistics.stats_dossier_q(world.builder) or Q())  # statistics and exports
        assert counted.filter(pk=d.pk).exists() is seen
        if not seen:
            d = act(d, "forward", world.specialist)
        elif d.current_organisation == world.construction:
            d = act(d, "return", world.builder, reason="Đồng ý", uploads=[Upload(file=pdf("y-kien.pdf"))])
    # Back with the division, the consulted agency still sees the dossier it gave its opinion on.
    assert d.current_organisation == world.division
    # The receiving and handling agencies (and the appraising division) see every dossier from its submission.
    for user in (world.clerk, world.specialist, world.head, world.leader):
        assert {d.pk, online.pk} <= set(selectors.dossier_queue(user, "all").values_list("pk", flat=True))


def test_the_queue_stays_one_query(world: World, django_assert_max_num_queries: Any) -> None:
    at_construction(world)
    queue = selectors.dossier_queue(world.builder, "all")  # reads the user's roles
    with django_assert_max_num_queries(1):  # the dossiers, their relations and the consulted branch: one statement
        assert len(list(queue)) == 1


# --- Files: only those meant for the consulted agency -----------------------------------------------------------------


def test_a_consulted_agency_reads_only_the_files_meant_for_it(world: World) -> None:
    d = at_construction(world, sent="ban-ve-vi-tri.pdf")
    d = act(d, "return", world.builder, reason="Đồng ý vị trí", uploads=[Upload(file=pdf("y-kien-sxd.pdf"))])
    d = act(d, "forward", world.specialist, uploads=[Upload(file=pdf("to-trinh-noi-bo.pdf"))])  # the division's own
    files = {f.original_name: f for f in DossierFile.objects.filter(dossier=d)}
    meant = {"ban-ve-vi-tri.pdf", "y-kien-sxd.pdf"} | {n for n, f in files.items() if f.kind == "application"}
    assert "to-trinh-noi-bo.pdf" in files and len(meant) >= 3
    view = selectors.officer_view(world.builder, d)
    assert {f.original_name for f in view.files} == meant
    assert {f.original_name for e in view.events for f in e.files.all()} == meant
    page = client_for(world.builder).get(detail(d)).content.decode()
    assert "y-kien-sxd.pdf" in page and "ban-ve-vi-tri.pdf" in page and "to-trinh-noi-bo.pdf" not in page
    body = client_for(world.builder).get(f"{API}/dossiers/{d.pk}").json()
    assert body["audience"] == "officer"
    assert {f["original_name"] for f in body["files"]} == meant
    assert {i for e in body["events"] for i in e["file_ids"]} <= {f["id"] for f in body["files"]}
    assert client_for(world.builder).get(f"/can-bo/mot-cua/tep/{files['to-trinh-noi-bo.pdf'].pk}/").status_code == 404
    assert client_for(world.builder).get(f"/can-bo/mot-cua/tep/{files['y-kien-sxd.pdf'].pk}/").status_code == 200
    # The handling agency reads them all.
    assert {f.original_name for f in selectors.officer_view(world.specialist, d).files} == set(files)
    assert client_for(world.specialist).get(f"/can-bo/mot-cua/tep/{files['to-trinh-noi-bo.pdf'].pk}/").status_code == 200


# --- The law, for random processes of two or three agencies -----------------------------------------------------------


@pytest.fixture
def agencies(world: World) -> dict[Organisation, User]:
    """One officer with every process role at each of three agencies (a department and two others)."""
    return {
        org: make_user(f"can-bo-{i}", *[(role, org) for role in PROCESS_ROLES])
        for i, org in enumerate((world.dept, world.construction, world.other_dept))
    }


def _process(world: World, data: st.DataObject, orgs: list[Organisation]) -> Procedure:
    """A procedure received by the department, handled by one of `orgs`, with 2-4 steps after reception at random
    agencies and roles, forward and return actions between them, and any-step actions with random roles."""
    handling = data.draw(st.sampled_from(orgs[:2]))
    procedure = procedure_save(
        acting_user=None, national_code=f"9.{data.draw(st.integers(100000, 999999))}", name="Thủ tục liên thông thử",
        field=world.field, receiving_agency=world.dept, handling_agency=handling, processing_days=10, fee=0,
        result_type=ResultType.LICENCE, online_level=OnlineLevel.FULL,
    )  # fmt: skip

    def step(order: int, org: Organisation | None, role: str) -> ProcessStep:
        at_handling = org is None or org == handling
        kind = StepKind.RECEPTION if order == 0 else StepKind.HANDLING if at_handling else StepKind.INTER_AGENCY
        return procedure_part_save(procedure=procedure, model=ProcessStep, acting_user=None, order=order * 10,
                                   code=f"b{order}", name=f"Bước {order}", kind=kind, role=role, organisation=org)  # fmt: skip

    steps = [step(0, world.dept, Role.ONESTOP_CLERK)]
    for order in range(1, data.draw(st.integers(2, 4)) + 1):
        steps.append(step(order, data.draw(st.sampled_from([None, *orgs])), data.draw(st.sampled_from(PROCESS_ROLES))))

    def action(frm: ProcessStep | None, code: str, role: str, to: ProcessStep | None = None, **extra: Any) -> None:
        procedure_part_save(procedure=procedure, model=ProcessAction, acting_user=None, from_step=frm, to_step=to, code=code,
                            label=code, allowed_role=role, **extra)  # fmt: skip

    for here, there in itertools.pairwise(steps):
        action(here, ActionCode.FORWARD, here.role, there, starts_clock=here.kind == StepKind.RECEPTION)
        action(there, ActionCode.RETURN, there.role, here)
    action(steps[-1], ActionCode.RETURN_RESULT, steps[-1].role, final_status=DossierStatus.DONE)
    action(None, ActionCode.WITHDRAW, data.draw(st.sampled_from(PROCESS_ROLES)), final_status=DossierStatus.WITHDRAWN)
    action(None, ActionCode.REFUSE, data.draw(st.sampled_from(PROCESS_ROLES)), final_status=DossierStatus.REFUSED)
    return procedure


def _allowed(user: User, d: Dossier, a: ProcessAction) -> bool:
    """The law: a step's action at the dossier's current step, by its role at that step's organisation; an any-step
    action by its role at the handling or the receiving agency."""
    if a.from_step_id is not None:
        org = d.current_step.organisation or d.handling_agency
        return a.from_step_id == d.current_step_id and has_role(user, a.allowed_role, organisation=org)
    return has_role(user, a.allowed_role, organisation=d.handling_agency) or has_role(
        user, a.allowed_role, organisation=d.receiving_agency
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_an_officer_only_ever_acts_at_steps_of_their_agency_and_any_step_actions_are_the_agencies(
    world: World, agencies: dict[Organisation, User], data: st.DataObject
) -> None:
    orgs = list(agencies)[: data.draw(st.integers(2, 3))]
    with transaction.atomic():
        procedure = _process(world, data, orgs)
        moment = at(2026, 3, 9, 8)
        d = receive(world, procedure=procedure, form_data={}, uploads=[], now=moment)
        reached = {d.current_organisation_id}
        for _ in range(data.draw(st.integers(0, 8))):
            d = Dossier.objects.select_related(
                "current_step", "current_step__organisation", "current_organisation", "receiving_agency", "handling_agency"
            ).get(pk=d.pk)
            options = []
            for org, user in agencies.items():
                for a in workflow.available_actions(d, user):
                    assert _allowed(user, d, a), (org.name, a.code, d.current_step.name)
                    if a.from_step_id is None:  # never an agency consulted only, where the dossier happens to stand
                        assert org in (d.handling_agency, d.receiving_agency)
                    options.append((a, user))
                # A consulted agency (neither receiving nor handling) sees the dossier iff it has reached it.
                if org not in (d.receiving_agency, d.handling_agency):
                    seen = selectors.officer_dossiers(user).filter(pk=d.pk).exists()
                    assert seen == (org.pk in reached), (org.name, reached)
            if not options:
                break
            a, user = data.draw(st.sampled_from(options))
            moment += dt.timedelta(hours=3)
            d = act(d, a.code, user, reason="Lý do", now=moment)
            if d.current_organisation_id:
                reached.add(d.current_organisation_id)
        transaction.set_rollback(True)


def test_a_user_not_holding_the_role_there_is_refused_by_the_service(world: World, agencies: dict[Organisation, User]) -> None:
    d = at_construction(world)
    construction = agencies[world.construction]
    # At its own step: that step's actions only, never the any-step ones.
    assert {a.code for a in workflow.available_actions(d, construction)} == {"return"}
    with pytest.raises(PermissionDenied):
        act(d, "withdraw", construction, reason="x")
    with pytest.raises(ActionNotAllowed):
        act(d, "forward", construction)  # the division's action, of another step
    with pytest.raises(Http404):
        selectors.dossier_for_user(agencies[world.other_dept], d.pk)
