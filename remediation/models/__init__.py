"""Remediation models, one module per part of the app; re-exported so that
`from remediation.models import Item` works."""

from .imports import ListImportStatus, ProblemListImport
from .outputs import Meeting, MeetingKind, Rotation, RotationKind, Rule, RuleStatus
from .plans import (
    AcceptanceAttempt,
    Accountability,
    AttemptDecision,
    Disposition,
    Document,
    Evidence,
    EvidenceStatus,
    Item,
    ItemKind,
    ItemOrigin,
    ItemStatus,
    Measure,
    MeasureNote,
    MeasureStatus,
    Plan,
    ResponsibilityLevel,
)
from .public import Commitment, PracticalMatter, TypicalCase
from .surveys import RemediationPolicy, SurveyBatch, SurveyCode, SurveyResponse

__all__ = [
    "AcceptanceAttempt",
    "Accountability",
    "AttemptDecision",
    "Commitment",
    "Disposition",
    "Document",
    "Evidence",
    "EvidenceStatus",
    "Item",
    "ItemKind",
    "ItemOrigin",
    "ItemStatus",
    "ListImportStatus",
    "Measure",
    "MeasureNote",
    "MeasureStatus",
    "Meeting",
    "MeetingKind",
    "Plan",
    "PracticalMatter",
    "ProblemListImport",
    "RemediationPolicy",
    "ResponsibilityLevel",
    "Rotation",
    "RotationKind",
    "Rule",
    "RuleStatus",
    "SurveyBatch",
    "SurveyCode",
    "SurveyResponse",
    "TypicalCase",
]
