"""Reads of the organisation model that later apps call."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Officer, Unit


def unit_ancestors(unit: Unit, *, include_self: bool = True) -> list[Unit]:
    """The unit's ancestors, root first, in one query (paths are prefixes of its own)."""
    paths = unit.ancestor_paths()
    if not include_self:
        paths = paths[:-1]
    return list(Unit.objects.filter(path__in=paths).order_by("depth"))


def unit_descendants(unit: Unit, *, include_self: bool = True) -> QuerySet[Unit]:
    qs = Unit.objects.filter(path__startswith=unit.path)
    return qs if include_self else qs.exclude(pk=unit.pk)


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
    people: list[ChainLink] = []
    for link in responsibility_chain(unit):
        if link.direct:
            people.append(ChainLink(link.unit, None, link.direct))
        if link.primary and link.primary != link.direct:
            people.append(ChainLink(link.unit, link.primary, None))
    if not people:
        return None
    return people[min(steps, len(people) - 1)]


def officer_for_user(user) -> Officer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.officer
    except Officer.DoesNotExist:
        return None
