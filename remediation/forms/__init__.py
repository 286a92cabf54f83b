"""Input validation of remediation pages (one module per part); cross-object rules live in
remediation.services so imports and commands get the same checks."""

from .imports import ProblemListImportForm
from .items import (
    EvidenceForm,
    EvidenceReviewForm,
    ItemForm,
    LedgerFilterForm,
    MeasureForm,
    MeasureNoteForm,
    MeasureStatusForm,
    PlanForm,
)

__all__ = [
    "EvidenceForm",
    "EvidenceReviewForm",
    "ItemForm",
    "LedgerFilterForm",
    "MeasureForm",
    "MeasureNoteForm",
    "MeasureStatusForm",
    "PlanForm",
    "ProblemListImportForm",
]
