"""The self-check's maintained figures (`rectify.figures`, source "sc"): per officer's unit,
the completion counts of the figures page (selectors.figures, the same aggregates, grouped
by unit) and the "yes" declarations per item of the latest versions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from rectify.figures import FigureSource
from rectify.models import Campaign, ChronicProblem, Officer

from ..models import SelfCheckReport, VersionAnswer
from .figures import officer_aggregates

# counter key (after "sc.") -> the aggregate of selectors.figures.officer_aggregates
KEYS = {
    "expected": "required",
    "submitted": "submitted",
    "accepted": "accepted",
    "returned": "returned",
    "on_time": "on_time",
    "late": "late",
    "cadre_expected": "cadre_required",
    "cadre_submitted": "cadre_submitted",
    "cadre_accepted": "cadre_accepted",
    "cadre_returned": "cadre_returned",
    "cadre_on_time": "cadre_on_time",
    "cadre_late": "cadre_late",
}

LABELS = {
    "sc.expected": _("应填报"),
    "sc.submitted": _("已提交"),
    "sc.accepted": _("审核通过"),
    "sc.returned": _("退回"),
    "sc.on_time": _("按期提交"),
    "sc.late": _("逾期"),
    "sc.cadre_expected": _("领导干部应填报"),
    "sc.cadre_submitted": _("领导干部已提交"),
    "sc.cadre_accepted": _("领导干部审核通过"),
    "sc.cadre_returned": _("领导干部退回"),
    "sc.cadre_on_time": _("领导干部按期提交"),
    "sc.cadre_late": _("领导干部逾期"),
}


def _labels() -> dict:
    out = dict(LABELS)
    for value, label in ChronicProblem.choices:
        out[f"sc.yes:{value}"] = f"申报“是”：{label}"
    return out


def compute(campaign: Campaign, unit_ids: list[int] | None, today: dt.date) -> dict:
    """{(unit id, key): value} for these units (None: all): two grouped queries."""
    officers = Officer.objects.filter(is_active=True)
    if unit_ids is not None:
        officers = officers.filter(unit_id__in=unit_ids)
    out: dict[tuple[int, str], int] = {}
    rows = officers.values("unit_id").annotate(**officer_aggregates(campaign, today)).order_by()
    for row in rows:
        for key, name in KEYS.items():
            if row[name]:
                out[(row["unit_id"], f"sc.{key}")] = row[name]
    # As unit_figures counts them: every report of an officer of the unit (active or not),
    # its latest version's "yes" answers.
    reports = SelfCheckReport.objects.filter(campaign=campaign, latest_version__isnull=False)
    if unit_ids is not None:
        reports = reports.filter(officer__unit_id__in=unit_ids)
    yes = (
        VersionAnswer.objects.filter(yes=True, version_id__in=reports.values("latest_version_id"))
        .values("version__report__officer__unit_id", "key")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in yes:
        out[(row["version__report__officer__unit_id"], f"sc.yes:{row['key']}")] = row["n"]
    return out


def source() -> FigureSource:
    return FigureSource(name="sc", compute=compute, labels=_labels())
