"""Writes of public commitments (O4), practical matters (O5) and typical cases (O6).

Typical cases go through rectify.approval, the mechanism self-check's warning cases use:
the states, the decision fields and the two moves are shared, the rule of who may decide
(a leader of the case's unit subtree) is passed in from remediation.access.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leads.services import AttachmentError, check_upload
from rectify import figures
from rectify.approval import ApprovalError, approval_decide, approval_submit
from rectify.audit import audit_record
from rectify.models import AuditVerb, Campaign, Officer, Unit

from .. import audit
from ..access import can_decide_typical_case
from ..models import Commitment, Document, Item, PracticalMatter, TypicalCase
from ..workflow import RemediationError

if TYPE_CHECKING:
    import datetime as dt

    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from rectify.models import AnyUser

NO_CAMPAIGN = _("当前没有进行中的教育整顿活动，不能登记")
MATTER_DONE = _("该实事已办结，不能重复办结")
MATTER_NEEDS_EVIDENCE = _("办结须上传佐证材料")
MATTER_NEEDS_NOTE = _("办结须填写完成情况")
MATTER_OWNER_OUTSIDE = _("责任人须为该单位（含下级）的干警")
MATTER_ITEMS_OUTSIDE = _("关联的整改问题须属于该单位（含下级）")


class PublicError(RemediationError):
    """A refused write of this part; `str(exc)` is a message fit for the user."""


def current_campaign() -> Campaign:
    campaign = Campaign.current()
    if campaign is None:
        raise PublicError(str(NO_CAMPAIGN))
    return campaign


# --- commitments (O4) ----------------------------------------------------------------------


@transaction.atomic
def commitment_create(
    *,
    unit: Unit,
    title: str,
    text: str,
    due_date: dt.date | None,
    is_published: bool,
    actor: AnyUser,
    request: HttpRequest | None = None,
) -> Commitment:
    now = timezone.now()
    commitment = Commitment(
        campaign=current_campaign(),
        unit=unit,
        title=title,
        text=text,
        due_date=due_date,
        is_published=is_published,
        published_on=timezone.localdate() if is_published else None,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    commitment.full_clean()
    commitment.save()
    audit_record(
        actor=actor,
        action=audit.COMMITMENT_CREATED,
        verb=AuditVerb.CREATE,
        target=commitment,
        data={"published": is_published},
        request=request,
    )
    return commitment


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    title: str,
    text: str,
    due_date: dt.date | None,
    is_published: bool,
    actor: AnyUser,
    request: HttpRequest | None = None,
) -> Commitment:
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if is_published and not locked.is_published:
        locked.published_on = timezone.localdate()
    if not is_published:
        locked.published_on = None
    locked.title, locked.text, locked.due_date = title, text, due_date
    locked.is_published = is_published
    locked.updated_at = timezone.now()
    locked.full_clean()
    locked.save()
    audit_record(
        actor=actor,
        action=audit.COMMITMENT_CHANGED,
        verb=AuditVerb.CHANGE,
        target=locked,
        data={"published": is_published},
        request=request,
    )
    return locked


# --- practical matters (O5) ----------------------------------------------------------------


@transaction.atomic
def matter_create(
    *,
    unit: Unit,
    title: str,
    commitment: str,
    owner: Officer,
    deadline: dt.date,
    is_public: bool,
    actor: AnyUser,
    request: HttpRequest | None = None,
) -> PracticalMatter:
    if not owner.unit.path.startswith(unit.path):
        raise PublicError(str(MATTER_OWNER_OUTSIDE))
    matter = PracticalMatter(
        campaign=current_campaign(),
        unit=unit,
        title=title,
        commitment=commitment,
        owner=owner,
        deadline=deadline,
        is_public=is_public,
        created_by=actor,
    )
    matter.full_clean()
    matter.save()
    figures.touch("rm", [matter.unit_id])
    audit_record(
        actor=actor,
        action=audit.MATTER_CREATED,
        verb=AuditVerb.CREATE,
        target=matter,
        request=request,
    )
    return matter


@transaction.atomic
def matter_complete(
    *,
    matter: PracticalMatter,
    note: str,
    upload: UploadedFile | None,
    actor: AnyUser,
    request: HttpRequest | None = None,
) -> PracticalMatter:
    """The owner marks it done, with a note and an evidence file (checked like every
    upload: size, type, content)."""
    locked = PracticalMatter.objects.select_for_update().get(pk=matter.pk)
    if locked.completed_at is not None:
        raise PublicError(str(MATTER_DONE))
    if not (note or "").strip():
        raise PublicError(str(MATTER_NEEDS_NOTE))
    if upload is None:
        raise PublicError(str(MATTER_NEEDS_EVIDENCE))
    try:
        checked = check_upload(upload)
    except AttachmentError as exc:
        raise PublicError(str(exc)) from exc
    document = Document.objects.create(
        name=checked.name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
        content=checked.content,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    locked.completed_at = timezone.now()
    locked.completion_note = note.strip()
    locked.evidence = document
    locked.full_clean()
    locked.save(update_fields=["completed_at", "completion_note", "evidence"])
    figures.touch("rm", [locked.unit_id])
    audit_record(
        actor=actor,
        action=audit.MATTER_COMPLETED,
        verb=AuditVerb.CHANGE,
        target=locked,
        data={"document": document.pk, "sha256": document.sha256},
        request=request,
    )
    return locked


# --- typical cases (O6) --------------------------------------------------------------------


@transaction.atomic
def typical_case_create(
    *,
    unit: Unit,
    title: str,
    body: str,
    items: list[Item] | None = None,
    actor: AnyUser,
    request: HttpRequest | None = None,
) -> TypicalCase:
    """Office staff draft a case; nobody outside the office and the leaders sees it until
    a leader approves it."""
    items = list(items or [])
    if any(not item.unit.path.startswith(unit.path) for item in items):
        raise PublicError(str(MATTER_ITEMS_OUTSIDE))
    case = TypicalCase(
        campaign=current_campaign(), unit=unit, title=title, body=body, created_by=actor
    )
    case.full_clean()
    case.save()
    if items:
        case.items.set(items)
    audit_record(
        actor=actor,
        action=audit.TYPICAL_CASE_CREATED,
        verb=AuditVerb.CREATE,
        target=case,
        request=request,
    )
    return case


def typical_case_submit(
    *, case: TypicalCase, actor: AnyUser, request: HttpRequest | None = None
) -> TypicalCase:
    try:
        return approval_submit(
            obj=case, actor=actor, action=audit.TYPICAL_CASE_SUBMITTED, request=request
        )
    except ApprovalError as exc:
        raise PublicError(str(exc)) from exc


def typical_case_decide(
    *,
    case: TypicalCase,
    approve: bool,
    actor: AnyUser,
    note: str = "",
    request: HttpRequest | None = None,
) -> TypicalCase:
    """A leader of the case's subtree publishes or rejects it (checked here too, so a
    command or import cannot publish past the rule)."""
    try:
        return approval_decide(
            obj=case,
            approve=approve,
            actor=actor,
            note=note,
            may_decide=can_decide_typical_case,
            approved_action=audit.TYPICAL_CASE_APPROVED,
            rejected_action=audit.TYPICAL_CASE_REJECTED,
            request=request,
        )
    except ApprovalError as exc:
        raise PublicError(str(exc)) from exc
