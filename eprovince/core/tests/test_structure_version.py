"""The structure token and what is kept with it (`core.selectors.structure`): any change of organisations,
administrative units or succession links, however it is written, gives a new token in the writing transaction; a
rolled-back change leaves the old one; and a kept result is never served for a structure it was not computed from."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eprovince.core.constants import UnitLevel
from eprovince.core.models import AdminUnit, Organisation, StructureVersion, UnitSuccession
from eprovince.core.selectors.structure import forget, remembered, structure_token
from eprovince.core.testing import make_org, make_user

pytestmark = pytest.mark.django_db


def unit(code: str, **fields) -> AdminUnit:  # type: ignore[no-untyped-def]
    return AdminUnit.objects.create(code=code, name=f"Đơn vị {code}", kind="Xã", level=UnitLevel.COMMUNE, **fields)


def changes_token(write) -> bool:  # type: ignore[no-untyped-def]
    before = structure_token()
    write()
    return structure_token() != before


def test_every_kind_of_write_to_the_three_tables_changes_the_token() -> None:
    org = make_org("Sở Khoa học và Công nghệ")
    a, b = unit("90001"), unit("90002")
    writes = {
        "an organisation created": lambda: make_org("Ủy ban nhân dân xã A"),
        "an organisation saved": lambda: Organisation.objects.get(pk=org.pk).save(),
        "organisations updated in bulk": lambda: Organisation.objects.filter(pk=org.pk).update(short_name="Sở KH&CN"),
        "organisations created in bulk": lambda: Organisation.objects.bulk_create([Organisation(name="X", kind=org.kind)]),
        "an organisation deleted": lambda: Organisation.objects.filter(name="X").delete(),
        "a unit created": lambda: unit("90003"),
        "a unit moved": lambda: AdminUnit.objects.filter(pk=a.pk).update(parent=b),
        "a succession link": lambda: UnitSuccession.objects.create(predecessor=a, successor=b, effective_on=dt.date(2025, 7, 1)),
        "a succession link removed": lambda: UnitSuccession.objects.all().delete(),
    }
    for label, write in writes.items():
        assert changes_token(write), label


def test_other_writes_leave_it() -> None:
    make_org("Sở Tài chính")
    assert not changes_token(lambda: make_user("can-bo"))


def test_a_rolled_back_change_leaves_the_old_token_and_the_old_answer() -> None:
    forget()
    make_org("Sở Nội vụ")

    def names() -> list[str]:
        return sorted(Organisation.objects.values_list("name", flat=True))

    before = remembered("test.names", names)
    token = structure_token()
    with transaction.atomic():
        make_org("Sở tạm")
        assert structure_token() != token
        assert remembered("test.names", names) == [*before, "Sở tạm"]  # the transaction's own structure
        transaction.set_rollback(True)
    assert structure_token() == token
    assert remembered("test.names", names) == before


def test_kept_while_unchanged_and_worked_out_again_after_a_change() -> None:
    forget()
    calls: list[int] = []

    def count() -> int:
        calls.append(1)
        return Organisation.objects.count()

    assert remembered("test.count", count) == 0
    assert remembered("test.count", count) == 0
    assert len(calls) == 1
    make_org("Sở Y tế")
    assert remembered("test.count", count) == 1
    assert len(calls) == 2


def test_nothing_is_kept_without_the_row() -> None:
    forget()
    StructureVersion.objects.all().delete()
    calls: list[int] = []
    for _ in range(3):
        remembered("test.none", lambda: calls.append(1))
    assert len(calls) == 3
    make_org("Sở Xây dựng")  # the next change writes the row again
    assert structure_token() is not None


operations = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.text(alphabet="ăâđêôơư abc", min_size=1, max_size=8)),
        st.tuples(st.just("rename"), st.integers(0, 9), st.text(alphabet="xyz", min_size=1, max_size=4)),
        st.tuples(st.just("delete"), st.integers(0, 9)),
        st.tuples(st.just("end"), st.integers(0, 9)),
        st.tuples(st.just("rollback"), st.text(alphabet="qr", min_size=1, max_size=3)),
        st.just(("read",)),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=operations)
def test_what_is_kept_is_always_what_would_be_worked_out_now(ops: list[tuple]) -> None:  # type: ignore[type-arg]
    """Law: whatever writes, rollbacks and reads come in whatever order, `remembered` answers as compute() would."""
    forget()

    def state() -> list[tuple[int, str, dt.date | None]]:
        return sorted(Organisation.objects.values_list("pk", "name", "valid_to"))

    with transaction.atomic():
        for op in ops:
            existing = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
            if op[0] == "create":
                make_org(op[1])
            elif op[0] == "rename" and existing:
                Organisation.objects.filter(pk=existing[op[1] % len(existing)]).update(name=op[2])
            elif op[0] == "delete" and existing:
                Organisation.objects.filter(pk=existing[op[1] % len(existing)]).delete()
            elif op[0] == "end" and existing:
                Organisation.objects.filter(pk=existing[op[1] % len(existing)]).update(valid_to=dt.date(2025, 6, 30))
            elif op[0] == "rollback":
                with transaction.atomic():
                    make_org(op[1])
                    assert remembered("test.state", state) == state()
                    transaction.set_rollback(True)
            assert remembered("test.state", state) == state()
        transaction.set_rollback(True)


def test_the_triggers_exist_on_this_database() -> None:
    """Both databases the platform runs on get them from the migration (a missing trigger would keep stale answers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s", ["%_structure_changed"])
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", ["%_structure_%"])
        assert cursor.fetchone()[0] == (3 if connection.vendor == "postgresql" else 9)
