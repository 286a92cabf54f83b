"""Reads of the smart screening page (L3): officers named in several leads, and leads about
officers who declared nothing in the current campaign. Both start from leads_visible_to
(recusal applies)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, QuerySet

from rectify.models import Campaign
from selfcheck.selectors import officer_ids_with_any_declaration

from ..access import leads_visible_to
from ..models import Lead, LeadSubject
from ..rules.screening import Similar, similar_leads
from .subjects import match_subjects

if TYPE_CHECKING:
    from rectify.models import AnyUser

if TYPE_CHECKING:
    from rectify.models import AnyUser


def officers_named_repeatedly(user: AnyUser, *, limit: int = 100) -> list[dict]:
    """Registered officers who are subjects of two or more leads the user can see, most
    named first: officer id, name, number, unit name and `n`, the number of leads."""
    subjects = LeadSubject.objects.filter(
        lead__in=leads_visible_to(user).values("id"), officer__isnull=False
    )
    return list(
        subjects.values("officer_id", "officer__name", "officer__number", "officer__unit__name")
        .annotate(n=Count("lead_id", distinct=True))
        .filter(n__gte=2)
        .order_by("-n", "officer__name")[:limit]
    )


def leads_about_undeclared_officers(user: AnyUser) -> QuerySet[Lead]:
    """Visible leads with a registered subject who has made no declaration in the current
    campaign."""
    declared = officer_ids_with_any_declaration(campaign=Campaign.current())
    undeclared_subject = LeadSubject.objects.filter(
        lead_id=OuterRef("pk"), officer__isnull=False
    ).exclude(officer_id__in=declared)
    return (
        leads_visible_to(user)
        .filter(Exists(undeclared_subject))
        .select_related("office", "channel")
    )


def similar_for(
    user: AnyUser,
    *,
    text: str,
    tokens: Iterable[str] = (),
    exclude: int | None = None,
    officer_ids: Iterable[int] = (),
) -> list[Similar]:
    """L3 screening for the register form and the lead page (works without JavaScript)."""
    ids = list(officer_ids)
    if tokens:
        ids += [s.officer.pk for s in match_subjects(user, list(tokens), "") if s.officer]
    if len((text or "").strip()) < 4 and not ids:
        return []
    return similar_leads(text=text, officer_ids=ids, exclude_id=exclude, user=user)
