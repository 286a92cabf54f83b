"""The leads app in the audit trail: its action codes (`leads.<model>.<verb>`, constants so
they can be grepped) and the helpers that audit reads and exports, as selfcheck/audit.py
does. Codes already recorded keep their spelling: the trail is append-only, and the audit
log page (rectify/audit_display.py) names each code. Refused lookups are recorded by
rectify.access.audited_lookup as `leads.lead.denied`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models

from rectify.audit import audit_read  # the app's views call it from here
from rectify.models import AuditEvent

from .models import EventKind

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import AnyUser

# --- a lead: intake, handling, supervision ----------------------------------------------
LEAD_PUBLIC_SUBMITTED = "leads.lead.public_submitted"
LEAD_REGISTERED = "leads.lead.registered"
LEAD_IMPORTED = "leads.lead.imported"
LEAD_IMPORT_UPDATED = "leads.lead.import_updated"
LEAD_EDITED = "leads.lead.edited"
LEAD_SUBJECT_CONFIRMED = "leads.lead.subject_confirmed"
LEAD_SUBJECT_RULED_OUT = "leads.lead.subject_ruled_out"
LEAD_TRANSITIONED = "leads.lead.transitioned"
LEAD_REASSIGNED = "leads.lead.reassigned"
LEAD_CONFLICT_OVERRIDDEN = "leads.lead.conflict_overridden"
LEAD_CONCLUSION_EDITED = "leads.lead.conclusion_edited"
LEAD_SIGNED = "leads.lead.signed"
LEAD_REPLIED = "leads.lead.replied"
LEAD_REPORTER_MESSAGE = "leads.lead.reporter_message"
LEAD_REPORTER_RATED = "leads.lead.reporter_rated"
LEAD_JURISDICTION_CHANGED = "leads.lead.jurisdiction_changed"
LEAD_SUPERVISION_LISTED = "leads.lead.supervision_listed"
LEAD_SUPERVISION_UNLISTED = "leads.lead.supervision_unlisted"
# A timeline entry of each kind (lead_add_event): the code is the kind's value.
LEAD_EVENT_ADDED: dict[str, str] = {
    EventKind.NOTE: "leads.lead.note",
    EventKind.VERIFICATION: "leads.lead.verification",
    EventKind.CONSULTATION: "leads.lead.consultation",
    EventKind.SUPERVISION: "leads.lead.supervision",
    EventKind.RISK: "leads.lead.risk",
}

# --- reads and exports of leads (audit_read, audit_list_read) ---------------------------
LEAD_READ = "leads.lead.read"
LEAD_ORIGINAL_READ = "leads.lead.original_read"
LEAD_MERGED_READ = "leads.lead.merged_read"
LEAD_REPORTER_REVEALED = "leads.lead.reporter_revealed"
LEAD_ARCHIVE_PRINTED = "leads.lead.archive_printed"
LEAD_CONFLICTS_CHECKED = "leads.lead.conflicts_checked"
INTAKE_READ = "leads.intake.read"
LEDGER_READ = "leads.ledger.read"
LEDGER_EXPORTED = "leads.ledger.exported"
MY_WORK_READ = "leads.my_work.read"
SIMILAR_READ = "leads.similar.read"
SCREENING_READ = "leads.screening.read"  # recorded as leads.screening.viewed until issue 11
OVERSIGHT_READ = "leads.oversight.read"

# --- risk notes, escalations, accountability (L10, L11) ---------------------------------
RISKNOTE_CREATED = "leads.risknote.created"
RISKNOTE_READ = "leads.risknote.read"
RISKNOTE_LIST_READ = "leads.risknote.list_read"
ESCALATION_CREATED = "leads.escalation.created"
ACCOUNTABILITY_CREATED = "leads.accountability.created"

# --- attachments, ledger imports, reporter keys -----------------------------------------
ATTACHMENT_ADDED = "leads.attachment.added"
ATTACHMENT_REMOVED = "leads.attachment.removed"
ATTACHMENT_READ = "leads.attachment.read"
IMPORT_UPLOADED = "leads.import.uploaded"
IMPORT_CONFIRMED = "leads.import.confirmed"
IMPORT_CANCELLED = "leads.import.cancelled"
IMPORT_ERRORS_EXPORTED = "leads.import.errors_exported"
REPORTER_KEYS_ROTATED = "leads.reporter_keys.rotated"


def audit_list_read(
    *,
    actor: AnyUser,
    action: str,
    objects: Iterable[models.Model],
    object_type: str = "leads.lead",
    request: HttpRequest | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """A list that shows the content of several objects (leads by default) is a read of
    each of them: one event, their ids in `data["ids"]` beside `data`."""
    return audit_read(
        actor=actor,
        action=action,
        object_type=object_type,
        data={"ids": [obj.pk for obj in objects], **(data or {})},
        request=request,
    )
