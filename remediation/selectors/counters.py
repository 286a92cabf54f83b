"""Remediation's maintained figures (`rectify.figures`, source "rm"), per unit:

items / open (open + in progress) / in_progress (of those, work started) / rectified (awaiting acceptance) / accepted / overdue
(ledger.overdue_q) of the campaign's problem items, by the item's unit; rules in force
(issued, by the issuing unit); rotations (by the unit the officer left); survey answers and
satisfied answers (4 or 5 of 1–5: 满意 / 很满意; the per-item bar of RemediationPolicy is an
average over an item, not a property of one answer) by the answer's unit; practical matters
and those done (completed_at set), by unit.

`hidden`: items derived from a lead the user is a subject of, and items naming the user
among their subjects (recusal, as items_visible_to excludes both), and the survey answers
about those items.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leads.access import recused_q
from rectify import figures as core_figures
from rectify.access import scope_paths
from rectify.figures import FigureSource
from rectify.models import Officer, Unit
from rectify.selectors import officer_for_user

from ..access import ITEM_READER_ROLES
from ..models import (
    Item,
    ItemStatus,
    PracticalMatter,
    Rotation,
    Rule,
    RuleStatus,
    SurveyResponse,
)
from .ledger import UnitFigures, my_items, overdue_q

if TYPE_CHECKING:
    from rectify.models import AnyUser, Campaign

S = ItemStatus
SATISFIED = 4  # a satisfaction of 4 or 5 (of 1–5) is a satisfied answer

LABELS = {
    "rm.items": _("整改问题"),
    "rm.open": _("未完成整改"),
    "rm.in_progress": _("整改中"),
    "rm.rectified": _("待验收"),
    "rm.accepted": _("已验收"),
    "rm.overdue": _("整改逾期"),
    "rm.rules": _("现行制度规范"),
    "rm.rotations": _("交流轮岗"),
    "rm.survey_answers": _("群众验收意见"),
    "rm.survey_satisfied": _("群众满意意见"),
    "rm.matters": _("为民办实事"),
    "rm.matters_done": _("已办结实事"),
}


def _item_aggregates(today: dt.date) -> dict[str, Any]:
    return {
        "rm.items": Count("id"),
        "rm.open": Count("id", filter=Q(status__in=(S.OPEN, S.IN_PROGRESS))),
        "rm.in_progress": Count("id", filter=Q(status=S.IN_PROGRESS)),
        "rm.rectified": Count("id", filter=Q(status=S.RECTIFIED)),
        "rm.accepted": Count("id", filter=Q(status=S.ACCEPTED)),
        "rm.overdue": Count("id", filter=overdue_q(today)),
    }


def _answer_aggregates() -> dict[str, Any]:
    return {
        "rm.survey_answers": Count("id"),
        "rm.survey_satisfied": Count("id", filter=Q(satisfaction__gte=SATISFIED)),
    }


def _grouped(out: dict, rows: Any, unit_field: str) -> None:
    for row in rows:
        unit_id = row.pop(unit_field)
        for key, value in row.items():
            if value:
                out[(unit_id, key)] = out.get((unit_id, key), 0) + value


def compute(campaign: Campaign, unit_ids: list[int] | None, today: dt.date) -> dict:
    """{(unit id, key): value}: five grouped queries whatever the number of units."""
    out: dict[tuple[int, str], int] = {}

    def scoped(qs: Any, field: str = "unit_id") -> Any:
        return qs if unit_ids is None else qs.filter(**{f"{field}__in": unit_ids})

    items = scoped(Item.objects.filter(plan__campaign=campaign))
    _grouped(out, items.values("unit_id").annotate(**_item_aggregates(today)).order_by(), "unit_id")
    rules = scoped(Rule.objects.filter(status=RuleStatus.ISSUED))
    _grouped(
        out, rules.values("unit_id").annotate(**{"rm.rules": Count("id")}).order_by(), "unit_id"
    )
    rotations = scoped(Rotation.objects.all(), "from_unit_id")
    _grouped(
        out,
        rotations.values("from_unit_id").annotate(**{"rm.rotations": Count("id")}).order_by(),
        "from_unit_id",
    )
    answers = scoped(SurveyResponse.objects.filter(code__batch__campaign=campaign))
    _grouped(
        out,
        answers.values("unit_id").annotate(**_answer_aggregates()).order_by(),
        "unit_id",
    )
    matters = scoped(PracticalMatter.objects.filter(campaign=campaign))
    _grouped(
        out,
        matters.values("unit_id")
        .annotate(
            **{
                "rm.matters": Count("id"),
                "rm.matters_done": Count("id", filter=Q(completed_at__isnull=False)),
            }
        )
        .order_by(),
        "unit_id",
    )
    return out


def _nothing_to_hide(user: Any) -> bool:
    """Recusal goes by the user's officer record: without one there is nothing to hide
    (and no query: `user.officer` is cached once read)."""
    return not getattr(user, "is_authenticated", False) or officer_for_user(user) is None


def _recused_items_q(user: Any, prefix: str = "") -> Q:
    """Items the user may not see: derived from a lead naming them, or about them."""
    me = Officer.objects.filter(user_id=user.pk).values("id")
    about_me = Item.subjects.through.objects.filter(officer_id__in=me).values("item_id")
    from_lead = Q(**{f"{prefix}source_lead__isnull": False}) & recused_q(
        user, prefix=f"{prefix}source_lead__"
    )
    return from_lead | Q(**{f"{prefix}pk__in": about_me})


def hidden_items(user: Any, campaign: Campaign, unit: Unit, width: int) -> dict[str, Counter]:
    """The item keys of `hidden` alone (one grouped query): the ledger's figures."""
    if _nothing_to_hide(user):
        return {}
    rows = (
        Item.objects.filter(plan__campaign=campaign, unit__path__startswith=unit.path)
        .filter(_recused_items_q(user))
        .annotate(branch=Substr("unit__path", 1, width))
        .values("branch")
        .annotate(**_item_aggregates(timezone.localdate()))
        .order_by()
    )
    out: dict[str, Counter] = {}
    for row in rows:
        branch = row.pop("branch")
        out.setdefault(branch, Counter()).update({k: v for k, v in row.items() if v})
    return out


def hidden(user: Any, campaign: Campaign, unit: Unit, width: int) -> dict[str, Counter]:
    """The items under `unit` the user is recused from (derived from a lead naming them, or
    naming them as a subject), and the survey answers about them (two grouped queries over
    those rows only), by branch (the first `width` characters of the row unit's path)."""
    if _nothing_to_hide(user):
        return {}
    out = hidden_items(user, campaign, unit, width)
    answers = (
        SurveyResponse.objects.filter(
            code__batch__campaign=campaign,
            unit__path__startswith=unit.path,
            item__isnull=False,
        )
        .filter(_recused_items_q(user, prefix="item__"))
        .annotate(branch=Substr("unit__path", 1, width))
        .values("branch")
        .annotate(**_answer_aggregates())
        .order_by()
    )
    for row in answers:
        branch = row.pop("branch")
        out.setdefault(branch, Counter()).update({k: v for k, v in row.items() if v})
    return out


def _from_counters(counts: Counter) -> dict[str, int]:
    """The ledger's figures from the "rm." counters (rm.open counts open and in progress)."""
    return {
        "total": counts["rm.items"],
        "open": max(counts["rm.open"] - counts["rm.in_progress"], 0),
        "in_progress": counts["rm.in_progress"],
        "rectified": counts["rm.rectified"],
        "accepted": counts["rm.accepted"],
        "overdue": counts["rm.overdue"],
    }


def counter_figures(
    user: AnyUser,
    *,
    campaign: Campaign | None,
    root: Unit | None,
    units: list[Unit],
    only_campaign: bool,
) -> dict[str, Any] | None:
    """The unfiltered ledger's figures from the maintained counters (`rectify.figures`),
    less the items the user is recused from (counters.hidden_items) — or None where the
    counters would not count exactly `items_visible_to(user)`: no current campaign, items
    of another campaign exist, no reader subtree (or `root` outside it), or the user, as a
    responsible person or measure owner, sees items outside the subtrees (one EXISTS over
    their own items, none for a user without an officer record, nor under `root`: inside
    the subtrees it is counted already)."""
    if campaign is None or not only_campaign or not getattr(user, "is_authenticated", False):
        return None
    paths = scope_paths(user, ITEM_READER_ROLES)
    if not paths or (root is not None and not any(root.path.startswith(p) for p in paths)):
        return None
    if root is None and officer_for_user(user) is not None:
        inside = Q()
        for path in paths:
            inside |= Q(unit__path__startswith=path)
        if my_items(user).exclude(inside).exists():
            return None
    if root is not None:
        width = Unit.steplen * (root.depth + 1)
        hidden = hidden_items(user, campaign, root, width)
        hidden_total: Counter = Counter()
        for counts in hidden.values():
            hidden_total.update(counts)
        whole = core_figures.totals(campaign, root, prefix="rm.")
        whole.subtract(hidden_total)
        children = core_figures.child_totals(campaign, root, prefix="rm.")
        by_path = {u.path: u for u in Unit.objects.filter(path__in=list(children))}
        rows = []
        for path in sorted(children):
            counts = Counter(children[path])
            counts.subtract(hidden.get(path, Counter()))
            if counts["rm.items"] > 0 and path in by_path:
                rows.append(UnitFigures(unit=by_path[path], counts=_from_counters(counts)))
        return {"total": UnitFigures(unit=root, counts=_from_counters(whole)), "rows": rows}
    known = {u.path: u for u in units}
    missing = [p for p in paths if p not in known]
    if missing:
        known.update({u.path: u for u in Unit.objects.filter(path__in=missing)})
    total: Counter = Counter()
    rows = []
    for path in paths:
        unit = known[path]
        counts = _totals_at(campaign, path)
        counts.subtract(hidden_items(user, campaign, unit, len(path)).get(path, Counter()))
        total.update(counts)
        if counts["rm.items"] > 0:
            rows.append(UnitFigures(unit=unit, counts=_from_counters(counts)))
    return {"total": UnitFigures(unit=None, counts=_from_counters(total)), "rows": rows}


def _totals_at(campaign: Campaign, path: str) -> Counter:
    """The "rm." subtree totals of the unit at `path` (one indexed lookup)."""
    from rectify.models import UnitFigureTotal

    rows = UnitFigureTotal.objects.filter(
        campaign=campaign, unit__path=path, key__startswith="rm."
    ).exclude(value=0)
    return Counter(dict(rows.values_list("key", "value")))


def source() -> FigureSource:
    return FigureSource(name="rm", compute=compute, labels=LABELS, hidden=hidden)
