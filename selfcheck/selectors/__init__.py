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
from .queue import (
    QueueFilters,
    export_headers,
    export_rows,
    item_columns,
    late_q,
    n_items_for,
    report_is_late,
    report_versions,
    review_queue,
    unreviewed_count,
)

__all__ = [
    "COVERAGE_MAX_UNITS",
    "Figures",
    "QueueFilters",
    "case_read_coverage",
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
    "late_q",
    "n_items_for",
    "officer_ids_with_any_declaration",
    "report_is_late",
    "report_versions",
    "review_queue",
    "talk_corrections",
    "talk_coverage",
    "unit_figures",
    "unreviewed_count",
]
