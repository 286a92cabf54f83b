"""Special remediation in the audit trail: its action codes (`remediation.<model>.<verb>`,
constants, sorted by model so that parts added by other engineers merge cleanly) and the one
helper that audits reads and exports of item pages, lists and files."""

from __future__ import annotations

from rectify.audit import audit_read  # noqa: F401  (the app's views call it from here)

# --- acceptance, accountability, items, plans, reminders (R5, R6) ---
ACCEPTANCE_ACCEPTED = "remediation.acceptance.accepted"
ACCEPTANCE_RETURNED = "remediation.acceptance.returned"
ACCEPTANCE_SUBMITTED = "remediation.acceptance.submitted"
ACCOUNTABILITY_RECORDED = "remediation.accountability.recorded"
COMMITMENT_CHANGED = "remediation.commitment.changed"
COMMITMENT_CREATED = "remediation.commitment.created"
COMMITMENT_LIST_READ = "remediation.commitment.list_read"
DOCUMENT_DOWNLOADED = "remediation.document.downloaded"
EVIDENCE_ADDED = "remediation.evidence.added"
EVIDENCE_REVIEWED = "remediation.evidence.reviewed"
ITEM_CHANGED = "remediation.item.changed"
ITEM_CREATED = "remediation.item.created"
ITEM_ESCALATED = "remediation.item.escalated"
ITEM_EXPORTED = "remediation.item.exported"
ITEM_IMPORTED = "remediation.item.imported"
ITEM_LIST_READ = "remediation.item.list_read"
ITEM_READ = "remediation.item.read"
ITEM_SURVEY_WAIVED = "remediation.item.survey_waived"
LIST_IMPORT_CANCELLED = "remediation.list_import.cancelled"
LIST_IMPORT_CONFIRMED = "remediation.list_import.confirmed"
LIST_IMPORT_ERRORS_EXPORTED = "remediation.list_import.errors_exported"
LIST_IMPORT_UPLOADED = "remediation.list_import.uploaded"
MEASURE_ADDED = "remediation.measure.added"
MEASURE_CHANGED = "remediation.measure.changed"
MEASURE_NOTE_ADDED = "remediation.measure.note_added"
PLAN_CHANGED = "remediation.plan.changed"
PLAN_CREATED = "remediation.plan.created"
PLAN_LIST_READ = "remediation.plan.list_read"
PLAN_READ = "remediation.plan.read"
MATTER_COMPLETED = "remediation.practicalmatter.completed"
MATTER_CREATED = "remediation.practicalmatter.created"
MATTER_EVIDENCE_READ = "remediation.practicalmatter.evidence_read"
MATTER_LIST_READ = "remediation.practicalmatter.list_read"
REMINDER_SENT = "remediation.reminder.sent"
SURVEY_BATCH_CREATED = "remediation.surveybatch.created"
SURVEY_RESPONSE_CREATED = "remediation.surveyresponse.created"
SURVEY_RESULTS_READ = "remediation.surveyresponse.results_read"
TYPICAL_CASE_APPROVED = "remediation.typicalcase.approved"
TYPICAL_CASE_CREATED = "remediation.typicalcase.created"
TYPICAL_CASE_READ = "remediation.typicalcase.read"
TYPICAL_CASE_REJECTED = "remediation.typicalcase.rejected"
TYPICAL_CASE_SUBMITTED = "remediation.typicalcase.submitted"

# --- documents (plan documents, evidence files, rule documents) ---
DOCUMENT_DOWNLOADED = "remediation.document.downloaded"

# --- meetings (O3) ---
MEETING_CREATED = "remediation.meeting.created"
MEETING_LIST_READ = "remediation.meeting.list_read"
MEETING_READ = "remediation.meeting.read"
MEETING_UPDATED = "remediation.meeting.updated"

# --- rotations (R8) ---
ROTATION_APPLIED = "remediation.rotation.applied"
ROTATION_CREATED = "remediation.rotation.created"
ROTATION_LIST_READ = "remediation.rotation.list_read"
ROTATION_OVERDUE_READ = "remediation.rotation.overdue_read"
ROTATION_READ = "remediation.rotation.read"

# --- rules (R7) ---
RULE_CREATED = "remediation.rule.created"
RULE_ISSUED = "remediation.rule.issued"
RULE_LIST_READ = "remediation.rule.list_read"
RULE_READ = "remediation.rule.read"
RULE_REPEALED = "remediation.rule.repealed"
RULE_REVISED = "remediation.rule.revised"
RULE_UPDATED = "remediation.rule.updated"
