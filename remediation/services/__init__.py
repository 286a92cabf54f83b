"""Write side of remediation: every change goes through a function here. Keyword-only
`<entity>_<verb>` functions, atomic, checked before saving, every change audited; status
moves only through remediation.workflow.item_transition."""

from __future__ import annotations

# Plans, items, measures, evidence, documents.
from .documents import DocumentError, document_record_download, document_store
from .items import (
    NUMBER_TAKEN,
    RESPONSIBLE_UNIT_OUTSIDE,
    ItemError,
    item_create,
    item_next_number,
    item_number_prefix,
    item_update,
)
from .measures import (
    EVIDENCE_REVIEWED_ALREADY,
    ITEM_ACCEPTED,
    REJECT_NEEDS_NOTE,
    MeasureError,
    evidence_add,
    evidence_review,
    measure_add,
    measure_note_add,
    measure_update,
)
from .plans import (
    PLAN_DATES_REVERSED,
    PLAN_EXISTS,
    PLAN_FIELDS,
    PlanError,
    plan_create,
    plan_update,
)

__all__ = [
    "EVIDENCE_REVIEWED_ALREADY",
    "ITEM_ACCEPTED",
    "NUMBER_TAKEN",
    "PLAN_DATES_REVERSED",
    "PLAN_EXISTS",
    "PLAN_FIELDS",
    "REJECT_NEEDS_NOTE",
    "RESPONSIBLE_UNIT_OUTSIDE",
    "DocumentError",
    "ItemError",
    "MeasureError",
    "PlanError",
    "document_record_download",
    "document_store",
    "evidence_add",
    "evidence_review",
    "item_create",
    "item_next_number",
    "item_number_prefix",
    "item_update",
    "measure_add",
    "measure_note_add",
    "measure_update",
    "plan_create",
    "plan_update",
]
