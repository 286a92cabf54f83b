"""The lead state machine (STYLE.md §2): one transition table, guards per edge, and the only
function that writes `Lead.status`: `lead_transition`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify.audit import audit_record
from rectify.models import AuditVerb

from .audit import LEAD_TRANSITIONED
from .figures import touch_leads
from .models import (
    UNSCREENED,
    EventKind,
    Lead,
    LeadConclusion,
    LeadEvent,
    LeadStatus,
    Signature,
    SignatureRole,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import AnyUser

S = LeadStatus

TRANSITIONS: dict[str, set[str]] = {
    S.UNREGISTERED: {S.REGISTERED, S.CLOSED, S.MERGED},
    S.REGISTERED: {S.HANDLING, S.HELD, S.TRANSFERRED, S.MERGED, S.CLOSED},
    S.HELD: {S.HANDLING, S.TRANSFERRED, S.MERGED, S.CLOSED},
    S.HANDLING: {S.SIGNING, S.CONCLUDED, S.TRANSFERRED, S.HELD},
    S.TRANSFERRED: {S.CONCLUDED},
    S.SIGNING: {S.CONCLUDED, S.HANDLING},
    S.CONCLUDED: {S.CROSSED_OFF},
    S.CROSSED_OFF: set(),
    S.MERGED: set(),
    S.CLOSED: set(),
}

# Constant messages (shown to the user as they are).
ILLEGAL_MOVE = _("当前状态下不能执行此操作")
REASON_REQUIRED = _("此操作必须填写理由")
NEEDS_HANDLER = _("交办须指定承办单位、承办人和办理期限")
NEEDS_TRANSFER_BODY = _("移交须填写接收机关和移交日期")
NEEDS_MERGE_TARGET = _("并案须指定主线索")
NEEDS_CONCLUSION = _("办结须填写办理结论和办理结果")
NEEDS_TWO_SIGNATURES = _("查否结论须经承办人和承办单位主要负责人分别签字背书后才能生效")
NEEDS_DISPOSITION = _("查实或部分查实的线索须选择处理形态（四种形态）")
NEEDS_DEALT_WITH = _("查实或部分查实的线索须填写处理人员及处理情况")
NOT_UNFOUNDED = _("只有查否结论需要签字背书")
NOT_CONCLUDED = _("只有已办结的线索才能销号")
ARCHIVED = _("线索已归档，只读，不能修改")


class LeadError(Exception):
    """Any refusal of the leads app (STYLE.md §8); `str(exc)` is a Chinese message fit for
    the user. Views catch this when they mean any refusal."""


class LeadWorkflowError(LeadError):
    """An illegal move; `str(exc)` is a constant message fit for the user."""


def live_signatures(lead: Lead) -> dict[str, Signature]:
    """Signatures that are not voided and bind the lead's current conclusion text."""
    return {
        s.role: s
        for s in Signature.objects.filter(lead=lead, voided_at__isnull=True)
        if s.binds(lead)
    }


def needs_two_signatures(lead: Lead) -> str | None:
    sigs = live_signatures(lead)
    if SignatureRole.HANDLER not in sigs or SignatureRole.UNIT_HEAD not in sigs:
        return NEEDS_TWO_SIGNATURES
    return None


def _to_handling(lead: Lead, reason: str) -> str | None:
    if not (lead.handling_unit_id and lead.handler_id and lead.deadline):
        return NEEDS_HANDLER
    if lead.status == S.SIGNING and not reason:
        return REASON_REQUIRED
    return None


def _to_transferred(lead: Lead, reason: str) -> str | None:
    return None if lead.transfer_body and lead.transfer_date else NEEDS_TRANSFER_BODY


def _to_merged(lead: Lead, reason: str) -> str | None:
    return None if lead.merged_into_id else NEEDS_MERGE_TARGET


def _reason(lead: Lead, reason: str) -> str | None:
    return None if (reason or "").strip() else REASON_REQUIRED


def _to_signing(lead: Lead, reason: str) -> str | None:
    if lead.conclusion != LeadConclusion.UNFOUNDED:
        return NOT_UNFOUNDED
    return None if lead.result.strip() else NEEDS_CONCLUSION


def _to_concluded(lead: Lead, reason: str) -> str | None:
    if not lead.conclusion or not lead.result.strip():
        return NEEDS_CONCLUSION
    if lead.conclusion == LeadConclusion.UNFOUNDED:
        return needs_two_signatures(lead)
    if lead.status != S.TRANSFERRED and not lead.disposition_form:
        return NEEDS_DISPOSITION
    if lead.status != S.TRANSFERRED and not lead.dealt_with.strip():
        return NEEDS_DEALT_WITH
    return None


def _to_crossed_off(lead: Lead, reason: str) -> str | None:
    return None if lead.concluded_at and lead.conclusion else NOT_CONCLUDED


GUARDS: dict[str, Callable[[Lead, str], str | None]] = {
    S.HANDLING: _to_handling,
    S.TRANSFERRED: _to_transferred,
    S.MERGED: _to_merged,
    S.HELD: _reason,
    S.CLOSED: _reason,
    S.SIGNING: _to_signing,
    S.CONCLUDED: _to_concluded,
    S.CROSSED_OFF: _to_crossed_off,
}


def allowed(lead: Lead, to: str) -> bool:
    return to in TRANSITIONS.get(lead.status, set())


def lock(lead: Lead) -> Lead:
    """The lead re-read under a row lock (inside the caller's transaction)."""
    return Lead.objects.select_for_update().get(pk=lead.pk)


@transaction.atomic
def lead_transition(
    *,
    lead: Lead,
    to: str,
    actor: AnyUser | None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Lead:
    locked = lock(lead)
    if locked.archived_at and to != S.CROSSED_OFF:
        raise LeadWorkflowError(ARCHIVED)
    if not allowed(locked, to):
        if to == S.CROSSED_OFF:
            raise LeadWorkflowError(NOT_CONCLUDED)
        raise LeadWorkflowError(ILLEGAL_MOVE)
    guard = GUARDS.get(to)
    problem = guard(locked, reason) if guard else None
    if problem:
        raise LeadWorkflowError(problem)
    before = locked.status
    now = timezone.now()
    fields = ["status"]
    locked.status = to
    if before in UNSCREENED and to not in UNSCREENED and to != S.REGISTERED:
        locked.screened_at = now
        fields.append("screened_at")
    if to == S.REGISTERED and not locked.registered_at:
        locked.registered_at = now
        fields.append("registered_at")
    if to == S.CONCLUDED:
        locked.concluded_at = now
        fields.append("concluded_at")
        if locked.conclusion == LeadConclusion.UNFOUNDED:
            locked.archived_at = now
            fields.append("archived_at")
    if to == S.CROSSED_OFF:
        locked.crossed_off_at = now
        fields.append("crossed_off_at")
    if to in (S.CLOSED, S.HELD):
        locked.close_reason = reason.strip()
        fields.append("close_reason")
    locked.save(update_fields=fields)
    touch_leads([locked.pk])
    LeadEvent.objects.create(
        lead=locked,
        kind=EventKind.TRANSITION,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        text=(reason or "").strip(),
        data={"from": before, "to": to},
    )
    audit_record(
        actor=actor,
        action=LEAD_TRANSITIONED,
        verb=AuditVerb.CHANGE,
        target=locked,
        data={"from": before, "to": to, "reason": (reason or "").strip()[:200]},
        request=request,
    )
    for attr in fields + ["status"]:
        setattr(lead, attr, getattr(locked, attr))
    return locked
