"""Who may open the leaders' pages, on rectify's primitives."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from leads.access import recused_q
from rectify import access
from rectify.access import assignments_of, audited_lookup, holds_role_over, unit_q
from rectify.models import Office, Role, Unit
from rectify.selectors import superior_office

from .models import (
    Bulletin,
    BulletinStatus,
    Instruction,
    InstructionStatus,
    OrderStatus,
    Report,
    SupervisionOrder,
)

if TYPE_CHECKING:
    from rectify.models import AnyUser

# Leaders and the campaign offices that prepare their dashboards and reports.
DASHBOARD_ROLES = (Role.LEADER, Role.OFFICE)


# --- supervision (O1): 督办单 and 批示 ----------------------------------------------------------
# Only a leader issues, in their own name, to a unit in their subtree (office staff prepare
# the text, but the notice is signed by the leader; so the issuer is always a LEADER). The
# addressee unit answers through its unit head or the office staff over it. An order or an
# instruction is visible to its issuer, to leaders, offices and unit heads whose subtree
# holds the addressee, to the person it was escalated to or named in it. RECUSAL: nobody
# who is a subject of the lead (or of the item's source lead) sees one about it, whatever
# their role (404, and absent from every list and count).

SUPERVISION_ISSUER_ROLES = (Role.LEADER,)
ADDRESSEE_ROLES = (Role.UNIT_HEAD, Role.OFFICE)
SUPERVISION_READER_ROLES = (Role.LEADER, Role.OFFICE, Role.UNIT_HEAD)


def supervision_recused_q(user: AnyUser) -> Q:
    return recused_q(user, prefix="lead__") | recused_q(user, prefix="item__source_lead__")


def _supervision_visible_q(user: AnyUser) -> Q:
    return Q(issuer_id=user.pk) | unit_q(user, SUPERVISION_READER_ROLES, prefix="unit__")


def orders_visible_to(user: AnyUser) -> QuerySet[SupervisionOrder]:
    if not getattr(user, "is_authenticated", False):
        return SupervisionOrder.objects.none()
    q = _supervision_visible_q(user) | Q(escalated_person__user_id=user.pk)
    return SupervisionOrder.objects.filter(q).exclude(supervision_recused_q(user))


def instructions_visible_to(user: AnyUser) -> QuerySet[Instruction]:
    if not getattr(user, "is_authenticated", False):
        return Instruction.objects.none()
    q = _supervision_visible_q(user) | Q(person__user_id=user.pk)
    return Instruction.objects.filter(q).exclude(supervision_recused_q(user))


@audited_lookup("leadership.supervisionorder")
def get_order_for_user(user: AnyUser, pk: int) -> SupervisionOrder:
    order = (
        orders_visible_to(user)
        .filter(pk=pk)
        .select_related(
            "unit", "issuer__officer", "lead", "item", "escalated_unit", "escalated_person"
        )
        .first()
    )
    if order is None:
        raise Http404
    return order


@audited_lookup("leadership.instruction")
def get_instruction_for_user(user: AnyUser, pk: int) -> Instruction:
    instruction = (
        instructions_visible_to(user)
        .filter(pk=pk)
        .select_related("unit", "issuer__officer", "lead", "item", "person")
        .first()
    )
    if instruction is None:
        raise Http404
    return instruction


def can_issue_to(user: AnyUser, unit: Unit) -> bool:
    """A leader over the addressee unit (its subtree holds it)."""
    return holds_role_over(user, unit, SUPERVISION_ISSUER_ROLES)


def is_addressee(user: AnyUser, unit: Unit) -> bool:
    return holds_role_over(user, unit, ADDRESSEE_ROLES)


def can_reply_order(user: AnyUser, order: SupervisionOrder) -> bool:
    return order.status in (OrderStatus.ISSUED, OrderStatus.RETURNED) and is_addressee(
        user, order.unit
    )


def can_decide_order(user: AnyUser, order: SupervisionOrder) -> bool:
    """Only the issuing leader accepts (closes) or returns a reply."""
    return order.status == OrderStatus.REPLIED and order.issuer_id == getattr(user, "pk", None)


ORDER_ACTIONS: dict[str, Callable[[AnyUser, SupervisionOrder], bool]] = {
    "reply": can_reply_order,
    "accept": can_decide_order,
    "return": can_decide_order,
}


def order_actions_for(user: AnyUser, order: SupervisionOrder) -> dict[str, bool]:
    return {name: rule(user, order) for name, rule in ORDER_ACTIONS.items()}


def _instruction_addressee(user: AnyUser, instruction: Instruction) -> bool:
    named = instruction.person_id and instruction.person.user_id == getattr(user, "pk", None)
    return bool(named) or is_addressee(user, instruction.unit)


def can_acknowledge_instruction(user: AnyUser, instruction: Instruction) -> bool:
    return instruction.status == InstructionStatus.ISSUED and _instruction_addressee(
        user, instruction
    )


def can_answer_instruction(user: AnyUser, instruction: Instruction) -> bool:
    return instruction.status == InstructionStatus.ACKNOWLEDGED and _instruction_addressee(
        user, instruction
    )


INSTRUCTION_ACTIONS: dict[str, Callable[[AnyUser, Instruction], bool]] = {
    "acknowledge": can_acknowledge_instruction,
    "answer": can_answer_instruction,
}


def instruction_actions_for(user: AnyUser, instruction: Instruction) -> dict[str, bool]:
    return {name: rule(user, instruction) for name, rule in INSTRUCTION_ACTIONS.items()}


# --- Reports to the superior and 通报 (O7) -------------------------------------------------
# A user acts for an office when they are its staff (an OFFICE assignment naming it) or lead
# at its jurisdiction (a LEADER assignment on the office's unit). A report is readable by
# whoever requested it, by the office it reports for, and by the superior office it is
# addressed to; anyone else gets 404 (missing and invisible alike).


def offices_of(user: AnyUser) -> list[Office]:
    """The offices the user acts for, nearest the root first."""
    if not getattr(user, "is_authenticated", False):
        return []
    ids = {a.office_id for a in assignments_of(user) if a.role == Role.OFFICE and a.office_id}
    led = [a.unit_id for a in assignments_of(user) if a.role in (Role.LEADER, Role.OFFICE)]
    rows = Office.objects.filter(Q(pk__in=ids) | Q(jurisdiction_id__in=led))
    return list(rows.select_related("jurisdiction").order_by("jurisdiction__path"))


def acts_for(user: AnyUser, office: Office | None) -> bool:
    return office is not None and any(o.pk == office.pk for o in offices_of(user))


def can_read_report(user: AnyUser, report: Report, superior: Office | None) -> bool:
    if report.requested_by_id and report.requested_by_id == getattr(user, "pk", None):
        return True
    return acts_for(user, report.office) or acts_for(user, superior)


@audited_lookup("leadership.report")
def get_report_for_user(user: AnyUser, pk: int) -> Report:
    report = Report.objects.filter(pk=pk).select_related("office__jurisdiction").first()
    if report is None or not can_read_report(user, report, superior_office(report.office)):
        raise Http404
    return report


def can_read_bulletin(user: AnyUser, bulletin: Bulletin) -> bool:
    """The issuing office always; an addressee once it is issued."""
    if acts_for(user, bulletin.office):
        return True
    return (
        bulletin.status == BulletinStatus.ISSUED
        and bulletin.receipts.filter(user_id=getattr(user, "pk", None)).exists()
    )


@audited_lookup("leadership.bulletin")
def get_bulletin_for_user(user: AnyUser, pk: int) -> Bulletin:
    bulletin = Bulletin.objects.filter(pk=pk).select_related("office__jurisdiction").first()
    if bulletin is None or not can_read_bulletin(user, bulletin):
        raise Http404
    return bulletin


# --- dashboard (O7): who may change the campaign's thresholds and report period ---------


def can_edit_policy(user: AnyUser) -> bool:
    """The campaign office at the top of the tree (OFFICE over a root unit) or an admin."""
    if getattr(user, "is_superuser", False) or access.has_role(user, Role.ADMIN):
        return True
    return any(len(p) == Unit.steplen for p in access.scope_paths(user, [Role.OFFICE]))
