"""Indexes that keep the one-stop shop fast with a million dossiers (see docs/performance.md, bench/onestop_dossiers.py).

- the officers' "waiting for me" queue: (current organisation, current role, status, due date);
- the "all" queue, the tracking register and the statistics of a period: received_at (with id, the page order's
  tie-break) and finished_at;
- the diacritic-free search ("nguyen van an" finds "Nguyễn Văn An"): the services keep `search_text` folded (code,
  applicant's name, identity number, phone; eprovince.core.text.fold) and the selectors look each word up with
  LIKE '%word%'. On PostgreSQL a pg_trgm GIN index on it answers those lookups without reading the table. SQLite has
  no such index: the same migration creates nothing there, and the search works the same, by scanning.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

TRIGRAM_INDEX = "onestop_dossier_search_trgm"


def create_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it without being superuser.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON onestop_dossier USING gin (search_text gin_trgm_ops)")


def drop_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")  # the extension stays: other tables may use it


class Migration(migrations.Migration):
    dependencies = [("onestop", "0005_outbox")]

    operations = [
        migrations.RemoveIndex(model_name="dossier", name="onestop_dossier_tray"),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["current_organisation", "current_role", "status", "due_at"], name="onestop_dossier_tray_due"
            ),
        ),
        migrations.AddIndex(
            model_name="dossier", index=models.Index(fields=["received_at", "id"], name="onestop_dossier_received")
        ),
        migrations.AddIndex(model_name="dossier", index=models.Index(fields=["finished_at"], name="onestop_dossier_finished")),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
