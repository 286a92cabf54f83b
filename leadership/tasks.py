"""Celery entry points of leadership: thin, by id, idempotent."""

from __future__ import annotations

from celery import shared_task

from .services.reports import report_generate, reports_schedule


@shared_task(acks_late=True, reject_on_worker_lost=True)
def report_generate_run(report_id: int) -> dict:
    """Build one report's workbook; a ready report is left as it is (redelivery is safe)."""
    report = report_generate(report_id=report_id)
    return {"report": report_id, "status": report.status if report else None}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def reports_schedule_run() -> dict:
    """Daily: on the last day of a period, one report per office (a rerun creates none)."""
    return {"queued": reports_schedule()}
