"""Triage (L4): transfer and its feedback, assigning a handler, merging, holding, closing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify.audit import audit_record
from rectify.models import AuditVerb, Officer, Unit

from ..audit import LEAD_CONFLICT_OVERRIDDEN, LEAD_REASSIGNED
from ..figures import touching
from ..models import (
    EventKind,
    Lead,
)
from ..rules import conflicts
from ..workflow import (
    LeadWorkflowError,
    lead_transition,
    lock,
)
from .common import (
    DEADLINE_IN_PAST,
    EMPTY_TEXT,
    HANDLER_NOT_IN_UNIT,
    MERGE_INTO_MERGED,
    MERGE_INTO_UNREGISTERED,
    MERGE_SELF,
    S,
    _ensure_writable,
    _event,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import User

# --- triage (L4) ----------------------------------------------------------------------


@transaction.atomic
def lead_transfer(
    *,
    lead: Lead,
    actor: User,
    body: str,
    date: dt.date,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Lead:
    """Transfer to the discipline commission (移交纪委监委) — specific and clear leads."""
    lead = lock(lead)
    _ensure_writable(lead)
    lead.transfer_body = body.strip()
    lead.transfer_date = date
    lead.save(update_fields=["transfer_body", "transfer_date"])
    _event(lead, kind=EventKind.TRANSFER, actor=actor, text=reason, data={"body": body})
    return lead_transition(
        lead=lead, to=S.TRANSFERRED, actor=actor, reason=reason or body, request=request
    )


@transaction.atomic
def lead_transfer_feedback(
    *, lead: Lead, actor: User, feedback: str, conclusion: str, request: HttpRequest | None = None
) -> Lead:
    """What came back from the discipline commission; concludes the lead."""
    lead = lock(lead)
    if lead.status != S.TRANSFERRED:
        raise LeadWorkflowError(_("只有已移交的线索可以登记反馈"))
    if not feedback.strip():
        raise LeadWorkflowError(EMPTY_TEXT)
    lead.transfer_feedback = feedback.strip()
    lead.conclusion = conclusion
    lead.result = feedback.strip()
    lead.full_clean()
    lead.save(update_fields=["transfer_feedback", "conclusion", "result"])
    _event(lead, kind=EventKind.TRANSFER, actor=actor, text=feedback, data={"feedback": True})
    return lead_transition(lead=lead, to=S.CONCLUDED, actor=actor, reason=feedback, request=request)


@transaction.atomic
def lead_assign(
    *,
    lead: Lead,
    actor: User,
    unit: Unit,
    handler: Officer,
    deadline: dt.date,
    route: str,
    reason: str = "",
    override_reason: str = "",
    past_deadline_confirmed: bool = False,
    request: HttpRequest | None = None,
) -> Lead:
    """Assign to a unit (and handler) for verification / talk or letter inquiry / preliminary
    verification. From HANDLING it re-assigns (no status move). A handler with conflicts
    (leads.rules.conflicts) raises HandlerConflictError unless `override_reason` is given; the
    conflicts and the reason are then kept in the triage event and the audit trail. A
    deadline before today makes the lead overdue at once: only with
    `past_deadline_confirmed`."""
    if deadline < timezone.localdate() and not past_deadline_confirmed:
        raise LeadWorkflowError(DEADLINE_IN_PAST)
    lead = lock(lead)
    _ensure_writable(lead)
    if not handler.unit.path.startswith(unit.path):
        raise LeadWorkflowError(HANDLER_NOT_IN_UNIT)
    override = conflicts.require_override(
        lead=lead, handler=handler, override_reason=override_reason
    )
    lead.handling_unit = unit
    lead.handler = handler
    lead.deadline = deadline
    lead.route = route
    lead.last_activity_at = timezone.now()
    lead.full_clean()
    with touching([lead.pk]):  # the unit it counts under may change
        lead.save(
            update_fields=["handling_unit", "handler", "deadline", "route", "last_activity_at"]
        )
    _event(
        lead,
        kind=EventKind.TRIAGE,
        actor=actor,
        text=reason,
        data={
            "unit": unit.name,
            "handler": handler.name,
            "deadline": str(deadline),
            "route": route,
            **override,
        },
    )
    if override:
        audit_record(
            actor=actor,
            action=LEAD_CONFLICT_OVERRIDDEN,
            verb=AuditVerb.CHANGE,
            target=lead,
            data={"handler": handler.pk, **override},
            request=request,
        )
    if lead.status == S.HANDLING:
        audit_record(
            actor=actor,
            action=LEAD_REASSIGNED,
            verb=AuditVerb.CHANGE,
            target=lead,
            data={"unit": unit.pk, "handler": handler.pk},
            request=request,
        )
        return lead
    return lead_transition(lead=lead, to=S.HANDLING, actor=actor, reason=reason, request=request)


@transaction.atomic
def lead_merge(
    *, lead: Lead, into: Lead, actor: User, reason: str = "", request: HttpRequest | None = None
) -> Lead:
    """Merge a duplicate into its main lead. The main lead is registered and not merged
    itself (no chains): the duplicate is counted and handled with it, its reporter follows
    it (selectors.public_status), and its page lists the duplicate (selectors.merged_leads)."""
    if into.pk == lead.pk:
        raise LeadWorkflowError(MERGE_SELF)
    into = Lead.objects.get(pk=into.pk)  # its current status, not the caller's copy
    if into.status == S.MERGED:
        raise LeadWorkflowError(MERGE_INTO_MERGED)
    if into.status == S.UNREGISTERED:
        raise LeadWorkflowError(MERGE_INTO_UNREGISTERED)
    lead = lock(lead)
    _ensure_writable(lead)
    lead.merged_into = into
    lead.save(update_fields=["merged_into"])
    text = reason or _("与线索 %(n)s 重复") % {"n": into.number}
    lead = lead_transition(lead=lead, to=S.MERGED, actor=actor, reason=text, request=request)
    # On the main lead's timeline too, so whoever works it learns of the duplicate.
    _event(
        into,
        kind=EventKind.NOTE,
        actor=actor,
        text=_("重复线索 %(n)s 并入本线索") % {"n": lead.number or _("（未登记网上举报）")},
        data={"merged": lead.pk},
    )
    return lead


@transaction.atomic
def lead_hold(*, lead: Lead, actor: User, reason: str, request: HttpRequest | None = None) -> Lead:
    return lead_transition(lead=lead, to=S.HELD, actor=actor, reason=reason, request=request)


@transaction.atomic
def lead_close(*, lead: Lead, actor: User, reason: str, request: HttpRequest | None = None) -> Lead:
    """予以了结 with a recorded reason."""
    return lead_transition(lead=lead, to=S.CLOSED, actor=actor, reason=reason, request=request)
