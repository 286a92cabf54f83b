"""L12 自查从宽、被查从严: did the officer a lead is about declare that problem in time?

For a lead whose category is one of the six chronic problems (ChronicProblem), each subject
officer is looked up in the self-check declarations (selfcheck.selectors.declarations_before):
- "declared": the officer declared "yes" on that item inside the self-check window and
  before the day the lead was received -> leniency (自查从宽);
- "late": the officer declared it inside the window, but only on or after that day;
- "not_declared": no in-window declaration -> found by investigation (被查从严).
Leads about other categories, or without a registered subject officer, are "na".

Batched: one query for the subjects of all the leads, one for the declarations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from rectify.models import ChronicProblem
from selfcheck.selectors import declarations_before, declared_before_day

from ..models import LeadSubject

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from ..models import Lead

DECLARED, LATE, NOT_DECLARED, NA = "declared", "late", "not_declared", "na"
LABELS = {
    DECLARED: "已主动自查申报",
    LATE: "受理后才申报",
    NOT_DECLARED: "未自查申报",
    NA: "不适用",
}
TONES = {DECLARED: "ok", LATE: "warn", NOT_DECLARED: "danger", NA: "info"}


@dataclass
class OfficerLeniency:
    officer_id: int
    name: str
    state: str
    declared_at: dt.datetime | None = None


@dataclass
class LeniencyResult:
    lead_id: int
    state: str
    officers: list[OfficerLeniency] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def tone(self) -> str:
        return TONES[self.state]

    @property
    def applicable(self) -> bool:
        return self.state != NA


def day_start(day: dt.date) -> dt.datetime:
    """The first instant of `day` in the project's time zone (a declaration must be
    submitted before the day the lead was received)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _lead_state(states: list[str]) -> str:
    for state in (DECLARED, LATE, NOT_DECLARED):
        if state in states:
            return state
    return NA


def leniency_for(leads: Iterable) -> dict[int, LeniencyResult]:
    """{lead id: LeniencyResult} for Lead objects (or anything with pk, category,
    received_date). Two queries whatever the number of leads."""
    leads = list(leads)
    chronic = set(ChronicProblem.values)
    relevant = {lead.pk: lead for lead in leads if lead.category in chronic and lead.received_date}
    results = {lead.pk: LeniencyResult(lead_id=lead.pk, state=NA) for lead in leads}
    if not relevant:
        return results
    subjects: dict[int, list[tuple[int, str]]] = {}
    if all(hasattr(lead, "subject_list") for lead in relevant.values()):
        # The list pages' prefetch (selectors.with_list_relations): no query of our own.
        for lead_id, lead in relevant.items():
            for s in lead.subject_list:
                if s.officer_id:
                    subjects.setdefault(lead_id, []).append((s.officer_id, s.officer.name))
    else:
        for lead_id, officer_id, name in (
            LeadSubject.objects.filter(lead_id__in=list(relevant), officer__isnull=False)
            .values_list("lead_id", "officer_id", "officer__name")
            .order_by("lead_id", "id")
        ):
            subjects.setdefault(lead_id, []).append((officer_id, name))
    officer_ids = {officer_id for rows in subjects.values() for officer_id, _ in rows}
    if not officer_ids:
        return results
    # The earliest in-window declaration of every officer, whenever it was made: compared
    # per lead below with that lead's received day (one query, not one per lead).
    declared = declarations_before(officer_ids=officer_ids, before=timezone.now())
    for lead_id, rows in subjects.items():
        lead = relevant[lead_id]
        received = day_start(lead.received_date)
        officers = []
        for officer_id, name in dict.fromkeys(rows):
            at = declared.get(officer_id, {}).get(lead.category)
            if at is None:
                state = NOT_DECLARED
            elif at < received:
                state = DECLARED
            else:
                state = LATE
            officers.append(OfficerLeniency(officer_id, name, state, at))
        results[lead_id] = LeniencyResult(
            lead_id=lead_id, state=_lead_state([o.state for o in officers]), officers=officers
        )
    return results


def leniency_aggregates() -> dict:
    """The aggregates of `leniency_counts` (L12_total, L12_applicable, L12_declared), for a
    caller that counts other figures over the same leads in the same query."""
    officers = LeadSubject.objects.filter(lead_id=OuterRef("pk"), officer__isnull=False)
    in_time = officers.filter(
        declared_before_day(
            officer_id=OuterRef("officer_id"),
            key=OuterRef(OuterRef("category")),
            day=OuterRef(OuterRef("received_date")),
        )
    )
    chronic = Q(category__in=ChronicProblem.values)
    return {
        "L12_total": Count("id"),
        "L12_applicable": Count("id", filter=chronic & Exists(officers)),
        "L12_declared": Count("id", filter=chronic & Exists(in_time)),
    }


def leniency_from_row(row: dict) -> dict[str, int]:
    declared = row["L12_declared"] or 0
    investigated = (row["L12_applicable"] or 0) - declared
    return {
        "declared": declared,
        "investigated": investigated,
        "na": (row["L12_total"] or 0) - declared - investigated,
    }


def leniency_counts(leads: QuerySet[Lead]) -> dict[str, int]:
    """Ledger figure over a queryset of leads (already scoped by leads_visible_to):
    {"declared": self-declared in time, "investigated": found by investigation (late or not
    declared), "na": not applicable}. One aggregate query, computed in the database (the same
    rule as `leniency_for`: a lead is "declared" when any registered subject officer declared
    its category in the window before the day it was received)."""
    return leniency_from_row(leads.order_by().aggregate(**leniency_aggregates()))
