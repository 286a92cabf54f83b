"""Handling (L7, L9, L5): timeline events, the conclusion and its signatures, crossing off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify.audit import audit_record
from rectify.models import AuditVerb

from ..access import is_unit_head_of
from ..audit import LEAD_CONCLUSION_EDITED, LEAD_CONFLICT_OVERRIDDEN, LEAD_EVENT_ADDED, LEAD_SIGNED
from ..figures import touch_leads
from ..models import (
    EventKind,
    Lead,
    LeadConclusion,
    LeadEvent,
    Signature,
    SignatureRole,
)
from ..rules import conflicts
from ..workflow import (
    LeadWorkflowError,
    lead_transition,
    live_signatures,
    lock,
)
from .common import (
    ALREADY_SIGNED,
    CONSULTATION_NEEDS_CONCLUSION,
    CONSULTATION_NEEDS_PARTICIPANTS,
    EMPTY_TEXT,
    HANDLER_CANNOT_SIGN_AS_HEAD,
    NOT_HANDLER,
    NOT_SIGNING,
    NOT_UNIT_HEAD,
    S,
    _ensure_writable,
    _event,
    _touch,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import User

# --- handling (L7, L11) ---------------------------------------------------------------

TIMELINE_KINDS = (
    EventKind.NOTE,
    EventKind.VERIFICATION,
    EventKind.CONSULTATION,
    EventKind.SUPERVISION,
    EventKind.RISK,
)


@transaction.atomic
def lead_add_event(
    *,
    lead: Lead,
    actor: User,
    kind: str,
    text: str,
    participants: str = "",
    conclusion: str = "",
    request: HttpRequest | None = None,
) -> LeadEvent:
    """A timeline entry (L7). A consultation (会商) needs its participants and its conclusion
    (kept in `data["conclusion"]`). A supervision note (督办) urges the handler; it is not
    handling work, so unlike the other kinds it does not reset the L10 untouched clock."""
    if kind not in TIMELINE_KINDS:
        raise LeadWorkflowError(_("不支持的记录类型"))
    if not text.strip():
        raise LeadWorkflowError(EMPTY_TEXT)
    if kind == EventKind.CONSULTATION:
        if not participants.strip():
            raise LeadWorkflowError(CONSULTATION_NEEDS_PARTICIPANTS)
        if not conclusion.strip():
            raise LeadWorkflowError(CONSULTATION_NEEDS_CONCLUSION)
    _ensure_writable(lead)
    event = _event(
        lead,
        kind=kind,
        actor=actor,
        text=text.strip(),
        participants=participants.strip(),
        data={"conclusion": conclusion.strip()} if conclusion.strip() else None,
    )
    if kind != EventKind.SUPERVISION:
        _touch(lead)
    audit_record(
        actor=actor,
        action=LEAD_EVENT_ADDED[kind],
        verb=AuditVerb.CHANGE,
        target=lead,
        data={"event": event.pk},
        request=request,
    )
    return event


# --- conclusion, signatures (L9), crossing off (L5) -------------------------------------


def _void_signatures(lead: Lead, actor: User) -> int:
    n = Signature.objects.filter(lead=lead, voided_at__isnull=True).update(voided_at=timezone.now())
    if n:
        _event(lead, kind=EventKind.SIGNATURE, actor=actor, text=_("结论已修改，原签字作废"))
    return n


@transaction.atomic
def lead_conclude(
    *,
    lead: Lead,
    actor: User,
    conclusion: str,
    result: str,
    disposition_form: str = "",
    dealt_with: str = "",
    request: HttpRequest | None = None,
) -> Lead:
    """Record the conclusion. Substantiated ones conclude at once, with the four forms and
    the persons dealt with; an unfounded one waits for the two signatures (any edit of its
    text voids the signatures already given)."""
    lead = lock(lead)
    _ensure_writable(lead)
    if lead.status not in (S.HANDLING, S.SIGNING):
        raise LeadWorkflowError(_("只有办理中的线索可以填写办理结论"))
    if conclusion == LeadConclusion.UNFOUNDED:
        disposition_form = dealt_with = ""
    changed = (lead.conclusion, lead.result, lead.disposition_form) != (
        conclusion,
        result.strip(),
        disposition_form,
    )
    lead.conclusion = conclusion
    lead.result = result.strip()
    lead.disposition_form = disposition_form
    lead.dealt_with = (dealt_with or "").strip()
    lead.last_activity_at = timezone.now()
    lead.full_clean()
    lead.save(
        update_fields=[
            "conclusion",
            "result",
            "disposition_form",
            "dealt_with",
            "last_activity_at",
        ]
    )
    touch_leads([lead.pk])
    if changed:
        _void_signatures(lead, actor)
        _event(
            lead,
            kind=EventKind.CONCLUSION,
            actor=actor,
            text=lead.result,
            data={
                "conclusion": conclusion,
                "form": disposition_form,
                "dealt_with": lead.dealt_with,
            },
        )
    if conclusion == LeadConclusion.UNFOUNDED:
        if lead.status == S.HANDLING:
            return lead_transition(lead=lead, to=S.SIGNING, actor=actor, request=request)
        audit_record(
            actor=actor,
            action=LEAD_CONCLUSION_EDITED,
            verb=AuditVerb.CHANGE,
            target=lead,
            request=request,
        )
        return lead
    if lead.status == S.SIGNING:
        lead_transition(
            lead=lead, to=S.HANDLING, actor=actor, reason=_("结论改为非查否"), request=request
        )
    return lead_transition(lead=lead, to=S.CONCLUDED, actor=actor, request=request)


@transaction.atomic
def lead_sign(
    *,
    lead: Lead,
    actor: User,
    role: str,
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> Signature:
    """Sign the current unfounded conclusion as handler or as the handling unit's head, each
    with one's own account. When both live signatures bind the text, the lead concludes and
    is archived read-only. The unit head's signature is checked against the conflict rules
    (leads.rules.conflicts) like the handler's assignment: with conflicts it raises
    HandlerConflictError unless `override_reason` is given, which is then recorded with the
    signature (timeline and audit)."""
    lead = lock(lead)
    if lead.status != S.SIGNING:
        raise LeadWorkflowError(NOT_SIGNING)
    handler_user_id = lead.handler.user_id if lead.handler_id else None
    if role == SignatureRole.HANDLER:
        if handler_user_id is None or actor.pk != handler_user_id:
            raise LeadWorkflowError(NOT_HANDLER)
    elif role == SignatureRole.UNIT_HEAD:
        if actor.pk == handler_user_id:
            raise LeadWorkflowError(HANDLER_CANNOT_SIGN_AS_HEAD)
        if not is_unit_head_of(actor, lead.handling_unit):
            raise LeadWorkflowError(NOT_UNIT_HEAD)
    else:
        raise LeadWorkflowError(_("签字身份无效"))
    live = live_signatures(lead)
    if role in live:
        raise LeadWorkflowError(ALREADY_SIGNED)
    override: dict = {}
    signer_officer = getattr(actor, "officer", None)
    if role == SignatureRole.UNIT_HEAD and signer_officer is not None:
        # L9: the second signature is a check on the handler's work; a head tied to the
        # subject (same organ, declared ties) is warned and must say why he signs anyway.
        override = conflicts.require_override(
            lead=lead,
            handler=signer_officer,
            override_reason=override_reason,
            role=conflicts.ROLE_UNIT_HEAD,
        )
    # A stale (non-binding) signature for this role is voided before signing again.
    Signature.objects.filter(lead=lead, role=role, voided_at__isnull=True).update(
        voided_at=timezone.now()
    )
    officer = getattr(actor, "officer", None)
    sig = Signature(
        lead=lead,
        role=role,
        signer=actor,
        signer_name=officer.name if officer else actor.get_username(),
        text_hash=lead.conclusion_hash(),
    )
    sig.full_clean()
    sig.save()
    _event(
        lead,
        kind=EventKind.SIGNATURE,
        actor=actor,
        text=sig.get_role_display(),
        data={"role": role, "hash": sig.text_hash, **override},
    )
    audit_record(
        actor=actor,
        action=LEAD_SIGNED,
        verb=AuditVerb.CHANGE,
        target=lead,
        data={"role": role, "hash": sig.text_hash},
        request=request,
    )
    if override:
        audit_record(
            actor=actor,
            action=LEAD_CONFLICT_OVERRIDDEN,
            verb=AuditVerb.CHANGE,
            target=lead,
            data={"signer": signer_officer.pk, "role": role, **override},
            request=request,
        )
    live = live_signatures(lead)
    if SignatureRole.HANDLER in live and SignatureRole.UNIT_HEAD in live:
        lead_transition(lead=lead, to=S.CONCLUDED, actor=actor, request=request)
    return sig


@transaction.atomic
def lead_cross_off(*, lead: Lead, actor: User, request: HttpRequest | None = None) -> Lead:
    """销号: only a concluded lead."""
    return lead_transition(lead=lead, to=S.CROSSED_OFF, actor=actor, request=request)
