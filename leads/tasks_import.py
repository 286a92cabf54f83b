"""Celery task of the web ledger import (the command and the task share import_ledger)."""

from __future__ import annotations

import io

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from rectify.excel import ExcelError

from .importers import import_ledger
from .models_import import ImportStatus, LeadImportJob


def run_import_job(job_id: int) -> LeadImportJob | None:
    """Run one stored upload. Idempotent: a finished job is left alone, and a job re-run
    after a lost worker re-imports a file that is itself idempotent by 线索编号."""
    with transaction.atomic():
        job = (
            LeadImportJob.objects.select_for_update()
            .select_related("office__jurisdiction", "created_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.finished:
            return job
        job.status = ImportStatus.RUNNING
        job.save(update_fields=["status"])

    def progress(done: int, total: int) -> None:
        LeadImportJob.objects.filter(pk=job_id).update(processed=done, total=total)

    try:
        result = import_ledger(
            upload=io.BytesIO(bytes(job.content)),
            office=job.office,
            actor=job.created_by,
            dry_run=job.dry_run,
            progress=progress,
        )
    except ExcelError as exc:
        job.status, job.message = ImportStatus.FAILED, str(exc)
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        return job
    job.refresh_from_db(fields=["processed", "total"])
    job.errors = [
        {
            "sheet": e.sheet,
            "row": e.row,
            "column": e.column,
            "value": str(e.value),
            "reason": e.reason,
        }
        for e in result.errors
    ]
    job.result = result.summary()
    job.status = ImportStatus.FAILED if result.errors else ImportStatus.DONE
    job.processed = job.total = result.total
    job.finished_at = timezone.now()
    job.save(update_fields=["errors", "result", "status", "processed", "total", "finished_at"])
    return job


@shared_task(acks_late=True, reject_on_worker_lost=True)
def lead_import_run(job_id: int) -> None:
    run_import_job(job_id)
