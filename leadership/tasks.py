"""Celery tasks of leadership: thin (call the service), by id, idempotent. Every task of
the app lives here, so a worker finds them by autodiscovery alone."""

from __future__ import annotations

from celery import shared_task

from .services.reports import report_generate, reports_schedule
from .services.supervision import supervision_escalate_overdue


@shared_task(acks_late=True, reject_on_worker_lost=True)
def supervision_escalate() -> int:
    """Daily (O1): 督办单 without an accepted reply by the deadline go up to the addressee's
    superior unit with a notice. Each order is claimed once, so a rerun changes nothing."""
    return supervision_escalate_overdue().escalated


@shared_task(acks_late=True, reject_on_worker_lost=True)
def report_generate_run(report_id: int) -> dict:
    """Build one report's workbook; a ready report is left as it is (redelivery is safe)."""
    report = report_generate(report_id=report_id)
    return {"report": report_id, "status": report.status if report else None}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def reports_schedule_run() -> dict:
    """Daily: on the last day of a period, one report per office (a rerun creates none)."""
    return {"queued": reports_schedule()}
