"""Measures (对策措施), their progress notes and the evidence of an item (R4, R5).

The first sign of work on an open item (a progress note, a measure started or done,
evidence uploaded) moves it open → in progress, through item_transition like every other
status change. Notes are append-only; evidence is reviewed by the supervising office."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify.audit import audit_record
from rectify.models import AuditVerb

from ..audit import (
    EVIDENCE_ADDED,
    EVIDENCE_REVIEWED,
    MEASURE_ADDED,
    MEASURE_CHANGED,
    MEASURE_NOTE_ADDED,
)
from ..models import (
    Evidence,
    EvidenceStatus,
    Item,
    ItemStatus,
    Measure,
    MeasureNote,
    MeasureStatus,
)
from ..workflow import RemediationError, item_transition
from .documents import document_store

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from rectify.models import AnyUser, Officer

ITEM_ACCEPTED = _("该问题已验收，不能再修改")
REJECT_NEEDS_NOTE = _("不予认可时须填写审核意见")
EVIDENCE_REVIEWED_ALREADY = _("该佐证材料已审核")
PROGRESS_RANGE = _("完成进度须在 0 到 100 之间")


class MeasureError(RemediationError):
    pass


def _ensure_open_for_work(item: Item) -> None:
    if item.status == ItemStatus.ACCEPTED:
        raise MeasureError(ITEM_ACCEPTED)


def _start_work(item: Item, *, actor: AnyUser, request: HttpRequest | None, why: str) -> None:
    if item.status == ItemStatus.OPEN:
        item_transition(
            item, ItemStatus.IN_PROGRESS, actor=actor, request=request, data={"why": why}
        )


def _clean(obj: object, exclude: list[str]) -> None:
    try:
        obj.full_clean(exclude=exclude)  # type: ignore[attr-defined]
    except ValidationError as exc:
        raise MeasureError("；".join(exc.messages)) from exc


@transaction.atomic
def measure_add(
    *,
    item: Item,
    actor: AnyUser,
    text: str,
    deadline: dt.date,
    owner: Officer | None = None,
    request: HttpRequest | None = None,
) -> Measure:
    _ensure_open_for_work(item)
    measure = Measure(item=item, text=text.strip(), owner=owner, deadline=deadline)
    _clean(measure, ["item", "owner"])
    measure.save()
    audit_record(
        actor=actor,
        action=MEASURE_ADDED,
        verb=AuditVerb.CREATE,
        target=item,
        data={"measure": measure.pk, "owner": owner.pk if owner else None},
        request=request,
    )
    return measure


@transaction.atomic
def measure_update(
    *,
    measure: Measure,
    actor: AnyUser,
    status: str,
    owner: Officer | None = None,
    deadline: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Measure:
    """Change a measure's status (and owner, deadline); started or done counts as work."""
    item = measure.item
    _ensure_open_for_work(item)
    before = {"status": measure.status, "owner": measure.owner_id, "deadline": measure.deadline}
    measure.status = status
    measure.owner = owner
    if deadline is not None:
        measure.deadline = deadline
    measure.done_at = timezone.now() if status == MeasureStatus.DONE else None
    _clean(measure, ["item", "owner"])
    measure.save()
    audit_record(
        actor=actor,
        action=MEASURE_CHANGED,
        verb=AuditVerb.CHANGE,
        target=item,
        data={
            "measure": measure.pk,
            "from": before,
            "to": {"status": status, "owner": measure.owner_id, "deadline": measure.deadline},
        },
        request=request,
    )
    if status != MeasureStatus.PLANNED:
        _start_work(item, actor=actor, request=request, why="measure")
    return measure


@transaction.atomic
def measure_note_add(
    *,
    measure: Measure,
    actor: AnyUser,
    text: str,
    progress: int | None = None,
    request: HttpRequest | None = None,
) -> MeasureNote:
    """Append a progress note (never edited or removed)."""
    item = measure.item
    _ensure_open_for_work(item)
    if progress is not None and not 0 <= progress <= 100:
        raise MeasureError(PROGRESS_RANGE)
    note = MeasureNote(
        measure=measure,
        text=text.strip(),
        progress=progress,
        written_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _clean(note, ["measure", "written_by"])
    note.save()
    audit_record(
        actor=actor,
        action=MEASURE_NOTE_ADDED,
        verb=AuditVerb.CREATE,
        target=item,
        data={"measure": measure.pk, "note": note.pk, "progress": progress},
        request=request,
    )
    _start_work(item, actor=actor, request=request, why="progress")
    return note


@transaction.atomic
def evidence_add(
    *,
    item: Item,
    actor: AnyUser,
    upload: UploadedFile,
    note: str = "",
    measure: Measure | None = None,
    request: HttpRequest | None = None,
) -> Evidence:
    _ensure_open_for_work(item)
    document = document_store(upload=upload, actor=actor)
    evidence = Evidence(
        item=item,
        measure=measure,
        document=document,
        note=note.strip(),
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _clean(evidence, ["item", "measure", "document", "submitted_by", "reviewed_by"])
    evidence.save()
    audit_record(
        actor=actor,
        action=EVIDENCE_ADDED,
        verb=AuditVerb.CREATE,
        target=item,
        data={"evidence": evidence.pk, "name": document.name, "sha256": document.sha256},
        request=request,
    )
    _start_work(item, actor=actor, request=request, why="evidence")
    return evidence


@transaction.atomic
def evidence_review(
    *,
    evidence: Evidence,
    actor: AnyUser,
    approve: bool,
    note: str = "",
    request: HttpRequest | None = None,
) -> Evidence:
    """Approve or reject (with a note) evidence that is still waiting for review."""
    locked = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if locked.status != EvidenceStatus.SUBMITTED:
        raise MeasureError(EVIDENCE_REVIEWED_ALREADY)
    note = note.strip()
    if not approve and not note:
        raise MeasureError(REJECT_NEEDS_NOTE)
    locked.status = EvidenceStatus.APPROVED if approve else EvidenceStatus.REJECTED
    locked.review_note = note
    locked.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        action=EVIDENCE_REVIEWED,
        verb=AuditVerb.CHANGE,
        target=evidence.item,
        data={"evidence": locked.pk, "status": locked.status, "note": note},
        request=request,
    )
    evidence.status = locked.status
    evidence.review_note = note
    return locked
