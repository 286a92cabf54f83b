"""Self-check and self-correction (自查自纠): the "six + N" report, its versions and review,
questions (S6), heart-to-heart talks (S1), warning-education cases (S2/O6) and notices.

Drafts are kept as JSON on the report (`SelfCheckReport.draft`): a draft is a form in
progress that autosaves every few seconds, may be half-filled and invalid, and nobody queries
it. Writing it as one JSON value keeps autosave a single UPDATE with no row churn. Submitted
content, which *is* queried (yes-declarations per item, relatives' names for conflict checks,
the leads API), is frozen into rows: `ReportVersion` + `VersionAnswer` + `BusinessRow` +
`LendingRow`, plus the full canonical JSON snapshot whose SHA-256 is the content hash.
"""

from __future__ import annotations

from .cases import (
    CaseRead,
    CaseStatus,
    WarningCase,
)
from .notices import (
    Notice,
)
from .report import (
    DEFAULT_LENIENCY_TEXT,
    AnswerKind,
    BusinessRow,
    CampaignPolicy,
    ItemConfig,
    LendingRow,
    Question,
    Relation,
    ReportStatus,
    ReportVersion,
    ReviewAction,
    ReviewDecision,
    SelfCheckReport,
    VersionAnswer,
    VersionQuerySet,
    content_hash,
)
from .talks import (
    DEFAULT_TALK_TRIGGERS,
    Talk,
    TalkCorrection,
    TalkTrigger,
)
from .uscc import (
    USCC_ALPHABET,
    USCC_WEIGHTS,
    uscc_check_char,
    uscc_is_valid,
    validate_uscc,
)

__all__ = [
    "AnswerKind",
    "BusinessRow",
    "CampaignPolicy",
    "CaseRead",
    "CaseStatus",
    "DEFAULT_LENIENCY_TEXT",
    "DEFAULT_TALK_TRIGGERS",
    "ItemConfig",
    "LendingRow",
    "Notice",
    "Question",
    "Relation",
    "ReportStatus",
    "ReportVersion",
    "ReviewAction",
    "ReviewDecision",
    "SelfCheckReport",
    "Talk",
    "TalkCorrection",
    "TalkTrigger",
    "USCC_ALPHABET",
    "USCC_WEIGHTS",
    "VersionAnswer",
    "VersionQuerySet",
    "WarningCase",
    "content_hash",
    "uscc_check_char",
    "uscc_is_valid",
    "validate_uscc",
]
