"""The web ledger import's jobs: upload -> preview (nothing stored) -> the uploader confirms
-> import. The Celery task lives in leads.tasks (`lead_import_run`); the command and the
task share `leads.ledger.import_ledger`.

An upload holds reporters' names in clear, so it is kept only while the job can still run:
when the job ends (imported, failed, cancelled, or a dry run previewed) its content is
emptied; the job keeps its counts, preview and problem list.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from celery import current_app
from django.db import transaction
from django.utils import timezone

from rectify.audit import audit_record
from rectify.excel import ExcelError
from rectify.models import AuditVerb

from ..audit import IMPORT_CANCELLED, IMPORT_CONFIRMED, IMPORT_UPLOADED
from ..models import ImportStatus, LeadImportJob
from ..workflow import LeadError
from .importer import import_ledger

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.http import HttpRequest

    from rectify.excel import RowError
    from rectify.models import Office, User

NOT_CONFIRMABLE = "只能确认本人上传、预览无错误且尚未导入的文件"


class ImportJobError(LeadError):
    """A job cannot do what was asked; `str(exc)` is a message for the user."""


def _problems(items: Iterable[RowError]) -> list[dict]:
    return [
        {
            "sheet": e.sheet,
            "row": e.row,
            "column": e.column,
            "value": str(e.value),
            "reason": e.reason,
        }
        for e in items
    ]


@transaction.atomic
def import_job_create(
    *,
    office: Office,
    actor: User,
    filename: str,
    content: bytes,
    dry_run: bool,
    request: HttpRequest | None = None,
) -> LeadImportJob:
    job = LeadImportJob(
        office=office, created_by=actor, filename=filename[:255], content=content, dry_run=dry_run
    )
    job.full_clean()
    job.save()
    audit_record(
        actor=actor,
        action=IMPORT_UPLOADED,
        verb=AuditVerb.CREATE,
        target=job,
        data={"filename": job.filename, "dry_run": job.dry_run},
        request=request,
    )
    _enqueue(job)
    return job


# The task that runs a job, named as Celery and the beat schedule name tasks: leads.tasks
# imports this module to run jobs, so naming it here keeps the import one-way (no cycle).
# LeadsConfig.ready() loads leads.tasks, so the name resolves in every process.
RUN_TASK = "leads.tasks.lead_import_run"


def _enqueue(job: LeadImportJob) -> None:
    """Run the job once this transaction commits (eagerly when no broker is configured)."""
    lead_import_run = current_app.tasks[RUN_TASK]  # KeyError, loud, if the name drifts
    transaction.on_commit(lambda: lead_import_run.delay(job.pk))


@transaction.atomic
def import_job_confirm(
    *, job: LeadImportJob, actor: User, request: HttpRequest | None = None
) -> LeadImportJob:
    """The uploader confirms a clean preview; the task then imports the same file."""
    claimed = LeadImportJob.objects.filter(
        pk=job.pk,
        created_by=actor,
        status=ImportStatus.PREVIEW,
        dry_run=False,
        confirmed=False,
    ).update(confirmed=True, status=ImportStatus.PENDING)
    if not claimed:
        raise ImportJobError(NOT_CONFIRMABLE)
    audit_record(
        actor=actor,
        action=IMPORT_CONFIRMED,
        verb=AuditVerb.CHANGE,
        target=job,
        request=request,
    )
    job.refresh_from_db()
    _enqueue(job)
    return job


@transaction.atomic
def import_job_cancel(
    *, job: LeadImportJob, actor: User, request: HttpRequest | None = None
) -> LeadImportJob:
    claimed = LeadImportJob.objects.filter(
        pk=job.pk, created_by=actor, status=ImportStatus.PREVIEW
    ).update(status=ImportStatus.CANCELLED, content=b"", finished_at=timezone.now())
    if not claimed:
        raise ImportJobError(NOT_CONFIRMABLE)
    audit_record(
        actor=actor,
        action=IMPORT_CANCELLED,
        verb=AuditVerb.CHANGE,
        target=job,
        request=request,
    )
    job.refresh_from_db()
    return job


# A preview nobody confirms must not keep its upload forever.
PREVIEW_KEPT_HOURS = 24


def import_jobs_expire(*, now: dt.datetime | None = None) -> int:
    """Cancel previews left unconfirmed for PREVIEW_KEPT_HOURS and delete their uploads.
    A filtered update: idempotent, and safe beside a confirmation (which claims the job
    by the same status)."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=PREVIEW_KEPT_HOURS)
    return LeadImportJob.objects.filter(status=ImportStatus.PREVIEW, created_at__lt=cutoff).update(
        status=ImportStatus.CANCELLED, content=b"", finished_at=timezone.now()
    )


def run_import_job(job_id: int) -> LeadImportJob | None:
    """Preview a new upload, or import a confirmed one. Idempotent: a job that is ended or
    waits for confirmation is left alone; one re-run after a lost worker starts again (the
    import is one transaction, so a lost worker left nothing half-written)."""
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

    store = job.confirmed and not job.dry_run
    try:
        result = import_ledger(
            upload=io.BytesIO(bytes(job.content)),
            office=job.office,
            actor=job.created_by,
            dry_run=not store,
            progress=progress,
            filename=job.filename,
        )
    except ExcelError as exc:
        job.status, job.message = ImportStatus.FAILED, str(exc)
        _end(job, ["status", "message"])
        return job
    job.errors = _problems(result.errors) + [
        {**p, "level": "warning"} for p in _problems(result.warnings)
    ]
    job.result = result.summary()
    job.result["dry_run"] = job.dry_run
    job.preview = result.preview()
    job.processed = job.total = result.total
    fields = ["errors", "result", "preview", "processed", "total", "status"]
    if result.errors:
        job.status = ImportStatus.FAILED
    elif store or job.dry_run:
        job.status = ImportStatus.DONE
    else:
        job.status = ImportStatus.PREVIEW
        job.save(update_fields=fields)
        return job
    _end(job, fields)
    return job


def _end(job: LeadImportJob, fields: list[str]) -> None:
    """The job ends: its upload (with reporters' names in it) is deleted."""
    job.content = b""
    job.finished_at = timezone.now()
    job.save(update_fields=[*fields, "content", "finished_at"])
