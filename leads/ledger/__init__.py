"""The lead ledger workbook: layout and vocabulary (columns), parsing (parse), resolving
against the register (resolve), writing (importer), the export (exporter) and the import
jobs run by Celery (jobs).

Import an office's existing lead ledger from a messy Excel workbook.

Stage 1 (pure, no database): read the sheet through rectify.excel (best containment over
column synonyms, title rows, two-level headers, footer lines) and parse every row into a
`LeadRow`, mapping dates and words onto codes. Every word mapped onto something it is not
spelled as is a *remap*, listed in the preview; a word nobody knows is kept and warned.
Stage 2: resolve the rows against the office's register (units by name, short name, alias
or code; officers by name) and the leads the importer may see, and plan every row as
create / update / unchanged / error. Nothing is stored before the plan has no error and
the user confirmed it; then new leads are written in bulk and existing ones one by one
through the same rules as the forms (visible and writable only, status through
`lead_transition`, each changed field a timeline event, one audit event per lead).

A row is an error only when it cannot be stored: no number, a number twice in the file, a
number the importer may not touch, no or an impossible received date, a received date in
the future, a refused status change. Everything else is a warning.
"""

from __future__ import annotations

from .columns import (
    ANONYMOUS_EXPORT,
    ANONYMOUS_WORDS,
    CATEGORY_WORDS,
    CHANNEL_WORDS,
    COLUMNS,
    COMMISSION_WORDS,
    CONFIDENTIAL,
    CONFIDENTIAL_WORDS,
    DATE_IN_FUTURE,
    DEADLINE_PAST,
    FIELD_LABELS,
    HANDLER_AMBIGUOUS,
    HANDLER_NOT_IN_REGISTER,
    LEAD_FIELDS,
    LIFECYCLE_FIELDS,
    NOT_WRITABLE,
    NUMBER_EMPTY,
    NUMBER_UNAVAILABLE,
    RECEIVED_EMPTY,
    REPORTER_FIELDS,
    REPORTER_NOT_COMPARED,
    REQUIRED,
    RESULT_WORDS,
    STATUS_WORDS,
    SUMMARY_EMPTY,
    SYNONYMS,
    TEXT_LIMITS,
    TOO_LONG,
    TRANSFER_DATE_ASSUMED,
    UNIT_AMBIGUOUS,
    UNIT_UNKNOWN,
    UNKNOWN_CATEGORY,
    UNKNOWN_CHANNEL,
    UNKNOWN_STATUS,
    Vocabulary,
    fold_word,
    is_commission,
    map_category,
    map_status,
    split_names,
)
from .exporter import (
    SUBJECT_SEPARATOR,
    lead_row,
    ledger_queryset,
    ledger_rows,
    ledger_xlsx,
    reporter_reveal_ids,
    subject_text,
)
from .importer import (
    import_ledger,
)
from .jobs import (
    NOT_CONFIRMABLE,
    PREVIEW_KEPT_HOURS,
    ImportJobError,
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    import_jobs_expire,
    run_import_job,
)
from .parse import (
    LeadRow,
    ParsedSheet,
    Remap,
    parse_rows,
    read_workbook,
)
from .resolve import (
    ImportResult,
    RowPlan,
    unit_words,
)

__all__ = [
    "ANONYMOUS_EXPORT",
    "ANONYMOUS_WORDS",
    "CATEGORY_WORDS",
    "CHANNEL_WORDS",
    "COLUMNS",
    "COMMISSION_WORDS",
    "CONFIDENTIAL",
    "CONFIDENTIAL_WORDS",
    "DATE_IN_FUTURE",
    "DEADLINE_PAST",
    "FIELD_LABELS",
    "HANDLER_AMBIGUOUS",
    "HANDLER_NOT_IN_REGISTER",
    "ImportJobError",
    "ImportResult",
    "LEAD_FIELDS",
    "LIFECYCLE_FIELDS",
    "LeadRow",
    "NOT_CONFIRMABLE",
    "NOT_WRITABLE",
    "NUMBER_EMPTY",
    "NUMBER_UNAVAILABLE",
    "PREVIEW_KEPT_HOURS",
    "ParsedSheet",
    "RECEIVED_EMPTY",
    "REPORTER_FIELDS",
    "REPORTER_NOT_COMPARED",
    "REQUIRED",
    "RESULT_WORDS",
    "Remap",
    "RowPlan",
    "STATUS_WORDS",
    "SUBJECT_SEPARATOR",
    "SUMMARY_EMPTY",
    "SYNONYMS",
    "TEXT_LIMITS",
    "TOO_LONG",
    "TRANSFER_DATE_ASSUMED",
    "UNIT_AMBIGUOUS",
    "UNIT_UNKNOWN",
    "UNKNOWN_CATEGORY",
    "UNKNOWN_CHANNEL",
    "UNKNOWN_STATUS",
    "Vocabulary",
    "fold_word",
    "import_job_cancel",
    "import_job_confirm",
    "import_job_create",
    "import_jobs_expire",
    "import_ledger",
    "is_commission",
    "lead_row",
    "ledger_queryset",
    "ledger_rows",
    "ledger_xlsx",
    "map_category",
    "map_status",
    "parse_rows",
    "read_workbook",
    "reporter_reveal_ids",
    "run_import_job",
    "split_names",
    "subject_text",
    "unit_words",
]
