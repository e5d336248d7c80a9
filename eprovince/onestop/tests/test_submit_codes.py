"""Online submissions and their codes: unique and gap-free per agency and day when many applicants submit at the same
moment, each with its whole record (history event, portal event with the real code, fee, audit row, confirmation
email); a submission that fails after drawing its number gives it back; the agency's own pattern, read with the
draft, is followed and a change of it is seen at once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection, transaction

from eprovince.core.constants import AuditAction
from eprovince.core.models import AuditEvent, User
from eprovince.onestop import numbering
from eprovince.onestop.constants import DossierStatus, NumberingReset
from eprovince.onestop.models import Dossier, DossierCounter, DossierEvent, OutboxEvent, Payment
from eprovince.onestop.services.catalogue import numbering_save
from eprovince.onestop.services.online import dossier_online_submit

from .factories import SITE, World, at, complete_draft, sign_up
from .test_numbering import run_together

pytestmark = pytest.mark.django_db
DAY = at(2026, 3, 9, 9)
PREFIX = "000.20.00.H99-260309-"


def _applicants(count: int) -> list[User]:
    return [sign_up(kind="citizen", email=f"nguoinop{i}@mekong.vn") for i in range(count)]


def _submit(draft: Dossier, user: User, now: Any = DAY) -> Dossier:
    return dossier_online_submit(dossier=draft, acting_user=user, site_url=SITE, now=now)


@pytest.mark.django_db(transaction=True)
def test_concurrent_online_submissions_get_unique_gap_free_codes_each_with_its_whole_record(world: World) -> None:
    applicants, each = _applicants(6), 3
    plan = [(user, [complete_draft(world, user) for _ in range(each)]) for user in applicants]
    mail.outbox = []

    def work(i: int) -> list[str]:
        user, drafts = plan[i]
        return [_submit(draft, user).code for draft in drafts]

    results = run_together(len(plan), work)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    codes = [code for batch in results for code in batch]
    total = len(plan) * each
    # Unique and gap-free: exactly 0001 … 0018, whatever order the transactions committed in.
    assert sorted(codes) == [f"{PREFIX}{n:04d}" for n in range(1, total + 1)]
    assert DossierCounter.objects.get(organisation=world.dept, period="2026-03-09").last_value == total
    for dossier in Dossier.objects.filter(code__in=codes):
        assert dossier.status == DossierStatus.NEW and dossier.submitted_at == DAY
        assert dossier.code.lower() in dossier.search_text  # found by its code in the officers' search
        event = DossierEvent.objects.get(dossier=dossier)
        assert (event.action, event.actor_id, event.from_status, event.to_status) == (
            "submit", dossier.applicant_id, DossierStatus.DRAFT, DossierStatus.NEW
        )  # fmt: skip
        portal = OutboxEvent.objects.get(dossier=dossier)
        assert (portal.sequence, portal.dossier_event_id, portal.payload["MaHoSo"]) == (1, event.pk, dossier.code)
        audit = AuditEvent.objects.get(object_id=str(dossier.pk), action=AuditAction.TRANSITION)
        assert audit.actor_id == dossier.applicant_id and audit.object_repr == dossier.code
        assert audit.after["code"] == dossier.code and audit.after["status"] == DossierStatus.NEW
        assert Payment.objects.filter(dossier=dossier, amount=world.procedure.fee).count() == 1
    # One confirmation email each, rendered after the commit with the real code.
    assert sorted(m.subject for m in mail.outbox) == sorted(f"Đã nộp hồ sơ {code}" for code in codes)
    assert all(code in m.body for m in mail.outbox for code in [m.subject.rsplit(" ", 1)[1]])


def test_a_submission_that_fails_after_drawing_its_number_gives_it_back(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    user = sign_up()
    first, failing, third = (complete_draft(world, user) for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        assert _submit(first, user).code == f"{PREFIX}0001"

    def broken_audit(**kwargs: Any) -> None:  # the last write before the commit, after the number is drawn
        raise RuntimeError("mất kết nối")

    monkeypatch.setattr("eprovince.onestop.services.dossiers.audit_record", broken_audit)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _submit(failing, user)
    monkeypatch.undo()
    failing.refresh_from_db()
    assert (failing.status, failing.code) == (DossierStatus.DRAFT, "")  # nothing half-saved
    assert not DossierEvent.objects.filter(dossier=failing).exists() and not OutboxEvent.objects.filter(dossier=failing)
    assert DossierCounter.objects.get(organisation=world.dept, period="2026-03-09").last_value == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert _submit(third, user).code == f"{PREFIX}0002"  # no gap
        assert _submit(failing, user).code == f"{PREFIX}0003"  # the same draft may be submitted again
    assert [m.subject for m in mailoutbox] == [f"Đã nộp hồ sơ {PREFIX}000{n}" for n in (1, 2, 3)]


def test_what_a_submission_returns_is_what_is_stored(world: World) -> None:
    """The submission writes only the columns it changes, once: every other column keeps the draft's value, and the
    dossier it returns (used for the email and the confirmation page) matches the stored row in every column."""
    user = sign_up()
    draft = complete_draft(world, user)
    before = Dossier.objects.get(pk=draft.pk)
    done = _submit(draft, user)
    stored = Dossier.objects.get(pk=draft.pk)
    columns = [f.attname for f in Dossier._meta.concrete_fields]
    assert {c: getattr(stored, c) for c in columns} == {c: getattr(done, c) for c in columns}
    changed = {c for c in columns if getattr(stored, c) != getattr(before, c)}
    assert {"code", "status", "submitted_at", "current_step_id", "current_organisation_id", "version"} <= changed
    assert stored.current_step is not None and stored.current_organisation_id == stored.current_step.organisation_id


def test_an_online_submission_follows_the_agency_pattern_and_sees_a_change_at_once(world: World) -> None:
    user = sign_up()
    drafts = [complete_draft(world, user) for _ in range(3)]
    numbering_save(organisation=world.dept, pattern="{code}/{yyyy}/{seq:6}", reset=NumberingReset.YEARLY, acting_user=None)
    assert _submit(drafts[0], user).code == "000.20.00.H99/2026/000001"
    numbering_save(organisation=world.dept, pattern="HS-{code}-{yyyy}-{seq:5}", reset=NumberingReset.YEARLY, acting_user=None)
    assert _submit(drafts[1], user, at(2026, 3, 10, 9)).code == "HS-000.20.00.H99-2026-00002"  # the year's counter goes on
    numbering_save(organisation=world.dept, pattern="{code}-{yymmdd}-{seq:4}", reset=NumberingReset.DAILY, acting_user=None)
    assert _submit(drafts[2], user, at(2026, 3, 10, 10)).code == "000.20.00.H99-260310-0001"


@pytest.mark.django_db(transaction=True)
def test_a_submission_waits_for_a_number_drawn_and_not_yet_committed_and_gets_it_if_rolled_back(world: World) -> None:
    """PostgreSQL: the counter row is locked by the statement that draws a number until that transaction ends. A
    submission meanwhile waits; if the first transaction rolls back, the waiting one gets the same number (no gap)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: no transaction waits for another's row lock")
    user = sign_up()
    draft = complete_draft(world, user)
    drawn, release = threading.Event(), threading.Event()
    result: dict[str, Any] = {}

    def hold_a_number() -> None:
        try:
            with transaction.atomic():
                result["held"] = numbering.next_sequence(world.dept, "2026-03-09")
                drawn.set()
                release.wait(30)
                transaction.set_rollback(True)
        finally:
            connection.close()

    def submit() -> None:
        try:
            result["code"] = _submit(Dossier.objects.get(pk=draft.pk), user).code
        finally:
            connection.close()

    holder = threading.Thread(target=hold_a_number)
    holder.start()
    assert drawn.wait(30) and result["held"] == 1
    submitter = threading.Thread(target=submit)
    submitter.start()
    submitter.join(1.0)
    assert submitter.is_alive() and "code" not in result  # still waiting for the counter row
    release.set()
    holder.join(30)
    submitter.join(30)
    assert result["code"] == f"{PREFIX}0001"
    assert DossierCounter.objects.get(organisation=world.dept, period="2026-03-09").last_value == 1
