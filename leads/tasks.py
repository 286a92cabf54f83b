"""Periodic tasks of the lead ledger (thin: they call leads.oversight)."""

from __future__ import annotations

from celery import shared_task

from . import oversight


@shared_task(acks_late=True, reject_on_worker_lost=True)
def leads_escalate_overdue() -> int:
    """Daily (L10): untouched and overdue leads climb the responsibility chain. Idempotent
    (one Escalation per lead, kind and level), so a re-run after a lost worker adds nothing."""
    return oversight.escalate_flagged()
