"""Remediation's maintained figures (`rectify.figures`, source "rm"), per unit:

items / open (open + in progress) / rectified (awaiting acceptance) / accepted / overdue
(ledger.overdue_q) of the campaign's problem items, by the item's unit; rules in force
(issued, by the issuing unit); rotations (by the unit the officer left); survey answers and
satisfied answers (4 or 5 of 1–5: 满意 / 很满意; the per-item bar of RemediationPolicy is an
average over an item, not a property of one answer) by the answer's unit; practical matters
and those done (completed_at set), by unit.

`hidden`: items derived from a lead the user is a subject of (recusal, as
items_visible_to excludes them), and the survey answers about those items.
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
from rectify.figures import FigureSource

from ..models import (
    Item,
    ItemStatus,
    PracticalMatter,
    Rotation,
    Rule,
    RuleStatus,
    SurveyResponse,
)
from .ledger import overdue_q

if TYPE_CHECKING:
    from rectify.models import Campaign, Unit

S = ItemStatus
SATISFIED = 4  # a satisfaction of 4 or 5 (of 1–5) is a satisfied answer

LABELS = {
    "rm.items": _("整改问题"),
    "rm.open": _("未完成整改"),
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


def hidden(user: Any, campaign: Campaign, unit: Unit, width: int) -> dict[str, Counter]:
    """The items under `unit` derived from a lead naming the user, and the survey answers
    about them (two grouped queries over those rows only), by branch (the first `width`
    characters of the row unit's path)."""
    rows = (
        Item.objects.filter(
            plan__campaign=campaign,
            unit__path__startswith=unit.path,
            source_lead__isnull=False,
        )
        .filter(recused_q(user, prefix="source_lead__"))
        .annotate(branch=Substr("unit__path", 1, width))
        .values("branch")
        .annotate(**_item_aggregates(timezone.localdate()))
        .order_by()
    )
    answers = (
        SurveyResponse.objects.filter(
            code__batch__campaign=campaign,
            unit__path__startswith=unit.path,
            item__source_lead__isnull=False,
        )
        .filter(recused_q(user, prefix="item__source_lead__"))
        .annotate(branch=Substr("unit__path", 1, width))
        .values("branch")
        .annotate(**_answer_aggregates())
        .order_by()
    )
    out: dict[str, Counter] = {}
    for row in [*rows, *answers]:
        branch = row.pop("branch")
        out.setdefault(branch, Counter()).update({k: v for k, v in row.items() if v})
    return out


def source() -> FigureSource:
    return FigureSource(name="rm", compute=compute, labels=LABELS, hidden=hidden)
