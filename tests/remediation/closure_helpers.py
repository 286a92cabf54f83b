"""Items in the states the closure and escalation tests start from."""

from __future__ import annotations

from remediation.models import AcceptanceAttempt, Accountability, EvidenceStatus, ItemStatus
from remediation.services import closure
from tests.factories import (
    RemediationEvidenceFactory,
    RemediationItemFactory,
    RemediationMeasureFactory,
    RemediationPlanFactory,
    survey_responses,
)


def make_item(unit: object, **kwargs: object) -> object:
    plan = RemediationPlanFactory(unit=unit)
    return RemediationItemFactory(plan=plan, **kwargs)


def make_ready(
    unit: object,
    actor: object,
    *,
    resolved: bool = True,
    public: bool = True,
    dealt: bool = True,
    submit: bool = True,
) -> object:
    """An item meeting the three don'ts except those switched off, submitted for acceptance."""
    item = make_item(unit)
    RemediationMeasureFactory(item=item, status="done" if resolved else "in_progress")
    RemediationEvidenceFactory(item=item, status=EvidenceStatus.APPROVED)
    survey_responses(item, [5, 5, 4, 5, 4] if public else [2, 3])
    if dealt:
        Accountability.objects.create(
            item=item, person_name="某某", level="direct", disposition="first", detail="谈话提醒"
        )
    if submit:
        closure.item_submit_rectified(item=item, actor=actor, note="已整改")
        item.refresh_from_db()
        assert item.status == ItemStatus.RECTIFIED
        assert AcceptanceAttempt.objects.filter(item=item).count() == 1
    return item
