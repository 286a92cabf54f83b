"""The item state machine (R5): one transition table, a guard per edge, and the only function
that writes `Item.status`: `item_transition`.

open → in progress (work started: a measure moves, evidence arrives)
in progress → rectified (the unit submits for acceptance, with a note: an AcceptanceAttempt)
rectified → accepted (the supervising office accepts: the three don'ts must all hold)
rectified → in progress (the office returns it, with a reason kept on the attempt)

The closure gate (三个不放过) is a guard passed in by the caller (remediation.services),
so this module stays free of the queries that gather its facts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify import figures
from rectify.audit import audit_record
from rectify.models import AuditVerb

from .models import Item, ItemStatus

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import AnyUser

S = ItemStatus

TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.IN_PROGRESS, S.RECTIFIED},
    S.IN_PROGRESS: {S.RECTIFIED},
    S.RECTIFIED: {S.ACCEPTED, S.IN_PROGRESS},
    S.ACCEPTED: set(),
}

ITEM_TRANSITIONED = "remediation.item.transitioned"

ILLEGAL_MOVE = _("当前状态下不能执行此操作")


class RemediationError(Exception):
    """Base of every refusal in remediation; `str(exc)` is a message fit for the user."""


class ItemWorkflowError(RemediationError):
    """An illegal move, or a move whose conditions are not met (listed in `reasons`)."""

    def __init__(self, message: str, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.reasons = reasons or []


def allowed(item: Item, to: str) -> bool:
    return to in TRANSITIONS.get(item.status, set())


def item_transition(
    item: Item,
    to: str,
    *,
    actor: AnyUser,
    request: HttpRequest | None = None,
    guard: Callable[[Item], list[str]] | None = None,
    data: dict | None = None,
) -> Item:
    """Move `item` to `to`: the edge must exist and `guard(item)` (if any) must return no
    missing condition; the row is locked, timestamps set, the change audited."""
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if not allowed(locked, to):
            raise ItemWorkflowError(ILLEGAL_MOVE)
        if guard is not None:
            missing = guard(locked)
            if missing:
                raise ItemWorkflowError(_("不能验收：") + "；".join(missing), missing)
        now = timezone.now()
        before = locked.status
        locked.status = to
        locked.updated_at = now
        fields = ["status", "updated_at"]
        if to == S.RECTIFIED:
            locked.rectified_at = now
            fields.append("rectified_at")
        if to == S.ACCEPTED:
            locked.accepted_at = now
            locked.accepted_by = actor if getattr(actor, "is_authenticated", False) else None
            fields += ["accepted_at", "accepted_by"]
        locked.save(update_fields=fields)
        figures.touch("rm", [locked.unit_id])
        audit_record(
            actor=actor,
            action=ITEM_TRANSITIONED,
            verb=AuditVerb.CHANGE,
            target=locked,
            data={"from": before, "to": to, **(data or {})},
            request=request,
        )
    for name in fields:
        setattr(item, name, getattr(locked, name))
    return item
