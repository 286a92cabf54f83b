"""Files of remediation (plan documents, evidence): checked like lead attachments (size,
extension and content, leads.services.check_upload), kept in the database, read only
through permission-checked views that audit every download."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.db import transaction

from leads.services import AttachmentError, check_upload
from rectify.models import AuditVerb

from ..audit import DOCUMENT_DOWNLOADED, audit_read
from ..models import Document
from ..workflow import RemediationError

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db import models
    from django.http import HttpRequest

    from rectify.models import AnyUser


class DocumentError(RemediationError):
    """A refused file (too large, wrong type, content not matching its extension)."""


@transaction.atomic
def document_store(*, upload: UploadedFile, actor: AnyUser) -> Document:
    """Check one uploaded file and keep it; DocumentError names the file and the reason."""
    try:
        checked = check_upload(upload)
    except AttachmentError as exc:
        raise DocumentError(str(exc)) from exc
    document = Document(
        name=checked.name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
        content=checked.content,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.full_clean(exclude=["content"])
    document.save()
    return document


def document_record_download(
    *,
    document: Document,
    owner: models.Model,
    actor: AnyUser,
    request: HttpRequest | None = None,
) -> None:
    """Audit one download: the object the file belongs to, the file and its digest."""
    audit_read(
        actor=actor,
        action=DOCUMENT_DOWNLOADED,
        verb=AuditVerb.READ,
        target=owner,
        data={"document": document.pk, "name": document.name, "sha256": document.sha256},
        request=request,
    )
