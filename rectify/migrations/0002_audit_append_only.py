"""Make the audit table append-only in the database itself, below the application.

PostgreSQL: a trigger raises on UPDATE and DELETE (TRUNCATE too). SQLite: triggers with
RAISE(ABORT). The application's own DB role cannot get round them without ALTER rights,
and `verify_audit` catches anyone who does.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION rectify_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'rectify_auditevent is append-only (' || TG_OP || ' refused)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER rectify_auditevent_no_update BEFORE UPDATE OR DELETE ON rectify_auditevent
    FOR EACH ROW EXECUTE FUNCTION rectify_audit_append_only();
CREATE TRIGGER rectify_auditevent_no_truncate BEFORE TRUNCATE ON rectify_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION rectify_audit_append_only();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS rectify_auditevent_no_truncate ON rectify_auditevent;
DROP TRIGGER IF EXISTS rectify_auditevent_no_update ON rectify_auditevent;
DROP FUNCTION IF EXISTS rectify_audit_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER rectify_auditevent_no_update BEFORE UPDATE ON rectify_auditevent
       BEGIN SELECT RAISE(ABORT, 'rectify_auditevent is append-only (UPDATE refused)'); END;""",
    """CREATE TRIGGER rectify_auditevent_no_delete BEFORE DELETE ON rectify_auditevent
       BEGIN SELECT RAISE(ABORT, 'rectify_auditevent is append-only (DELETE refused)'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS rectify_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS rectify_auditevent_no_delete;",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("rectify", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse)]
