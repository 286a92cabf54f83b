"""Warning cases: drafting, the leader's decision, confirmed reading (S2 / O6)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify.audit import audit_record
from rectify.models import AuditVerb, Officer, Unit

from .. import audit
from ..errors import (
    CASE_NOT_PENDING,
    CASE_NOT_PUBLISHED,
    SelfCheckError,
    refuse_too_long,
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


@transaction.atomic
def warning_case_decide(
    *, case: WarningCase, approve: bool, actor: AbstractBaseUser | None, note: str = ""
) -> WarningCase:
    case = WarningCase.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.PENDING:
        raise SelfCheckError(str(CASE_NOT_PENDING))
    case.status = CaseStatus.PUBLISHED if approve else CaseStatus.REJECTED
    case.decided_by = actor
    case.decided_at = timezone.now()
    note = (note or "").strip()
    refuse_too_long(note, CASE_NOTE_MAX, _("审批意见"))
    case.decision_note = note
    case.full_clean()
    case.save()
    audit_record(
        actor=actor,
        action=audit.CASE_APPROVED if approve else audit.CASE_REJECTED,
        verb=AuditVerb.CHANGE,
        target=case,
    )
    return case


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
