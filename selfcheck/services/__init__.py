"""Every write of the self-check app, split by topic and re-exported here, so callers keep
`from selfcheck import services` / `services.report_submit`. Keyword-only
`<entity>_<verb>` functions, atomic, `full_clean()` before saving, every change audited
through `rectify.audit.audit_record`."""

from __future__ import annotations

from ..diff import (
    DiffResult,
    versions_diff,
)
from ..errors import (
    CASE_NOT_PENDING,
    CASE_NOT_PUBLISHED,
    NOT_EDITABLE,
    RETURN_NEEDS_REASON,
    REVIEW_NOT_SUBMITTED,
    TALK_CORRECTION_NEEDS_REASON,
    TALK_CORRECTION_NO_CHANGE,
    TALK_DATE_FUTURE,
    TEXT_TOO_LONG,
    SelfCheckError,
    refuse_too_long,
)
from ..forms.draft import (
    BUSINESS_FIELDS,
    BUSINESS_LIMITS,
    DATE_TEXT_MAX,
    DETAILS_MAX,
    DRAFT_NOT_SAVED,
    FIXED_HELP,
    LENDING_FIELDS,
    LENDING_LIMITS,
    TOO_LONG,
    Item,
    draft_errors,
    draft_from_post,
    draft_limit_errors,
    form_items,
)
from .cases import (
    CASE_NOTE_MAX,
    warning_case_confirm_read,
    warning_case_create,
    warning_case_decide,
)
from .items import (
    item_config_create,
    item_config_update,
)
from .notices import (
    REMIND_DAYS_BEFORE,
    ReminderResult,
    notice_send,
    notices_mark_read,
    reminders_due,
    reminders_message,
    reminders_send,
)
from .questions import (
    QUESTION_MAX,
    question_answer,
    question_ask,
)
from .reports import (
    RETURN_REASON_MAX,
    in_window,
    report_accept,
    report_for_officer,
    report_record_read,
    report_return,
    report_save_draft,
    report_submit,
    version_rows,
)
from .talks import (
    TALK_CORRECTABLE,
    talk_correct,
    talk_record,
    talk_triggers_ensure,
)

__all__ = [
    "BUSINESS_FIELDS",
    "BUSINESS_LIMITS",
    "CASE_NOTE_MAX",
    "CASE_NOT_PENDING",
    "CASE_NOT_PUBLISHED",
    "DATE_TEXT_MAX",
    "DETAILS_MAX",
    "DRAFT_NOT_SAVED",
    "DiffResult",
    "FIXED_HELP",
    "Item",
    "LENDING_FIELDS",
    "LENDING_LIMITS",
    "NOT_EDITABLE",
    "QUESTION_MAX",
    "REMIND_DAYS_BEFORE",
    "RETURN_NEEDS_REASON",
    "RETURN_REASON_MAX",
    "REVIEW_NOT_SUBMITTED",
    "ReminderResult",
    "SelfCheckError",
    "TALK_CORRECTABLE",
    "TALK_CORRECTION_NEEDS_REASON",
    "TALK_CORRECTION_NO_CHANGE",
    "TALK_DATE_FUTURE",
    "TEXT_TOO_LONG",
    "TOO_LONG",
    "draft_errors",
    "draft_from_post",
    "draft_limit_errors",
    "form_items",
    "in_window",
    "item_config_create",
    "item_config_update",
    "notice_send",
    "notices_mark_read",
    "question_answer",
    "question_ask",
    "refuse_too_long",
    "reminders_due",
    "reminders_message",
    "reminders_send",
    "report_accept",
    "report_for_officer",
    "report_record_read",
    "report_return",
    "report_save_draft",
    "report_submit",
    "version_rows",
    "talk_correct",
    "talk_record",
    "talk_triggers_ensure",
    "versions_diff",
    "warning_case_confirm_read",
    "warning_case_create",
    "warning_case_decide",
]
