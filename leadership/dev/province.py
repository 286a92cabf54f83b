"""Leadership's part of the synthetic province (#14), run after the other parts (PARTS_LATE)
in the same transaction: the leaders' own work in modest numbers.

督办单 (supervision orders) numbered gapless from the year's SupervisionSequence as
supervision_order_issue numbers them, about remediation items, leads (when the leads part
ran) or a lagging figure of the addressee unit, in every state (issued, replied, returned,
closed) with their replies round by round; 批示 (instructions) issued, acknowledged and
answered; and the campaign's traffic-light policy if none is set. Periodic reports are
generated workbooks (files), so none is stored here: the bench generates one on demand.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.apps import apps
from django.db.models import Q

from rectify.models import Unit, UnitKind, User
from rectify.province import Province, chunks

from ..models import (
    CampaignPolicy,
    Instruction,
    InstructionStatus,
    OrderStatus,
    ReplyState,
    SupervisionAbout,
    SupervisionOrder,
    SupervisionReply,
    SupervisionSequence,
)

ORDER_STATES = (OrderStatus.ISSUED, OrderStatus.REPLIED, OrderStatus.RETURNED, OrderStatus.CLOSED)
FIGURE_KEYS = ("rm.overdue", "ld.overdue", "accepted_rate", "closure_rate", "sc.late")


def _bulk(model: type, objs: list) -> list:
    for chunk in chunks(objs, 5000):
        model.objects.bulk_create(chunk)
    return objs


def generate(p: Province) -> dict:
    rng = p.rng("leadership")
    campaign = p.campaign
    if not CampaignPolicy.objects.filter(campaign=campaign).exists():
        CampaignPolicy.objects.create(campaign=campaign)
    users = {
        u.username.rsplit("-", 1)[1]: u
        for u in User.objects.filter(username__startswith=f"{p.prefix.lower()}-")
    }
    leader, d_leader = users["leader"], users["d_leader"]
    head = users.get("unithead") or users["office"]
    district = p.district
    # What leaders supervise: items (the remediation part's) and leads (the leads part's).
    item_model = apps.get_model("remediation", "Item")
    items = list(
        item_model.objects.filter(unit__path__startswith=p.root.path)
        .exclude(status="accepted")
        .order_by("pk")
        .values_list("pk", "unit_id")
    )
    lead_model = apps.get_model("leads", "Lead")
    leads = list(
        lead_model.objects.filter(
            Q(handling_unit__path__startswith=p.root.path)
            | Q(subject_unit__path__startswith=p.root.path)
        )
        .order_by("pk")
        .values_list("pk", "handling_unit_id", "subject_unit_id")
    )
    by_id = {u.pk: u for u in p.units}
    organs = [u for u in p.units if u.kind != UnitKind.REGION and u.depth >= 2]

    def issuer_for(unit: Unit) -> User:
        return d_leader if unit.path.startswith(district.path) and rng.random() < 0.5 else leader

    n_orders = max(8, p.scale.items // 100)
    year = p.today.year
    sequence, _ = SupervisionSequence.objects.get_or_create(year=year)
    sequence = SupervisionSequence.objects.select_for_update().get(year=year)
    first = sequence.last + 1
    start = p.today - dt.timedelta(days=40)
    orders: list[SupervisionOrder] = []
    moments = sorted(
        p.at(p.day_between(rng, start, p.today - dt.timedelta(days=1)), rng)
        for _ in range(n_orders)
    )
    for k, at in enumerate(moments):
        kind = rng.choice(["item", "item", "lead", "figure"])
        if kind == "lead" and not leads:
            kind = "item"
        if kind == "item" and not items:
            kind = "figure"
        fields: dict = {}
        if kind == "item":
            pk, unit_id = rng.choice(items)
            fields = {"about": SupervisionAbout.ITEM, "item_id": pk, "unit": by_id[unit_id]}
        elif kind == "lead":
            pk, handling, subject = rng.choice(leads)
            unit = by_id.get(handling or subject) or rng.choice(organs)
            fields = {"about": SupervisionAbout.LEAD, "lead_id": pk, "unit": unit}
        else:
            unit = rng.choice(organs)
            fields = {
                "about": SupervisionAbout.FIGURE,
                "figure_key": rng.choice(FIGURE_KEYS),
                "figure_value": float(rng.randrange(0, 60)),
                "unit": unit,
            }
        issuer = leader if fields["unit"].depth <= 2 else issuer_for(fields["unit"])
        order = SupervisionOrder(
            **fields,
            issuer=issuer,
            issued_at=at,
            year=year,
            seq=first + k,
            content="请对所督办事项进行认真核查，按期整改到位。",
            requirement="请于期限前书面回复办理情况。",
            deadline=at.date() + dt.timedelta(days=rng.randrange(7, 30)),
            # Every state at least once, however small the scale.
            status=ORDER_STATES[k]
            if k < len(ORDER_STATES)
            else rng.choice(
                [OrderStatus.ISSUED] * 3
                + [OrderStatus.REPLIED] * 2
                + [OrderStatus.RETURNED]
                + [OrderStatus.CLOSED] * 3
            ),
        )
        orders.append(order)
    replies: list[SupervisionReply] = []
    for order in orders:
        rounds = {
            OrderStatus.ISSUED: [],
            OrderStatus.REPLIED: [ReplyState.PENDING],
            OrderStatus.RETURNED: [ReplyState.RETURNED],
            OrderStatus.CLOSED: [ReplyState.ACCEPTED],
        }[order.status]
        if order.status != OrderStatus.ISSUED and rng.random() < 0.3:
            rounds = [ReplyState.RETURNED, *rounds]
        at = order.issued_at
        for r, state in enumerate(rounds, 1):
            at = min(p.now - dt.timedelta(hours=len(rounds) - r + 1), at + dt.timedelta(days=2))
            decided = state != ReplyState.PENDING
            replies.append(
                SupervisionReply(
                    order=order,
                    round=r,
                    text="已按督办要求完成核查整改，现将办理情况报告如下。",
                    author=head,
                    at=at,
                    state=state,
                    decided_by=order.issuer if decided else None,
                    decided_at=at + dt.timedelta(minutes=30) if decided else None,
                    reason="回复内容不具体，请补充整改佐证。"
                    if state == ReplyState.RETURNED
                    else "",
                )
            )
        if order.status == OrderStatus.CLOSED:
            order.closed_at = at + dt.timedelta(minutes=30)
    _bulk(SupervisionOrder, orders)
    _bulk(SupervisionReply, replies)
    sequence.last = first + n_orders - 1
    sequence.save(update_fields=["last"])

    instructions: list[Instruction] = []
    for k in range(max(4, p.scale.items // 200)):
        at = p.at(p.day_between(rng, start, p.today - dt.timedelta(days=1)), rng)
        if items and rng.random() < 0.6:
            pk, unit_id = rng.choice(items)
            fields = {"about": SupervisionAbout.ITEM, "item_id": pk, "unit": by_id[unit_id]}
        else:
            fields = {
                "about": SupervisionAbout.FIGURE,
                "figure_key": rng.choice(FIGURE_KEYS),
                "figure_value": float(rng.randrange(0, 60)),
                "unit": rng.choice(organs),
            }
        status = (
            InstructionStatus.values[k]
            if k < len(InstructionStatus.values)
            else rng.choice(list(InstructionStatus.values))
        )
        ack = at + dt.timedelta(hours=rng.randrange(2, 30))
        ans = ack + dt.timedelta(days=rng.randrange(1, 5))
        acked = status != InstructionStatus.ISSUED and ack < p.now
        answered = status == InstructionStatus.ANSWERED and ans < p.now
        instructions.append(
            Instruction(
                **fields,
                issuer=leader if fields["unit"].depth <= 2 else issuer_for(fields["unit"]),
                issued_at=at,
                text="请高度重视，抓紧整改，及时报告办理情况。",
                deadline=at.date() + dt.timedelta(days=rng.randrange(5, 20)),
                status=InstructionStatus.ANSWERED
                if answered
                else InstructionStatus.ACKNOWLEDGED
                if acked
                else InstructionStatus.ISSUED,
                acknowledged_by=head if acked else None,
                acknowledged_at=ack if acked else None,
                answer="已按批示要求办理完毕。" if answered else "",
                answered_by=head if answered else None,
                answered_at=ans if answered else None,
            )
        )
    _bulk(Instruction, instructions)
    p.audit_targets["leadership.supervisionorder"] = [o.pk for o in orders]
    p.audit_targets["leadership.instruction"] = [i.pk for i in instructions]
    return {
        "orders": len(orders),
        "numbers": f"{first}–{first + n_orders - 1}",
        "by_status": dict(sorted(Counter(str(o.status) for o in orders).items())),
        "replies": len(replies),
        "instructions": len(instructions),
        "by_instruction_status": dict(sorted(Counter(str(i.status) for i in instructions).items())),
    }
