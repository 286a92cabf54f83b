"""Writes of leadership, one module per part, re-exported here."""

# --- supervision (O1) ---
from .supervision import (
    SupervisionError,
    instruction_acknowledge,
    instruction_answer,
    instruction_issue,
    supervision_escalate_overdue,
    supervision_order_issue,
    supervision_reply_accept,
    supervision_reply_return,
    supervision_reply_submit,
)

__all__ = [
    "SupervisionError",
    "instruction_acknowledge",
    "instruction_answer",
    "instruction_issue",
    "supervision_escalate_overdue",
    "supervision_order_issue",
    "supervision_reply_accept",
    "supervision_reply_return",
    "supervision_reply_submit",
]
