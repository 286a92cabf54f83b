"""Thin views: scope through selfcheck.access, write through services, read through selectors.
Split by page group; urls.py refers to them as `views.<name>`."""

from __future__ import annotations

from .cases import (
    case_confirm_read,
    case_decide,
    case_detail,
    cases,
)
from .items import (
    items_config,
)
from .own import (
    my_question_ask,
    my_report,
    my_report_autosave,
    my_report_submit,
    notices,
)
from .queue import (
    export,
    figures,
    figures_export,
    remind,
    review_queue,
)
from .reports import (
    question_answer,
    questions,
    report_accept,
    report_detail,
    report_print,
    report_return,
    version_diff,
)
from .talks import (
    talk_correct,
    talks,
)

__all__ = [
    "case_confirm_read",
    "case_decide",
    "case_detail",
    "cases",
    "export",
    "figures",
    "figures_export",
    "items_config",
    "my_question_ask",
    "my_report",
    "my_report_autosave",
    "my_report_submit",
    "notices",
    "question_answer",
    "questions",
    "remind",
    "report_accept",
    "report_detail",
    "report_print",
    "report_return",
    "review_queue",
    "talk_correct",
    "talks",
    "version_diff",
]
