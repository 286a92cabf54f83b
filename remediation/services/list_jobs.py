"""The web import of a problem list: upload -> preview (a dry run, nothing stored) -> the
uploader confirms -> the same file is imported -> counts, or the problem list. The work is
done in the request (a problem list is a few thousand rows at most, under the shared size
limits); a job keeps the upload only while it waits for confirmation."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.audit import audit_record
from rectify.excel import ExcelError, RowError
from rectify.models import AuditVerb

from ..audit import LIST_IMPORT_CANCELLED, LIST_IMPORT_CONFIRMED, LIST_IMPORT_UPLOADED
from ..models import ListImportStatus, ProblemListImport
from ..workflow import RemediationError
from .list_import import ProblemListResult, import_problem_list

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import AnyUser, Unit

NOT_CONFIRMABLE = _("只能确认本人上传、预览无错误且尚未导入的文件")


class ListImportError(RemediationError):
    pass


def _problems(result: ProblemListResult) -> list[dict]:
    def one(e: RowError, level: str) -> dict:
        return {
            "sheet": e.sheet,
            "row": e.row,
            "column": e.column,
            "value": str(e.value),
            "reason": e.reason,
            "level": level,
        }

    return [one(e, "error") for e in result.errors] + [one(e, "warning") for e in result.warnings]


def _record(job: ProblemListImport, result: ProblemListResult) -> None:
    job.preview = result.preview()
    job.errors = _problems(result)
    job.result = result.summary()


def _end(job: ProblemListImport, status: str, fields: list[str]) -> None:
    job.status = status
    job.content = b""
    job.finished_at = timezone.now()
    job.save(update_fields=[*fields, "status", "content", "finished_at"])


def list_import_create(
    *,
    unit: Unit,
    actor: AnyUser,
    filename: str,
    content: bytes,
    request: HttpRequest | None = None,
) -> ProblemListImport:
    """Store the upload and preview it (a dry run). A file with errors (or unreadable)
    ends at once: nothing can be confirmed, the problem list stays on the job."""
    job = ProblemListImport.objects.create(
        unit=unit, created_by=actor, filename=filename[:255], content=content
    )
    audit_record(
        actor=actor,
        action=LIST_IMPORT_UPLOADED,
        verb=AuditVerb.CREATE,
        target=job,
        data={"filename": job.filename, "unit": unit.code},
        request=request,
    )
    try:
        result = import_problem_list(
            upload=io.BytesIO(content), root=unit, actor=actor, dry_run=True, filename=filename
        )
    except ExcelError as exc:
        job.message = str(exc)
        _end(job, ListImportStatus.FAILED, ["message"])
        return job
    _record(job, result)
    if result.errors:
        _end(job, ListImportStatus.FAILED, ["preview", "errors", "result"])
    else:
        job.save(update_fields=["preview", "errors", "result"])
    return job


def list_import_confirm(
    *, job: ProblemListImport, actor: AnyUser, request: HttpRequest | None = None
) -> ProblemListImport:
    """The uploader confirms a clean preview: the same file is imported, all or nothing
    (it is planned again: what changed since the preview is seen)."""
    with transaction.atomic():
        claimed = ProblemListImport.objects.filter(
            pk=job.pk, created_by=actor, status=ListImportStatus.PREVIEW
        ).update(status=ListImportStatus.DONE)
        if not claimed:
            raise ListImportError(NOT_CONFIRMABLE)
        job.refresh_from_db()
        audit_record(
            actor=actor,
            action=LIST_IMPORT_CONFIRMED,
            verb=AuditVerb.CHANGE,
            target=job,
            request=request,
        )
        try:
            result = import_problem_list(
                upload=io.BytesIO(bytes(job.content)),
                root=job.unit,
                actor=actor,
                filename=job.filename,
                request=request,
            )
        except ExcelError as exc:
            job.message = str(exc)
            _end(job, ListImportStatus.FAILED, ["message"])
            return job
        _record(job, result)
        status = ListImportStatus.FAILED if result.errors else ListImportStatus.DONE
        _end(job, status, ["preview", "errors", "result"])
    return job


@transaction.atomic
def list_import_cancel(
    *, job: ProblemListImport, actor: AnyUser, request: HttpRequest | None = None
) -> ProblemListImport:
    claimed = ProblemListImport.objects.filter(
        pk=job.pk, created_by=actor, status=ListImportStatus.PREVIEW
    ).update(status=ListImportStatus.CANCELLED, content=b"", finished_at=timezone.now())
    if not claimed:
        raise ListImportError(NOT_CONFIRMABLE)
    audit_record(
        actor=actor,
        action=LIST_IMPORT_CANCELLED,
        verb=AuditVerb.CHANGE,
        target=job,
        request=request,
    )
    job.refresh_from_db()
    return job
