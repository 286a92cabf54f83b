"""Fixtures for the self-check tests (on top of the shared `org` cast)."""

from __future__ import annotations

import pytest

from rectify.models import ChronicProblem
from selfcheck import services

VALID_USCC = "91350100M000100Y43"


def post_data(*, yes: tuple[str, ...] = (), business=(), lending=(), extra=None) -> dict:
    """Form POST data: every fixed item answered, "yes" (with details) on `yes`."""
    data = {}
    for value in ChronicProblem.values:
        data[f"item-{value}-yes"] = "yes" if value in yes else "no"
        if value in yes:
            data[f"item-{value}-details"] = f"关于{value}的具体情况"
    for i, row in enumerate(business, start=1):
        for k, v in row.items():
            data[f"biz-{i}-{k}"] = v
    for i, row in enumerate(lending, start=1):
        for k, v in row.items():
            data[f"lend-{i}-{k}"] = v
    data.update(extra or {})
    return data


BIZ_ROW = {
    "relation": "spouse",
    "name": "王芳",
    "enterprise": "秦皇岛某某贸易有限公司",
    "uscc": VALID_USCC,
    "role": "股东",
    "shareholding": "30%",
    "period": "2019—至今",
}


class FakePost(dict):
    def get(self, key, default=None):
        return super().get(key, default)


def draft_of(officer, campaign, **kwargs) -> dict:
    items = services.form_items(officer=officer, campaign=campaign)
    return services.draft_from_post(FakePost(post_data(**kwargs)), items)


def submit(officer, campaign, **kwargs):
    report = services.report_for_officer(officer=officer, campaign=campaign)
    return services.report_submit(
        report=report, draft=draft_of(officer, campaign, **kwargs), actor=officer.user
    )


@pytest.fixture
def submitted_a(org):
    """officer_a's report, submitted once, with a business declaration."""
    return submit(
        org.officer_a, org.campaign, yes=(ChronicProblem.BUSINESS,), business=[BIZ_ROW]
    ).report


# --- transactional (browser) tests and the append-only audit table ---------------------------
# pytest-django flushes every table after a transactional test; the audit table's triggers
# (rectify migration 0002) refuse that DELETE/TRUNCATE. Until the foundation provides a shared
# fixture, drop the triggers, empty the table and put the triggers back before the flush.
# On PostgreSQL the statement-level TRUNCATE trigger fires even on an empty table, so it is
# restored at the end of the session instead.

_AUDIT_MIGRATION = "rectify.migrations.0002_audit_append_only"
_PG_ROW_TRIGGER = """
CREATE OR REPLACE FUNCTION rectify_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rectify_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER rectify_auditevent_no_update BEFORE UPDATE OR DELETE ON rectify_auditevent
    FOR EACH ROW EXECUTE FUNCTION rectify_audit_append_only();
"""


@pytest.fixture(scope="session")
def _audit_truncate_trigger_restored(django_db_setup, django_db_blocker):
    yield
    from importlib import import_module

    from django.db import connection

    if connection.vendor != "postgresql":
        return
    migration = import_module(_AUDIT_MIGRATION)
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(migration.PG_REVERSE)
        # executed without parameters: no %-escaping (the migration may escape it for Django)
        cursor.execute(migration.PG_FORWARD.replace("%%", "%"))


@pytest.fixture
def audit_flushable(transactional_db, django_db_blocker, _audit_truncate_trigger_restored):
    yield
    from importlib import import_module

    from django.db import connection

    migration = import_module(_AUDIT_MIGRATION)
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(migration.PG_REVERSE)
            cursor.execute("DELETE FROM rectify_auditevent")
            cursor.execute(_PG_ROW_TRIGGER)
        else:
            for statement in migration.SQLITE_REVERSE:
                cursor.execute(statement)
            cursor.execute("DELETE FROM rectify_auditevent")
            for statement in migration.SQLITE_FORWARD:
                cursor.execute(statement)
