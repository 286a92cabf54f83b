"""Plans, items, measures, evidence, closure and escalation, and generation from leads and
self-check declarations (R1–R6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from leads.access import can_manage_lead, leads_visible_to, recused_q
from rectify.access import (
    audited_lookup,
    holds_role_over,
    unit_q,
    units_visible_to,
)
from rectify.models import Officer, Role, Unit
from selfcheck.access import can_review_report, selfchecks_visible_to

from ..models import (
    Evidence,
    Item,
    Measure,
    Plan,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    # leads.Lead and selfcheck.SelfCheckReport: remediation reaches those apps only
    # through their ports, so the type names are aliases, not imports.
    from django.db.models import Model as Lead
    from django.db.models import Model as SelfCheckReport

    from rectify.models import AnyUser


ITEM_MANAGER_ROLES = (Role.OFFICE,)
ITEM_WORKER_ROLES = (Role.UNIT_HEAD,)
ITEM_READER_ROLES = (Role.OFFICE, Role.UNIT_HEAD, Role.LEADER)


def my_officer_ids(user: AnyUser) -> QuerySet[Officer]:
    return Officer.objects.filter(user_id=user.pk).values("id")


def items_visible_to(user: AnyUser) -> QuerySet[Item]:
    if not getattr(user, "is_authenticated", False):
        return Item.objects.none()
    me = my_officer_ids(user)
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
        .select_related(
            "plan__campaign", "plan__unit", "unit", "responsible_unit", "responsible_person"
        )
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


def recused_from_source_lead(user: AnyUser, item: Item) -> bool:
    """Whether `user` is recused from the lead `item` was generated from (a subject of it,
    or a possible identity match not ruled out): such a person is told nothing about the
    item, reminders included. No query for an item without a source lead."""
    if item.source_lead_id is None:
        return False
    return Item.objects.filter(pk=item.pk).filter(recused_q(user, prefix="source_lead__")).exists()


def item_visible_to(user: AnyUser, item: Item) -> bool:
    """Whether `user` may open `item` (used to link a linked item, or to name it only)."""
    return items_visible_to(user).filter(pk=item.pk).exists()


def superior_unit(unit: Unit) -> Unit | None:
    """The unit an item of `unit` escalates to: its parent; a region root has none."""
    if unit.depth <= 1:
        return None
    return Unit.objects.filter(path=unit.parent_path()).first()


# --- plans, items, measures, evidence and generation from leads and self-checks -------------
# Workers of an item also include the owners of its measures (they report progress and
# upload evidence for what they own). Sources are shown only to who may see them.


def can_see_plan(user: AnyUser, plan: Plan) -> bool:
    """The same rule as plans_visible_to, for a plan already loaded (no query)."""
    return holds_role_over(user, plan.unit, ITEM_READER_ROLES)


def plan_units_for(user: AnyUser) -> QuerySet[Unit]:
    """Units whose plans the user may create (office staff of their jurisdiction)."""
    return units_visible_to(user, ITEM_MANAGER_ROLES)


def is_measure_owner(user: AnyUser, item: Item) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Measure.objects.filter(item=item, owner__user_id=user.pk).exists()


def can_contribute_to_item(user: AnyUser, item: Item) -> bool:
    """Progress notes and evidence: the item's workers and the owners of its measures."""
    return can_work_on_item(user, item) or is_measure_owner(user, item)


def can_note_measure(user: AnyUser, measure: Measure) -> bool:
    """A progress note on one measure: its owner, or a worker of its item."""
    owner = measure.owner
    if owner is not None and owner.user_id == getattr(user, "pk", None):
        return True
    return can_work_on_item(user, measure.item)


ITEM_ACTIONS: dict[str, Callable[[AnyUser, Item], bool]] = {
    "edit": can_manage_item,
    "add_measure": can_work_on_item,
    "change_measure": can_work_on_item,
    "note": can_contribute_to_item,
    "upload_evidence": can_contribute_to_item,
    "review_evidence": can_manage_item,
}


def item_actions_for(user: AnyUser, item: Item) -> dict[str, bool]:
    """Which of ITEM_ACTIONS the user may do to `item` (the item page's buttons)."""
    return {name: predicate(user, item) for name, predicate in ITEM_ACTIONS.items()}


def get_measure_of_item(item: Item, pk: int) -> Measure:
    """A measure of an item already loaded with `get_item_for_user` (404 otherwise)."""
    measure = Measure.objects.filter(item=item, pk=pk).select_related("owner").first()
    if measure is None:
        raise Http404
    measure.item = item
    return measure


def get_evidence_of_item(item: Item, pk: int) -> Evidence:
    """Evidence of an item already loaded with `get_item_for_user` (404 otherwise)."""
    evidence = Evidence.objects.filter(item=item, pk=pk).select_related("document").first()
    if evidence is None:
        raise Http404
    evidence.item = item
    return evidence


def can_see_source_lead(user: AnyUser, item: Item) -> bool:
    """The source lead is linked only for those who may see the lead itself."""
    if item.source_lead_id is None:
        return False
    return leads_visible_to(user).filter(pk=item.source_lead_id).exists()


def can_see_source_report(user: AnyUser, item: Item) -> bool:
    if item.source_report_id is None:
        return False
    return selfchecks_visible_to(user).filter(pk=item.source_report_id).exists()


def lead_unit(lead: Lead) -> Unit | None:
    """The unit whose problem a lead shows: the subject's unit, else the handling unit."""
    return lead.subject_unit or lead.handling_unit


def can_generate_from_lead(user: AnyUser, lead: Lead) -> bool:
    """生成整改问题 from a lead: who manages the lead and the plans of its unit."""
    unit = lead_unit(lead)
    return bool(unit and can_manage_lead(user, lead) and can_manage_plans_of(user, unit))


def can_generate_from_report(user: AnyUser, report: SelfCheckReport) -> bool:
    """生成整改问题 from a self-check declaration: the report's reviewers (who alone read
    declarations besides the officer)."""
    return can_review_report(user, report)
