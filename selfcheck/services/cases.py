"""Warning cases: drafting, the leader's decision, confirmed reading (S2 / O6)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from rectify.approval import ApprovalError, approval_decide
from rectify.audit import audit_record
from rectify.models import AuditVerb, Officer, Unit

from .. import audit
from ..errors import (
    CASE_NOT_PENDING,
    CASE_NOT_PUBLISHED,
    SelfCheckError,
)
from ..models import (
    CaseRead,
    CaseStatus,
    WarningCase,
)

CASE_NOTE_MAX = WarningCase._meta.get_field("decision_note").max_length


@transaction.atomic
def warning_case_create(
    *, unit: Unit, title: str, body: str, lesson: str, category: str, actor: AbstractBaseUser | None
) -> WarningCase:
    """Office staff draft a case; it goes straight to the leader's approval queue."""
    case = WarningCase(
        unit=unit,
        title=title,
        body=body,
        lesson=lesson,
        category=category,
        status=CaseStatus.PENDING,
        created_by=actor,
    )
    case.full_clean()
    case.save()
    audit_record(actor=actor, action=audit.CASE_CREATED, verb=AuditVerb.CREATE, target=case)
    return case


def warning_case_decide(
    *, case: WarningCase, approve: bool, actor: AbstractBaseUser | None, note: str = ""
) -> WarningCase:
    """The leader's decision, through the shared approval mechanism (rectify.approval).
    Who may decide is checked by the view (selfcheck.access.can_decide_case)."""
    try:
        return approval_decide(
            obj=case,
            approve=approve,
            actor=actor,
            note=note,
            may_decide=None,
            approved_action=audit.CASE_APPROVED,
            rejected_action=audit.CASE_REJECTED,
            not_pending=CASE_NOT_PENDING,
        )
    except ApprovalError as exc:
        raise SelfCheckError(str(exc)) from exc


@transaction.atomic
def warning_case_confirm_read(
    *, case: WarningCase, officer: Officer, actor: AbstractBaseUser | None
) -> CaseRead:
    if case.status != CaseStatus.PUBLISHED:
        raise SelfCheckError(str(CASE_NOT_PUBLISHED))
    read, created = CaseRead.objects.get_or_create(case=case, officer=officer)
    if created:
        audit_record(
            actor=actor, action=audit.CASE_READ_CONFIRMED, verb=AuditVerb.CREATE, target=case
        )
    return read
