"""Events written under the plain SHA-256 chain are re-chained under HMAC by 0003."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from rectify.audit import GENESIS_HASH, current_hmac_key, verify_chain
from rectify.models import AuditEvent

BEFORE = [("rectify", "0002_audit_append_only")]


def _legacy_events(n: int) -> None:
    prev = GENESIS_HASH
    with connection.cursor() as cursor:
        for i in range(n):
            at = timezone.now()
            payload = json.dumps(
                {
                    "at": at.isoformat(timespec="microseconds"),
                    "actor_id": None,
                    "actor_repr": "",
                    "verb": "other",
                    "action": f"tests.legacy.{i}",
                    "object_type": "",
                    "object_id": "",
                    "summary": {"i": i},
                    "ip": None,
                    "prev": prev,
                },
                sort_keys=True,
                ensure_ascii=False,
                separators=(",", ":"),
            )
            digest = hashlib.sha256(payload.encode()).hexdigest()
            cursor.execute(
                "INSERT INTO rectify_auditevent (at, actor_repr, verb, action, object_type,"
                " object_id, summary, prev_hash, hash) VALUES (%s, '', 'other', %s, '', '',"
                " %s, %s, %s)",
                [at, f"tests.legacy.{i}", json.dumps({"i": i}), prev, digest],
            )
            prev = digest


@pytest.mark.django_db(transaction=True)
def test_it_rechains_events_written_before_the_hmac_switch():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    _legacy_events(4)
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    key_id, _ = current_hmac_key()
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {key_id}
    assert AuditEvent.objects.count() == 4
    assert verify_chain() is None
    # The triggers are back: the table is append-only again.
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM rectify_auditevent")
