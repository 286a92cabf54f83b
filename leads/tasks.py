"""Celery tasks of the leads app (thin: load by id, call the service). Every task of the
app lives here, so a worker finds them by autodiscovery alone."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from . import services
from .ledger.jobs import import_jobs_expire, run_import_job


@shared_task(acks_late=True, reject_on_worker_lost=True)
def leads_escalate_overdue() -> int:
    """Daily (L10): untouched and overdue leads climb the responsibility chain. Idempotent
    (one Escalation per lead, kind and level), so a re-run after a lost worker adds nothing."""
    return services.escalate_flagged()


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def lead_import_run(job_id: int) -> None:
    """Preview or import one uploaded ledger (leads.ledger.jobs.run_import_job: a finished
    job is left alone, so a redelivered message changes nothing)."""
    run_import_job(job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def lead_import_expire() -> int:
    """Hourly: unconfirmed previews past their time are cancelled, their uploads deleted."""
    return import_jobs_expire()
