"""Laws of the process engine, for any sequence of allowed actions taken by whoever may take them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eprovince.onestop import workflow
from eprovince.onestop.constants import FINAL_STATUSES, DossierStatus
from eprovince.onestop.models import Dossier
from eprovince.onestop.services.dossiers import Upload

from .factories import World, act, at, pdf, receive, submit_online

pytestmark = pytest.mark.django_db


def _check(d: Dossier, events: int) -> None:
    fresh = Dossier.objects.get(pk=d.pk)
    assert fresh.events.count() == events
    assert fresh.is_final == (fresh.finished_at is not None) == (fresh.status in FINAL_STATUSES)
    if fresh.is_final:
        assert workflow.candidate_actions(fresh) == [] and fresh.current_role == ""
        return
    assert fresh.current_role == fresh.current_step.role
    assert fresh.current_organisation_id == (fresh.current_step.organisation_id or fresh.handling_agency_id)
    if fresh.is_paused:
        assert fresh.status == DossierStatus.WAITING_SUPPLEMENT and fresh.due_at is None
    else:
        assert fresh.status == workflow.status_for(fresh.current_step, received=fresh.received_at is not None)
        assert (fresh.due_at is None) == (fresh.received_at is None)
        if fresh.due_at is not None:
            assert fresh.due_at > fresh.received_at


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(online=st.booleans(), bts=st.booleans(), choices=st.lists(st.integers(0, 50), max_size=12))
def test_any_allowed_path_keeps_the_dossier_consistent(world: World, online: bool, bts: bool, choices: list[int]) -> None:
    people = [world.clerk, world.specialist, world.head, world.leader, world.builder]
    procedure = world.bts if bts else world.procedure
    with transaction.atomic():
        moment = at(2026, 3, 9, 8)
        d = submit_online(world, procedure=procedure, now=moment) if online else receive(world, procedure=procedure, now=moment)
        events = d.events.count()
        _check(d, events)
        for pick in choices:
            options = [(a, u) for u in people for a in workflow.available_actions(d, u)]
            if not options:
                break
            action, user = options[pick % len(options)]
            moment += dt.timedelta(hours=5)
            version = d.version
            files = [Upload(file=pdf())] if action.requires_file else []
            d = act(
                d,
                action.code,
                user,
                now=moment,
                reason="Lý do" if action.requires_reason else "",
                uploads=files,
                expected_version=version,
            )
            events += 1
            assert d.version == version + 1
            _check(d, events)
        transaction.set_rollback(True)
