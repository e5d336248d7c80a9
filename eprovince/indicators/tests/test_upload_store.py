"""What the bulk write of values stores (PostgreSQL: COPY and one UPDATE; SQLite: one executemany per kind of row,
no model instance per cell): on random entries saved again and again, the stored values and their history are
exactly what each change means: one history row per changed value pointing at it, who, when, why, before and
after; an entry already checked by its caller is stored as checked, still only if it belongs to the form."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from eprovince.core.constants import AuditAction
from eprovince.core.models import AuditEvent

from ..constants import ValueChange
from ..models import DataValue, DataValueAudit, Submission
from ..services.values import CheckedEntry, ValueEntry, check_entry, entries_from_mapping, values_save
from . import factories as f

pytestmark = pytest.mark.django_db

CELLS = ("REVENUE", "SUB_PHONE", "SUB_INTERNET", "SUB_BROADBAND", "BTS", "SUB_MOBILE.VNPT", "SUB_MOBILE.VIETTEL")


@pytest.fixture
def sub(world: f.World) -> Submission:
    return f.submission(f.open_round(world, world.enterprise_form, "2024S1"), world.vnpt)


def _typed(rng: random.Random, key: str) -> str:
    """A value as a person types it (or "" to remove it), within what both databases store exactly."""
    if rng.random() < 0.15:
        return ""
    if key == "REVENUE":  # decimals, Vietnamese style
        return f"{rng.randint(0, 99_999)},{rng.randint(0, 999_999):06d}".rstrip("0").rstrip(",")
    return f"{rng.randint(0, 9_999_999):,}".replace(",", ".")


def _stored(sub: Submission) -> dict[str, DataValue]:
    values = DataValue.objects.filter(submission=sub).select_related("element", "category_option")
    return {(f"{v.element.code}.{v.category_option.code}" if v.category_option else v.element.code): v for v in values}


@pytest.mark.parametrize("seed", range(3))
def test_random_saves_store_each_value_and_one_history_row_per_change(world: f.World, sub: Submission, seed: int) -> None:
    rng = random.Random(seed)
    expected: dict[str, tuple[Decimal, str]] = {}
    for step in range(6):
        typed = {key: _typed(rng, key) for key in rng.sample(CELLS, rng.randint(1, len(CELLS)))}
        comments = {key: rng.choice(("", "", "theo báo cáo quý", " số liệu ước tính ")) for key in typed}
        entries = [
            ValueEntry(element=e.element, raw=e.raw, option=e.option, key=e.key, comment=comments[e.key])
            for e in entries_from_mapping(world.elements, typed)
        ]
        history_before = DataValueAudit.objects.filter(submission=sub).count()
        changes: dict[str, tuple[str, Decimal | None, Decimal | None, str, str]] = {}
        for entry in entries:
            value = check_entry(entry, localized=True)
            before = expected.get(entry.key)
            comment = entry.comment.strip()
            if value is None:
                if before is not None:
                    changes[entry.key] = (ValueChange.DELETE, before[0], None, before[1], "")
                    del expected[entry.key]
            elif before is None:
                changes[entry.key] = (ValueChange.CREATE, None, value, "", comment)
                expected[entry.key] = (value, comment)
            elif before != (value, comment):
                changes[entry.key] = (ValueChange.UPDATE, before[0], value, before[1], comment)
                expected[entry.key] = (value, comment)
        user = world.officer_vnpt if step % 2 else None
        result = values_save(acting_user=user, submission=sub, entries=entries, reason=f"lần {step}", validate=False)
        assert result.changed == len(changes) and result.unchanged == len(entries) - len(changes)

        stored = _stored(sub)
        assert {k: (v.value, v.comment) for k, v in stored.items()} == expected
        assert all(v.organisation_id == world.vnpt.pk and v.period == "2024S1" and v.year == 2024 for v in stored.values())
        history = list(DataValueAudit.objects.filter(submission=sub).select_related("element", "category_option"))
        assert len(history) == history_before + len(changes)
        new = [h for h in history if h.reason == f"lần {step}"]
        assert len(new) == len(changes)
        for row in new:
            key = f"{row.element.code}.{row.category_option.code}" if row.category_option else row.element.code
            assert (row.change, row.value_before, row.value_after, row.comment_before, row.comment_after) == changes[key]
            assert row.actor_id == (user.pk if user else None) and row.actor_name == (str(user) if user else "")
            assert row.organisation_id == world.vnpt.pk and row.period == "2024S1"
            if row.change == ValueChange.DELETE:
                assert row.data_value_id is None
            else:  # it points at the value it changed, which was written at the instant of its history row
                value = stored[key]
                assert row.data_value_id == value.pk and value.updated_at == row.created_at
                assert value.updated_by_id == (user.pk if user else None)
                if row.change == ValueChange.CREATE:
                    assert value.created_at == row.created_at
        assert len({h.created_at for h in new}) <= 1  # one instant for the whole save


def test_one_audit_event_per_save_and_none_when_nothing_changed(world: f.World, sub: Submission) -> None:
    before = AuditEvent.objects.count()
    f.save(world, sub, world.officer_vnpt, {"REVENUE": "252,1", "SUB_MOBILE.VNPT": "300.000", "BTS": "120"})
    f.save(world, sub, world.officer_vnpt, {"REVENUE": "252,1", "SUB_MOBILE.VNPT": "300.000", "BTS": "120"})
    events = AuditEvent.objects.order_by("pk")[before:]
    assert [(e.action, e.after) for e in events] == [
        (AuditAction.UPDATE, {"values_created": 3, "values_updated": 0, "values_deleted": 0})
    ]


def test_a_checked_entry_is_stored_as_checked_but_still_only_in_its_form(world: f.World, sub: Submission) -> None:
    revenue = world.elements["REVENUE"]
    entry = ValueEntry(element=revenue, raw="not read again", key="r9")
    values_save(acting_user=None, submission=sub, entries=[CheckedEntry(entry, Decimal("252.1"))], validate=False)
    assert DataValue.objects.get(submission=sub, element=revenue).value == Decimal("252.1")

    outside = ValueEntry(element=world.elements["POPULATION"], raw="1", key="r10")
    twice = ValueEntry(element=revenue, raw="1", key="r11")
    with pytest.raises(ValidationError) as caught:
        values_save(
            acting_user=None,
            submission=sub,
            entries=[CheckedEntry(outside, Decimal(1)), CheckedEntry(twice, Decimal(1)), CheckedEntry(twice, Decimal(2))],
        )
    assert caught.value.message_dict == {
        "r10": ["Chỉ tiêu không thuộc biểu mẫu này."],
        "r11": ["Giá trị bị nhập trùng."],
    }
    assert DataValue.objects.get(submission=sub, element=revenue).value == Decimal("252.1")
