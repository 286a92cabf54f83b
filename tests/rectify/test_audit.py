from __future__ import annotations

import threading
from io import StringIO

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


# --- issue 9: a chain that cannot be rewritten quietly ------------------------------------


def _plain_sha256(event, prev_hash: str) -> str:
    """The chain as anyone with database access can compute it: no secret involved."""
    import hashlib
    import json

    payload = json.dumps(
        {
            "at": event.at.isoformat(timespec="microseconds"),
            "actor_id": event.actor_id,
            "actor_repr": event.actor_repr,
            "verb": event.verb,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": str(event.object_id),
            "summary": event.summary,
            "ip": event.ip,
            "prev": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _rechain_from(event_id: int, digest) -> None:
    """Recompute prev_hash/hash of every event from `event_id` on, as an intruder would."""
    remove_audit_triggers(connection)
    try:
        prev = (
            AuditEvent.objects.filter(id__lt=event_id)
            .order_by("-id")
            .values_list("hash", flat=True)
            .first()
        ) or GENESIS_HASH
        for event in AuditEvent.objects.filter(id__gte=event_id).order_by("id"):
            new_hash = digest(event, prev)
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE rectify_auditevent SET prev_hash = %s, hash = %s WHERE id = %s",
                    [prev, new_hash, event.pk],
                )
            prev = new_hash
    finally:
        install_audit_triggers(connection)


@pytest.mark.django_db
@pytest.mark.parametrize("scheme", ["plain-sha256", "hmac-with-a-guessed-key"])
def test_it_detects_an_event_altered_and_rechained_without_the_key(scheme):
    from rectify.audit import event_digest

    def guessed(event, prev):
        fields = {
            f: getattr(event, f)
            for f in ("at", "actor_id", "actor_repr", "verb", "action", "object_type")
        }
        return event_digest(
            **fields,
            object_id=event.object_id,
            summary=event.summary,
            ip=event.ip,
            prev_hash=prev,
            key_id=event.key_id,
            key=b"a-guess-of-the-secret-0123456789abcdef",
        )

    first, second, third = _three_events()
    _behind_the_triggers_back(
        "UPDATE rectify_auditevent SET summary = %s WHERE id = %s", ['{"i": 99}', second.pk]
    )
    _rechain_from(second.pk, _plain_sha256 if scheme == "plain-sha256" else guessed)
    problem = verify_chain()
    assert problem is not None and problem.event_id == second.pk
    assert "altered" in problem.reason
    with pytest.raises(CommandError, match=f"#{second.pk}"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_it_detects_the_newest_events_deleted_after_the_head_was_anchored(settings, tmp_path):
    from rectify.tasks import audit_anchor

    settings.AUDIT_ANCHOR_DIR = str(tmp_path)
    events = [audit_record(actor=None, action=f"tests.thing.{i}") for i in range(25)]
    assert audit_anchor.delay().get()["anchored"] == events[-1].pk
    call_command("verify_audit", stdout=StringIO())  # intact, anchored head present
    _behind_the_triggers_back("DELETE FROM rectify_auditevent WHERE id >= %s", [events[5].pk])
    # What is left is a perfectly linked chain: only the anchor tells.
    assert AuditEvent.objects.count() == 5
    problem = verify_chain()
    assert problem is not None and problem.event_id == events[-1].pk
    assert "newest events were removed" in problem.reason
    with pytest.raises(CommandError, match="newest events were removed"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_it_detects_an_anchored_event_rewritten_with_the_key(settings, tmp_path):
    """Even someone holding the key cannot rewrite what was anchored before."""
    from rectify.audit import audit_anchor_head, current_hmac_key, event_digest

    settings.AUDIT_ANCHOR_DIR = str(tmp_path)
    first, second, third = _three_events()
    audit_anchor_head()
    key_id, key = current_hmac_key()
    _behind_the_triggers_back(
        "UPDATE rectify_auditevent SET summary = %s WHERE id = %s", ['{"i": 99}', third.pk]
    )
    third.refresh_from_db()
    fields = {
        f: getattr(third, f)
        for f in ("at", "actor_id", "actor_repr", "verb", "action", "object_type", "object_id")
    }
    _behind_the_triggers_back(
        "UPDATE rectify_auditevent SET hash = %s WHERE id = %s",
        [
            event_digest(
                **fields,
                summary=third.summary,
                ip=third.ip,
                prev_hash=third.prev_hash,
                key_id=key_id,
                key=key,
            ),
            third.pk,
        ],
    )
    problem = verify_chain()
    assert problem is not None and problem.event_id == third.pk
    assert "anchored" in problem.reason


@pytest.mark.django_db
def test_it_anchors_the_head_once_per_change_in_a_file_and_the_log(settings, tmp_path, caplog):
    from rectify.audit import ANCHOR_FILE_NAME, audit_anchor_head, read_anchors

    settings.AUDIT_ANCHOR_DIR = str(tmp_path / "anchors")
    assert audit_anchor_head() is None  # empty table: nothing to anchor
    first, second, third = _three_events()
    with caplog.at_level("INFO", logger="rectify.audit.anchor"):
        audit_anchor_head()
        audit_anchor_head()  # unchanged head: not written twice
    assert f"id={third.pk} hash={third.hash}" in caplog.text
    assert [a.event_id for a in read_anchors()] == [third.pk]
    fourth = audit_record(actor=None, action="tests.thing.4")
    audit_anchor_head()
    assert [a.event_id for a in read_anchors()] == [third.pk, fourth.pk]
    assert (tmp_path / "anchors" / ANCHOR_FILE_NAME).read_text().count("\n") == 2


@pytest.mark.django_db
def test_it_verifies_events_signed_with_a_rotated_out_key(settings):
    new_key, old_key = settings.AUDIT_HMAC_KEYS
    settings.AUDIT_HMAC_KEYS = [old_key]
    before = audit_record(actor=None, action="tests.rotation.before")
    settings.AUDIT_HMAC_KEYS = [new_key, old_key]  # rotation: the new key goes in front
    after = audit_record(actor=None, action="tests.rotation.after")
    assert (before.key_id, after.key_id) == ("t1", "t2")
    assert verify_chain() is None
    settings.AUDIT_HMAC_KEYS = [new_key]  # the old key dropped too early
    problem = verify_chain()
    assert problem is not None and problem.event_id == before.pk
    assert "unknown key" in problem.reason


@pytest.mark.django_db
def test_it_refuses_to_write_an_unsigned_event(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.AUDIT_HMAC_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="AUDIT_HMAC_KEYS"):
        audit_record(actor=None, action="tests.thing.x")
