"""Celery tasks of remediation (thin: call the service). Every task of the app lives here,
so a worker finds them by autodiscovery alone."""

from __future__ import annotations

from celery import shared_task

from .services.reminders import remediation_reminders_send
from .services.rotations import rotations_apply_due


@shared_task(acks_late=True, reject_on_worker_lost=True)
def remediation_send_reminders() -> int:
    """Daily (R5): what falls due in 3 days and what is overdue, to measure owners and
    responsible persons. Idempotent per day, so a redelivered message sends nothing new."""
    return remediation_reminders_send().sent


@shared_task(acks_late=True, reject_on_worker_lost=True)
def remediation_apply_rotations() -> int:
    """Daily: move officers whose rotation takes effect today or took effect earlier (R8).
    Each rotation is claimed by a filtered update, so a rerun or a retry moves nobody
    twice."""
    return rotations_apply_due()
