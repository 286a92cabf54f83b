"""Coverage of heart-to-heart talks (S1) and of warning-case reading (S2)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from rectify.models import Campaign, Officer, Unit

from ..models import CaseRead, Talk, TalkTrigger, WarningCase


def _pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _unit_and_children(root: Unit) -> list[Unit]:
    children = Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1)
    return [root, *children.order_by("path")]


COVERAGE_MAX_UNITS = 2000


def talk_coverage(*, roots: list[str], talks: QuerySet, campaign: Campaign) -> dict:
    """Per unit of the whole tree below each scope root: officers (of the unit's subtree)
    talked with / officers; per trigger: talks and people. `talks` comes from
    selfcheck.access.talks_visible_to(user). Talks dated after today do not count.

    Three queries whatever the size of the tree: units, officers per unit, officers talked
    with per unit; subtree totals are summed up the paths in Python."""
    today = timezone.localdate()
    held = Talk.objects.filter(campaign=campaign, talked_on__lte=today)
    in_roots = Q(pk__in=[])
    for root in roots:
        in_roots |= Q(path__startswith=root)
    units = list(Unit.objects.filter(in_roots).order_by("path")[:COVERAGE_MAX_UNITS])
    own_total: dict[str, int] = {}
    own_talked: dict[str, int] = {}
    if units:
        officers = Officer.objects.filter(is_active=True, unit__in=[u.pk for u in units]).values(
            "unit__path"
        )
        for row in officers.annotate(n=Count("pk")):
            own_total[row["unit__path"]] = row["n"]
        talked = officers.filter(pk__in=held.values("officer_id"))
        for row in talked.annotate(n=Count("pk")):
            own_talked[row["unit__path"]] = row["n"]
    total = dict.fromkeys((u.path for u in units), 0)
    talked_n = dict.fromkeys(total, 0)
    step = Unit.steplen
    for path, n in own_total.items():
        for i in range(step, len(path) + 1, step):
            if path[:i] in total:
                total[path[:i]] += n
                talked_n[path[:i]] += own_talked.get(path, 0)
    top = min((u.depth for u in units), default=0)
    per_unit = [
        {
            "unit": u,
            "level": u.depth - top,
            "total": total[u.path],
            "talked": talked_n[u.path],
            "pct": _pct(talked_n[u.path], total[u.path]),
        }
        for u in units
    ]
    stats = {
        row["trigger"]: row
        for row in talks.filter(campaign=campaign, talked_on__lte=today)
        .values("trigger")
        .annotate(n=Count("id"), people=Count("officer", distinct=True))
    }
    per_trigger = [
        {
            "trigger": t,
            "n": stats.get(t.pk, {}).get("n", 0),
            "people": stats.get(t.pk, {}).get("people", 0),
        }
        for t in TalkTrigger.objects.filter(is_active=True)
    ]
    return {"per_unit": per_unit, "per_trigger": per_trigger}


def talk_corrections(talk: Talk) -> QuerySet:
    return talk.corrections.select_related("corrected_by").order_by("-corrected_at", "-id")


def case_read_coverage(case: WarningCase) -> list[dict]:
    """Officers who confirmed reading / officers, for the case's unit and its children."""
    rows = []
    for unit in _unit_and_children(case.unit):
        officers = Officer.objects.filter(unit__path__startswith=unit.path, is_active=True)
        total = officers.count()
        read = CaseRead.objects.filter(case=case, officer__in=officers).count()
        rows.append({"unit": unit, "total": total, "read": read, "pct": _pct(read, total)})
    return rows
