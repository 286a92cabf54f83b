"""Reads of supervision (O1): 督办单 and 批示 on an object's page, 我督办的 (what a leader
personally supervises) and 待我办理 (what a unit must answer). Every read starts from the
scoped sets of leadership.access (recusal included) or the ports of leads and remediation;
lists are bounded (LIST_LIMIT rows per kind), each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leads import selectors as lead_selectors
from rectify import access
from rectify.models import Campaign, Unit
from rectify.ui import PageSection, TimelineEntry
from remediation.access import items_visible_to

from ..access import (
    ADDRESSEE_ROLES,
    SUPERVISION_ISSUER_ROLES,
    can_issue_to,
    instruction_actions_for,
    instructions_visible_to,
    order_actions_for,
    orders_visible_to,
)
from ..models import (
    OPEN_ORDER_STATUSES,
    InstructionStatus,
    OrderStatus,
    ReplyState,
    SupervisionOrder,
    SupervisionReply,
)
from .levers import unit_levers

if TYPE_CHECKING:
    import datetime as dt

    from django.db.models import Model

    from rectify.models import AnyUser

LIST_LIMIT = 50

# The figures an order or instruction may be about (keys of leadership.selectors.levers:
# a counter key, or a rate property of Levers).
FIGURES: dict[str, Any] = {
    "filing_rate": _("自查填报率（%）"),
    "closure_rate": _("线索查结率（%）"),
    "accepted_rate": _("整改验收率（%）"),
    "ld.overdue": _("线索逾期件数"),
    "rm.overdue": _("整改问题逾期件数"),
    "sc.late": _("自查逾期提交人数"),
    "overdue": _("逾期合计"),
}


def figure_label(key: str) -> str:
    return str(FIGURES.get(key, key))


def figure_value(user: AnyUser, unit: Unit, key: str) -> float | None:
    """The figure's value for the unit's subtree now (what the user may see)."""
    campaign = Campaign.current()
    if campaign is None or key not in FIGURES:
        return None
    levers = unit_levers(user, campaign, unit)
    value = getattr(levers, key) if "." not in key else levers[key]
    return None if value is None else float(value)


def lead_addressee(lead: Model) -> Unit:
    """The unit that answers for a lead: its handling unit, or the office's jurisdiction."""
    return lead_selectors.responsible_unit(lead)


def _orders(qs: QuerySet) -> QuerySet:
    replies = SupervisionReply.objects.select_related("author").order_by("round")
    return qs.select_related(
        "unit", "issuer__officer", "lead", "item", "escalated_unit"
    ).prefetch_related(Prefetch("replies", queryset=replies))


def _decorate_orders(user: AnyUser, orders: list, today: dt.date) -> list:
    for order in orders:
        replies = list(order.replies.all())
        order.last_reply = replies[-1] if replies else None
        order.overdue = order.is_overdue(today)
        order.actions = order_actions_for(user, order)
    return orders


def _decorate_instructions(user: AnyUser, rows: list, today: dt.date) -> list:
    for row in rows:
        row.overdue = row.is_overdue(today)
        row.actions = instruction_actions_for(user, row)
    return rows


def _instructions(qs: QuerySet) -> QuerySet:
    return qs.select_related("unit", "issuer__officer", "lead", "item", "person")


def object_supervision(
    user: AnyUser, *, lead: Model | None = None, item: Model | None = None
) -> tuple[list, list]:
    """The orders and instructions about a lead or an item that the user may see."""
    today = timezone.localdate()
    where = Q(lead=lead) if lead is not None else Q(item=item)
    orders = _orders(orders_visible_to(user).filter(where)).order_by("issued_at", "id")
    instructions = _instructions(instructions_visible_to(user).filter(where)).order_by(
        "issued_at", "id"
    )
    return (
        _decorate_orders(user, list(orders[:LIST_LIMIT]), today),
        _decorate_instructions(user, list(instructions[:LIST_LIMIT]), today),
    )


def lead_section(user: AnyUser, lead: Model) -> PageSection | None:
    """The lead page's 督办与批示 section (registered in leads.ui.LEAD_PAGE_SECTIONS)."""
    orders, instructions = object_supervision(user, lead=lead)
    may_issue = can_issue_to(user, lead_addressee(lead)) and bool(getattr(lead, "is_open", True))
    if not orders and not instructions and not may_issue:
        return None
    return PageSection(
        template="leadership/supervision/_object_section.html",
        context={
            "orders": orders,
            "instructions": instructions,
            "issue_url": reverse("leadership:order_new") + f"?lead={lead.pk}" if may_issue else "",
            "instruct_url": reverse("leadership:instruction_new") + f"?lead={lead.pk}"
            if may_issue
            else "",
        },
        order=60,
    )


def item_part(user: AnyUser, item: Model) -> dict[str, Any]:
    """The item page's 督办与批示 section (an entry of remediation's ITEM_PAGE_PARTS)."""
    orders, instructions = object_supervision(user, item=item)
    may_issue = can_issue_to(user, item.unit) and item.status != "accepted"
    if not orders and not instructions and not may_issue:
        return {}
    section = PageSection(
        template="leadership/supervision/_object_section.html",
        context={
            "orders": orders,
            "instructions": instructions,
            "issue_url": reverse("leadership:order_new") + f"?item={item.pk}" if may_issue else "",
            "instruct_url": reverse("leadership:instruction_new") + f"?item={item.pk}"
            if may_issue
            else "",
        },
        order=60,
    )
    return {"page_sections": [section]}


def order_page(user: AnyUser, order: SupervisionOrder) -> dict[str, Any]:
    today = timezone.localdate()
    _decorate_orders(user, [order], today)
    return {
        "order": order,
        "replies": list(order.replies.select_related("author", "decided_by").order_by("round")),
        "figure_label": figure_label(order.figure_key) if order.figure_key else "",
        "today": today,
    }


def issuable_units(user: AnyUser, *, levels: int = 2, limit: int = 300) -> list[Unit]:
    """Units a leader may send an order about a figure to: the top of their scope and
    `levels` below it (bounded), tree order."""
    # The scope's roots are its shallowest units: their depth comes from the (cached)
    # role assignments, not from a query (a superuser sees every unit without roles).
    roots = access.scope_paths(user, SUPERVISION_ISSUER_ROLES)
    units = access.units_visible_to(user, SUPERVISION_ISSUER_ROLES)
    if roots and not getattr(user, "is_superuser", False):
        top = min(len(path) // Unit.steplen for path in roots)
    else:
        top = units.order_by("depth").values_list("depth", flat=True).first()
        if top is None:
            return []
    return list(units.filter(depth__lte=top + levels).order_by("path")[:limit])


# --- 我督办的 and 待我办理 -----------------------------------------------------------------------

SUPERVISING_KINDS = {
    "listed": _("挂牌督办线索"),
    "items": _("上报至本级的整改问题"),
    "escalated": _("逾期上报至我的线索"),
    "orders": _("我下发的督办单"),
    "instructions": _("我作出的批示"),
}


@dataclass
class Supervising:
    kind: str
    label: str
    rows: list = field(default_factory=list)
    more: bool = False


def _bounded(qs: QuerySet) -> tuple[list, bool]:
    rows = list(qs[: LIST_LIMIT + 1])
    return rows[:LIST_LIMIT], len(rows) > LIST_LIMIT


def _status_filter_orders(qs: QuerySet, status: str, overdue: bool, today: dt.date) -> QuerySet:
    if status == "open":
        qs = qs.filter(status__in=OPEN_ORDER_STATUSES)
    elif status == "closed":
        qs = qs.filter(status=OrderStatus.CLOSED)
    if overdue:
        qs = qs.filter(status__in=OPEN_ORDER_STATUSES, deadline__lt=today)
    return qs


def supervising_for(
    user: AnyUser, *, kind: str = "", status: str = "", overdue: bool = False
) -> list[Supervising]:
    """我督办的: the five kinds of what the leader personally supervises, each bounded.
    `status` is "open" / "closed" / "" (all; listed and escalated leads are open ones by
    definition); `overdue` keeps only what is past its deadline."""
    today = timezone.localdate()
    out: list[Supervising] = []
    kinds = [kind] if kind in SUPERVISING_KINDS else list(SUPERVISING_KINDS)
    for k in kinds:
        block = Supervising(k, str(SUPERVISING_KINDS[k]))
        if k == "listed":
            if status != "closed":
                qs = lead_selectors.supervised_by(user)
                if overdue:
                    qs = qs.filter(supervision_deadline__lt=today)
                block.rows, block.more = _bounded(qs)
                lead_selectors.with_flags(block.rows, today=today)
        elif k == "escalated":
            if status != "closed":
                block.rows, block.more = _bounded(lead_selectors.escalated_to(user, today=today))
                lead_selectors.with_flags(block.rows, today=today)
        elif k == "items":
            qs = (
                items_visible_to(user)
                .filter(escalated_to__isnull=False)
                .filter(
                    access.unit_q(user, SUPERVISION_ISSUER_ROLES, prefix="escalated_to__unit__")
                )
                .select_related("unit", "escalated_to__unit")
                .order_by("deadline", "id")
            )
            if status == "open":
                qs = qs.exclude(status="accepted")
            elif status == "closed":
                qs = qs.filter(status="accepted")
            if overdue:
                qs = qs.exclude(status="accepted").filter(deadline__lt=today)
            block.rows, block.more = _bounded(qs)
        elif k == "orders":
            qs = _orders(orders_visible_to(user).filter(issuer_id=user.pk))
            qs = _status_filter_orders(qs, status, overdue, today).order_by("deadline", "id")
            block.rows, block.more = _bounded(qs)
            _decorate_orders(user, block.rows, today)
        elif k == "instructions":
            qs = _instructions(instructions_visible_to(user).filter(issuer_id=user.pk))
            if status == "open":
                qs = qs.exclude(status=InstructionStatus.ANSWERED)
            elif status == "closed":
                qs = qs.filter(status=InstructionStatus.ANSWERED)
            if overdue:
                qs = qs.exclude(status=InstructionStatus.ANSWERED).filter(deadline__lt=today)
            block.rows, block.more = _bounded(qs.order_by("-issued_at", "-id"))
            _decorate_instructions(user, block.rows, today)
        out.append(block)
    return out


def supervising_counts(user: AnyUser) -> dict[str, int]:
    """The home panel's counts (a few count queries)."""
    today = timezone.localdate()
    mine = orders_visible_to(user).filter(issuer_id=user.pk, status__in=OPEN_ORDER_STATUSES)
    return {
        "listed": lead_selectors.supervised_by(user).count(),
        "orders_open": mine.count(),
        "orders_overdue": mine.filter(deadline__lt=today).count(),
        "orders_to_review": mine.filter(status=OrderStatus.REPLIED).count(),
        "instructions_open": instructions_visible_to(user)
        .filter(issuer_id=user.pk)
        .exclude(status=InstructionStatus.ANSWERED)
        .count(),
    }


def awaiting_me(user: AnyUser) -> tuple[list, list]:
    """待我办理: orders awaiting a reply and instructions awaiting 签收 or 办理情况, addressed
    to units the user heads or staffs (or, for instructions, naming the user)."""
    today = timezone.localdate()
    mine = access.unit_q(user, ADDRESSEE_ROLES, prefix="unit__")
    orders = _orders(
        orders_visible_to(user)
        .filter(mine)
        .filter(status__in=(OrderStatus.ISSUED, OrderStatus.RETURNED))
        .order_by("deadline", "id")
    )
    instructions = _instructions(
        instructions_visible_to(user)
        .filter(mine | Q(person__user_id=user.pk))
        .exclude(status=InstructionStatus.ANSWERED)
        .order_by("-issued_at", "-id")
    )
    return (
        _decorate_orders(user, list(orders[:LIST_LIMIT]), today),
        _decorate_instructions(user, list(instructions[:LIST_LIMIT]), today),
    )


def awaiting_counts(user: AnyUser) -> dict[str, int]:
    mine = access.unit_q(user, ADDRESSEE_ROLES, prefix="unit__")
    return {
        "orders": orders_visible_to(user)
        .filter(mine, status__in=(OrderStatus.ISSUED, OrderStatus.RETURNED))
        .count(),
        "instructions": instructions_visible_to(user)
        .filter(mine | Q(person__user_id=user.pk))
        .exclude(status=InstructionStatus.ANSWERED)
        .count(),
    }


def lead_timeline_entries(user: AnyUser, lead: Model) -> list[TimelineEntry]:
    """The lead's timeline entries (registered in leads.ui.LEAD_TIMELINE_ENTRIES): each
    order issued, replied, decided, escalated and closed, each instruction given and
    answered, of those the user may see."""
    orders, instructions = object_supervision(user, lead=lead)
    entries: list[TimelineEntry] = []
    for o in orders:
        url = reverse("leadership:order_detail", args=[o.pk])
        text = _("%(n)s 主送%(unit)s，回复期限%(d)s") % {
            "n": o.number,
            "unit": o.unit.name,
            "d": o.deadline.isoformat(),
        }
        entries.append(TimelineEntry(o.issued_at, _("下发督办单"), text, o.issuer, url))
        for r in o.replies.all():
            text = _("%(n)s 第%(round)s轮回复") % {"n": o.number, "round": r.round}
            entries.append(TimelineEntry(r.at, _("督办回复"), text, r.author, url))
            if r.decided_at and r.state == ReplyState.RETURNED:
                text = _("%(n)s 第%(round)s轮回复被退回：%(reason)s") % {
                    "n": o.number,
                    "round": r.round,
                    "reason": r.reason,
                }
                entries.append(TimelineEntry(r.decided_at, _("督办退回"), text, None, url))
        if o.escalated_at:
            text = _("%(n)s 逾期未办结，上报%(unit)s") % {
                "n": o.number,
                "unit": o.escalated_unit.name if o.escalated_unit else "",
            }
            entries.append(TimelineEntry(o.escalated_at, _("督办逾期上报"), text, None, url))
        if o.closed_at:
            text = _("%(n)s 回复已认可，督办办结") % {"n": o.number}
            entries.append(TimelineEntry(o.closed_at, _("督办办结"), text, o.issuer, url))
    for i in instructions:
        url = reverse("leadership:instruction_detail", args=[i.pk])
        entries.append(TimelineEntry(i.issued_at, _("领导批示"), i.text, i.issuer, url))
        if i.answered_at:
            entries.append(TimelineEntry(i.answered_at, _("批示办理情况"), i.answer, None, url))
    return entries
