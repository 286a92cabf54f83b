"""Writes of supervision (O1): issuing 督办单 and 批示, the addressee's replies, the issuer's
decision, and the daily escalation of overdue orders. Every write checks the same
predicates as the pages (leadership.access), locks the row it changes, calls full_clean()
and is audited; forms, the demo, commands and the beat task all come through here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leads.access import leads_visible_to
from rectify.audit import audit_record
from rectify.models import AuditVerb
from rectify.selectors import responsibility_chain
from remediation.access import items_visible_to
from selfcheck.services import notice_send

from ..access import (
    can_acknowledge_instruction,
    can_answer_instruction,
    can_decide_order,
    can_issue_to,
    can_reply_order,
    instructions_visible_to,
    orders_visible_to,
)
from ..models import (
    OPEN_ORDER_STATUSES,
    Instruction,
    InstructionStatus,
    OrderStatus,
    ReplyState,
    SupervisionAbout,
    SupervisionOrder,
    SupervisionReply,
    SupervisionSequence,
)
from ..selectors.supervision import FIGURES, figure_value, lead_addressee

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

    from rectify.models import Officer, Unit, User


class SupervisionError(Exception):
    """A supervision write refused, with its message for the user (Chinese)."""


NOT_ALLOWED = gettext_lazy("无权对该单位下发督办单或批示（须为该单位所在范围的领导）")
ABOUT_MISSING = gettext_lazy("请选择督办事项：一条线索、一个整改问题或一项工作指标")
UNKNOWN_FIGURE = gettext_lazy("未知的工作指标")
DEADLINE_PAST = gettext_lazy("期限不能早于今天")
EMPTY_TEXT = gettext_lazy("内容不能为空")
NOT_REPLIABLE = gettext_lazy(
    "该督办单当前不能回复（已回复待审核或已办结），或您不是主送单位的负责人或办公室人员"
)
NOT_DECIDABLE = gettext_lazy("只有签发领导可以审核回复，且督办单须处于已回复待审核状态")
REASON_REQUIRED = gettext_lazy("退回须写明理由")
PERSON_NOT_IN_UNIT = gettext_lazy("批示对象须为主送单位（含下级）的干警")
CANNOT_ACKNOWLEDGE = gettext_lazy("该批示已签收，或您不是批示的主送单位或批示对象")
CANNOT_ANSWER = gettext_lazy("请先签收批示；已办理的批示不能再次报送")
NOT_VISIBLE = gettext_lazy("督办单或批示不存在，或您无权查看")
NUMBER_RETRIES = 5


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise SupervisionError(EMPTY_TEXT)
    return text


def _matter(
    *,
    actor: User,
    unit: Unit | None,
    lead: Model | None,
    item: Model | None,
    figure_key: str,
) -> dict:
    """Resolve what the order/instruction is about to its fields, checking the actor may see
    the object and leads the addressee unit. A lead's addressee is its responsible unit; an
    item's its unit; a figure's the unit chosen."""
    chosen = [x for x in (lead, item, figure_key or None) if x is not None]
    if len(chosen) != 1:
        raise SupervisionError(ABOUT_MISSING)
    if lead is not None:
        if not leads_visible_to(actor).filter(pk=lead.pk).exists():
            raise SupervisionError(NOT_ALLOWED)
        about, unit = SupervisionAbout.LEAD, lead_addressee(lead)
    elif item is not None:
        if not items_visible_to(actor).filter(pk=item.pk).exists():
            raise SupervisionError(NOT_ALLOWED)
        about, unit = SupervisionAbout.ITEM, item.unit
    else:
        if figure_key not in FIGURES:
            raise SupervisionError(UNKNOWN_FIGURE)
        if unit is None:
            raise SupervisionError(ABOUT_MISSING)
        about = SupervisionAbout.FIGURE
    if not can_issue_to(actor, unit):
        raise SupervisionError(NOT_ALLOWED)
    return {
        "about": about,
        "lead": lead,
        "item": item,
        "figure_key": figure_key or "",
        "figure_value": figure_value(actor, unit, figure_key) if figure_key else None,
        "unit": unit,
    }


def _next_seq(year: int) -> int:
    """The next number of the year, under a row lock on the year's counter: concurrent issues
    wait for each other, so numbers are gapless (a rolled-back issue rolls the counter back
    with it)."""
    SupervisionSequence.objects.get_or_create(year=year)
    seq = SupervisionSequence.objects.select_for_update().get(year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last


def _addressee_users(unit: Unit) -> list:
    """The accounts told about a new order: the unit's responsible persons."""
    people = [unit.direct_responsible, unit.primary_responsible]
    return list({p.user for p in people if p is not None and p.user_id})


def _tell(user: User, obj: SupervisionOrder | Instruction, text: str, key: str) -> bool:
    """An in-app notice about an order or instruction (selfcheck's notice service, as the
    remediation reminders use), only to someone who may open it: a person recused from its
    lead is told nothing."""
    visible = orders_visible_to if isinstance(obj, SupervisionOrder) else instructions_visible_to
    if not visible(user).filter(pk=obj.pk).exists():
        return False
    url = order_url(obj) if isinstance(obj, SupervisionOrder) else instruction_url(obj)
    return notice_send(user=user, text=text, url=url, dedupe_key=key) is not None


def order_url(order: SupervisionOrder) -> str:
    return reverse("leadership:order_detail", args=[order.pk])


def instruction_url(instruction: Instruction) -> str:
    return reverse("leadership:instruction_detail", args=[instruction.pk])


@transaction.atomic
def supervision_order_issue(
    *,
    actor: User,
    content: str,
    requirement: str,
    deadline: dt.date,
    unit: Unit | None = None,
    lead: Model | None = None,
    item: Model | None = None,
    figure_key: str = "",
    request: HttpRequest | None = None,
) -> SupervisionOrder:
    """Issue a numbered order (督办〔year〕n号) to the addressee unit. Only a leader over it."""
    content = _clean(content)
    requirement = _clean(requirement)
    if deadline < timezone.localdate():
        raise SupervisionError(DEADLINE_PAST)
    matter = _matter(actor=actor, unit=unit, lead=lead, item=item, figure_key=figure_key)
    year = timezone.localdate().year
    for attempt in range(NUMBER_RETRIES):
        try:
            with transaction.atomic():
                order = SupervisionOrder(
                    **matter,
                    issuer=actor,
                    year=year,
                    seq=_next_seq(year),
                    content=content,
                    requirement=requirement,
                    deadline=deadline,
                )
                order.full_clean(validate_unique=False)
                order.save()
                break
        except IntegrityError:
            # Two first issues of a year racing on the counter's creation: try again.
            if attempt == NUMBER_RETRIES - 1:
                raise
    audit_record(
        actor=actor,
        verb=AuditVerb.CREATE,
        action="leadership.order.issued",
        target=order,
        data={"number": order.number, "unit": order.unit_id, "about": order.about},
        request=request,
    )
    text = _("督办通知：%(number)s，请于%(deadline)s前回复") % {
        "number": order.number,
        "deadline": deadline.isoformat(),
    }
    for user in _addressee_users(order.unit):
        _tell(user, order, text, f"sv-order-{order.pk}")
    return order


def _lock_order(order: SupervisionOrder, actor: User) -> SupervisionOrder:
    """The order locked for the write, once the actor may see it (recusal included): the
    same rule as the pages, whoever calls the service."""
    if not orders_visible_to(actor).filter(pk=order.pk).exists():
        raise SupervisionError(NOT_VISIBLE)
    locked = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    locked.unit = order.unit
    return locked


@transaction.atomic
def supervision_reply_submit(
    *, actor: User, order: SupervisionOrder, text: str, request: HttpRequest | None = None
) -> SupervisionReply:
    """The addressee unit's reply (督办回复), a new round after a return."""
    text = _clean(text)
    order = _lock_order(order, actor)
    if not can_reply_order(actor, order):
        raise SupervisionError(NOT_REPLIABLE)
    last = order.replies.order_by("-round").values_list("round", flat=True).first() or 0
    reply = SupervisionReply(order=order, round=last + 1, text=text, author=actor)
    reply.full_clean()
    reply.save()
    order.status = OrderStatus.REPLIED
    order.save(update_fields=["status"])
    audit_record(
        actor=actor,
        verb=AuditVerb.CHANGE,
        action="leadership.order.replied",
        target=order,
        data={"round": reply.round},
        request=request,
    )
    text = _("%(number)s 已回复（第%(round)s轮），请审核") % {
        "number": order.number,
        "round": reply.round,
    }
    _tell(order.issuer, order, text, f"sv-reply-{reply.pk}")
    return reply


def _pending_reply(order: SupervisionOrder) -> SupervisionReply:
    return order.replies.filter(state=ReplyState.PENDING).order_by("-round").first()


@transaction.atomic
def supervision_reply_accept(
    *, actor: User, order: SupervisionOrder, request: HttpRequest | None = None
) -> SupervisionOrder:
    """The issuer accepts the pending reply: the order is closed (办结)."""
    order = _lock_order(order, actor)
    if not can_decide_order(actor, order):
        raise SupervisionError(NOT_DECIDABLE)
    now = timezone.now()
    reply = _pending_reply(order)
    if reply is not None:
        reply.state, reply.decided_by, reply.decided_at = ReplyState.ACCEPTED, actor, now
        reply.save(update_fields=["state", "decided_by", "decided_at"])
    order.status, order.closed_at = OrderStatus.CLOSED, now
    order.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.CHANGE,
        action="leadership.order.closed",
        target=order,
        data={"round": reply.round if reply else None},
        request=request,
    )
    return order


@transaction.atomic
def supervision_reply_return(
    *, actor: User, order: SupervisionOrder, reason: str, request: HttpRequest | None = None
) -> SupervisionOrder:
    """The issuer returns the pending reply with a reason: the unit replies again."""
    reason = (reason or "").strip()
    if not reason:
        raise SupervisionError(REASON_REQUIRED)
    order = _lock_order(order, actor)
    if not can_decide_order(actor, order):
        raise SupervisionError(NOT_DECIDABLE)
    reply = _pending_reply(order)
    if reply is not None:
        reply.state, reply.decided_by, reply.decided_at = (
            ReplyState.RETURNED,
            actor,
            timezone.now(),
        )
        reply.reason = reason[:500]
        reply.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    order.status = OrderStatus.RETURNED
    order.save(update_fields=["status"])
    audit_record(
        actor=actor,
        verb=AuditVerb.CHANGE,
        action="leadership.order.returned",
        target=order,
        data={"round": reply.round if reply else None, "reason": reason[:200]},
        request=request,
    )
    for user in _addressee_users(order.unit):
        text = _("%(number)s 的回复被退回：%(reason)s") % {
            "number": order.number,
            "reason": reason,
        }
        _tell(user, order, text, f"sv-return-{reply.pk if reply else order.pk}")
    return order


@dataclass
class EscalationResult:
    escalated: int = 0  # orders escalated now
    notified: int = 0  # notices written now


def supervision_escalate_overdue(*, today: dt.date | None = None) -> EscalationResult:
    """Orders without an accepted reply by their deadline go up to the addressee's superior
    unit, once: each order is claimed by a filtered update (escalated_at still empty), so a
    rerun or a redelivered task escalates and notifies nobody twice. The superior unit's
    responsible person gets an in-app notice, the issuer too."""
    today = today or timezone.localdate()
    result = EscalationResult()
    due = SupervisionOrder.objects.filter(
        status__in=OPEN_ORDER_STATUSES, deadline__lt=today, escalated_at__isnull=True
    ).select_related("unit", "issuer")
    for order in due.iterator(chunk_size=200):
        chain = responsibility_chain(order.unit)
        link = chain[1] if len(chain) > 1 else (chain[0] if chain else None)
        unit = link.unit if link else order.unit
        person: Officer | None = link.person if link else None
        with transaction.atomic():
            claimed = SupervisionOrder.objects.filter(
                pk=order.pk, escalated_at__isnull=True, status__in=OPEN_ORDER_STATUSES
            ).update(
                escalated_at=timezone.now(),
                escalated_unit=unit,
                escalated_person=person,
            )
            if not claimed:
                continue
            result.escalated += 1
            audit_record(
                actor="system",
                verb=AuditVerb.CHANGE,
                action="leadership.order.escalated",
                target=order,
                data={"unit": unit.pk, "person": person.pk if person else None},
            )
            text = _(
                "督办单%(number)s逾期未办结（期限%(deadline)s，主送%(unit)s），已上报%(up)s"
            ) % {
                "number": order.number,
                "deadline": order.deadline.isoformat(),
                "unit": order.unit.name,
                "up": unit.name,
            }
            targets = [order.issuer]
            if person is not None and person.user_id:
                targets.insert(0, person.user)
            for user in targets:
                key = f"sv-escalated-{order.pk}-{user.pk}"
                if _tell(user, order, text, key):
                    result.notified += 1
    return result


# --- 批示 ------------------------------------------------------------------------------------


@transaction.atomic
def instruction_issue(
    *,
    actor: User,
    text: str,
    unit: Unit | None = None,
    lead: Model | None = None,
    item: Model | None = None,
    figure_key: str = "",
    person: Officer | None = None,
    deadline: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Instruction:
    """A leader's written instruction to the addressee unit (and optionally a person in it)."""
    text = _clean(text)
    if deadline is not None and deadline < timezone.localdate():
        raise SupervisionError(DEADLINE_PAST)
    matter = _matter(actor=actor, unit=unit, lead=lead, item=item, figure_key=figure_key)
    if person is not None and not person.unit.is_within(matter["unit"]):
        raise SupervisionError(PERSON_NOT_IN_UNIT)
    instruction = Instruction(**matter, issuer=actor, text=text, person=person, deadline=deadline)
    instruction.full_clean()
    instruction.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.CREATE,
        action="leadership.instruction.issued",
        target=instruction,
        data={"unit": instruction.unit_id, "about": instruction.about},
        request=request,
    )
    users = _addressee_users(instruction.unit)
    if person is not None and person.user_id:
        users.append(person.user)
    for user in {u.pk: u for u in users}.values():
        _tell(
            user,
            instruction,
            _("领导批示：%(text)s") % {"text": text[:100]},
            f"sv-instr-{instruction.pk}-{user.pk}",
        )
    return instruction


def _lock_instruction(instruction: Instruction, actor: User) -> Instruction:
    if not instructions_visible_to(actor).filter(pk=instruction.pk).exists():
        raise SupervisionError(NOT_VISIBLE)
    # Lock the instruction row only (`of`): PostgreSQL refuses FOR UPDATE on the nullable
    # side of the outer join to the optional person.
    return (
        Instruction.objects.select_for_update(of=("self",))
        .select_related("person", "unit")
        .get(pk=instruction.pk)
    )


@transaction.atomic
def instruction_acknowledge(
    *, actor: User, instruction: Instruction, request: HttpRequest | None = None
) -> Instruction:
    """签收."""
    instruction = _lock_instruction(instruction, actor)
    if not can_acknowledge_instruction(actor, instruction):
        raise SupervisionError(CANNOT_ACKNOWLEDGE)
    instruction.status = InstructionStatus.ACKNOWLEDGED
    instruction.acknowledged_by, instruction.acknowledged_at = actor, timezone.now()
    instruction.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.CHANGE,
        action="leadership.instruction.acknowledged",
        target=instruction,
        request=request,
    )
    return instruction


@transaction.atomic
def instruction_answer(
    *, actor: User, instruction: Instruction, answer: str, request: HttpRequest | None = None
) -> Instruction:
    """办理情况: the instruction is answered (no longer tracked)."""
    answer = _clean(answer)
    instruction = _lock_instruction(instruction, actor)
    if not can_answer_instruction(actor, instruction):
        raise SupervisionError(CANNOT_ANSWER)
    instruction.status = InstructionStatus.ANSWERED
    instruction.answer = answer
    instruction.answered_by, instruction.answered_at = actor, timezone.now()
    instruction.full_clean()
    instruction.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.CHANGE,
        action="leadership.instruction.answered",
        target=instruction,
        request=request,
    )
    _tell(
        instruction.issuer,
        instruction,
        _("批示已报办理情况（%(unit)s）") % {"unit": instruction.unit.name},
        f"sv-instr-answered-{instruction.pk}",
    )
    return instruction
