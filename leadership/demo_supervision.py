"""Demo 督办单 and 批示 for the `leader` account (run by seed_demo after the leads):
one order on a lead answered by `unithead` and accepted, one overdue order (escalated by
the same service the beat task calls), one instruction awaiting 签收. Idempotent: nothing is
added once the leader has issued an order. Everything goes through the services."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from leads.access import leads_visible_to

from . import services
from .access import is_addressee
from .models import SupervisionOrder
from .selectors.supervision import lead_addressee


def _user(username: str) -> object | None:
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def seed() -> dict[str, int]:
    leader, head = _user("leader"), _user("unithead")
    if leader is None or head is None:
        return {}
    if SupervisionOrder.objects.filter(issuer=leader).exists():
        return {}  # already seeded
    today = timezone.localdate()
    candidates = leads_visible_to(leader).filter(handling_unit__isnull=False).order_by("id")
    leads = [
        lead
        for lead in candidates.select_related("handling_unit", "office__jurisdiction")[:200]
        if lead.is_open
        and is_addressee(head, lead_addressee(lead))
        and leads_visible_to(head).filter(pk=lead.pk).exists()
    ][:2]
    if not leads:
        return {}
    first, second = leads[0], leads[-1]
    answered = services.supervision_order_issue(
        actor=leader,
        lead=first,
        content="该线索反映问题性质严重，群众关注度高，请加快核查进度。",
        requirement="请于期限内将核查进展、下一步措施书面回复市教育整顿领导小组办公室。",
        deadline=today + dt.timedelta(days=10),
    )
    services.supervision_reply_submit(
        actor=head,
        order=answered,
        text="已成立专班，完成对相关人员的谈话和调取材料，预计两周内查结。",
    )
    services.supervision_reply_accept(actor=leader, order=answered)
    overdue = services.supervision_order_issue(
        actor=leader,
        lead=second,
        content="该线索超期未办结，请说明原因并限期办结。",
        requirement="请书面回复超期原因、责任人和办结时限。",
        deadline=today,
    )
    # Issued two weeks ago with a deadline three days past: the demo shows an overdue order.
    SupervisionOrder.objects.filter(pk=overdue.pk).update(
        deadline=today - dt.timedelta(days=3),
        issued_at=timezone.now() - dt.timedelta(days=14),
    )
    services.supervision_escalate_overdue(today=today)
    instruction = services.instruction_issue(
        actor=leader,
        lead=first,
        text="要坚持实事求是，依纪依法查清问题，既不放过也不冤枉。",
        deadline=today + dt.timedelta(days=7),
    )
    return {"orders": 2, "instructions": 1, "instruction": instruction.pk}
