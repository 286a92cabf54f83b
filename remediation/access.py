"""Who may see and do what in special remediation: the app's object rules, built on the unit
and role primitives of rectify.access and on the recusal rule of leads.access.

- Office staff see and manage every item of their jurisdiction (unit subtree); they create
  plans and items, review evidence, accept or return items.
- A unit head sees and works on the items of their unit subtree (measures, evidence,
  rectified, escalation); the item's responsible person and the owners of its measures see
  the item and work on it too.
- Leaders see the items of their subtree and may waive the public survey with a reason.
- RECUSAL: nobody sees an item about themselves (its subjects), nor an item generated from a
  lead in which they are a subject. Items generated from a lead never carry the lead's
  content: their pages show the lead only to those who may see it.

Visible sets are id subqueries, so every scoped list costs the same number of queries;
`get_<obj>_for_user` gives 404 for what the user may not see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from leads.access import recused_q
from rectify.access import audited_lookup, holds_role_over, unit_q
from rectify.models import Officer, Role, Unit

from .models import Item, Measure, Plan

if TYPE_CHECKING:
    from rectify.models import AnyUser

ITEM_MANAGER_ROLES = (Role.OFFICE,)
ITEM_WORKER_ROLES = (Role.UNIT_HEAD,)
ITEM_READER_ROLES = (Role.OFFICE, Role.UNIT_HEAD, Role.LEADER)


def _me(user: AnyUser) -> QuerySet[Officer]:
    return Officer.objects.filter(user_id=user.pk).values("id")


def items_visible_to(user: AnyUser) -> QuerySet[Item]:
    if not getattr(user, "is_authenticated", False):
        return Item.objects.none()
    me = _me(user)
    owned = Measure.objects.filter(owner_id__in=me).values("item_id")
    q = (
        unit_q(user, ITEM_READER_ROLES, prefix="unit__")
        | Q(responsible_person_id__in=me)
        | Q(pk__in=owned)
    )
    about_me = Item.subjects.through.objects.filter(officer_id__in=me).values("item_id")
    return (
        Item.objects.filter(q)
        .exclude(pk__in=about_me)
        .exclude(recused_q(user, prefix="source_lead__"))
    )


@audited_lookup("remediation.item")
def get_item_for_user(user: AnyUser, pk: int) -> Item:
    item = (
        items_visible_to(user)
        .filter(pk=pk)
        .select_related("plan", "unit", "responsible_unit", "responsible_person")
        .first()
    )
    if item is None:
        raise Http404
    return item


def plans_visible_to(user: AnyUser) -> QuerySet[Plan]:
    """Plans of the units the user reads remediation of (a plan holds no case content)."""
    if not getattr(user, "is_authenticated", False):
        return Plan.objects.none()
    return Plan.objects.filter(unit_q(user, ITEM_READER_ROLES, prefix="unit__"))


@audited_lookup("remediation.plan")
def get_plan_for_user(user: AnyUser, pk: int) -> Plan:
    plan = plans_visible_to(user).filter(pk=pk).select_related("unit", "leader").first()
    if plan is None:
        raise Http404
    return plan


def can_manage_item(user: AnyUser, item: Item) -> bool:
    """Office staff of the item's unit subtree (edit, review evidence, accept, return)."""
    return holds_role_over(user, item.unit, ITEM_MANAGER_ROLES)


def can_work_on_item(user: AnyUser, item: Item) -> bool:
    """The unit (its head), the responsible person and office staff: measures, progress,
    evidence, marking rectified, escalation."""
    if can_manage_item(user, item) or holds_role_over(user, item.unit, ITEM_WORKER_ROLES):
        return True
    person = item.responsible_person
    return bool(person and person.user_id == getattr(user, "pk", None))


def can_manage_plans_of(user: AnyUser, unit: object) -> bool:
    """Office staff create and edit the plans of units in their jurisdiction."""
    return holds_role_over(user, unit, ITEM_MANAGER_ROLES)  # type: ignore[arg-type]


def can_waive_survey(user: AnyUser, item: Item) -> bool:
    """A leader of the item's subtree may waive condition (2) with a reason."""
    return holds_role_over(user, item.unit, [Role.LEADER])


# --- closure and escalation (R5, R6) ---------------------------------------------------


def can_record_accountability(user: AnyUser, item: Item) -> bool:
    """The supervising office records who was dealt with, or that nobody is to blame."""
    return can_manage_item(user, item)


def can_escalate_item(user: AnyUser, item: Item) -> bool:
    """Whoever works on the item may escalate it to the superior unit (the service checks
    that there is one and that the item is not already escalated or accepted)."""
    return can_work_on_item(user, item)


# What each closure action needs; the item page asks it which forms to draw and each
# action view asks it before calling its service.
ITEM_CLOSURE_ACTIONS = {
    "submit": can_work_on_item,
    "accept": can_manage_item,
    "return": can_manage_item,
    "accountability": can_record_accountability,
    "no_one_to_blame": can_record_accountability,
    "waive_survey": can_waive_survey,
    "escalate": can_escalate_item,
}


def item_visible_to(user: AnyUser, item: Item) -> bool:
    """Whether `user` may open `item` (used to link a linked item, or to name it only)."""
    return items_visible_to(user).filter(pk=item.pk).exists()


def superior_unit(unit: Unit) -> Unit | None:
    """The unit an item of `unit` escalates to: its parent; a region root has none."""
    if unit.depth <= 1:
        return None
    return Unit.objects.filter(path=unit.parent_path()).first()
