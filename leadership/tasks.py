"""Celery tasks of leadership (thin: call the service). Every task of the app lives here,
so a worker finds them by autodiscovery alone."""

from __future__ import annotations

from celery import shared_task

from .services.supervision import supervision_escalate_overdue


@shared_task(acks_late=True, reject_on_worker_lost=True)
def supervision_escalate() -> int:
    """Daily (O1): 督办单 without an accepted reply by the deadline go up to the addressee's
    superior unit with a notice. Each order is claimed once, so a rerun changes nothing."""
    return supervision_escalate_overdue().escalated
