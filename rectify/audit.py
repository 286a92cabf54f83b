"""The one way to write the audit trail: `audit_record(...)`.

Every event carries an HMAC-SHA256 over its content and the previous event's hash, keyed by
a secret that lives only in the environment (`AUDIT_HMAC_KEYS`, never in the database): with
write access to the table alone one can neither alter an event nor re-chain the rest
unnoticed. Each event stores the id of the key that signed it, so a rotated-out key keeps
verifying the events it signed. Appends are serialised (a PostgreSQL advisory lock; SQLite
takes its write lock at BEGIN IMMEDIATE), so two concurrent requests can never chain onto
the same predecessor.

Deleting the newest events needs no re-chaining, so the chain head (id, hash) is anchored
outside the database on a schedule (`audit_anchor_head`: an append-only file under
`AUDIT_ANCHOR_DIR` plus a log line) and `verify_audit` compares the table with every anchor.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.utils import timezone

from .models import AuditEvent, AuditVerb
from .net import client_ip

if TYPE_CHECKING:
    import datetime as dt

    from django.http import HttpRequest

    from rectify.models import AnyUser

GENESIS_HASH = "0" * 64
_ADVISORY_LOCK_KEY = 7_040_211  # arbitrary, constant: "the audit chain"
ANCHOR_FILE_NAME = "audit-anchor.jsonl"
KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
# Shorter secrets are refused: the HMAC is only as strong as its key.
MIN_KEY_BYTES = 32

anchor_logger = logging.getLogger("rectify.audit.anchor")


def parse_hmac_keys(raw: list[str]) -> list[tuple[str, bytes]]:
    """`["id:secret", ...]` (newest first) as `[(id, secret bytes)]`; loud on bad entries."""
    keys: list[tuple[str, bytes]] = []
    for entry in raw:
        key_id, sep, secret = entry.partition(":")
        if not sep or not KEY_ID_RE.match(key_id) or not secret:
            raise ImproperlyConfigured(
                "AUDIT_HMAC_KEYS entries are 'id:secret' (id: letters, digits, - or _, "
                "at most 16 characters)"
            )
        keys.append((key_id, secret.encode()))
    return keys


def _keys() -> list[tuple[str, bytes]]:
    return parse_hmac_keys(list(getattr(settings, "AUDIT_HMAC_KEYS", []) or []))


def current_hmac_key() -> tuple[str, bytes]:
    """The key new events are signed with: the first of AUDIT_HMAC_KEYS."""
    keys = _keys()
    if not keys:
        raise ImproperlyConfigured("AUDIT_HMAC_KEYS is empty: the audit trail cannot be signed")
    return keys[0]


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None or not settings.AUDIT_KEEP_IP:
        return None
    return client_ip(request)


def event_digest(
    *,
    at: dt.datetime,
    actor_id: int | None,
    actor_repr: str,
    verb: str,
    action: str,
    object_type: str,
    object_id: str | int,
    summary: Any,
    ip: str | None,
    prev_hash: str,
    key_id: str,
    key: bytes,
) -> str:
    """HMAC-SHA256 (hex) of the event's content, its predecessor's hash and its key id."""
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
            "key": key_id,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def _normalise(summary: Any) -> Any:
    # Round-trip through JSON so the hash is computed over exactly what the DB stores.
    return json.loads(json.dumps(summary or {}, ensure_ascii=False, default=str))


def audit_record(
    *,
    actor: AnyUser | str | None,
    action: str,
    verb: str = AuditVerb.OTHER,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    data: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event. `action` is a dotted code (`leads.lead.read`); `data` a small dict."""
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    key_id, key = current_hmac_key()
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
        digest = event_digest(**fields, prev_hash=prev_hash, key_id=key_id, key=key)
        return AuditEvent.objects.create(**fields, prev_hash=prev_hash, hash=digest, key_id=key_id)


def append_many(events: list[dict]) -> int:
    """Append a batch of events in one go (bulk generators: `generate_province`), chained
    and signed exactly as `audit_record` does one. Each dict has at, actor (a user or None),
    verb, action, object_type, object_id and summary."""
    key_id, key = current_hmac_key()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        prev_hash = (
            AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
            or GENESIS_HASH
        )
        rows = []
        for event in events:
            user = event.get("actor")
            fields = {
                "at": event["at"],
                "actor_id": user.pk if user else None,
                "actor_repr": (user.get_username() if user else "")[:150],
                "verb": str(event["verb"]),
                "action": event["action"],
                "object_type": event.get("object_type", ""),
                "object_id": str(event.get("object_id", "")),
                "summary": _normalise(event.get("summary")),
                "ip": None,
            }
            digest = event_digest(**fields, prev_hash=prev_hash, key_id=key_id, key=key)
            rows.append(AuditEvent(**fields, prev_hash=prev_hash, hash=digest, key_id=key_id))
            prev_hash = digest
        AuditEvent.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


# --- anchoring the head outside the database -------------------------------------------


@dataclass(frozen=True)
class Anchor:
    event_id: int
    hash: str


def audit_read(
    *,
    actor: AnyUser | str | None,
    action: str,
    request: HttpRequest | None = None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    data: dict | None = None,
    verb: str = AuditVerb.READ,
) -> AuditEvent:
    """Record that `actor` read (or, with verb EXPORT, exported) case data: every app's
    audited page reads, list reads (with the ids shown), downloads and exports. The apps
    re-export it from their own audit module beside their action-code constants."""
    return audit_record(
        actor=actor,
        action=action,
        verb=verb,
        target=target,
        object_type=object_type,
        object_id=object_id,
        data=data,
        request=request,
    )


def anchor_path() -> Path | None:
    directory = getattr(settings, "AUDIT_ANCHOR_DIR", "")
    return Path(directory) / ANCHOR_FILE_NAME if directory else None


def read_anchors() -> list[Anchor]:
    """Every head anchored so far (unreadable lines are skipped: they anchor nothing)."""
    path = anchor_path()
    if path is None or not path.exists():
        return []
    anchors = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                row = json.loads(line)
                anchors.append(Anchor(int(row["id"]), str(row["hash"])))
            except (ValueError, KeyError, TypeError):
                continue
    return anchors


def audit_anchor_head() -> Anchor | None:
    """Write the chain head (id, hash) where the database cannot reach it.

    Always a log line (`rectify.audit.anchor`, meant for the central log store); with
    AUDIT_ANCHOR_DIR also a line appended to `audit-anchor.jsonl` there (O_APPEND, fsync).
    Idempotent: an unchanged head is not written twice to the file.
    """
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    if head is None:
        return None
    anchor = Anchor(head[0], head[1])
    anchor_logger.info("audit head anchored id=%s hash=%s", anchor.event_id, anchor.hash)
    path = anchor_path()
    if path is not None:
        known = read_anchors()
        if not known or known[-1] != anchor:
            path.parent.mkdir(parents=True, exist_ok=True)
            line = json.dumps(
                {"at": timezone.now().isoformat(), "id": anchor.event_id, "hash": anchor.hash}
            )
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                os.write(fd, (line + "\n").encode())
                os.fsync(fd)
            finally:
                os.close(fd)
    return anchor


# --- verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    reason: str


def iter_chain_problems(
    batch: int = 5000, anchors: list[Anchor] | None = None
) -> Iterator[ChainProblem]:
    """Walk the chain in id order; yield each event whose content, key or link does not
    match, then each anchored head the table no longer holds as anchored (truncation)."""
    keys = dict(_keys())
    anchored = {a.event_id: a.hash for a in (read_anchors() if anchors is None else anchors)}
    expected_prev = GENESIS_HASH
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for event in rows:
            if event.prev_hash != expected_prev:
                yield ChainProblem(
                    event.id, "the event before it was removed or altered (broken link)"
                )
            key = keys.get(event.key_id)
            if key is None:
                yield ChainProblem(event.id, f"signed with an unknown key ({event.key_id!r})")
            else:
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
                    key_id=event.key_id,
                    key=key,
                )
                if not hmac.compare_digest(recomputed, event.hash):
                    yield ChainProblem(event.id, "its content was altered (hash mismatch)")
            if event.id in anchored and anchored.pop(event.id) != event.hash:
                yield ChainProblem(event.id, "it differs from the anchored head (rewritten)")
            expected_prev = event.hash
            last_id = event.id
    # Whatever anchor is left names an event that is gone.
    for event_id in sorted(anchored):
        if event_id > last_id:
            reason = f"the newest events were removed (anchored head #{event_id}, last #{last_id})"
        else:
            reason = "an anchored event was removed"
        yield ChainProblem(event_id, reason)


def verify_chain() -> ChainProblem | None:
    """The first problem in the chain, or None when it is intact."""
    return next(iter_chain_problems(), None)
