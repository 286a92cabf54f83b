"""Oversight of leads: listed supervision and jurisdiction changes (L6), supervision notes (L7,
through `services.lead_add_event`), untouched and overdue flags escalated up the
responsibility chain with accountability records (L10), and risk notes (L11).

Writes follow leads.services: keyword-only, atomic, `full_clean()`, audited, one LeadEvent of
the matching kind. Permission checks live in leads.access (`can_list_supervision`, ...) and
are applied by the views, as for the other lead services.

`Lead.last_activity_at` is the L10 "somebody worked the lead" clock. A jurisdiction change
(a new unit starts afresh) and a risk note on a lead (analysis is handling work) reset it.
Listing or unlisting supervision and attaching accountability do not: they are oversight,
not handling, and letting them reset the clock would hide exactly the neglected leads that
oversight is aimed at (a supervision note, likewise, see `services.lead_add_event`).

Reads start from a scoped queryset (`leads_visible_to`, recusal included) and cost a
constant number of queries per page: the responsibility chains of all rows of a page come
from one query (`rectify.selectors.escalation_ladders`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify.audit import audit_record
from rectify.models import AuditVerb, Officer, Unit

from ..audit import (
    ESCALATION_CREATED,
    LEAD_JURISDICTION_CHANGED,
    LEAD_SUPERVISION_LISTED,
    LEAD_SUPERVISION_UNLISTED,
)
from ..figures import touch_leads, touching
from ..models import (
    Escalation,
    EventKind,
    JurisdictionChange,
    JurisdictionKind,
    Lead,
    LeadEvent,
    LeadStatus,
)
from ..rules import conflicts
from ..selectors.board import _link, responsible_unit, with_flags
from ..selectors.deadlines import flagged_q
from ..workflow import LeadWorkflowError, lock
from .common import HANDLER_NOT_IN_UNIT, _ensure_writable, _event, _required

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rectify.models import User

S = LeadStatus

# Constant messages (shown to the user as they are).
NOT_OPEN = _("线索已办结或已终结，不能执行此操作")
SUPERVISOR_NOT_CADRE = _("挂牌督办领导须为在职的领导干部")
SUPERVISOR_IS_SUBJECT = _("被反映人不能担任本线索的挂牌督办领导")
DEADLINE_PAST = _("期限不能早于今天")
NOT_LISTED = _("该线索未挂牌督办")
JURISDICTION_STATUS = _("只有办理中或暂存待查的线索可以变更管辖")
JURISDICTION_KIND = _("请选择管辖变更方式（交叉办理、异地办理或提级办理）")
SAME_UNIT = _("新承办单位与原承办单位相同")
NOT_HIGHER = _("提级办理须交由层级更高的单位承办")
INSIDE_OLD_UNIT = _("交叉办理或异地办理须交由原承办单位（含下级）以外的单位承办")
NOT_A_TARGET = _(
    "所选单位不在该变更方式可选的范围内：交叉办理为本管辖范围内原承办单位以外的单位，"
    "异地办理为同一上级所辖其他地区的单位，提级办理为层级更高的单位"
)
HANDLER_INACTIVE = _("承办人须为在职干警")


# --- L6: listed supervision (挂牌督办) ----------------------------------------------------


@transaction.atomic
def lead_list_supervision(
    *,
    lead: Lead,
    actor: User,
    supervisor: Officer,
    deadline: dt.date,
    note: str = "",
    request: HttpRequest | None = None,
) -> Lead:
    """List the lead for supervision by a named leading cadre until `deadline`. On a lead
    already listed it changes the supervisor or the deadline (recorded the same way)."""
    lead = lock(lead)
    _ensure_writable(lead)
    if not lead.is_open:
        raise LeadWorkflowError(NOT_OPEN)
    if not (supervisor.is_active and supervisor.is_leading_cadre):
        raise LeadWorkflowError(SUPERVISOR_NOT_CADRE)
    if lead.subjects.filter(officer=supervisor).exists():
        raise LeadWorkflowError(SUPERVISOR_IS_SUBJECT)
    relisted = lead.supervisor_id is not None
    unchanged = (lead.supervisor_id, lead.supervision_deadline) == (supervisor.pk, deadline)
    if relisted and unchanged and note.strip() == supervision_requirements(lead):
        return lead  # the edit form sent back as it was: nothing to record
    if deadline < timezone.localdate():
        raise LeadWorkflowError(DEADLINE_PAST)
    lead.supervisor = supervisor
    lead.supervision_deadline = deadline
    if not relisted:
        lead.supervision_listed_at = timezone.now()
    lead.full_clean()
    lead.save(update_fields=["supervisor", "supervision_deadline", "supervision_listed_at"])
    touch_leads([lead.pk])
    text = _("挂牌督办：督办领导 %(name)s，督办期限 %(deadline)s") % {
        "name": supervisor.name,
        "deadline": deadline.isoformat(),
    }
    if note.strip():
        text += "\n" + note.strip()
    _event(
        lead,
        kind=EventKind.LISTED,
        actor=actor,
        text=text,
        data={
            "supervisor": supervisor.pk,
            "supervisor_name": supervisor.name,
            "deadline": deadline.isoformat(),
            "relisted": relisted,
            "note": note.strip(),
        },
    )
    audit_record(
        actor=actor,
        action=LEAD_SUPERVISION_LISTED,
        verb=AuditVerb.CHANGE,
        target=lead,
        data={"supervisor": supervisor.pk, "deadline": deadline, "relisted": relisted},
        request=request,
    )
    return lead


@transaction.atomic
def lead_unlist_supervision(
    *, lead: Lead, actor: User, reason: str, request: HttpRequest | None = None
) -> Lead:
    """End listed supervision (撤销挂牌), with a recorded reason."""
    reason = _required(reason)
    lead = lock(lead)
    _ensure_writable(lead)
    if lead.supervisor_id is None:
        raise LeadWorkflowError(NOT_LISTED)
    before = {"supervisor": lead.supervisor_id, "deadline": lead.supervision_deadline}
    name = lead.supervisor.name
    lead.supervisor = None
    lead.supervision_deadline = None
    lead.supervision_listed_at = None
    lead.full_clean()
    lead.save(update_fields=["supervisor", "supervision_deadline", "supervision_listed_at"])
    touch_leads([lead.pk])
    _event(
        lead,
        kind=EventKind.LISTED,
        actor=actor,
        text=_("撤销挂牌督办（原督办领导 %(name)s）。理由：%(reason)s")
        % {"name": name, "reason": reason},
        data={"unlisted": True, "supervisor": before["supervisor"]},
    )
    audit_record(
        actor=actor,
        action=LEAD_SUPERVISION_UNLISTED,
        verb=AuditVerb.CHANGE,
        target=lead,
        data={**before, "reason": reason[:200]},
        request=request,
    )
    return lead


def supervision_requirements(lead: Lead) -> str:
    """The 督办要求 given when the lead was last listed or relisted (for the edit form)."""
    event = (
        lead.events.filter(kind=EventKind.LISTED, data__supervisor=lead.supervisor_id)
        .order_by("-at", "-id")
        .first()
        if lead.supervisor_id
        else None
    )
    if event is None or (event.data or {}).get("unlisted"):
        return ""
    if "note" in (event.data or {}):
        return event.data["note"]
    # Listed before the note was kept in the data: it follows the first line of the text.
    return event.text.partition("\n")[2].strip()


# --- L6: jurisdiction changes (交叉办理, 异地办理, 提级办理) ---------------------------------


def jurisdiction_targets(*, lead: Lead, kind: str) -> QuerySet[Unit]:
    """The units a lead may move to by `kind`, the same for the form and the service (the
    office's own tree alone made 提级 to the city and 异地 to another district impossible):
    - 交叉办理: units of the office's jurisdiction outside the handling unit's subtree;
    - 异地办理: units of the other areas under the jurisdiction's parent (e.g. the other
      districts of the city);
    - 提级办理: units of a higher level than the handling unit, in its city or at province
      level."""
    jurisdiction = lead.office.jurisdiction
    base = lead.handling_unit or jurisdiction
    units = Unit.objects.exclude(path__startswith=base.path)
    if kind == JurisdictionKind.CROSS:
        units = units.filter(path__startswith=jurisdiction.path)
    elif kind == JurisdictionKind.ELSEWHERE:
        # The other areas of the same kind under the same parent (the city's other districts,
        # not the city's own organs, which would be 提级) and their units.
        parent = jurisdiction.path[: -Unit.steplen]
        siblings = Unit.objects.filter(
            path__startswith=parent, depth=jurisdiction.depth, kind=jurisdiction.kind
        ).exclude(pk=jurisdiction.pk)
        paths = list(siblings.values_list("path", flat=True)) if parent else []
        if not paths:
            return Unit.objects.none()
        area = Q()
        for path in paths:
            area |= Q(path__startswith=path)
        units = units.filter(area)
    elif kind == JurisdictionKind.HIGHER:
        city = base.path[: 2 * Unit.steplen]
        units = Unit.objects.filter(
            Q(path__startswith=city) | Q(depth__lte=2), depth__lt=base.depth
        )
    else:
        return Unit.objects.none()
    return units.order_by("path")


def jurisdiction_choices(*, lead: Lead, limit: int = 300) -> list[tuple[str, str, list[Unit]]]:
    """(kind, label, units) per kind of change: the form's optgroups (it works without
    JavaScript), `limit` units at most each."""
    return [
        (value, label, list(jurisdiction_targets(lead=lead, kind=value)[:limit]))
        for value, label in JurisdictionKind.choices
    ]


def jurisdiction_target(*, lead: Lead, kind: str, pk: int) -> Unit:
    """The posted unit if the lead may move to it by `kind`; NOT_A_TARGET otherwise."""
    unit = jurisdiction_targets(lead=lead, kind=kind).filter(pk=pk).first()
    if unit is None:
        raise LeadWorkflowError(NOT_A_TARGET)
    return unit


@transaction.atomic
def lead_change_jurisdiction(
    *,
    lead: Lead,
    actor: User,
    kind: str,
    to_unit: Unit,
    reason: str,
    handler: Officer | None = None,
    deadline: dt.date | None = None,
    override_reason: str = "",
    request: HttpRequest | None = None,
) -> JurisdictionChange:
    """Move the lead to another handling unit. The old handler loses it at once: the new
    handler (of `to_unit`'s subtree) is set here, or — if none is given — the office assigns
    one afterwards (the lead shows "待指定承办人"). A handler with conflicts of interest
    needs `override_reason` (leads.rules.conflicts, as for an assignment). Higher-level handling
    goes up the tree; cross and other-place handling go outside the old unit's subtree."""
    reason = _required(reason)
    if kind not in JurisdictionKind.values:
        raise LeadWorkflowError(JURISDICTION_KIND)
    lead = lock(lead)
    _ensure_writable(lead)
    if lead.status not in (S.HANDLING, S.HELD):
        raise LeadWorkflowError(JURISDICTION_STATUS)
    from_unit = lead.handling_unit
    if from_unit is not None:
        if to_unit.pk == from_unit.pk:
            raise LeadWorkflowError(SAME_UNIT)
        if kind == JurisdictionKind.HIGHER and to_unit.depth >= from_unit.depth:
            raise LeadWorkflowError(NOT_HIGHER)
        if kind != JurisdictionKind.HIGHER and to_unit.path.startswith(from_unit.path):
            raise LeadWorkflowError(INSIDE_OLD_UNIT)
    if not jurisdiction_targets(lead=lead, kind=kind).filter(pk=to_unit.pk).exists():
        raise LeadWorkflowError(NOT_A_TARGET)
    if deadline is not None and deadline < timezone.localdate():
        raise LeadWorkflowError(DEADLINE_PAST)
    override: dict = {}
    if handler is not None:
        if not handler.is_active:
            raise LeadWorkflowError(HANDLER_INACTIVE)
        if not handler.unit.path.startswith(to_unit.path):
            raise LeadWorkflowError(HANDLER_NOT_IN_UNIT)
        override = conflicts.require_override(
            lead=lead, handler=handler, override_reason=override_reason
        )
    change = JurisdictionChange(
        lead=lead,
        kind=kind,
        from_unit=from_unit,
        to_unit=to_unit,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    change.full_clean()
    change.save()
    old_handler = lead.handler
    lead.handling_unit = to_unit
    lead.handler = handler
    if deadline is not None:
        lead.deadline = deadline
    lead.last_activity_at = timezone.now()
    lead.full_clean()
    with touching([lead.pk]):  # the unit it counts under may change
        lead.save(update_fields=["handling_unit", "handler", "deadline", "last_activity_at"])
    text = _("%(kind)s：%(from)s → %(to)s，承办人：%(handler)s。理由：%(reason)s") % {
        "kind": change.get_kind_display(),
        "from": from_unit.name if from_unit else "—",
        "to": to_unit.name,
        "handler": handler.name if handler else _("待指定"),
        "reason": reason,
    }
    _event(
        lead,
        kind=EventKind.JURISDICTION,
        actor=actor,
        text=text,
        data={
            "change": change.pk,
            "kind": kind,
            "from": from_unit.pk if from_unit else None,
            "to": to_unit.pk,
            "handler": handler.pk if handler else None,
            "old_handler": old_handler.pk if old_handler else None,
            **override,
        },
    )
    audit_record(
        actor=actor,
        action=LEAD_JURISDICTION_CHANGED,
        verb=AuditVerb.CHANGE,
        target=lead,
        data={
            "kind": kind,
            "from": from_unit.pk if from_unit else None,
            "to": to_unit.pk,
            "handler": handler.pk if handler else None,
            "old_handler": old_handler.pk if old_handler else None,
            "deadline": deadline,
            **override,
        },
        request=request,
    )
    return change


# --- L10: escalation up the responsibility chain (nightly) --------------------------------

_BATCH = 500


@transaction.atomic
def escalate_flagged(today: dt.date | None = None) -> int:
    """Record each step up the responsibility chain that a flagged lead has reached: one
    Escalation per (lead, kind, level) with the unit and person of that step, and one
    ESCALATION timeline entry per new row. Idempotent: rows are inserted with
    `ignore_conflicts` on the unique (lead, kind, level) constraint, and the entries are
    written only for the rows this run inserted (found by this run's timestamp). Returns the
    number of new rows.

    A lead first seen many steps late gets the steps of the chain it passed (each of those
    people answers for it) and its current level, not a row for every week beyond the top."""
    today = today or timezone.localdate()
    run_at = timezone.now()
    ids = list(Lead.objects.filter(flagged_q(today)).order_by("id").values_list("id", flat=True))
    created = 0
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        leads = with_flags(
            Lead.objects.filter(pk__in=batch).select_related(
                "office__jurisdiction", "handling_unit"
            ),
            today=today,
        )
        existing = set(
            Escalation.objects.filter(lead_id__in=batch).values_list("lead_id", "kind", "level")
        )
        rows = []
        for lead in leads:
            unit, ladder = responsible_unit(lead), lead.ladder
            top = max(len(ladder) - 1, 0)
            for flag in lead.flags:
                for level in sorted({*range(min(flag.level, top) + 1), flag.level}):
                    if (lead.pk, flag.kind, level) in existing:
                        continue
                    link = _link(ladder, unit, level)
                    rows.append(
                        Escalation(
                            lead=lead,
                            kind=flag.kind,
                            level=level,
                            unit=link.unit,
                            person=link.person,
                            at=run_at,
                        )
                    )
        if not rows:
            continue
        Escalation.objects.bulk_create(rows, ignore_conflicts=True)
        new = list(
            Escalation.objects.filter(lead_id__in=batch, at=run_at)
            .select_related("unit", "person")
            .order_by("lead_id", "kind", "level")
        )
        days = {(lead.pk, f.kind): f.days_late for lead in leads for f in lead.flags}
        LeadEvent.objects.bulk_create(
            [
                LeadEvent(
                    lead_id=e.lead_id,
                    kind=EventKind.ESCALATION,
                    at=run_at,
                    text=_("%(kind)s（逾期 %(days)s 天）：上报至第 %(n)s 级，%(unit)s %(person)s")
                    % {
                        "kind": e.get_kind_display(),
                        "days": days.get((e.lead_id, e.kind), 0),
                        "n": e.level + 1,
                        "unit": e.unit.name,
                        "person": e.person.name if e.person else _("（未设责任人）"),
                    },
                    data={"escalation": e.pk, "kind": e.kind, "level": e.level},
                )
                for e in new
            ]
        )
        created += len(new)
        audit_record(
            actor=None,
            action=ESCALATION_CREATED,
            verb=AuditVerb.CREATE,
            object_type="leads.escalation",
            data={"ids": [e.pk for e in new], "leads": sorted({e.lead_id for e in new})},
        )
    return created
