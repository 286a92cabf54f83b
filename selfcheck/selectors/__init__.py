"""Reads of the self-check app, split by topic and re-exported here: the review queue,
figures, the declarations the leads app reads, coverage.

Every user-facing read starts from a scoping function in selfcheck/access.py."""

from __future__ import annotations

from .coverage import (
    COVERAGE_MAX_UNITS,
    case_read_coverage,
    talk_corrections,
    talk_coverage,
)
from .declarations import (
    declarations_before,
    declared_before_day,
    declared_names,
    declared_ties,
    officer_ids_with_any_declaration,
)
from .figures import (
    Figures,
    child_figures,
    figures_headers,
    figures_rows,
    unit_figures,
)
from .lists import (
    CASES_SHOWN,
    NOTICES_SHOWN,
    case_ids_read_by,
    case_read_by,
    cases_listed,
    item_configs_listed,
    notices_for,
    policy_text,
    questions_to_answer,
    report_questions,
    report_reviews,
    report_version,
    reports_below,
    talks_listed,
)
from .queue import (
    QueueFilters,
    export_headers,
    export_rows,
    item_columns,
    late_q,
    n_items_for,
    queue_page,
    report_is_late,
    report_versions,
    review_queue,
    unreviewed_count,
)

__all__ = [
    "CASES_SHOWN",
    "COVERAGE_MAX_UNITS",
    "Figures",
    "NOTICES_SHOWN",
    "QueueFilters",
    "case_ids_read_by",
    "case_read_by",
    "case_read_coverage",
    "cases_listed",
    "child_figures",
    "declarations_before",
    "declared_before_day",
    "declared_names",
    "declared_ties",
    "export_headers",
    "export_rows",
    "figures_headers",
    "figures_rows",
    "item_columns",
    "item_configs_listed",
    "late_q",
    "n_items_for",
    "notices_for",
    "officer_ids_with_any_declaration",
    "policy_text",
    "questions_to_answer",
    "report_is_late",
    "report_questions",
    "report_reviews",
    "report_version",
    "report_versions",
    "reports_below",
    "review_queue",
    "talk_corrections",
    "talk_coverage",
    "talks_listed",
    "unit_figures",
    "queue_page",
    "unreviewed_count",
]
