"""Reads of the organisation model that later apps call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from .access import units_visible_to
from .models import Office, Officer, Unit

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rectify.models import AnyUser


def unit_ancestors(unit: Unit, *, include_self: bool = True) -> list[Unit]:
    """The unit's ancestors, root first, in one query (paths are prefixes of its own)."""
    paths = unit.ancestor_paths()
    if not include_self:
        paths = paths[:-1]
    return list(Unit.objects.filter(path__in=paths).order_by("depth"))


def unit_descendants(unit: Unit, *, include_self: bool = True) -> QuerySet[Unit]:
    qs = Unit.objects.filter(path__startswith=unit.path)
    return qs if include_self else qs.exclude(pk=unit.pk)


def unit_children_of(unit: Unit) -> list[Unit]:
    """The unit's direct children in tree order (one indexed path-prefix query)."""
    return list(
        Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")
    )


@dataclass(frozen=True)
class ChainLink:
    """One step of the responsibility chain: a unit and who answers for it there."""

    unit: Unit
    primary: Officer | None  # 第一责任人: the party committee's main leader
    direct: Officer | None  # 直接责任人

    @property
    def person(self) -> Officer | None:
        return self.direct or self.primary


def responsibility_chain(unit: Unit) -> list[ChainLink]:
    """From `unit` up to the root: who is responsible at each level (two queries).

    Overdue work escalates along this list: first the unit's own direct responsible
    person, then its primary responsible person, then the parent unit's, and so on.
    """
    ancestors = Unit.objects.filter(path__in=unit.ancestor_paths()).select_related(
        "primary_responsible", "direct_responsible"
    )
    ordered = sorted(ancestors, key=lambda u: -u.depth)
    return [ChainLink(u, u.primary_responsible, u.direct_responsible) for u in ordered]


def escalation_target(unit: Unit, *, steps: int) -> ChainLink | None:
    """Who overdue work reaches after `steps` escalations (0 = the unit itself).

    Each unit contributes its direct then its primary responsible person; steps beyond
    the root stay at the root's primary responsible person.
    """
    people = escalation_ladder(responsibility_chain(unit))
    if not people:
        return None
    return people[min(steps, len(people) - 1)]


def escalation_ladder(chain: list[ChainLink]) -> list[ChainLink]:
    """The people of a responsibility chain in escalation order, one link per step (pure):
    each unit's direct, then its primary responsible person (once if they are the same)."""
    people: list[ChainLink] = []
    for link in chain:
        if link.direct:
            people.append(ChainLink(link.unit, None, link.direct))
        if link.primary and link.primary != link.direct:
            people.append(ChainLink(link.unit, link.primary, None))
    return people


def escalation_ladders(units: Iterable[Unit]) -> dict[int, list[ChainLink]]:
    """`escalation_ladder` for many units at once: unit id -> its ladder, in ONE query for
    all their ancestors (list pages and the nightly escalation call this per page/batch)."""
    units = [u for u in units if u is not None]
    paths = {p for u in units for p in u.ancestor_paths()}
    if not paths:
        return {}
    by_path = {
        u.path: u
        for u in Unit.objects.filter(path__in=paths).select_related(
            "primary_responsible", "direct_responsible"
        )
    }
    out: dict[int, list[ChainLink]] = {}
    for unit in units:
        chain = [
            ChainLink(a, a.primary_responsible, a.direct_responsible)
            for a in (by_path.get(p) for p in reversed(unit.ancestor_paths()))
            if a is not None
        ]
        out[unit.pk] = escalation_ladder(chain)
    return out


def officer_for_user(user: AnyUser) -> Officer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.officer
    except Officer.DoesNotExist:
        return None


def unit_tree_for(
    *, user: AnyUser, roles: Iterable[str] | None, open_pk: int | None = None
) -> list[Unit]:
    """The top of the user's scope, with the branch down to `open_pk` expanded.

    Expanded units carry `tree_open`, `tree_children` and `tree_parent_pk`, so the tree opens level by
    level through plain links when JavaScript is off; htmx loads one level at a time
    otherwise. A unit outside the user's scope expands nothing (the same page as no choice).
    """
    visible = units_visible_to(user, roles)
    min_depth = visible.order_by("depth").values_list("depth", flat=True).first()
    if not min_depth:
        return []
    roots = list(visible.filter(depth=min_depth).order_by("path"))
    target = visible.filter(pk=open_pk).first() if open_pk else None
    if target is None:
        return roots
    # The open branch: the target and its ancestors from the top of the scope down.
    branch = {p for p in target.ancestor_paths() if len(p) >= min_depth * Unit.steplen}
    below = Q()
    for path in branch:
        below |= Q(path__startswith=path, depth=len(path) // Unit.steplen + 1)
    children = Unit.objects.filter(below)
    by_parent: dict[str, list[Unit]] = {}
    for unit in children.order_by("path"):
        by_parent.setdefault(unit.path[: -Unit.steplen], []).append(unit)

    def expand(units: list[Unit], parent: Unit | None) -> None:
        for unit in units:
            if unit.path in branch:
                unit.tree_open = True
                unit.tree_parent_pk = parent.pk if parent else None  # where "−" goes back to
                unit.tree_children = by_parent.get(unit.path, [])
                expand(unit.tree_children, unit)

    expand(roots, None)
    return roots


# The chain of offices (O7): an office reports to the office of the nearest ancestor unit
# that has one (a district's office to the city's, skipping units without an office).


def superior_office(office: Office) -> Office | None:
    unit = office.jurisdiction
    paths = [unit.path[:i] for i in range(Unit.steplen, len(unit.path), Unit.steplen)]
    return (
        Office.objects.filter(jurisdiction__path__in=paths)
        .select_related("jurisdiction")
        .order_by("-jurisdiction__depth")
        .first()
    )


def subordinate_offices(office: Office) -> list[Office]:
    """The offices that report to this one: in its subtree, with no office between."""
    root = office.jurisdiction
    below = list(
        Office.objects.filter(jurisdiction__path__startswith=root.path)
        .exclude(pk=office.pk)
        .select_related("jurisdiction")
        .order_by("jurisdiction__path")
    )
    paths = [o.jurisdiction.path for o in below]
    return [
        o
        for o in below
        if not any(o.jurisdiction.path.startswith(p) and o.jurisdiction.path != p for p in paths)
    ]
