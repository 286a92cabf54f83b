"""Re-encrypt reporter identities with the newest key (key rotation, see leads.crypto).

Rows are walked in id order in batches; each batch is read under a row lock, re-encrypted and
written with one `bulk_update` in its own short transaction, so a reporter field changed while
the command runs is never overwritten with a stale value, and no long transaction holds the
whole table. (A server-side `iterator()` cursor cannot lock rows across commits; keyset
batches can.) A value already readable with the newest key is left alone, so a second run
changes nothing: the command is idempotent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q

from rectify.audit import audit_record
from rectify.models import AuditVerb

from . import crypto
from .audit import REPORTER_KEYS_ROTATED
from .models import Lead

FIELDS = ("reporter_name_enc", "reporter_contact_enc")


@dataclass
class RotationResult:
    leads: int = 0  # leads holding at least one encrypted value
    rotated: int = 0  # values re-encrypted with the newest key
    current: int = 0  # values already under the newest key
    unreadable: int = 0  # values no configured key can decrypt (left untouched)
    unreadable_ids: list[int] = field(default_factory=list)
    dry_run: bool = False


def _newest() -> Fernet:
    keys = settings.FIELD_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    key = keys[0]
    return Fernet(key.encode() if isinstance(key, str) else key)


def reporter_keys_rotate(*, batch_size: int = 500, dry_run: bool = False) -> RotationResult:
    """Re-encrypt every stored reporter name and contact with the newest key."""
    newest = _newest()
    result = RotationResult(dry_run=dry_run)
    encrypted = Lead.objects.filter(~Q(reporter_name_enc="") | ~Q(reporter_contact_enc=""))
    last_id = 0
    while True:
        with transaction.atomic():
            batch = encrypted.filter(id__gt=last_id).order_by("id").only("id", *FIELDS)
            if not dry_run:
                batch = batch.select_for_update()
            rows = list(batch[:batch_size])
            if not rows:
                break
            changed = []
            for lead in rows:
                result.leads += 1
                dirty = False
                for name in FIELDS:
                    token = getattr(lead, name)
                    if not token:
                        continue
                    try:
                        newest.decrypt(token.encode())
                    except InvalidToken:
                        pass
                    else:
                        result.current += 1
                        continue
                    try:
                        setattr(lead, name, crypto.rotate(token))
                    except InvalidToken:
                        result.unreadable += 1
                        result.unreadable_ids.append(lead.pk)
                        continue
                    result.rotated += 1
                    dirty = True
                if dirty:
                    changed.append(lead)
            if changed and not dry_run:
                Lead.objects.bulk_update(changed, FIELDS, batch_size=batch_size)
            last_id = rows[-1].pk
    if not dry_run:
        audit_record(
            actor=None,
            action=REPORTER_KEYS_ROTATED,
            verb=AuditVerb.CHANGE,
            object_type="leads.lead",
            data={k: v for k, v in asdict(result).items() if k != "unreadable_ids"},
        )
    return result
