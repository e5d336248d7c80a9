import pytest

from eprovince.core.constants import AuditAction
from eprovince.core.models import AuditEvent
from eprovince.core.models.audit import AuditTrailIsAppendOnly
from eprovince.core.services.organisations import organisation_update
from eprovince.core.testing import make_org, make_user

pytestmark = pytest.mark.django_db


def test_create_records_actor_object_and_values():
    org = make_org("Sở Khoa học và Công nghệ")
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(org.pk), content_type__model="organisation")
    assert event.after["name"] == "Sở Khoa học và Công nghệ"
    assert event.actor is None and event.object_repr == "Sở Khoa học và Công nghệ"


def test_update_records_only_changed_fields_with_reason():
    admin = make_user("root", "admin")
    org = make_org("Sở A")
    organisation_update(organisation=org, acting_user=admin, reason="Đổi tên theo Nghị quyết", name="Sở B")
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).latest("id")
    assert event.actor == admin and event.actor_name == "root"
    assert event.before == {"name": "Sở A", "search_name": "so a"} and event.after == {"name": "Sở B", "search_name": "so b"}
    assert event.reason == "Đổi tên theo Nghị quyết"
    assert ("name", "Sở A", "Sở B") in event.changed_fields


def test_audit_rows_cannot_be_changed_or_deleted():
    make_org("Sở A")
    event = AuditEvent.objects.first()
    event.reason = "sửa lén"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().update(reason="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_failed_service_writes_no_audit_row():
    from django.core.exceptions import ValidationError

    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        make_org("Sở A", electronic_code="không hợp lệ")
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_the_database_itself_refuses_changes_to_the_trail():
    """Even raw SQL, bypassing the model, cannot rewrite history."""
    from django.db import DatabaseError, connection, transaction

    make_org("Sở A")
    event_id = AuditEvent.objects.values_list("pk", flat=True).first()
    table = AuditEvent._meta.db_table
    statements = [f"UPDATE {table} SET reason = 'x' WHERE id = %s"]
    if connection.vendor == "postgresql":
        statements.append(f"DELETE FROM {table} WHERE id = %s")
    for sql in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event_id])
    assert AuditEvent.objects.get(pk=event_id).reason == ""
