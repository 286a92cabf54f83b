"""Rules (R7), rotations (R8), meetings (O3), and the problem-list import (R4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from leads.access import leads_visible_to, recused_q
from rectify.access import (
    audited_lookup,
    holds_role_over,
    scope_paths,
    unit_q,
)
from rectify.models import Role, Unit

from ..models import (
    Item,
    Meeting,
    ProblemListImport,
    Rotation,
    Rule,
    RuleStatus,
)

if TYPE_CHECKING:
    # leads.Lead and selfcheck.SelfCheckReport: remediation reaches those apps only
    # through their ports, so the type names are aliases, not imports.

    from rectify.models import AnyUser

from .items import ITEM_READER_ROLES, items_visible_to

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
