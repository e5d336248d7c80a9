# The national-portal outbox's claims get their own lease (who, when, a token), and the database itself keeps the
# outbox and the dossiers' history append-only, whoever connects (issue 10). Same shape as core 0003 (the audit
# trail):
#
# - onestop_outboxevent: what an event says (id, dossier, history row, sequence, creation time, payload) never
#   changes; its delivery state (claim, attempts, next attempt, last error and status) does, and delivered_at is
#   written once. The payload may change in one way only: an event written with the dossier's provisional code
#   ("~…") gets the real code, nothing else (outbox.code_assigned, in the submission's transaction).
# - onestop_dossierevent: no column changes, except a step reference becoming NULL when the process step is
#   deleted (on_delete=SET_NULL; the step's name is kept in the row).
# - DELETE of either is refused on PostgreSQL. TRUNCATE, which only the test suite's flush uses, stays possible. On
#   SQLite the flush deletes rows (DELETE FROM), so deletion stays refused by the models and querysets there.
from django.db import migrations, models

OUTBOX_DELIVERY_STATE = (
    "attempts", "next_attempt_at", "claim_token", "claimed_by", "claimed_at", "claimed_until", "delivered_at",
    "last_error", "last_status_code", "payload",
)  # fmt: skip
HISTORY_STEP_REFERENCES = ("from_step_id", "to_step_id")

PG_UP = f"""
CREATE OR REPLACE FUNCTION onestop_outboxevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'onestop_outboxevent is append-only: an event is never deleted';
    END IF;
    IF (to_jsonb(NEW) - ARRAY[{", ".join(f"'{c}'" for c in OUTBOX_DELIVERY_STATE)}])
       IS DISTINCT FROM (to_jsonb(OLD) - ARRAY[{", ".join(f"'{c}'" for c in OUTBOX_DELIVERY_STATE)}]) THEN
        RAISE EXCEPTION 'onestop_outboxevent is append-only: what an event says never changes';
    END IF;
    IF OLD.delivered_at IS NOT NULL AND NEW.delivered_at IS DISTINCT FROM OLD.delivered_at THEN
        RAISE EXCEPTION 'onestop_outboxevent is append-only: a delivered event stays delivered';
    END IF;
    IF NEW.payload IS DISTINCT FROM OLD.payload AND NOT (
        left(OLD.payload ->> 'MaHoSo', 1) = '~'
        AND (NEW.payload - 'MaHoSo') = (OLD.payload - 'MaHoSo')
    ) THEN
        RAISE EXCEPTION 'onestop_outboxevent is append-only: the payload never changes';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER onestop_outboxevent_append_only BEFORE UPDATE OR DELETE ON onestop_outboxevent
    FOR EACH ROW EXECUTE FUNCTION onestop_outboxevent_append_only();

CREATE OR REPLACE FUNCTION onestop_dossierevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'onestop_dossierevent is append-only: the history is never deleted';
    END IF;
    IF (to_jsonb(NEW) - ARRAY['from_step_id', 'to_step_id']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['from_step_id', 'to_step_id'])
       OR (NEW.from_step_id IS DISTINCT FROM OLD.from_step_id AND NEW.from_step_id IS NOT NULL)
       OR (NEW.to_step_id IS DISTINCT FROM OLD.to_step_id AND NEW.to_step_id IS NOT NULL) THEN
        RAISE EXCEPTION 'onestop_dossierevent is append-only: the history is never changed';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER onestop_dossierevent_append_only BEFORE UPDATE OR DELETE ON onestop_dossierevent
    FOR EACH ROW EXECUTE FUNCTION onestop_dossierevent_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS onestop_outboxevent_append_only ON onestop_outboxevent;
DROP FUNCTION IF EXISTS onestop_outboxevent_append_only();
DROP TRIGGER IF EXISTS onestop_dossierevent_append_only ON onestop_dossierevent;
DROP FUNCTION IF EXISTS onestop_dossierevent_append_only();
"""

OUTBOX_IMMUTABLE = ("id", "dossier_id", "dossier_event_id", "sequence", "created_at")
HISTORY_COLUMNS = (
    "id", "dossier_id", "created_at", "actor_id", "actor_name", "organisation_id", "action", "label", "from_status",
    "to_status", "from_step_name", "to_step_name", "reason", "due_at",
)  # fmt: skip


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


SQLITE_UP = [
    f"CREATE TRIGGER onestop_outboxevent_immutable BEFORE UPDATE ON onestop_outboxevent "
    f"WHEN {_changed(OUTBOX_IMMUTABLE)} "
    f"BEGIN SELECT RAISE(ABORT, 'onestop_outboxevent is append-only: what an event says never changes'); END;",
    "CREATE TRIGGER onestop_outboxevent_delivered_once BEFORE UPDATE OF delivered_at ON onestop_outboxevent "
    "WHEN OLD.delivered_at IS NOT NULL AND NEW.delivered_at IS NOT OLD.delivered_at "
    "BEGIN SELECT RAISE(ABORT, 'onestop_outboxevent is append-only: a delivered event stays delivered'); END;",
    "CREATE TRIGGER onestop_outboxevent_payload BEFORE UPDATE OF payload ON onestop_outboxevent "
    "WHEN NEW.payload IS NOT OLD.payload AND NOT ("
    " substr(json_extract(OLD.payload, '$.MaHoSo'), 1, 1) = '~'"
    " AND json_remove(NEW.payload, '$.MaHoSo') = json_remove(OLD.payload, '$.MaHoSo')) "
    "BEGIN SELECT RAISE(ABORT, 'onestop_outboxevent is append-only: the payload never changes'); END;",
    f"CREATE TRIGGER onestop_dossierevent_append_only BEFORE UPDATE ON onestop_dossierevent "
    f"WHEN {_changed(HISTORY_COLUMNS)}"
    f" OR (NEW.from_step_id IS NOT OLD.from_step_id AND NEW.from_step_id IS NOT NULL)"
    f" OR (NEW.to_step_id IS NOT OLD.to_step_id AND NEW.to_step_id IS NOT NULL) "
    f"BEGIN SELECT RAISE(ABORT, 'onestop_dossierevent is append-only: the history is never changed'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS onestop_outboxevent_immutable;",
    "DROP TRIGGER IF EXISTS onestop_outboxevent_delivered_once;",
    "DROP TRIGGER IF EXISTS onestop_outboxevent_payload;",
    "DROP TRIGGER IF EXISTS onestop_dossierevent_append_only;",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("onestop", "0007_statement_import_uploaded_results")]

    operations = [
        migrations.AddField(
            model_name="outboxevent", name="claim_token", field=models.CharField(blank=True, default="", max_length=32)
        ),
        migrations.AddField(
            model_name="outboxevent", name="claimed_by", field=models.CharField(blank=True, default="", max_length=120)
        ),
        migrations.AddField(model_name="outboxevent", name="claimed_at", field=models.DateTimeField(blank=True, null=True)),
        migrations.RunPython(forwards, backwards),
    ]
