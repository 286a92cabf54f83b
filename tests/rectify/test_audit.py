from __future__ import annotations

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.urls import reverse

from rectify.audit import GENESIS_HASH, audit_record, verify_chain
from rectify.audit_triggers import install_audit_triggers, remove_audit_triggers
from rectify.models import AuditEvent, AuditImmutableError, AuditVerb


def _three_events():
    return [audit_record(actor=None, action=f"tests.thing.{i}", data={"i": i}) for i in range(3)]


@pytest.mark.django_db
def test_it_chains_events():
    first, second, third = _three_events()
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert verify_chain() is None


@pytest.mark.django_db
def test_it_refuses_changes_in_python():
    event = audit_record(actor=None, action="tests.thing.x")
    event.action = "tests.thing.y"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="z")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql", ["UPDATE rectify_auditevent SET action = 'x'", "DELETE FROM rectify_auditevent"]
)
def test_it_refuses_raw_sql_update_and_delete(sql):
    """On SQLite and PostgreSQL alike the database itself refuses (triggers)."""
    audit_record(actor=None, action="tests.thing.x")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.filter(action="tests.thing.x").exists()


@pytest.mark.django_db
@pytest.mark.postgres
def test_it_refuses_truncate_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    audit_record(actor=None, action="tests.thing.x")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE rectify_auditevent")


def _behind_the_triggers_back(sql, params):
    remove_audit_triggers(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        install_audit_triggers(connection)


@pytest.mark.django_db
def test_verify_audit_names_the_altered_event():
    first, second, third = _three_events()
    call_command("verify_audit")  # intact: no error
    _behind_the_triggers_back(
        "UPDATE rectify_auditevent SET summary = %s WHERE id = %s", ['{"i": 99}', second.pk]
    )
    problem = verify_chain()
    assert problem is not None and problem.event_id == second.pk
    assert "altered" in problem.reason
    with pytest.raises(CommandError, match=f"#{second.pk}"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_verify_audit_names_the_successor_of_a_removed_event():
    first, second, third = _three_events()
    _behind_the_triggers_back("DELETE FROM rectify_auditevent WHERE id = %s", [second.pk])
    problem = verify_chain()
    assert problem is not None and problem.event_id == third.pk
    assert "removed" in problem.reason


@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_chain_linear_under_concurrent_appends():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers anyway)")
    errors: list[Exception] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                audit_record(actor=None, action=f"tests.thread.{n}.{i}")
        except Exception as exc:  # pragma: no cover - surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    prevs = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prevs) == 40 and len(set(prevs)) == 40
    assert verify_chain() is None


@pytest.mark.django_db
def test_it_audits_logins_and_failed_logins(client, org):
    url = reverse("login")
    client.post(url, {"username": "officer_a", "password": "wrong-password"})
    client.post(url, {"username": "officer_a", "password": "demo-pass-123"})
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert AuditVerb.LOGIN_FAILED in verbs and AuditVerb.LOGIN in verbs


@pytest.mark.django_db
def test_audit_list_is_for_admins_only(client, org):
    client.force_login(org.reviewer)
    assert client.get(reverse("rectify:audit_list")).status_code == 403
    client.force_login(org.admin)
    assert client.get(reverse("rectify:audit_list")).status_code == 200


@pytest.mark.django_db
def test_audit_list_filters(client, org):
    audit_record(actor=org.reviewer, verb=AuditVerb.READ, action="selfcheck.report.read")
    audit_record(actor=org.chief, verb=AuditVerb.EXPORT, action="leads.ledger.export")
    client.force_login(org.admin)
    page = client.get(reverse("rectify:audit_list"), {"verb": "export"}).content.decode()
    assert "leads.ledger.export" in page and "selfcheck.report.read" not in page
    page = client.get(reverse("rectify:audit_list"), {"action": "selfcheck."}).content.decode()
    assert "selfcheck.report.read" in page and "leads.ledger.export" not in page
    page = client.get(reverse("rectify:audit_list"), {"actor": "chief"}).content.decode()
    assert "leads.ledger.export" in page and "selfcheck.report.read" not in page


@pytest.mark.django_db
def test_audit_list_query_count_is_constant(client, org, django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    client.force_login(org.admin)

    def count_for(n: int) -> int:
        for i in range(n):
            audit_record(actor=None, action=f"tests.bulk.{i}")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("rectify:audit_list")).status_code == 200
        return len(ctx.captured_queries)

    assert count_for(10) == count_for(200)


@pytest.mark.django_db
def test_admin_changes_are_audited(client, org):
    client.force_login(org.admin)
    officer = org.officer_a
    url = reverse("admin:rectify_officer_change", args=[officer.pk])
    response = client.post(
        url,
        {
            "number": officer.number,
            "name": "张三丰",
            "unit": officer.unit_id,
            "position": "审判员",
            "is_active": "on",
            "user": officer.user_id,
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="rectify.officer.admin_changed")
    assert event.object_id == str(officer.pk) and "name" in event.summary["fields"]


@pytest.mark.django_db
def test_request_ip_is_kept_only_when_configured(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    settings.AUDIT_KEEP_IP = False
    assert audit_record(actor=None, action="tests.ip.off", request=request).ip is None
    settings.AUDIT_KEEP_IP = True
    assert audit_record(actor=None, action="tests.ip.on", request=request).ip == "10.1.2.3"
