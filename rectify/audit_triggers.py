"""Install or remove the database triggers that make the audit table append-only.

Migration 0002 installs them first; `post_migrate` (also sent after `manage.py flush`)
re-installs them idempotently, so they are back whenever the schema is (re)built. Removing
them is for the test suite only: pytest-django empties every table after a transactional
test, which the triggers rightly refuse (tests/conftest.py lifts them for that moment).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

# No "%" anywhere: these statements also go through drivers that format parameters.
_PG_INSTALL = [
    """CREATE OR REPLACE FUNCTION rectify_audit_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION USING MESSAGE = 'rectify_auditevent is append-only (' || TG_OP || ' refused)';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE TRIGGER rectify_auditevent_no_update
    BEFORE UPDATE OR DELETE ON rectify_auditevent
    FOR EACH ROW EXECUTE FUNCTION rectify_audit_append_only()""",
    """CREATE OR REPLACE TRIGGER rectify_auditevent_no_truncate
    BEFORE TRUNCATE ON rectify_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION rectify_audit_append_only()""",
]
_PG_REMOVE = [
    "DROP TRIGGER IF EXISTS rectify_auditevent_no_truncate ON rectify_auditevent",
    "DROP TRIGGER IF EXISTS rectify_auditevent_no_update ON rectify_auditevent",
]
_SQLITE_INSTALL = [
    """CREATE TRIGGER IF NOT EXISTS rectify_auditevent_no_update
    BEFORE UPDATE ON rectify_auditevent
    BEGIN SELECT RAISE(ABORT, 'rectify_auditevent is append-only (UPDATE refused)'); END""",
    """CREATE TRIGGER IF NOT EXISTS rectify_auditevent_no_delete
    BEFORE DELETE ON rectify_auditevent
    BEGIN SELECT RAISE(ABORT, 'rectify_auditevent is append-only (DELETE refused)'); END""",
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS rectify_auditevent_no_update",
    "DROP TRIGGER IF EXISTS rectify_auditevent_no_delete",
]


def _table_exists(connection: BaseDatabaseWrapper) -> bool:
    return "rectify_auditevent" in connection.introspection.table_names()


def install_audit_triggers(connection: BaseDatabaseWrapper) -> None:
    statements = {"postgresql": _PG_INSTALL, "sqlite": _SQLITE_INSTALL}.get(connection.vendor)
    if not statements or not _table_exists(connection):
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove_audit_triggers(connection: BaseDatabaseWrapper) -> None:
    """Test suite only (see module docstring)."""
    statements = {"postgresql": _PG_REMOVE, "sqlite": _SQLITE_REMOVE}.get(connection.vendor)
    if not statements or not _table_exists(connection):
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
