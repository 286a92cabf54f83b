"""Remediation in the audit trail: its action codes (`remediation.<model>.<verb>`, sorted
by model) and the one helper that audits reads of item pages and lists."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from rectify.audit import audit_record
from rectify.models import AuditEvent, AuditVerb

ACCEPTANCE_ACCEPTED = "remediation.acceptance.accepted"
ACCEPTANCE_RETURNED = "remediation.acceptance.returned"
ACCEPTANCE_SUBMITTED = "remediation.acceptance.submitted"
ACCOUNTABILITY_RECORDED = "remediation.accountability.recorded"
ITEM_ESCALATED = "remediation.item.escalated"
ITEM_READ = "remediation.item.read"
ITEM_SURVEY_WAIVED = "remediation.item.survey_waived"
PLAN_CREATED = "remediation.plan.created"
REMINDER_SENT = "remediation.reminder.sent"


def audit_read(
    *,
    actor: object,
    action: str,
    request: HttpRequest | None = None,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    data: dict | None = None,
    verb: str = AuditVerb.READ,
) -> AuditEvent:
    """Record that `actor` read (or, with verb EXPORT, exported) remediation data."""
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
