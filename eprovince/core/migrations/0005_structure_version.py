"""The structure token (core.models.structure): one row, rewritten with a random value by triggers on every change
of organisations, administrative units and succession links, in the changing transaction.

A random token, not a counter: a rolled-back change must never leave a value that a later, different change could
give again. The triggers insert the row when it is missing (the test suite's flush empties every table)."""

from django.db import migrations, models

TABLES = ("core_organisation", "core_adminunit", "core_unitsuccession")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION core_structure_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO core_structureversion (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text))
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
PG_UP = PG_FUNCTION + "".join(
    f"CREATE TRIGGER {table}_structure_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION core_structure_changed();\n"
    for table in TABLES
)
PG_DOWN = "".join(f"DROP TRIGGER IF EXISTS {table}_structure_changed ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS core_structure_changed();"
)
SQLITE_UP = [
    f"CREATE TRIGGER {table}_structure_{event.lower()} AFTER {event} ON {table} BEGIN "  # noqa: S608 - constants
    "INSERT INTO core_structureversion (id, token) VALUES (1, lower(hex(randomblob(16)))) "
    "ON CONFLICT (id) DO UPDATE SET token = excluded.token; END;"
    for table in TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {table}_structure_{event.lower()};" for table in TABLES for event in ("insert", "update", "delete")
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute("INSERT INTO core_structureversion (id, token) VALUES (1, 'initial')")
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
    dependencies = [("core", "0004_audit_download_action")]

    operations = [
        migrations.CreateModel(
            name="StructureVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=40, verbose_name="mã phiên bản")),
            ],
            options={
                "verbose_name": "phiên bản cơ cấu tổ chức",
                "verbose_name_plural": "phiên bản cơ cấu tổ chức",
                "default_permissions": (),
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
