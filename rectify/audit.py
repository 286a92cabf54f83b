"""The one way to write the audit trail: `audit_record(...)`.

Every event's hash covers its content and the previous event's hash. Appends are
serialised (a PostgreSQL advisory lock; SQLite takes its write lock at BEGIN IMMEDIATE),
so two concurrent requests can never chain onto the same predecessor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from .models import AuditEvent, AuditVerb

GENESIS_HASH = "0" * 64
_ADVISORY_LOCK_KEY = 7_040_211  # arbitrary, constant: "the audit chain"


def _client_ip(request) -> str | None:
    if request is None or not settings.AUDIT_KEEP_IP:
        return None
    from .net import client_ip

    return client_ip(request)


def event_digest(
    *, at, actor_id, actor_repr, verb, action, object_type, object_id, summary, ip, prev_hash
) -> str:
    payload = json.dumps(
        {
            "at": at.isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "actor_repr": actor_repr,
            "verb": verb,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "summary": summary,
            "ip": ip,
            "prev": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _normalise(summary: Any) -> Any:
    # Round-trip through JSON so the hash is computed over exactly what the DB stores.
    return json.loads(json.dumps(summary or {}, ensure_ascii=False, default=str))


def audit_record(
    *,
    actor,
    action: str,
    verb: str = AuditVerb.OTHER,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    data: dict | None = None,
    request=None,
) -> AuditEvent:
    """Append one event. `action` is a dotted code (`leads.lead.read`); `data` a small dict."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        prev = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        prev_hash = prev or GENESIS_HASH
        at = timezone.now()
        summary = _normalise(data)
        ip = _client_ip(request)
        fields = {
            "at": at,
            "actor_id": user.pk if user else None,
            "actor_repr": (user.get_username() if user else str(actor or ""))[:150],
            "verb": str(verb),
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "summary": summary,
            "ip": ip,
        }
        digest = event_digest(**fields, prev_hash=prev_hash)
        return AuditEvent.objects.create(**fields, prev_hash=prev_hash, hash=digest)


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    reason: str


def iter_chain_problems(batch: int = 5000) -> Iterator[ChainProblem]:
    """Walk the chain in id order; yield each event whose content or link does not match."""
    expected_prev = GENESIS_HASH
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        for event in rows:
            if event.prev_hash != expected_prev:
                yield ChainProblem(
                    event.id, "the event before it was removed or altered (broken link)"
                )
            recomputed = event_digest(
                at=event.at,
                actor_id=event.actor_id,
                actor_repr=event.actor_repr,
                verb=event.verb,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                summary=event.summary,
                ip=event.ip,
                prev_hash=event.prev_hash,
            )
            if recomputed != event.hash:
                yield ChainProblem(event.id, "its content was altered (hash mismatch)")
            expected_prev = event.hash
            last_id = event.id


def verify_chain() -> ChainProblem | None:
    """The first problem in the chain, or None when it is intact."""
    return next(iter_chain_problems(), None)
