"""Input validation of the self-check app: the report draft (`draft`) and the page forms
(`pages`), re-exported so callers keep `from selfcheck.forms import TalkForm`."""

from __future__ import annotations

from .pages import (
    AnswerForm,
    ItemConfigForm,
    QuestionForm,
    QueueFilterForm,
    ReturnForm,
    TalkCorrectForm,
    TalkForm,
    WarningCaseForm,
)

__all__ = [
    "AnswerForm",
    "ItemConfigForm",
    "QuestionForm",
    "QueueFilterForm",
    "ReturnForm",
    "TalkCorrectForm",
    "TalkForm",
    "WarningCaseForm",
]
