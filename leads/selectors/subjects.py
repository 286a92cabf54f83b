"""The people a lead is about: subjects, register candidates, officer matching."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from rectify import access
from rectify.models import Officer

from ..access import leads_visible_to
from ..models import (
    CandidateState,
    Lead,
    LeadSubjectCandidate,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rectify.models import AnyUser


@dataclass
class SubjectInput:
    """A subject as typed: a name, and the register officer it means when known."""

    name: str
    officer: Officer | None = None
    unit_name: str = ""


def subjects_of(lead: Lead) -> list:
    return list(lead.subjects.select_related("officer__unit").order_by("id"))


def subject_candidate(lead: Lead, pk: int) -> LeadSubjectCandidate | None:
    return (
        LeadSubjectCandidate.objects.filter(lead=lead, pk=pk)
        .select_related("officer__unit", "lead")
        .first()
    )


def lead_is_visible(user: AnyUser, lead: Lead) -> bool:
    return leads_visible_to(user).filter(pk=lead.pk).exists()


def subject_candidates_for(user: AnyUser, lead_ids: Iterable[int]) -> dict[int, dict]:
    """Pending recusal candidates (被反映人待确认) of these leads, for the intake queue and
    the lead page: per lead, the candidates the user may see (with the officer and unit)
    and how many others there are outside the user's scope (counted, never named). Two
    queries."""
    rows = list(
        LeadSubjectCandidate.objects.filter(
            lead_id__in=list(lead_ids), state=CandidateState.PENDING
        )
        .exclude(officer__user_id=user.pk)
        .order_by("lead_id", "name", "officer_id")
    )
    shown = {
        o.pk: o
        for o in access.officers_visible_to(user).filter(pk__in={r.officer_id for r in rows})
    }
    out: dict[int, dict] = {}
    for row in rows:
        entry = out.setdefault(row.lead_id, {"candidates": [], "hidden": 0})
        if row.officer_id in shown:
            row.shown_officer = shown[row.officer_id]
            entry["candidates"].append(row)
        else:
            entry["hidden"] += 1
    return out


def officer_by_number(user: AnyUser, number: str) -> Officer | None:
    """The active officer with that number (警号) among those the user may see, or None
    (the handler field of the triage and jurisdiction forms, and the conflict hint)."""
    number = (number or "").strip()
    if not number:
        return None
    return access.officers_visible_to(user).filter(number=number, is_active=True).first()


def match_subjects(user: AnyUser, tokens: list[str], unit_text: str = "") -> list:
    """Subjects typed as officer numbers or names, matched against the officers the user may
    see (a name only when it is unambiguous); the rest is kept as free text. One query."""
    if not tokens:
        return []
    officers = list(
        access.officers_visible_to(user).filter(Q(number__in=tokens) | Q(name__in=tokens))
    )
    by_number = {o.number: o for o in officers}
    by_name: dict[str, list] = {}
    for o in officers:
        by_name.setdefault(o.name, []).append(o)
    out = []
    for token in tokens:
        officer = by_number.get(token)
        if officer is None and len(by_name.get(token, [])) == 1:
            officer = by_name[token][0]
        if officer is not None:
            out.append(SubjectInput(name=officer.name, officer=officer))
        else:
            out.append(SubjectInput(name=token, unit_name=unit_text))
    return out
