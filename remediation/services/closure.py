"""Closure of an item (R5): submitting it for acceptance, accepting it under the three
don'ts (三个不放过), returning it with a reason, the accountability record and the leader's
survey waiver. Every attempt and every reason is kept; status moves only through
remediation.workflow.item_transition, the acceptance with the closure gate as its guard.
Who may call which function is decided by remediation.access.ITEM_CLOSURE_ACTIONS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify.audit import audit_record
from rectify.models import AuditVerb, Officer

from .. import audit
from ..models import (
    AcceptanceAttempt,
    Accountability,
    AttemptDecision,
    Item,
    ItemStatus,
)
from ..selectors.closure import closure_missing
from ..workflow import ItemWorkflowError, RemediationError, item_transition

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import AnyUser

NOTE_REQUIRED = _("请填写整改情况")
REASON_REQUIRED = _("请填写理由")
NO_PENDING_ATTEMPT = _("没有待验收的整改情况")
ALREADY_WAIVED = _("已免于群众验收，无需重复操作")
ITEM_CLOSED = _("该问题已验收，不能再修改")
PERSON_REQUIRED = _("请选择责任人，或填写其姓名")


class ClosureError(RemediationError):
    """A refusal of a closure action (its message is for the user)."""


def _user(actor: AnyUser) -> AnyUser | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _pending(item: Item) -> AcceptanceAttempt:
    attempt = (
        AcceptanceAttempt.objects.select_for_update()
        .filter(item=item, decision=AttemptDecision.PENDING)
        .order_by("-submitted_at", "-id")
        .first()
    )
    if attempt is None:
        raise ClosureError(NO_PENDING_ATTEMPT)
    return attempt


@transaction.atomic
def item_submit_rectified(
    *, item: Item, actor: AnyUser, note: str, request: HttpRequest | None = None
) -> AcceptanceAttempt:
    """The unit marks the item rectified and submits it for acceptance: a pending attempt
    carrying the note, and the move to rectified (待验收)."""
    note = (note or "").strip()
    if not note:
        raise ClosureError(NOTE_REQUIRED)
    attempt = AcceptanceAttempt(item=item, note=note, submitted_by=_user(actor))
    attempt.full_clean()
    item_transition(item, ItemStatus.RECTIFIED, actor=actor, request=request)
    attempt.save()
    Item.objects.filter(pk=item.pk).update(rectified_note=note)
    item.rectified_note = note
    audit_record(
        actor=actor,
        action=audit.ACCEPTANCE_SUBMITTED,
        verb=AuditVerb.CREATE,
        target=item,
        data={"attempt": attempt.pk},
        request=request,
    )
    return attempt


@transaction.atomic
def item_accept(
    *, item: Item, actor: AnyUser, request: HttpRequest | None = None
) -> AcceptanceAttempt:
    """The supervising office accepts: refused with every missing condition named
    (ItemWorkflowError.reasons) unless the three don'ts hold and, for an escalated item,
    the superior's item is accepted."""
    if item.status != ItemStatus.RECTIFIED:
        raise ItemWorkflowError(_("只有待验收的问题才能验收"))
    attempt = _pending(item)
    item_transition(
        item,
        ItemStatus.ACCEPTED,
        actor=actor,
        request=request,
        guard=closure_missing,
        data={"attempt": attempt.pk},
    )
    attempt.decision = AttemptDecision.ACCEPTED
    attempt.decided_by = _user(actor)
    attempt.decided_at = timezone.now()
    attempt.save(update_fields=["decision", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=audit.ACCEPTANCE_ACCEPTED,
        verb=AuditVerb.CHANGE,
        target=item,
        data={"attempt": attempt.pk},
        request=request,
    )
    return attempt


@transaction.atomic
def item_return(
    *, item: Item, actor: AnyUser, reason: str, request: HttpRequest | None = None
) -> AcceptanceAttempt:
    """The office returns the item for more work; the reason stays on the attempt, and the
    item goes back to in progress (整改中)."""
    reason = (reason or "").strip()
    if not reason:
        raise ClosureError(REASON_REQUIRED)
    if item.status != ItemStatus.RECTIFIED:
        raise ItemWorkflowError(_("只有待验收的问题才能退回"))
    attempt = _pending(item)
    item_transition(item, ItemStatus.IN_PROGRESS, actor=actor, request=request)
    attempt.decision = AttemptDecision.RETURNED
    attempt.reason = reason
    attempt.decided_by = _user(actor)
    attempt.decided_at = timezone.now()
    attempt.full_clean()
    attempt.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=audit.ACCEPTANCE_RETURNED,
        verb=AuditVerb.CHANGE,
        target=item,
        data={"attempt": attempt.pk, "reason": reason[:200]},
        request=request,
    )
    return attempt


def _refuse_closed(item: Item) -> None:
    if item.status == ItemStatus.ACCEPTED:
        raise ClosureError(ITEM_CLOSED)


@transaction.atomic
def accountability_record(
    *,
    item: Item,
    actor: AnyUser,
    level: str,
    disposition: str,
    officer: Officer | None = None,
    person_name: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> Accountability:
    """Condition (3): someone responsible was dealt with (a register officer or a name,
    the level of responsibility, the disposition under the four forms, what was done)."""
    _refuse_closed(item)
    person_name = (person_name or "").strip()
    if officer is None and not person_name:
        raise ClosureError(PERSON_REQUIRED)
    record = Accountability(
        item=item,
        officer=officer,
        person_name="" if officer else person_name,
        level=level,
        disposition=disposition,
        detail=(detail or "").strip(),
        recorded_by=_user(actor),
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action=audit.ACCOUNTABILITY_RECORDED,
        verb=AuditVerb.CREATE,
        target=record,
        data={"item": item.pk, "level": level, "disposition": disposition},
        request=request,
    )
    return record


@transaction.atomic
def accountability_no_one_to_blame(
    *, item: Item, actor: AnyUser, reason: str, request: HttpRequest | None = None
) -> Accountability:
    """Condition (3) by a recorded finding that nobody is to blame, with its reason."""
    _refuse_closed(item)
    reason = (reason or "").strip()
    if not reason:
        raise ClosureError(REASON_REQUIRED)
    record = Accountability(
        item=item, no_one_to_blame=True, detail=reason, recorded_by=_user(actor)
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action=audit.ACCOUNTABILITY_RECORDED,
        verb=AuditVerb.CREATE,
        target=record,
        data={"item": item.pk, "no_one_to_blame": True},
        request=request,
    )
    return record


@transaction.atomic
def item_waive_survey(
    *, item: Item, actor: AnyUser, reason: str, request: HttpRequest | None = None
) -> Item:
    """Condition (2) waived by a leader (the caller checks access.can_waive_survey), with
    a reason kept on the item and in the audit trail."""
    reason = (reason or "").strip()
    if not reason:
        raise ClosureError(REASON_REQUIRED)
    locked = Item.objects.select_for_update().get(pk=item.pk)
    _refuse_closed(locked)
    if locked.survey_waiver_reason:
        raise ClosureError(ALREADY_WAIVED)
    locked.survey_waiver_reason = reason
    locked.survey_waived_by = _user(actor)
    locked.updated_at = timezone.now()
    locked.full_clean(exclude=["plan", "unit", "responsible_unit", "escalated_to"])
    locked.save(update_fields=["survey_waiver_reason", "survey_waived_by", "updated_at"])
    audit_record(
        actor=actor,
        action=audit.ITEM_SURVEY_WAIVED,
        verb=AuditVerb.CHANGE,
        target=locked,
        data={"reason": reason[:200]},
        request=request,
    )
    item.survey_waiver_reason = locked.survey_waiver_reason
    item.survey_waived_by = locked.survey_waived_by
    return item
