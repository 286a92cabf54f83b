"""Reads of remediation plans: the scoped list, a plan's visible items, and the plan an
item generated from a lead or a declaration belongs on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from rectify.access import units_visible_to
from rectify.models import Campaign, ChronicProblem, Unit
from selfcheck.selectors import n_items_for

from ..access import ITEM_READER_ROLES, items_visible_to, plans_visible_to
from ..models import Item, Plan

if TYPE_CHECKING:
    from rectify.models import AnyUser

UNIT_CHOICES_LIMIT = 300


def current_campaign() -> Campaign | None:
    """Campaign.current(), read with the next campaign if any (the same one query), so
    `only_campaign` knows without another query whether it is the only one."""
    first_two = list(Campaign.objects.order_by("-is_current", "pk")[:2])
    if not first_two or not first_two[0].is_current:
        return None
    current = first_two[0]
    current._rm_only = len(first_two) == 1  # type: ignore[attr-defined]
    return current


def only_campaign(campaign: Campaign | None) -> bool:
    """Whether every plan belongs to `campaign` (so the campaign's counters count every
    item): free when it is the only campaign, one EXISTS otherwise."""
    if campaign is None:
        return False
    if getattr(campaign, "_rm_only", False):
        return True
    return not Plan.objects.exclude(campaign=campaign).exists()


def problem_choices(campaign: Campaign | None, unit_paths: list[str]) -> list[tuple[str, str]]:
    """The six chronic problems, then the "N" items configured on the units (or their
    ancestors) as `n<id>` codes."""
    choices = [(c.value, str(c.label)) for c in ChronicProblem]
    if campaign is not None and unit_paths:
        choices += [
            (f"n{n.pk}", f"“N”项：{n.text}")
            for n in n_items_for(campaign=campaign, paths=unit_paths)
        ]
    return choices


def problem_q(code: str, prefix: str = "") -> Q:
    """Rows whose plan addresses `code` (a chronic problem value or `n<ItemConfig id>`)."""
    if code.startswith("n") and code[1:].isdigit():
        return Q(**{f"{prefix}n_item_id": int(code[1:])})
    return Q(**{f"{prefix}problem": code})


def reader_units(user: AnyUser) -> list[Unit]:
    """Units the user reads remediation of, in tree order (for unit filters; capped)."""
    return list(units_visible_to(user, ITEM_READER_ROLES).order_by("path")[:UNIT_CHOICES_LIMIT])


def plan_list(user: AnyUser, *, unit: Unit | None = None, problem: str = "") -> QuerySet[Plan]:
    qs = plans_visible_to(user).select_related("unit", "leader", "n_item")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if problem:
        qs = qs.filter(problem_q(problem))
    return qs


def plan_items(user: AnyUser, plan: Plan) -> list[Item]:
    """The plan's items the user may see (recusal applies), oldest first."""
    return list(
        items_visible_to(user)
        .filter(plan=plan)
        .select_related("responsible_unit", "responsible_person")
        .order_by("created_at", "id")
    )


def plan_for_source(*, campaign: Campaign, unit: Unit, code: str) -> Plan | None:
    """The plan for `code` of `unit` or, failing that, of its nearest ancestor: a problem
    seen at a police station belongs on its bureau's plan when the station has none."""
    return (
        Plan.objects.filter(
            problem_q(code), campaign=campaign, unit__path__in=unit.ancestor_paths()
        )
        .select_related("unit", "campaign")
        .order_by("-unit__depth")
        .first()
    )
