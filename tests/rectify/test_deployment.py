"""The production deployment: one proxy in front, two database roles (issue 9)."""

from __future__ import annotations

import os
import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from rectify.audit import audit_record, verify_chain
from rectify.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_publishes_only_the_proxy_port():
    services = _compose()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert services["proxy"]["image"].startswith("nginx:")
    assert [p.split(":")[-1] for p in services["proxy"]["ports"]] == ["443"]


def test_it_counts_exactly_the_one_proxy_that_overwrites_forwarded_for():
    services = _compose()["services"]
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["environment"]["TRUSTED_PROXY_COUNT"] == "1", name
    conf = (ROOT / "deploy" / "nginx" / "rectify.conf").read_text()
    forwarded = re.findall(r"proxy_set_header\s+X-Forwarded-For\s+(\S+);", conf)
    # Overwritten with the TCP peer in every location: a client's own entries never pass.
    assert forwarded and set(forwarded) == {"$remote_addr"}
    assert conf.count("proxy_pass http://web:8000;") == len(forwarded)


def test_it_migrates_as_the_owner_and_runs_the_app_as_the_app_role():
    services = _compose()["services"]
    migrate = services["migrate"]
    assert "manage.py migrate" in migrate["command"][-1]
    assert "manage.py db_app_role" in migrate["command"][-1]
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://rectify:")
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith(
            "postgres://rectify_app:"
        ), name
        assert "POSTGRES_PASSWORD" not in str(services[name]["environment"]), name
    assert services["db"]["environment"]["POSTGRES_USER"] == "rectify"


def test_it_anchors_the_audit_head_on_a_volume_of_the_worker():
    worker = _compose()["services"]["worker"]
    directory = worker["environment"]["AUDIT_ANCHOR_DIR"]
    assert any(v.endswith(f":{directory}") for v in worker["volumes"])


@pytest.mark.django_db
@pytest.mark.postgres
def test_it_lets_the_app_role_only_insert_and_select_the_audit_table():
    """The role docker-compose's migrate service creates (deploy/postgres/app_role.sql),
    exercised for real: CREATE ROLE and grants are rolled back with the test."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    role = f"rectify_app_test_{os.getpid()}"
    audit_record(actor=None, action="tests.app_role.before")
    call_command("db_app_role", role=role, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
    try:
        # What the application does: append and read events, write ordinary tables.
        audit_record(actor=None, action="tests.app_role.insert")
        assert AuditEvent.objects.filter(action__startswith="tests.app_role").count() == 2
        with connection.cursor() as cursor:
            cursor.execute("UPDATE rectify_unit SET name = name")
        refused = [
            "UPDATE rectify_auditevent SET action = 'x'",
            "DELETE FROM rectify_auditevent",
            "TRUNCATE rectify_auditevent",
            "ALTER TABLE rectify_auditevent DISABLE TRIGGER ALL",
            "DROP TRIGGER rectify_auditevent_no_update ON rectify_auditevent",
            "ALTER TABLE rectify_auditevent ADD COLUMN x int",
            "DROP TABLE rectify_auditevent",
            "CREATE TABLE rectify_sneaky (id int)",
            "DELETE FROM django_migrations",
        ]
        for sql in refused:
            with (
                pytest.raises(DatabaseError, match="permission denied|must be owner"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert verify_chain() is None
