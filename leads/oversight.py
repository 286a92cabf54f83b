"""Oversight of leads: listed supervision and jurisdiction changes (L6), supervision notes (L7,
through `services.lead_add_event`), untouched and overdue flags escalated up the
responsibility chain with accountability records (L10), and risk notes (L11).

Writes follow leads.services: keyword-only, atomic, `full_clean()`, audited, one LeadEvent of
the matching kind. Permission checks live in rectify.access (`can_list_supervision`, ...) and
are applied by the views, as for the other lead services.

`Lead.last_activity_at` is the L10 "somebody worked the lead" clock. A jurisdiction change
(a new unit starts afresh) and a risk note on a lead (analysis is handling work) reset it.
Listing or unlisting supervision and attaching accountability do not: they are oversight,
not handling, and letting them reset the clock would hide exactly the neglected leads that
oversight is aimed at (a supervision note, likewise, see `services.lead_add_event`).

Reads start from a scoped queryset (`access.leads_visible_to`, recusal included) and cost a
constant number of queries per page: the responsibility chains of all rows of a page come
from one query (`rectify.selectors.escalation_ladders`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify import access
from rectify.audit import audit_record
from rectify.models import AuditVerb, Officer, Unit
from rectify.params import id_param, int_param
from rectify.selectors import ChainLink, escalation_ladders

from .models import (
    OPEN_STATUSES,
    Accountability,
    AccountabilityMeasure,
    Escalation,
    EventKind,
    FlagKind,
    JurisdictionChange,
    JurisdictionKind,
    Lead,
    LeadEvent,
    LeadStatus,
    RiskLevel,
    RiskNote,
)
from .selectors import handling_overdue_q
from .services import HANDLER_NOT_IN_UNIT, _ensure_writable, _event, _touch
from .workflow import REASON_REQUIRED, LeadWorkflowError, lock

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
RISK_LEVEL = _("请选择风险等级（低、中、高）")
RISK_ABOUT_ONE = _("风险研判须针对一条线索或一名干警（二者选一）")
RISK_ABOUT_SELF = _("不能对本人作风险研判")
EMPTY_ASSESSMENT = _("请填写研判意见")
NO_PERSON = _("请填写被问责人")
BAD_MEASURE = _("请选择问责方式")


def _required(text: str, message: str = REASON_REQUIRED) -> str:
    if not (text or "").strip():
        raise LeadWorkflowError(message)
    return text.strip()


# --- L6: listed supervision (挂牌督办) ----------------------------------------------------


@transaction.atomic
def lead_list_supervision(
    *, lead: Lead, actor, supervisor: Officer, deadline: dt.date, note: str = "", request=None
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
        action="leads.lead.supervision_listed",
        verb=AuditVerb.CHANGE,
        target=lead,
        data={"supervisor": supervisor.pk, "deadline": deadline, "relisted": relisted},
        request=request,
    )
    return lead


@transaction.atomic
def lead_unlist_supervision(*, lead: Lead, actor, reason: str, request=None) -> Lead:
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
        action="leads.lead.supervision_unlisted",
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


@transaction.atomic
def lead_change_jurisdiction(
    *,
    lead: Lead,
    actor,
    kind: str,
    to_unit: Unit,
    reason: str,
    handler: Officer | None = None,
    deadline: dt.date | None = None,
    override_reason: str = "",
    request=None,
) -> JurisdictionChange:
    """Move the lead to another handling unit. The old handler loses it at once: the new
    handler (of `to_unit`'s subtree) is set here, or — if none is given — the office assigns
    one afterwards (the lead shows "待指定承办人"). A handler with conflicts of interest
    needs `override_reason` (leads.conflicts, as for an assignment). Higher-level handling
    goes up the tree; cross and other-place handling go outside the old unit's subtree."""
    from . import conflicts  # the conflict check is shared with services.lead_assign

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
        action="leads.lead.jurisdiction_changed",
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


# --- L11: risk notes (风险研判) -------------------------------------------------------------


@transaction.atomic
def risk_note_add(
    *,
    actor,
    level: str,
    text: str,
    measures: str = "",
    lead: Lead | None = None,
    officer: Officer | None = None,
    request=None,
) -> RiskNote:
    """A risk assessment about one lead or one officer (never both: a note on an officer is
    read by office staff and leaders of the officer's subtree, who need not see the lead)."""
    if (lead is None) == (officer is None):
        raise LeadWorkflowError(RISK_ABOUT_ONE)
    if level not in RiskLevel.values:
        raise LeadWorkflowError(RISK_LEVEL)
    text = _required(text, EMPTY_ASSESSMENT)
    if officer is not None and officer.user_id and officer.user_id == getattr(actor, "pk", None):
        raise LeadWorkflowError(RISK_ABOUT_SELF)
    if lead is not None:
        lead = lock(lead)
        _ensure_writable(lead)
    note = RiskNote(
        lead=lead,
        officer=officer,
        level=level,
        text=text,
        measures=(measures or "").strip(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    note.full_clean()
    note.save()
    if lead is not None:
        event_text = _("【%(level)s风险】%(text)s") % {
            "level": note.get_level_display(),
            "text": text,
        }
        if note.measures:
            event_text += "\n" + _("防控措施：%(m)s") % {"m": note.measures}
        _event(
            lead,
            kind=EventKind.RISK,
            actor=actor,
            text=event_text,
            data={"note": note.pk, "level": level},
        )
        _touch(lead)
    audit_record(
        actor=actor,
        action="leads.risknote.created",
        verb=AuditVerb.CREATE,
        target=note,
        data={
            "lead": lead.pk if lead else None,
            "officer": officer.pk if officer else None,
            "level": level,
        },
        request=request,
    )
    return note


# --- L10: accountability (追责问责) ----------------------------------------------------------


@transaction.atomic
def accountability_add(
    *,
    lead: Lead,
    actor,
    measure: str,
    reason: str,
    officer: Officer | None = None,
    person_name: str = "",
    unit: Unit | None = None,
    request=None,
) -> Accountability:
    """Attach 追责问责 to a lead: who (an officer on the register, or a name), their unit, the
    measure and the reason. Allowed on concluded and archived leads too: accountability for
    a lead that was neglected often follows its conclusion, and it adds a record without
    changing the archived conclusion."""
    if measure not in AccountabilityMeasure.values:
        raise LeadWorkflowError(BAD_MEASURE)
    reason = _required(reason)
    name = (officer.name if officer else "") or (person_name or "").strip()
    if not name:
        raise LeadWorkflowError(NO_PERSON)
    if unit is None and officer is not None:
        unit = officer.unit
    lead = lock(lead)
    record = Accountability(
        lead=lead,
        officer=officer,
        person_name=name,
        unit=unit,
        measure=measure,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record.full_clean()
    record.save()
    _event(
        lead,
        kind=EventKind.ACCOUNTABILITY,
        actor=actor,
        text=_("%(name)s（%(unit)s）：%(measure)s。事由：%(reason)s")
        % {
            "name": name,
            "unit": unit.name if unit else "—",
            "measure": record.get_measure_display(),
            "reason": reason,
        },
        data={"accountability": record.pk, "measure": measure},
    )
    audit_record(
        actor=actor,
        action="leads.accountability.created",
        verb=AuditVerb.CREATE,
        target=record,
        data={
            "lead": lead.pk,
            "officer": officer.pk if officer else None,
            "unit": unit.pk if unit else None,
            "measure": measure,
        },
        request=request,
    )
    return record


# --- L10: untouched and overdue flags ---------------------------------------------------------


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _days_ago(today: dt.date | None, days: int) -> dt.date:
    return (today or timezone.localdate()) - dt.timedelta(days=days)


def untouched_q(today: dt.date | None = None, *, min_days_late: int = 1) -> Q:
    """有线索不查: under handling, and the last activity (or, before any, the screening,
    registration or creation) lies more than LEADS_UNTOUCHED_DAYS days back — by at least
    `min_days_late` days."""
    day = _days_ago(today, settings.LEADS_UNTOUCHED_DAYS + max(min_days_late, 1) - 1)
    cutoff = _midnight(day)
    none = {"last_activity_at__isnull": True}
    return Q(status=S.HANDLING) & (
        Q(last_activity_at__lt=cutoff)
        | Q(**none, screened_at__lt=cutoff)
        | Q(**none, screened_at__isnull=True, registered_at__lt=cutoff)
        | Q(**none, screened_at__isnull=True, registered_at__isnull=True, created_at__lt=cutoff)
    )


def deadline_overdue_q(today: dt.date | None = None, *, min_days_late: int = 1) -> Q:
    """久查不结: open with its handling deadline passed (selectors.handling_overdue_q)."""
    return handling_overdue_q(_days_ago(today, max(min_days_late, 1) - 1))


def supervision_overdue_q(today: dt.date | None = None, *, min_days_late: int = 1) -> Q:
    """Open, under listed supervision, and the supervision deadline passed."""
    day = _days_ago(today, max(min_days_late, 1) - 1)
    return Q(status__in=OPEN_STATUSES, supervisor__isnull=False, supervision_deadline__lt=day)


def overdue_flag_q(today: dt.date | None = None, *, min_days_late: int = 1) -> Q:
    return deadline_overdue_q(today, min_days_late=min_days_late) | supervision_overdue_q(
        today, min_days_late=min_days_late
    )


def flagged_q(today: dt.date | None = None, *, min_days_late: int = 1) -> Q:
    return untouched_q(today, min_days_late=min_days_late) | overdue_flag_q(
        today, min_days_late=min_days_late
    )


def _last_activity(lead: Lead) -> dt.datetime:
    return lead.last_activity_at or lead.screened_at or lead.registered_at or lead.created_at


@dataclass
class Flag:
    """One reason a lead is flagged, whom it has reached, and how late it is."""

    kind: str  # FlagKind
    days_late: int
    level: int  # steps up the responsibility chain: days_late // LEADS_ESCALATE_DAYS
    unit: Unit  # the responsible unit at this level
    person: Officer | None  # the responsible person at this level
    supervision: bool = False  # (overdue) the listed-supervision deadline has passed

    @property
    def label(self) -> str:
        return FlagKind(self.kind).label


def _link(ladder: list[ChainLink], unit: Unit, level: int) -> ChainLink:
    if not ladder:
        return ChainLink(unit, None, None)
    return ladder[min(level, len(ladder) - 1)]


def responsible_unit(lead: Lead) -> Unit:
    """The unit that answers for the lead: its handling unit, or the office's jurisdiction
    before the lead was assigned."""
    return lead.handling_unit or lead.office.jurisdiction


def lead_flags(lead: Lead, *, today: dt.date, ladder: list[ChainLink]) -> list[Flag]:
    """The lead's flags, computed in Python exactly as `untouched_q` / `overdue_flag_q` do
    (no query: `ladder` comes from `escalation_ladders`)."""
    step = max(settings.LEADS_ESCALATE_DAYS, 1)
    unit = responsible_unit(lead)
    flags: list[Flag] = []

    def add(kind: str, days: int, supervision: bool = False) -> None:
        level = days // step
        link = _link(ladder, unit, level)
        flags.append(Flag(kind, days, level, link.unit, link.person, supervision))

    if lead.status == S.HANDLING:
        idle = (today - timezone.localtime(_last_activity(lead)).date()).days
        if idle > settings.LEADS_UNTOUCHED_DAYS:
            add(FlagKind.UNTOUCHED, idle - settings.LEADS_UNTOUCHED_DAYS)
    if lead.status in OPEN_STATUSES:
        late = (today - lead.deadline).days if lead.deadline else 0
        supervision_late = 0
        if lead.supervisor_id and lead.supervision_deadline:
            supervision_late = (today - lead.supervision_deadline).days
        if late > 0 or supervision_late > 0:
            add(FlagKind.OVERDUE, max(late, supervision_late), supervision_late > 0)
    return flags


def with_flags(leads: Iterable[Lead], *, today: dt.date | None = None) -> list[Lead]:
    """Set `lead.flags`, `lead.flag` (the one that climbed highest), `lead.ladder` and
    `lead.supervision_overdue` on each lead; one query for all the responsibility chains.
    The leads need `handling_unit` and `office__jurisdiction` selected."""
    today = today or timezone.localdate()
    leads = list(leads)
    ladders = escalation_ladders({responsible_unit(lead) for lead in leads})
    for lead in leads:
        lead.ladder = ladders.get(responsible_unit(lead).pk, [])
        lead.flags = lead_flags(lead, today=today, ladder=lead.ladder)
        lead.flag = max(lead.flags, key=lambda f: (f.level, f.days_late), default=None)
        lead.supervision_overdue = any(f.supervision for f in lead.flags)
    return leads


def _board_related(leads: QuerySet) -> QuerySet:
    return leads.select_related("office__jurisdiction", "handling_unit", "handler", "supervisor")


def flagged_leads(user, *, today: dt.date | None = None) -> QuerySet:
    """The leads the user can see (recusal applies) that are untouched or overdue. Page the
    result and pass the page to `with_flags` for the responsible unit and person."""
    return _board_related(access.leads_visible_to(user).filter(flagged_q(today)))


BOARD_KINDS = ("untouched", "overdue", "supervision")


def _kind_q(kind: str, today: dt.date, min_days_late: int) -> Q:
    if kind == "untouched":
        return untouched_q(today, min_days_late=min_days_late)
    if kind == "overdue":
        return deadline_overdue_q(today, min_days_late=min_days_late)
    if kind == "supervision":
        return supervision_overdue_q(today, min_days_late=min_days_late)
    return flagged_q(today, min_days_late=min_days_late)


def board_filter(leads: QuerySet, params, *, user, today: dt.date | None = None) -> QuerySet:
    """The board's GET filters: kind (untouched / overdue / supervision), level (escalated at
    least this many steps), unit (handling-unit subtree), listed (under listed supervision
    only), mine (escalated to me)."""
    today = today or timezone.localdate()
    kind = params.get("kind") if params.get("kind") in BOARD_KINDS else ""
    level = int_param(params, "level", min_value=0, max_value=10)
    min_days_late = 1
    if level:
        min_days_late = max(1, level * settings.LEADS_ESCALATE_DAYS)
    if kind or min_days_late > 1:
        leads = leads.filter(_kind_q(kind, today, min_days_late))
    unit = id_param(params, "unit")
    if unit:
        path = Unit.objects.filter(pk=unit).values_list("path", flat=True).first()
        leads = leads.filter(handling_unit__path__startswith=path) if path else leads.none()
    if params.get("listed"):
        leads = leads.filter(supervisor__isnull=False)
    if params.get("mine"):
        mine = Escalation.objects.filter(person__user_id=user.pk).values("lead_id")
        leads = leads.filter(pk__in=mine)
    return leads


def board_figures(user, *, today: dt.date | None = None) -> dict:
    """Counts over the user's flagged leads (one query)."""
    today = today or timezone.localdate()
    mine = Escalation.objects.filter(person__user_id=user.pk).values("lead_id")
    return access.leads_visible_to(user).aggregate(
        untouched=Count("id", filter=untouched_q(today)),
        overdue=Count("id", filter=deadline_overdue_q(today)),
        supervision=Count("id", filter=supervision_overdue_q(today)),
        listed=Count("id", filter=Q(supervisor__isnull=False, status__in=OPEN_STATUSES)),
        mine=Count("id", filter=flagged_q(today) & Q(pk__in=mine)),
    )


def escalated_to_me_count(user, *, today: dt.date | None = None) -> int:
    """Flagged leads, visible to the user, whose escalations reached the user (home page)."""
    mine = Escalation.objects.filter(person__user_id=user.pk).values("lead_id")
    return access.leads_visible_to(user).filter(flagged_q(today), pk__in=mine).count()


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
            action="leads.escalation.created",
            verb=AuditVerb.CREATE,
            object_type="leads.escalation",
            data={"ids": [e.pk for e in new], "leads": sorted({e.lead_id for e in new})},
        )
    return created
