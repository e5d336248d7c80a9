"""The process engine: one interpreter for the process of every procedure (steps and actions stored as data).

Where a dossier stands
    A dossier in process stands at one step (`current_step`); `current_role` and `current_organisation` copy the
    step's role and organisation (the handling agency when the step names none), so queues find who must act.
    Its status follows the step's kind: reception → new (not yet received) or received; handling → processing;
    inter-agency → inter_agency; approval → waiting_approval; result → result_ready. A paused dossier is
    waiting_supplement whatever its step; a finished one has the final status of the action that ended it.

Which actions are available
    The actions leaving the current step, and those with no `from_step` (any step, e.g. withdraw). While the clock
    is paused (waiting for a supplement), only actions that resume the clock or end the dossier; an action that
    resumes the clock only then. A finished dossier has none. Once the result is issued (the dossier stands at a
    result step, status result_ready) the decision is made: no action that would end the dossier as refused or
    withdrawn (`is_destructive`) is available any more, whatever step it belongs to.

The order they are offered in (`offered_order`)
    The usual next action first: one that moves the dossier forward (to a later step, resuming a paused clock, or
    ending it as done); then those that keep it at its step (a supplement request); then those sending it back;
    the destructive ones (ending it as refused or withdrawn) last. Within each group by the action's `order`.
    Never by the action's code.

Fees
    An action flagged `requires_payment` is refused while the dossier's fee is unpaid (an officer confirms payment).

Who may act
    An action of a step: a user holding the action's role for the organisation where the dossier stands, which is
    that step's organisation (a role held for a parent organisation covers it). So an agency consulted in a later
    step acts only while the dossier stands at its step, and only with that step's actions.
    An any-step action (withdraw…): a user holding its role for the handling agency or the receiving agency (the
    one-stop counter), never for a consulted agency where the dossier happens to stand.

What an action does, in this order
    starts_clock: the dossier is received now (if it was not), and its deadline counts from now.
    pauses_clock: a supplement pause opens. resumes_clock: the open pause closes.
    to_step: the dossier moves there (the step's own deadline starts). final_status: the dossier ends.
    The deadline is then recomputed from the receipt, the processing time and the pauses (deadlines.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from eprovince.core.permissions import has_role

from . import deadlines
from .constants import STEP_STATUS, DossierStatus, StepKind
from .errors import ActionNotAllowed
from .models import Dossier, ProcessAction, ProcessStep


@dataclass(frozen=True)
class Transition:
    action: ProcessAction | None
    from_status: str
    to_status: str
    from_step: ProcessStep | None
    to_step: ProcessStep | None


def status_for(step: ProcessStep, *, received: bool) -> str:
    if step.kind == StepKind.RECEPTION:
        return DossierStatus.RECEIVED if received else DossierStatus.NEW
    return STEP_STATUS[StepKind(step.kind)]


def first_step(procedure_id: int) -> ProcessStep:
    step = (
        ProcessStep.objects.select_related("procedure", "organisation")
        .filter(procedure_id=procedure_id)
        .order_by("order")
        .first()
    )
    if step is None:
        raise ValidationError(_("Thủ tục chưa có quy trình xử lý, chưa thể tiếp nhận hồ sơ."))
    return step


def _step_due(dossier: Dossier, step: ProcessStep) -> dt.datetime | None:
    if dossier.received_at is None or not step.duration_days or dossier.step_entered_at is None:
        return None
    entered = dossier.step_entered_at
    pauses = [(p, q) for p, q in dossier.pause_list() if q is None or q > entered]
    return deadlines.due_at(entered, step.duration_days, pauses)


def _refresh_clock(dossier: Dossier) -> None:
    if dossier.received_at is not None:
        dossier.due_at = deadlines.due_at(dossier.received_at, dossier.procedure.processing_days, dossier.pause_list())
    if dossier.current_step is not None and not dossier.is_final:
        dossier.step_due_at = _step_due(dossier, dossier.current_step)
    else:
        dossier.step_due_at = None


def _place(dossier: Dossier, step: ProcessStep, now: dt.datetime) -> None:
    dossier.current_step = step
    dossier.current_role = step.role
    # The organisation object itself when already loaded (the outbox's payload names it: no query for it then).
    if step.organisation_id is not None and ProcessStep.organisation.is_cached(step):
        dossier.current_organisation = step.organisation
    elif step.organisation_id is None and Dossier.handling_agency.is_cached(dossier):
        dossier.current_organisation = dossier.handling_agency
    else:
        dossier.current_organisation_id = step.organisation_id or dossier.handling_agency_id
    dossier.step_entered_at = now


def enter_process(dossier: Dossier, *, now: dt.datetime, received: bool) -> Transition:
    """Put a new dossier at the first step of its procedure's process (received now if `received`)."""
    step = first_step(dossier.procedure_id)
    before = dossier.status if dossier.pk else ""
    if received:
        dossier.received_at = now
    _place(dossier, step, now)
    dossier.status = status_for(step, received=received)
    _refresh_clock(dossier)
    return Transition(None, before, dossier.status, None, step)


def candidate_actions(dossier: Dossier) -> list[ProcessAction]:
    """The actions available in the dossier's current state, whoever asks (one query)."""
    if dossier.is_final or dossier.current_step_id is None:
        return []
    actions = ProcessAction.objects.filter(procedure_id=dossier.procedure_id).filter(
        Q(from_step_id=dossier.current_step_id) | Q(from_step__isnull=True)
    )
    items = list(actions.select_related("to_step"))
    if dossier.status == DossierStatus.RESULT_READY:  # the result is issued: it can no longer be refused or withdrawn
        items = [a for a in items if not is_destructive(a)]
    if dossier.is_paused:
        return [a for a in items if a.resumes_clock or a.is_final]
    return [a for a in items if not a.resumes_clock]


DESTRUCTIVE_STATUSES = frozenset({DossierStatus.REFUSED, DossierStatus.WITHDRAWN})


def is_destructive(action: ProcessAction) -> bool:
    """Does the action end the dossier otherwise than with its result (refused, withdrawn)? Offered last, confirmed
    first."""
    return action.final_status in DESTRUCTIVE_STATUSES


def direction(dossier: Dossier, action: ProcessAction) -> int:
    """0: forward (a later step, resuming the clock, ending as done); 1: staying at the step; 2: back; 3: destructive."""
    if is_destructive(action):
        return 3
    if action.final_status or action.resumes_clock:
        return 0
    here = dossier.current_step.order if dossier.current_step is not None else 0
    there = action.to_step.order if action.to_step is not None else here
    return 0 if there > here else 1 if there == here else 2


def offered_order(dossier: Dossier, actions: list[ProcessAction]) -> list[ProcessAction]:
    """`actions` in the order an officer is offered them: the usual next action first, destructive ones last."""
    return sorted(actions, key=lambda a: (direction(dossier, a), a.order, a.pk))


def may_perform(user: Any, dossier: Dossier, action: ProcessAction) -> bool:
    """Does `user` hold the action's role where the action belongs: for a step's action, the organisation where the
    dossier stands (its current step's); for an any-step action, the handling or the receiving agency. (The
    organisations are cached on the dossier.)"""
    if action.from_step_id is not None:
        where = dossier.current_organisation
        return where is not None and has_role(user, action.allowed_role, organisation=where)
    return has_role(user, action.allowed_role, organisation=dossier.handling_agency) or has_role(
        user, action.allowed_role, organisation=dossier.receiving_agency
    )


def payment_blocked(dossier: Dossier, action: ProcessAction) -> bool:
    """An action flagged `requires_payment` waits until the dossier's fee is confirmed (services/payments.py)."""
    if not action.requires_payment:
        return False
    from .services.payments import payment_due

    return payment_due(dossier)


def available_actions(dossier: Dossier, user: Any) -> list[ProcessAction]:
    """The actions `user` may do now, in the order they are offered (`offered_order`)."""
    return offered_order(dossier, [a for a in candidate_actions(dossier) if may_perform(user, dossier, a)])


def find_action(dossier: Dossier, code: str, user: Any) -> ProcessAction:
    """The action `code` that `user` may do now. Raises ActionNotAllowed or PermissionDenied."""
    matching = [a for a in candidate_actions(dossier) if a.code == code]
    if not matching:
        step = dossier.current_step.name if dossier.current_step else "—"
        raise ActionNotAllowed(
            _("Thao tác này không thực hiện được khi hồ sơ ở bước “%(step)s”, trạng thái “%(status)s”.")
            % {"step": step, "status": dossier.get_status_display()}
        )
    for action in matching:  # a step-specific action first, then an any-step one with the same code
        if may_perform(user, dossier, action):
            if payment_blocked(dossier, action):
                raise ActionNotAllowed(
                    _("Hồ sơ %(code)s chưa nộp phí, lệ phí: chưa thể thực hiện “%(label)s”. Cán bộ một cửa xác nhận đã thu "
                      "phí trước, rồi thực hiện lại.") % {"code": dossier.code, "label": action.label}
                )  # fmt: skip
            return action
    if all(a.from_step_id is None for a in matching):
        raise PermissionDenied(
            _("Thao tác “%(label)s” do cơ quan giải quyết hoặc cơ quan tiếp nhận hồ sơ thực hiện; bạn không có vai trò "
              "“%(role)s” tại các cơ quan này.") % {"label": matching[0].label, "role": matching[0].get_allowed_role_display()}
        )  # fmt: skip
    raise PermissionDenied(_("Bạn không có vai trò “%(role)s” tại đơn vị đang xử lý hồ sơ này.") % {
        "role": matching[0].get_allowed_role_display()
    })  # fmt: skip


def apply(dossier: Dossier, action: ProcessAction, *, now: dt.datetime) -> Transition:
    """Carry out `action` on `dossier` (in memory; the caller saves). Assumes find_action allowed it."""
    before_status, before_step = dossier.status, dossier.current_step
    if action.starts_clock and dossier.received_at is None:
        dossier.received_at = now
    pauses = [dict(p) for p in dossier.pauses]
    if action.pauses_clock:
        pauses.append({"start": now.isoformat(), "end": None})
    if action.resumes_clock and pauses and pauses[-1].get("end") is None:
        pauses[-1]["end"] = now.isoformat()
    dossier.pauses = pauses
    if action.final_status:
        dossier.status = action.final_status
        dossier.finished_at = now
        dossier.current_role = ""
        dossier.current_organisation_id = None
    else:
        step = action.to_step
        assert step is not None  # guaranteed by the model's check constraint
        if step.pk != dossier.current_step_id:
            _place(dossier, step, now)
        dossier.status = (
            DossierStatus.WAITING_SUPPLEMENT if dossier.is_paused else status_for(step, received=dossier.received_at is not None)
        )
    _refresh_clock(dossier)
    return Transition(action, before_status, dossier.status, before_step, dossier.current_step)
