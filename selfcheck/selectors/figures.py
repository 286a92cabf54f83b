"""Completion figures of a unit's subtree and its children, and their export."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from rectify import figures
from rectify.models import Campaign, Officer, Unit

from ..models import (
    ReportStatus,
    SelfCheckReport,
    VersionAnswer,
)


@dataclass
class Figures:
    unit: Unit
    required: int = 0
    submitted: int = 0
    accepted: int = 0
    returned: int = 0
    late: int = 0
    cadre_required: int = 0
    cadre_submitted: int = 0
    cadre_accepted: int = 0
    cadre_returned: int = 0
    cadre_late: int = 0
    yes_per_item: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def pct(part: int, whole: int) -> int:
        return round(100 * part / whole) if whole else 0

    @property
    def completion(self) -> int:
        return self.pct(self.submitted, self.required)

    @property
    def cadre_completion(self) -> int:
        return self.pct(self.cadre_submitted, self.cadre_required)


def officer_aggregates(campaign: Campaign, today: dt.date) -> dict:
    """The completion counts as aggregates over officers (one definition: the figures page
    aggregates them over a subtree, the maintained counters group them by unit)."""
    rep = SelfCheckReport.objects.filter(campaign=campaign, officer_id=OuterRef("pk"))
    submitted = Q(Exists(rep.filter(first_submitted_at__isnull=False)))
    accepted = Q(Exists(rep.filter(status=ReportStatus.ACCEPTED)))
    returned = Q(Exists(rep.filter(status=ReportStatus.RETURNED)))
    late_in = Q(Exists(rep.filter(first_in_window=False)))
    on_time = Q(Exists(rep.filter(first_in_window=True)))
    late = late_in
    if today > campaign.cadre_deadline:
        late |= ~submitted & Q(is_leading_cadre=True)
    if today > campaign.selfcheck_deadline:
        late |= ~submitted
    cadre = Q(is_leading_cadre=True)
    return {
        "required": Count("pk"),
        "submitted": Count("pk", filter=submitted),
        "accepted": Count("pk", filter=accepted),
        "returned": Count("pk", filter=returned),
        "on_time": Count("pk", filter=on_time),
        "late": Count("pk", filter=late),
        "cadre_required": Count("pk", filter=cadre),
        "cadre_submitted": Count("pk", filter=cadre & submitted),
        "cadre_accepted": Count("pk", filter=cadre & accepted),
        "cadre_returned": Count("pk", filter=cadre & returned),
        "cadre_on_time": Count("pk", filter=cadre & on_time),
        "cadre_late": Count("pk", filter=cadre & late),
    }


def _officer_counts(officers: QuerySet, campaign: Campaign, today: dt.date) -> dict:
    row = officers.aggregate(**officer_aggregates(campaign, today))
    row.pop("on_time")
    row.pop("cadre_on_time")
    return row


def unit_figures(*, unit: Unit, campaign: Campaign, today: dt.date | None = None) -> Figures:
    """Completion of the unit's subtree; cadres separately (S3); yes-declarations per item.
    Today's figures of the current campaign come from the maintained counters (one grouped
    query); another day or campaign is counted from the rows."""
    if _from_counters(campaign, today):
        return _from_totals(unit, figures.totals(campaign, unit, prefix="sc."))
    today = today or timezone.localdate()
    officers = Officer.objects.filter(unit__path__startswith=unit.path, is_active=True)
    result = Figures(unit=unit, **_officer_counts(officers, campaign, today))
    yes = (
        VersionAnswer.objects.filter(
            yes=True,
            version_id__in=SelfCheckReport.objects.filter(
                campaign=campaign, officer__unit__path__startswith=unit.path
            ).values("latest_version_id"),
        )
        .values("key")
        .annotate(n=Count("id"))
    )
    result.yes_per_item = {row["key"]: row["n"] for row in yes}
    return result


def child_figures(*, unit: Unit, campaign: Campaign) -> list[Figures]:
    """Figures for each child unit (drill-down): one grouped query over the counters (the
    current campaign), else one aggregate per child."""
    children = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by(
        "path"
    )
    if _from_counters(campaign, None):
        by_branch = figures.child_totals(campaign, unit, prefix="sc.")
        return [_from_totals(c, by_branch.get(c.path, Counter())) for c in children]
    return [unit_figures(unit=child, campaign=campaign) for child in children]


# counter key (rectify.figures, selectors.counters) -> Figures field
_COUNTER_FIELDS = {
    "sc.expected": "required",
    "sc.submitted": "submitted",
    "sc.accepted": "accepted",
    "sc.returned": "returned",
    "sc.late": "late",
    "sc.cadre_expected": "cadre_required",
    "sc.cadre_submitted": "cadre_submitted",
    "sc.cadre_accepted": "cadre_accepted",
    "sc.cadre_returned": "cadre_returned",
    "sc.cadre_late": "cadre_late",
}


def _from_counters(campaign: Campaign, today: dt.date | None) -> bool:
    if today is not None and today != timezone.localdate():
        return False
    current = figures.current_campaign()
    return current is not None and current.pk == campaign.pk


def _from_totals(unit: Unit, counts: Counter) -> Figures:
    result = Figures(unit=unit, **{f: int(counts.get(k, 0)) for k, f in _COUNTER_FIELDS.items()})
    result.yes_per_item = {
        k[len("sc.yes:") :]: v for k, v in counts.items() if k.startswith("sc.yes:") and v
    }
    return result


def figures_headers(columns: list[tuple[str, str]]) -> list[str]:
    return [
        "单位",
        "领导干部应填报",
        "领导干部已提交",
        "领导干部审核通过",
        "领导干部退回",
        "领导干部逾期",
        "应填报",
        "已提交",
        "审核通过",
        "退回",
        "逾期",
        "完成率",
        *[f"{label}申报“是”" for _key, label in columns],
    ]


def figures_rows(figures: list[Figures], columns: list[tuple[str, str]]) -> Iterator[list]:
    for f in figures:
        yield [
            f.unit.name,
            f.cadre_required,
            f.cadre_submitted,
            f.cadre_accepted,
            f.cadre_returned,
            f.cadre_late,
            f.required,
            f.submitted,
            f.accepted,
            f.returned,
            f.late,
            f"{f.completion}%",
            *[f.yes_per_item.get(key, 0) for key, _label in columns],
        ]
