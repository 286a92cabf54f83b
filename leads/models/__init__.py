"""Lead ledger models (组织查处, DOMAIN.md §4), one module per topic, re-exported here so
`from leads.models import Lead` keeps working.

`Lead.status` is written only by `leads.workflow.lead_transition` (STYLE.md §2). Reporter
identity is encrypted at rest (leads.crypto, MultiFernet); a public report is found again
only by the SHA-256 of its high-entropy receipt code, never by anything about the reporter.
"""

from __future__ import annotations

from .attachment import (
    LeadAttachment,
)
from .events import (
    PUBLIC_KINDS,
    EventKind,
    LeadEvent,
    Signature,
    SignatureRole,
)
from .imports import (
    ENDED_STATUSES,
    ImportStatus,
    LeadGram,
    LeadImportJob,
    LeadImportVocabulary,
)
from .lead import (
    FINAL_STATUSES,
    FOCUS_AREAS,
    OPEN_STATUSES,
    PUBLIC_CHANNEL_CODE,
    UNSCREENED,
    CandidateState,
    Channel,
    DispositionForm,
    Lead,
    LeadCategory,
    LeadConclusion,
    LeadCounter,
    LeadOriginal,
    LeadRoute,
    LeadStatus,
    LeadSubject,
    LeadSubjectCandidate,
    conclusion_hash,
    receipt_hash,
)
from .oversight import (
    Accountability,
    AccountabilityMeasure,
    Escalation,
    FlagKind,
    JurisdictionChange,
    JurisdictionKind,
    RiskLevel,
    RiskNote,
)

__all__ = [
    "Accountability",
    "AccountabilityMeasure",
    "CandidateState",
    "Channel",
    "DispositionForm",
    "ENDED_STATUSES",
    "Escalation",
    "EventKind",
    "FINAL_STATUSES",
    "FOCUS_AREAS",
    "FlagKind",
    "ImportStatus",
    "JurisdictionChange",
    "JurisdictionKind",
    "Lead",
    "LeadAttachment",
    "LeadCategory",
    "LeadConclusion",
    "LeadCounter",
    "LeadEvent",
    "LeadGram",
    "LeadImportJob",
    "LeadImportVocabulary",
    "LeadOriginal",
    "LeadRoute",
    "LeadStatus",
    "LeadSubject",
    "LeadSubjectCandidate",
    "OPEN_STATUSES",
    "PUBLIC_CHANNEL_CODE",
    "PUBLIC_KINDS",
    "RiskLevel",
    "RiskNote",
    "Signature",
    "SignatureRole",
    "UNSCREENED",
    "conclusion_hash",
    "receipt_hash",
]
