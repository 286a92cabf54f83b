"""Reads of the leads app, one module per topic, re-exported here. Every queryset starts
from `leads_visible_to(user)` (recusal applies), and list pages cost a constant number of
queries.
"""

from __future__ import annotations

from .board import (
    BOARD_KINDS,
    Flag,
    board_figures,
    board_filter,
    escalated_to_me_count,
    flagged_leads,
    lead_flags,
    responsible_unit,
    with_flags,
)
from .deadlines import (
    deadline_overdue_q,
    flagged_q,
    handling_overdue_q,
    intake_cutoff,
    intake_overdue_q,
    overdue_flag_q,
    overdue_q,
    supervision_overdue_q,
    untouched_q,
)
from .ledger import (
    DISPOSED_STATUSES,
    FIGURE_DEFINITIONS,
    NOT_RECEIVED,
    LedgerFigures,
    figure_params,
    import_jobs_recent,
    ledger_channels,
    ledger_figures,
    ledger_filter,
    with_list_relations,
)
from .queues import (
    awaiting_signature,
    intake_queue,
    my_leads,
)
from .screening import (
    leads_about_undeclared_officers,
    officers_named_repeatedly,
)
from .subjects import (
    lead_is_visible,
    match_subjects,
    officer_by_number,
    subject_candidate,
    subject_candidates_for,
    subjects_of,
)
from .timeline import (
    has_original,
    lead_timeline,
    live_signatures_of,
    merged_leads,
    original_files,
    original_of,
    public_status,
    public_timeline,
    signatures_of,
)

__all__ = [
    "import_jobs_recent",
    "ledger_channels",
    "live_signatures_of",
    "signatures_of",
    "leads_about_undeclared_officers",
    "officers_named_repeatedly",
    "BOARD_KINDS",
    "DISPOSED_STATUSES",
    "FIGURE_DEFINITIONS",
    "Flag",
    "LedgerFigures",
    "NOT_RECEIVED",
    "awaiting_signature",
    "board_figures",
    "board_filter",
    "deadline_overdue_q",
    "escalated_to_me_count",
    "figure_params",
    "flagged_leads",
    "flagged_q",
    "handling_overdue_q",
    "has_original",
    "intake_cutoff",
    "intake_overdue_q",
    "intake_queue",
    "lead_flags",
    "lead_is_visible",
    "lead_timeline",
    "ledger_figures",
    "ledger_filter",
    "match_subjects",
    "merged_leads",
    "my_leads",
    "officer_by_number",
    "original_files",
    "original_of",
    "overdue_flag_q",
    "overdue_q",
    "public_status",
    "public_timeline",
    "responsible_unit",
    "subject_candidate",
    "subject_candidates_for",
    "subjects_of",
    "supervision_overdue_q",
    "untouched_q",
    "with_flags",
    "with_list_relations",
]
