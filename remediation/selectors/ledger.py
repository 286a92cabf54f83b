"""The problem ledger (问题台账): every item the user may see, filtered, searched and paged
by keyset, with figures per unit subtree; and "my items" of responsible persons and
measure owners. Overdue is computed from the deadline against today, never stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from leads.access import recused_q
from rectify.models import Officer, Unit
from rectify.selectors import officer_for_user

from ..access import items_visible_to, my_officer_ids
from ..models import Item, ItemStatus, Measure
from .plans import problem_q

if TYPE_CHECKING:
    from rectify.models import AnyUser

LEDGER_ORDERING = ("-created_at", "-id")
TAGS = {"hotspot": "is_hotspot", "blocking": "is_blocking", "difficulty": "is_difficulty"}


def overdue_q(today: dt.date | None = None, prefix: str = "") -> Q:
    """Not yet accepted and past its deadline (computed, never written by a read)."""
    today = today or timezone.localdate()
    return Q(**{f"{prefix}deadline__lt": today}) & ~Q(**{f"{prefix}status": ItemStatus.ACCEPTED})


@dataclass
class LedgerFilters:
    problem: str = ""
    unit: Unit | None = None
    kind: str = ""
    tag: str = ""
    status: str = ""
    overdue: bool = False
    origin: str = ""
    owner: str = ""  # 警号 of the responsible person or of a measure owner
    q: str = ""


def ledger_items(user: AnyUser, filters: LedgerFilters) -> QuerySet[Item]:
    """Visible items matching `filters` (each filter one condition or id subquery)."""
    qs = items_visible_to(user)
    f = filters
    if f.problem:
        qs = qs.filter(problem_q(f.problem, prefix="plan__"))
    if f.unit is not None:
        qs = qs.filter(unit__path__startswith=f.unit.path)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.tag in TAGS:
        qs = qs.filter(**{TAGS[f.tag]: True})
    if f.status:
        qs = qs.filter(status=f.status)
    if f.overdue:
        qs = qs.filter(overdue_q())
    if f.origin:
        qs = qs.filter(origin=f.origin)
    if f.owner:
        owned = Measure.objects.filter(owner__number=f.owner).values("item_id")
        qs = qs.filter(Q(responsible_person__number=f.owner) | Q(pk__in=owned))
    if f.q:
        qs = qs.filter(Q(number__startswith=f.q) | Q(description__contains=f.q))
    return qs


def ledger_page_rows(qs: QuerySet[Item]) -> QuerySet[Item]:
    return qs.select_related("plan", "unit", "responsible_unit", "responsible_person")


FIGURE_KEYS = ("total", "open", "in_progress", "rectified", "accepted", "overdue")


@dataclass
class UnitFigures:
    unit: Unit | None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURE_KEYS, 0))


def only_unit(filters: LedgerFilters) -> bool:
    return not any(getattr(filters, f) for f in LedgerFilters.__dataclass_fields__ if f != "unit")


def ledger_figures(qs: QuerySet[Item], *, root: Unit | None, units: list[Unit]) -> dict[str, Any]:
    """Counts of the filtered items: a total and one row per child of `root` (or of each
    top unit of the user's scope), by subtree. One grouped aggregate over the filtered
    items, rolled up in Python: for filtered lists only (counter_figures otherwise)."""
    today = timezone.localdate()
    rows = (
        qs.order_by()
        .values("unit__path")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status=ItemStatus.OPEN)),
            in_progress=Count("id", filter=Q(status=ItemStatus.IN_PROGRESS)),
            rectified=Count("id", filter=Q(status=ItemStatus.RECTIFIED)),
            accepted=Count("id", filter=Q(status=ItemStatus.ACCEPTED)),
            overdue=Count("id", filter=overdue_q(today)),
        )
    )
    total = UnitFigures(unit=root)
    if root is not None:
        groups = [u for u in units if u.depth == root.depth + 1 and u.is_within(root)]
    else:
        top = min((u.depth for u in units), default=0)
        groups = [u for u in units if u.depth == top]
    per_unit = {u.path: UnitFigures(unit=u) for u in groups}
    for row in rows:
        path = row["unit__path"]
        for key in FIGURE_KEYS:
            total.counts[key] += row[key]
        for group_path, figures in per_unit.items():
            if path.startswith(group_path):
                for key in FIGURE_KEYS:
                    figures.counts[key] += row[key]
                break
    return {"total": total, "rows": [f for f in per_unit.values() if f.counts["total"]]}


def my_items(user: AnyUser) -> QuerySet[Item]:
    """Items the user is responsible for or owns a measure of (recusal applies). Those are
    visible to them whatever their roles (items_visible_to), so the query starts from the
    user's own officer record (two indexed id lists), not from their whole scope."""
    if not getattr(user, "is_authenticated", False):
        return Item.objects.none()
    me = my_officer_ids(user)
    owned = Measure.objects.filter(owner_id__in=me).values("item_id")
    about_me = Item.subjects.through.objects.filter(officer_id__in=me).values("item_id")
    return (
        Item.objects.filter(Q(responsible_person_id__in=me) | Q(pk__in=owned))
        .exclude(pk__in=about_me)
        .exclude(recused_q(user, prefix="source_lead__"))
    )


def my_measures(user: AnyUser) -> QuerySet[Measure]:
    if not getattr(user, "is_authenticated", False):
        return Measure.objects.none()
    return (
        Measure.objects.filter(owner__user_id=user.pk, item__in=my_items(user).values("pk"))
        .exclude(item__status=ItemStatus.ACCEPTED)
        .select_related("item")
        .order_by("deadline", "id")
    )


def has_remediation_work(user: AnyUser) -> bool:
    """Whether the user is responsible for an item or owns a measure (the nav entry; once
    per request, and no query for a user without an officer record)."""
    cached = getattr(user, "_rm_has_work", None)
    if cached is None:
        cached = officer_for_user(user) is not None and my_items(user).exists()
        user._rm_has_work = cached  # type: ignore[union-attr]
    return cached


def overdue_by_responsible(user: AnyUser, unit: Unit, officer_ids: list[int]) -> dict[int, int]:
    """O2: how many items of `unit`'s subtree the user may see are overdue with each of these
    officers as their responsible person (one grouped query): officer id -> count."""
    ids = [i for i in officer_ids if i]
    if not ids:
        return {}
    rows = (
        items_visible_to(user)
        .filter(overdue_q(), unit__path__startswith=unit.path, responsible_person_id__in=ids)
        .values("responsible_person_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["responsible_person_id"]: r["n"] for r in rows}


def responsible_officers(user: AnyUser, unit: Unit, officer_ids: list[int]) -> dict[int, Officer]:
    """O2 in one query: these officers, each with `rm_overdue`, what overdue_by_responsible
    counts for them (the items of `unit`'s subtree the user may see, overdue, with the
    officer as responsible person), as a correlated count."""
    ids = sorted({i for i in officer_ids if i})
    if not ids:
        return {}
    counted = (
        items_visible_to(user)
        .filter(overdue_q(), unit__path__startswith=unit.path)
        .filter(responsible_person_id=OuterRef("pk"))
        .order_by()
        .values("responsible_person_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = Officer.objects.filter(pk__in=ids).annotate(
        rm_overdue=Coalesce(Subquery(counted), Value(0))
    )
    return {o.pk: o for o in rows}
