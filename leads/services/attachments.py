"""Lead attachments (线索附件): checks, storage, reads and removal.

Files are kept in the database (`LeadAttachment.content`), never under the web root, and are
served only by `leads.views.attachments.attachment_download`, which scopes through
`leads.access.get_lead_for_user` (recusal included) and audits every read.

What is accepted: at most `LEADS_ATTACHMENT_MAX_BYTES` per file and
`LEADS_ATTACHMENTS_PER_LEAD` per lead; PDF, JPEG, PNG, Word (.docx), Excel (.xlsx) and plain
text, recognised by the extension AND by the content (magic bytes; the Office formats must be
OOXML zip packages with their main part; text must decode as UTF-8 or GB18030). The content
type we store and serve comes from that table, never from the browser.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rectify.audit import audit_record
from rectify.models import AuditVerb

from ..audit import ATTACHMENT_ADDED, ATTACHMENT_READ, ATTACHMENT_REMOVED, audit_read
from ..models import EventKind, Lead, LeadAttachment
from ..workflow import LeadError, lock
from .common import _ensure_writable, _event, reason_required

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from rectify.models import User

TOO_LARGE = gettext_lazy("文件“%(name)s”大小为 %(size)s，超过上限 %(limit)s")
EMPTY_FILE = gettext_lazy("文件“%(name)s”是空文件")
BAD_TYPE = gettext_lazy(
    "文件“%(name)s”的类型不允许：只能上传 PDF、JPG、PNG、Word（.docx）、Excel（.xlsx）"
    "或文本（.txt）文件"
)
CONTENT_MISMATCH = gettext_lazy(
    "文件“%(name)s”的内容与扩展名%(ext)s不符（文件可能已损坏或被改过扩展名）"
)
TEXT_ENCODING = gettext_lazy("文本文件“%(name)s”须为 UTF-8 或 GB18030 编码的纯文本")
TOO_MANY = gettext_lazy("每条线索最多 %(limit)s 个附件，本线索已有 %(count)s 个")
ORIGINAL_FILE_KEPT = gettext_lazy("举报人随举报提交的材料属于原始举报内容，不能删除")

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_UTF8 = "text/plain; charset=utf-8"
TEXT_GB18030 = "text/plain; charset=gb18030"

# extension -> content type (text is decided by the encoding found)
EXTENSIONS = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".txt": TEXT_UTF8,
}
SAFE_CONTENT_TYPES = {PDF, JPEG, PNG, DOCX, XLSX, TEXT_UTF8, TEXT_GB18030}
ACCEPT = ",".join(EXTENSIONS)  # for <input type=file accept=...>
# The main part an OOXML package of that kind must contain.
_OOXML_MAIN = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
# Characters never kept in a file name (paths, shell and header metacharacters).
_UNSAFE = re.compile(r'[<>:"/\\|?*;\x00-\x1f]')
_NAME_MAX = 200
_PUBLIC_NAME = "举报材料"


class AttachmentError(LeadError):
    """A file that cannot be attached; the message says why, naming the file."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    content: bytes


def clean_filename(raw: str, *, anonymise: bool = False) -> str:
    """A display- and header-safe file name: no directories, no control or bidi-override
    characters (U+202E would show "gpj.exe" as "exe.jpg"), no path or shell metacharacters,
    at most 200 characters with the (lower-cased) extension kept."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip().rstrip(". ")
    if name.startswith(".") and name.count(".") == 1:  # ".pdf": an extension, no stem
        stem, ext = "", name
    else:
        stem, ext = os.path.splitext(name)
    stem, ext = stem.lstrip(". "), ext.lower()
    if anonymise or not stem.strip(" ._"):
        stem = _PUBLIC_NAME if anonymise else _("附件")
    return stem[: _NAME_MAX - len(ext)].rstrip(" .") + ext


def _read(upload: UploadedFile, limit: int) -> bytes:
    """At most limit + 1 bytes (enough to tell "too large" without reading everything)."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks, total = [], 0
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            break
    return b"".join(chunks)


def _is_ooxml(content: bytes, ext: str) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())  # the central directory only; nothing inflated
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and _OOXML_MAIN[ext] in names


def _text_type(content: bytes) -> str | None:
    """The content type of plain text in UTF-8 (with or without BOM) or GB18030, else None."""
    if b"\x00" in content:
        return None
    for encoding, content_type in (("utf-8-sig", TEXT_UTF8), ("gb18030", TEXT_GB18030)):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Binary that happens to decode: control characters other than tab/newlines/form feed.
        if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text):
            return None
        return content_type
    return None


def check_upload(upload: UploadedFile, *, anonymise: bool = False) -> CheckedFile:
    """Read and check one uploaded file; AttachmentError (with the file named) if refused."""
    name = clean_filename(getattr(upload, "name", ""), anonymise=anonymise)
    shown = clean_filename(getattr(upload, "name", ""))
    limit = settings.LEADS_ATTACHMENT_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise AttachmentError(
            TOO_LARGE
            % {"name": shown, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    ext = os.path.splitext(name)[1]
    if ext not in EXTENSIONS:
        raise AttachmentError(BAD_TYPE % {"name": shown})
    content = _read(upload, limit)
    if len(content) > limit:
        raise AttachmentError(
            TOO_LARGE
            % {
                "name": shown,
                "size": filesizeformat(size or len(content)),
                "limit": filesizeformat(limit),
            }
        )
    if not content:
        raise AttachmentError(EMPTY_FILE % {"name": shown})
    content_type = EXTENSIONS[ext]
    if ext == ".pdf":
        ok = b"%PDF-" in content[:1024]  # the header may follow a little junk (PDF spec)
    elif ext in (".jpg", ".jpeg"):
        ok = content.startswith(b"\xff\xd8\xff")
    elif ext == ".png":
        ok = content.startswith(b"\x89PNG\r\n\x1a\n")
    elif ext in _OOXML_MAIN:
        ok = _is_ooxml(content, ext)
    else:  # .txt
        found = _text_type(content)
        if found is None:
            raise AttachmentError(TEXT_ENCODING % {"name": shown})
        content_type, ok = found, True
    if not ok:
        raise AttachmentError(CONTENT_MISMATCH % {"name": shown, "ext": ext})
    return CheckedFile(name=name, content_type=content_type, content=content)


def check_count(*, existing: int, adding: int) -> None:
    limit = settings.LEADS_ATTACHMENTS_PER_LEAD
    if existing + adding > limit:
        raise AttachmentError(TOO_MANY % {"limit": limit, "count": existing})


def safe_content_type(stored: str) -> str:
    """What the download answers with: a type from our table, or a generic download."""
    return stored if stored in SAFE_CONTENT_TYPES else "application/octet-stream"


# --- writes --------------------------------------------------------------------------------


@transaction.atomic
def attachments_add(
    *,
    lead: Lead,
    actor: User,
    uploads: Iterable[UploadedFile],
    request: HttpRequest | None = None,
    anonymise: bool = False,
) -> list[LeadAttachment]:
    """Check every file first, then store them all (or none). The lead must be writable;
    its row is locked so two uploads at once cannot pass the per-lead limit together.
    `anonymise` (public reports) replaces the file name, which may name the reporter."""
    uploads = [u for u in uploads if u]
    if not uploads:
        return []
    lead = lock(lead)
    _ensure_writable(lead)
    check_count(existing=lead.attachments.count(), adding=len(uploads))
    checked = [check_upload(u, anonymise=anonymise) for u in uploads]
    user = actor if getattr(actor, "is_authenticated", False) else None
    stored = []
    for f in checked:
        attachment = LeadAttachment(
            lead=lead,
            name=f.name,
            content_type=f.content_type,
            size=len(f.content),
            sha256=hashlib.sha256(f.content).hexdigest(),
            content=f.content,
            uploaded_by=user,
            # The reporter's own file (public page): part of the original report.
            from_reporter=user is None and anonymise,
        )
        attachment.full_clean()
        attachment.save()
        stored.append(attachment)
        data = _fingerprint(attachment)
        _event(
            lead,
            kind=EventKind.ATTACHMENT,
            actor=user,
            text=_("上传附件：%(name)s") % {"name": attachment.name},
            data={"action": "added", **data},
        )
        audit_record(
            actor=user,
            action=ATTACHMENT_ADDED,
            verb=AuditVerb.CREATE,
            target=lead,
            data=data,
            request=request,
        )
    return stored


def _fingerprint(attachment: LeadAttachment) -> dict:
    """What the timeline and the audit trail keep of a file (never its content)."""
    return {
        "attachment": attachment.pk,
        "name": attachment.name,
        "size": attachment.size,
        "sha256": attachment.sha256,
    }


def attachment_add(
    *,
    lead: Lead,
    actor: User,
    upload: UploadedFile,
    request: HttpRequest | None = None,
    anonymise: bool = False,
) -> LeadAttachment:
    """One file (see `attachments_add`)."""
    return attachments_add(
        lead=lead, actor=actor, uploads=[upload], request=request, anonymise=anonymise
    )[0]


@transaction.atomic
def attachment_remove(
    *, attachment: LeadAttachment, actor: User, reason: str, request: HttpRequest | None = None
) -> None:
    """Remove a file while the lead is still writable, with a recorded reason; the timeline
    and the audit trail keep its name and SHA-256."""
    reason = reason_required(reason)
    lead = lock(attachment.lead)
    _ensure_writable(lead)
    if attachment.from_reporter:
        raise AttachmentError(str(ORIGINAL_FILE_KEPT))
    data = _fingerprint(attachment)
    _event(
        lead,
        kind=EventKind.ATTACHMENT,
        actor=actor,
        text=_("删除附件：%(name)s（理由：%(reason)s）")
        % {"name": attachment.name, "reason": reason},
        data={"action": "removed", "reason": reason, **data},
    )
    audit_record(
        actor=actor,
        action=ATTACHMENT_REMOVED,
        verb=AuditVerb.DELETE,
        target=lead,
        data={"reason": reason, **data},
        request=request,
    )
    LeadAttachment.objects.filter(pk=attachment.pk).delete()


# --- reads ---------------------------------------------------------------------------------


def attachments_of(lead: Lead) -> QuerySet[LeadAttachment]:
    """The list shown on the lead page: one query, without the file contents."""
    return (
        lead.attachments.defer("content")
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    )


def attachment_of(lead: Lead, pk: int, *, content: bool = False) -> LeadAttachment:
    """An attachment of `lead` — a lead the caller got from leads.access, so the scoping
    (and recusal) is already done — or 404."""
    qs = LeadAttachment.objects.filter(lead=lead, pk=pk).select_related("uploaded_by")
    if not content:
        qs = qs.defer("content")
    found = qs.first()
    if found is None:
        raise Http404
    found.lead = lead
    return found


def attachment_record_read(
    *, lead: Lead, attachment: LeadAttachment, actor: User, request: HttpRequest | None = None
) -> None:
    audit_read(
        actor=actor,
        action=ATTACHMENT_READ,
        target=lead,
        data={"attachment": attachment.pk, "name": attachment.name, "sha256": attachment.sha256},
        request=request,
    )
