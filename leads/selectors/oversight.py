"""Reads behind the lead page's cards and the risk-note pages: a lead's oversight history,
the officers the user may assess, unit choices in the user's scope, the lead a duplicate is
merged into. Each starts from a scoped queryset of leads.access or rectify.access, so what
the user may not see is never offered.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from rectify.access import units_visible_to
from rectify.models import Officer, Unit

from ..access import leads_visible_to, risk_notes_visible_to, risk_officers_visible_to
from ..models import Lead, RiskLevel, RiskNote

if TYPE_CHECKING:
    from rectify.models import AnyUser

# A select of units shows at most this many (the page stays small in a province-wide tree).
UNIT_CHOICES_MAX = 300


def lead_oversight_history(lead: Lead) -> dict[str, list]:
    """What the oversight card lists: jurisdiction changes, risk notes, accountability and
    escalations of the lead (four queries, whatever its history)."""
    return {
        "changes": list(lead.jurisdiction_changes.select_related("from_unit", "to_unit", "actor")),
        "risk_notes": list(lead.risk_notes.select_related("actor")),
        "accountabilities": list(lead.accountabilities.select_related("unit", "actor")),
        "escalations": list(lead.escalations.select_related("unit", "person")),
    }


def assessable_officers(user: AnyUser, officer_ids: Iterable[int]) -> list[Officer]:
    """Those of `officer_ids` the user may write a risk note about (risk_officers_visible_to)."""
    return list(risk_officers_visible_to(user).filter(pk__in=list(officer_ids)))


def unit_choices(
    user: AnyUser, roles: Iterable[str], *, max_depth: int | None = None
) -> QuerySet[Unit]:
    """Units in the user's subtrees for `roles`, in tree order, for a select (capped)."""
    units = units_visible_to(user, roles)
    if max_depth is not None:
        units = units.filter(depth__lte=max_depth)
    return units.order_by("path")[:UNIT_CHOICES_MAX]


def unit_choice(user: AnyUser, roles: Iterable[str], pk: int) -> Unit | None:
    """The posted unit if it is in the user's subtrees for `roles`, else None."""
    return units_visible_to(user, roles).filter(pk=pk).first()


def merge_target(user: AnyUser, *, pk: int | None, number: str) -> Lead | None:
    """The main lead a duplicate goes into, by id (the duplicate panel) or by its number,
    among the leads the user can see."""
    visible = leads_visible_to(user)
    if pk:
        return visible.filter(pk=pk).first()
    return visible.filter(number=number.strip()).first()


def officer_risk_notes(user: AnyUser, officer: Officer) -> list[RiskNote]:
    """The risk notes about one officer the user may read, newest first."""
    return list(
        risk_notes_visible_to(user)
        .filter(officer=officer)
        .select_related("actor")
        .order_by("-at", "-id")
    )


def officer_leads(user: AnyUser, officer: Officer, *, limit: int = 50) -> list[Lead]:
    """The visible leads naming the officer as a subject, newest first."""
    return list(
        leads_visible_to(user)
        .filter(subjects__officer=officer)
        .select_related("handling_unit")
        .distinct()
        .order_by("-received_date", "-id")[:limit]
    )


def risk_notes_for(user: AnyUser, *, level: str | None, about: str | None) -> QuerySet[RiskNote]:
    """The risk notes the user may read, by level (ignored unless a RiskLevel) and by what
    they are about ("lead" or "officer"; anything else: both)."""
    notes = risk_notes_visible_to(user).select_related("lead", "officer__unit", "actor")
    if level in RiskLevel.values:
        notes = notes.filter(level=level)
    if about == "lead":
        notes = notes.filter(lead__isnull=False)
    elif about == "officer":
        notes = notes.filter(officer__isnull=False)
    return notes
