"""The L10 oversight board: flags per lead, the flagged leads a user oversees, board figures.

Reads start from a scoped queryset (`leads_visible_to`, recusal included) and cost a
constant number of queries per page: the responsibility chains of all rows of a page come
from one query (`rectify.selectors.escalation_ladders`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from rectify.models import Officer, Unit
from rectify.params import id_param, int_param
from rectify.selectors import ChainLink, escalation_ladders

from ..access import leads_visible_to
from ..models import (
    OPEN_STATUSES,
    Escalation,
    FlagKind,
    Lead,
)
from .deadlines import S, deadline_overdue_q, flagged_q, supervision_overdue_q, untouched_q

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rectify.models import AnyUser


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


def flagged_leads(user: AnyUser, *, today: dt.date | None = None) -> QuerySet:
    """The leads the user can see (recusal applies) that are untouched or overdue. Page the
    result and pass the page to `with_flags` for the responsible unit and person."""
    return _board_related(leads_visible_to(user).filter(flagged_q(today)))


BOARD_KINDS = ("untouched", "overdue", "supervision")


def board_leads(
    user: AnyUser, params: Mapping[str, Any], *, today: dt.date | None = None
) -> QuerySet:
    """The board's rows for its GET filters. With 仅挂牌督办 and no kind or level chosen the
    rows are every open listed lead (what the card 挂牌督办（在办） counts), flagged or not:
    starting from the flagged leads only, the filter showed none of a listed lead that was
    not yet late while the counter said one."""
    today = today or timezone.localdate()
    listed_only = params.get("listed") and not params.get("kind") and not params.get("level")
    if listed_only:
        base = _board_related(
            leads_visible_to(user).filter(supervisor__isnull=False, status__in=OPEN_STATUSES)
        )
    else:
        base = flagged_leads(user, today=today)
    return board_filter(base, params, user=user, today=today)


def _kind_q(kind: str, today: dt.date, min_days_late: int) -> Q:
    if kind == "untouched":
        return untouched_q(today, min_days_late=min_days_late)
    if kind == "overdue":
        return deadline_overdue_q(today, min_days_late=min_days_late)
    if kind == "supervision":
        return supervision_overdue_q(today, min_days_late=min_days_late)
    return flagged_q(today, min_days_late=min_days_late)


def board_filter(
    leads: QuerySet, params: Mapping[str, Any], *, user: AnyUser, today: dt.date | None = None
) -> QuerySet:
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


def board_figures(user: AnyUser, *, today: dt.date | None = None) -> dict:
    """Counts over the user's flagged leads (one query)."""
    today = today or timezone.localdate()
    mine = Escalation.objects.filter(person__user_id=user.pk).values("lead_id")
    # Every count is of open leads: the aggregate reads those (lead_status_received), not
    # the concluded and crossed-off part of the ledger.
    return (
        leads_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .aggregate(
            untouched=Count("id", filter=untouched_q(today)),
            overdue=Count("id", filter=deadline_overdue_q(today)),
            supervision=Count("id", filter=supervision_overdue_q(today)),
            listed=Count("id", filter=Q(supervisor__isnull=False, status__in=OPEN_STATUSES)),
            mine=Count("id", filter=flagged_q(today) & Q(pk__in=mine)),
        )
    )


def escalated_to_me_count(user: AnyUser, *, today: dt.date | None = None) -> int:
    """Flagged leads, visible to the user, whose escalations reached the user (home page)."""
    mine = Escalation.objects.filter(person__user_id=user.pk).values("lead_id")
    return leads_visible_to(user).filter(flagged_q(today), pk__in=mine).count()


def supervised_by(user: AnyUser) -> QuerySet:
    """Open leads under listed supervision (挂牌督办) with the user as the named supervising
    leader, recusal applied (leadership's 我督办的), soonest supervision deadline first."""
    return _board_related(
        leads_visible_to(user).filter(supervisor__user_id=user.pk, status__in=OPEN_STATUSES)
    ).order_by("supervision_deadline", "id")


def escalated_to(user: AnyUser, *, today: dt.date | None = None) -> QuerySet:
    """Flagged (overdue or untouched) leads the user can see whose escalation reached the
    user, highest level first (leadership's 我督办的)."""
    mine = Escalation.objects.filter(person__user_id=user.pk).values("lead_id")
    return _board_related(leads_visible_to(user).filter(flagged_q(today), pk__in=mine)).order_by(
        "received_date", "id"
    )
