"""Two officers acting on the same dossier at once: one wins, the other is told, nothing is lost."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from eprovince.onestop.errors import ActionNotAllowed, StaleDossier
from eprovince.onestop.models import Dossier, DossierEvent

from .factories import World, act, receive
from .test_numbering import run_together

pytestmark = pytest.mark.django_db


def test_an_action_on_a_stale_version_is_refused_with_a_clear_message(world: World) -> None:
    d = receive(world)
    seen_by_clerk = Dossier.objects.get(pk=d.pk)
    seen_by_specialist = Dossier.objects.get(pk=d.pk)
    act(seen_by_specialist, "forward", world.specialist, expected_version=seen_by_specialist.version)
    with pytest.raises(StaleDossier) as exc:
        act(seen_by_clerk, "withdraw", world.clerk, reason="Rút", expected_version=seen_by_clerk.version)
    assert "vừa được người khác cập nhật" in exc.value.message and d.code in exc.value.message
    fresh = Dossier.objects.get(pk=d.pk)
    assert (fresh.status, fresh.current_step.code, fresh.version) == ("processing", "truong-phong", d.version + 1)
    assert DossierEvent.objects.filter(dossier=d, action="withdraw").count() == 0


def test_without_a_version_the_second_action_is_judged_on_the_new_state(world: World) -> None:
    d = receive(world)
    stale = Dossier.objects.get(pk=d.pk)
    act(d, "forward", world.specialist)
    with pytest.raises(PermissionDenied):  # the dossier is now at the division head's step
        act(stale, "forward", world.specialist)
    with pytest.raises(ActionNotAllowed):
        act(stale, "request_supplement", world.specialist, reason="x")


@pytest.mark.django_db(transaction=True)
def test_two_officers_acting_at_the_same_moment(world: World) -> None:
    d = receive(world)
    version = d.version
    moves = [
        lambda: act(Dossier.objects.get(pk=d.pk), "forward", world.specialist, expected_version=version),
        lambda: act(Dossier.objects.get(pk=d.pk), "withdraw", world.clerk, reason="Rút hồ sơ", expected_version=version),
    ]
    results = run_together(2, lambda i: moves[i]())
    winners = [r for r in results if isinstance(r, Dossier)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], StaleDossier)
    fresh = Dossier.objects.get(pk=d.pk)
    assert fresh.version == version + 1 and fresh.status == winners[0].status
    assert DossierEvent.objects.filter(dossier=d).count() == 3  # receive, accept, and the winner's action only
