"""Escalation (R6, 表现在基层、根子在上面): a unit hands an item whose root lies higher to
its superior unit. The superior gets a linked item of its own, on its plan for the same
problem (created, owned by the superior, if it has none); the lower item then waits for
the superior's to be accepted (remediation.rules.closure). The superior may escalate its
item again, so a problem climbs as far as its root. A region root has no superior."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify import figures
from rectify.audit import audit_record
from rectify.models import AuditVerb, Unit

from .. import audit
from ..access import superior_unit
from ..models import Item, ItemStatus, Plan
from .closure import REASON_REQUIRED, ClosureError

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import AnyUser

NO_SUPERIOR = _("本单位没有上级单位，不能上报")
ALREADY_ESCALATED = _("该问题已上报上级，不能重复上报")
ESCALATE_CLOSED = _("该问题已验收，不能上报")
ESCALATED_GOAL = _(
    "承接下级单位上报的问题（表现在基层、根子在上面），从本级层面把脉问诊、整改到位。"
)
NUMBER_MAX = 40


def _user(actor: AnyUser) -> AnyUser | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _superior_plan(plan: Plan, superior: Unit, actor: AnyUser, request: HttpRequest | None) -> Plan:
    """The superior unit's plan for the same campaign and problem; made if missing."""
    found = Plan.objects.filter(
        campaign_id=plan.campaign_id, unit=superior, problem=plan.problem, n_item=plan.n_item_id
    ).first()
    if found is not None:
        return found
    label = plan.get_problem_display() if plan.problem else str(plan.n_item)
    today = timezone.localdate()
    made = Plan(
        campaign_id=plan.campaign_id,
        unit=superior,
        problem=plan.problem,
        n_item_id=plan.n_item_id,
        title=_("%(unit)s%(problem)s专项整治方案") % {"unit": superior.name, "problem": label},
        goal=ESCALATED_GOAL,
        start_date=today,
        end_date=max(plan.end_date, today),
        created_by=_user(actor),
    )
    made.full_clean()
    made.save()
    audit_record(
        actor=actor,
        action=audit.PLAN_CREATED,
        verb=AuditVerb.CREATE,
        target=made,
        data={"escalated_from_plan": plan.pk},
        request=request,
    )
    return made


def _upper_number(lower: Item) -> str:
    """The lower number with a suffix per level climbed; the id keeps it unique if long."""
    number = f"{lower.number}-S"
    if len(number) > NUMBER_MAX or Item.objects.filter(number=number).exists():
        number = f"S{lower.pk}-{lower.number}"[:NUMBER_MAX]
    return number


@transaction.atomic
def item_escalate(
    *, item: Item, actor: AnyUser, reason: str, request: HttpRequest | None = None
) -> Item:
    """Escalate `item` to its unit's parent (the caller checks access.can_escalate_item);
    returns the superior's new item. The new item keeps the description, kind, tags,
    origin, deadline and the subjects (recusal follows the problem), and is the superior
    unit's to work on."""
    reason = (reason or "").strip()
    if not reason:
        raise ClosureError(REASON_REQUIRED)
    lower = Item.objects.select_for_update().select_related("plan", "unit").get(pk=item.pk)
    if lower.escalated_to_id:
        raise ClosureError(ALREADY_ESCALATED)
    if lower.status == ItemStatus.ACCEPTED:
        raise ClosureError(ESCALATE_CLOSED)
    superior = superior_unit(lower.unit)
    if superior is None:
        raise ClosureError(NO_SUPERIOR)
    plan = _superior_plan(lower.plan, superior, actor, request)
    now = timezone.now()
    upper = Item(
        plan=plan,
        unit=superior,
        number=_upper_number(lower),
        description=lower.description,
        kind=lower.kind,
        is_hotspot=lower.is_hotspot,
        is_blocking=lower.is_blocking,
        is_difficulty=lower.is_difficulty,
        origin=lower.origin,
        # Kept for recusal only: a subject of the source lead must not see this item either.
        source_lead_id=lower.source_lead_id,
        deadline=lower.deadline,
        responsible_unit=superior,
        created_by=_user(actor),
        created_at=now,
        updated_at=now,
    )
    upper.full_clean()
    upper.save()
    figures.touch("rm", [upper.unit_id])
    upper.subjects.set(lower.subjects.all())
    lower.escalated_to = upper
    lower.escalation_reason = reason
    lower.escalated_at = now
    lower.updated_at = now
    lower.full_clean(exclude=["plan", "unit", "responsible_unit", "escalated_to"])
    lower.save(update_fields=["escalated_to", "escalation_reason", "escalated_at", "updated_at"])
    audit_record(
        actor=actor,
        action=audit.ITEM_ESCALATED,
        verb=AuditVerb.CHANGE,
        target=lower,
        data={"to_item": upper.pk, "to_unit": superior.pk, "reason": reason[:200]},
        request=request,
    )
    audit_record(
        actor=actor,
        action=audit.ITEM_ESCALATED,
        verb=AuditVerb.CREATE,
        target=upper,
        data={"from_item": lower.pk, "from_unit": lower.unit_id},
        request=request,
    )
    item.escalated_to = upper
    item.escalation_reason = reason
    item.escalated_at = now
    return upper
