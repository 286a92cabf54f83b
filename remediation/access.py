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

from leads.access import can_manage_lead, leads_visible_to, recused_q
from rectify.access import (
    audited_lookup,
    has_role,
    holds_role_over,
    scope_paths,
    unit_q,
    units_visible_to,
)
from rectify.approval import SUBMITTABLE as APPROVAL_SUBMITTABLE
from rectify.approval import ApprovalStatus
from rectify.models import Officer, Role, Unit
from selfcheck.access import can_review_report, selfchecks_visible_to

from .models import (
    Commitment,
    Evidence,
    Item,
    Measure,
    Meeting,
    Plan,
    PracticalMatter,
    ProblemListImport,
    Rotation,
    Rule,
    RuleStatus,
    TypicalCase,
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


# --- outputs: rules (R7), rotations (R8), meetings (O3) ------------------------------------
# Rules hold no case content: office staff, unit heads and leaders of the issuing unit's
# subtree read them; office staff of that subtree create, edit, issue and repeal them.
# Rotations: readers of either the from or the to unit see them. They are recorded by the
# office whose jurisdiction holds BOTH units: a district office moves officers inside its
# district, a move across districts is recorded by the office of their shared ancestor (the
# city's), which also sees both sides. So nobody moves an officer into a unit they cannot
# see, nor takes an officer from a unit outside their jurisdiction.
# Meetings: readers of the meeting's unit; office staff and leaders of it record them.
# RECUSAL: a subject of any linked lead does not see the meeting at all; a linked lead is
# shown only to those who may see it (the page asks leads.access.leads_visible_to).

OUTPUT_READER_ROLES = ITEM_READER_ROLES
RULE_MANAGER_ROLES = (Role.OFFICE,)
ROTATION_MANAGER_ROLES = (Role.OFFICE,)
MEETING_WRITER_ROLES = (Role.OFFICE, Role.LEADER)


def rules_visible_to(user: AnyUser) -> QuerySet[Rule]:
    if not getattr(user, "is_authenticated", False):
        return Rule.objects.none()
    return Rule.objects.filter(unit_q(user, OUTPUT_READER_ROLES, prefix="unit__"))


@audited_lookup("remediation.rule")
def get_rule_for_user(user: AnyUser, pk: int) -> Rule:
    rule = (
        rules_visible_to(user)
        .filter(pk=pk)
        .select_related("unit", "document", "revises")
        .defer("document__content")
        .first()
    )
    if rule is None:
        raise Http404
    return rule


def can_manage_rules_of(user: AnyUser, unit: object) -> bool:
    """Office staff of the unit's subtree create and edit its rules."""
    return holds_role_over(user, unit, RULE_MANAGER_ROLES)  # type: ignore[arg-type]


def can_manage_rule(user: AnyUser, rule: Rule) -> bool:
    return can_manage_rules_of(user, rule.unit)


def rotations_visible_to(user: AnyUser) -> QuerySet[Rotation]:
    if not getattr(user, "is_authenticated", False):
        return Rotation.objects.none()
    return Rotation.objects.filter(
        unit_q(user, OUTPUT_READER_ROLES, prefix="from_unit__")
        | unit_q(user, OUTPUT_READER_ROLES, prefix="to_unit__")
    )


@audited_lookup("remediation.rotation")
def get_rotation_for_user(user: AnyUser, pk: int) -> Rotation:
    rotation = (
        rotations_visible_to(user)
        .filter(pk=pk)
        .select_related("officer__unit", "from_unit", "to_unit")
        .first()
    )
    if rotation is None:
        raise Http404
    return rotation


def can_record_rotation(user: AnyUser, from_unit: object, to_unit: object) -> bool:
    """Office staff whose jurisdiction holds both units (see the section comment)."""
    return holds_role_over(user, from_unit, ROTATION_MANAGER_ROLES) and holds_role_over(  # type: ignore[arg-type]
        user,
        to_unit,  # type: ignore[arg-type]
        ROTATION_MANAGER_ROLES,
    )


def can_record_rotations(user: AnyUser) -> bool:
    return bool(scope_paths(user, ROTATION_MANAGER_ROLES))


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    if not getattr(user, "is_authenticated", False):
        return Meeting.objects.none()
    recused = Meeting.leads.through.objects.filter(recused_q(user, prefix="lead__")).values(
        "meeting_id"
    )
    return Meeting.objects.filter(unit_q(user, OUTPUT_READER_ROLES, prefix="unit__")).exclude(
        pk__in=recused
    )


@audited_lookup("remediation.meeting")
def get_meeting_for_user(user: AnyUser, pk: int) -> Meeting:
    meeting = meetings_visible_to(user).filter(pk=pk).select_related("unit").first()
    if meeting is None:
        raise Http404
    return meeting


def can_record_meetings_of(user: AnyUser, unit: object) -> bool:
    return holds_role_over(user, unit, MEETING_WRITER_ROLES)  # type: ignore[arg-type]


def can_edit_meeting(user: AnyUser, meeting: Meeting) -> bool:
    return can_record_meetings_of(user, meeting.unit)


# Choosers of the outputs' forms: only what the user may see can be linked.


def rule_revision_choices(user: AnyUser) -> QuerySet[Rule]:
    """Issued rules the user manages: what a new rule may revise."""
    from_units = Unit.objects.filter(unit_q(user, RULE_MANAGER_ROLES)).values("id")
    return (
        rules_visible_to(user)
        .filter(status=RuleStatus.ISSUED, unit_id__in=from_units)
        .select_related("unit")
        .order_by("-issued_on", "-id")[:200]
    )


def visible_items_by_number(user: AnyUser, numbers: list[str]) -> dict[str, Item]:
    """The visible items among `numbers` (one query): the item chooser of rules and
    meetings resolves typed numbers only among what the user may see."""
    if not numbers:
        return {}
    found = items_visible_to(user).filter(number__in=numbers).select_related("unit")
    return {item.number: item for item in found}


def visible_leads_by_number(user: AnyUser, numbers: list[str]) -> dict[str, object]:
    if not numbers:
        return {}
    return {lead.number: lead for lead in leads_visible_to(user).filter(number__in=numbers)}


# --- problem-list Excel import (R4) -------------------------------------------------------


def get_list_import_for_user(user: AnyUser, pk: int) -> ProblemListImport:
    """An import job is seen only by its uploader (its preview names the items)."""
    job = (
        ProblemListImport.objects.filter(pk=pk, created_by_id=getattr(user, "pk", None))
        .select_related("unit")
        .first()
    )
    if job is None:
        raise Http404
    return job


# --- public commitments, survey, practical matters, typical cases (O4–O6) ----------------
# Office staff manage commitments, survey batches, practical matters and typical cases of
# their jurisdiction; unit heads manage the practical matters of their subtree; leaders
# read results and decide on typical cases; a matter's owner completes it. What the public
# sees (published commitments, public matters, approved cases) is chosen in
# remediation.selectors.public, never by an id alone.

PUBLIC_MANAGER_ROLES = (Role.OFFICE,)
PUBLIC_READER_ROLES = (Role.OFFICE, Role.LEADER)
MATTER_MANAGER_ROLES = (Role.OFFICE, Role.UNIT_HEAD)
MATTER_READER_ROLES = (Role.OFFICE, Role.UNIT_HEAD, Role.LEADER)
CASE_DECIDER_ROLES = (Role.LEADER,)


def commitments_visible_to(user: AnyUser) -> QuerySet[Commitment]:
    if not getattr(user, "is_authenticated", False):
        return Commitment.objects.none()
    return Commitment.objects.filter(unit_q(user, PUBLIC_READER_ROLES, prefix="unit__"))


@audited_lookup("remediation.commitment")
def get_commitment_for_user(user: AnyUser, pk: int) -> Commitment:
    found = commitments_visible_to(user).filter(pk=pk).select_related("unit").first()
    if found is None:
        raise Http404
    return found


def can_manage_public_of(user: AnyUser, unit: Unit) -> bool:
    """Office staff of the unit's subtree: commitments, survey batches, typical cases."""
    return holds_role_over(user, unit, PUBLIC_MANAGER_ROLES)


def can_read_survey_results(user: AnyUser) -> bool:
    return has_role(user, *PUBLIC_READER_ROLES)


def survey_units_q(user: AnyUser, *, prefix: str = "unit__") -> Q:
    """Survey results a user may read: those of units in their office or leader subtree."""
    return unit_q(user, PUBLIC_READER_ROLES, prefix=prefix)


def matters_visible_to(user: AnyUser) -> QuerySet[PracticalMatter]:
    if not getattr(user, "is_authenticated", False):
        return PracticalMatter.objects.none()
    return PracticalMatter.objects.filter(
        unit_q(user, MATTER_READER_ROLES, prefix="unit__") | Q(owner_id__in=_me(user))
    )


@audited_lookup("remediation.practicalmatter")
def get_matter_for_user(user: AnyUser, pk: int) -> PracticalMatter:
    found = matters_visible_to(user).filter(pk=pk).select_related("unit", "owner__unit").first()
    if found is None:
        raise Http404
    return found


def can_manage_matters_of(user: AnyUser, unit: Unit) -> bool:
    return holds_role_over(user, unit, MATTER_MANAGER_ROLES)


def can_complete_matter(user: AnyUser, matter: PracticalMatter) -> bool:
    """The owner marks it done; office staff and unit heads of its subtree may too."""
    if matter.completed_at is not None:
        return False
    owner = matter.owner
    return owner.user_id == getattr(user, "pk", None) or can_manage_matters_of(user, matter.unit)


def typical_cases_visible_to(user: AnyUser) -> QuerySet[TypicalCase]:
    """Office staff and leaders see every case of their subtree; any officer sees the
    published cases of their own unit and of the units above it."""
    if not getattr(user, "is_authenticated", False):
        return TypicalCase.objects.none()
    q = unit_q(user, PUBLIC_READER_ROLES, prefix="unit__")
    officer = Officer.objects.filter(user_id=user.pk).select_related("unit").first()
    if officer is not None:
        q |= Q(status=ApprovalStatus.PUBLISHED, unit__path__in=officer.unit.ancestor_paths())
    return TypicalCase.objects.filter(q)


@audited_lookup("remediation.typicalcase")
def get_typical_case_for_user(user: AnyUser, pk: int) -> TypicalCase:
    found = typical_cases_visible_to(user).filter(pk=pk).select_related("unit").first()
    if found is None:
        raise Http404
    return found


def can_decide_typical_case(user: AnyUser, case: TypicalCase) -> bool:
    """Leaders of the case's unit subtree approve or reject it (never its drafter's
    office role alone)."""
    return holds_role_over(user, case.unit, CASE_DECIDER_ROLES)


def can_submit_typical_case(user: AnyUser, case: TypicalCase) -> bool:
    return case.status in APPROVAL_SUBMITTABLE and can_manage_public_of(user, case.unit)
