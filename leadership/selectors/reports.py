"""Reads for the periodic report, its submissions and the 通报. Every figure comes from
`levers` (the dashboard's definitions, the requester's need-to-know view), so the workbook,
the 通报 and the dashboard agree."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from rectify import figures
from rectify.models import Office, Unit
from rectify.selectors import subordinate_offices, superior_office

from ..models import (
    Bulletin,
    BulletinReceipt,
    CampaignPolicy,
    Report,
    ReportSubmission,
    SubmissionStatus,
)
from .levers import Levers, child_levers, lights, unit_levers
from .periods import period_bounds

if TYPE_CHECKING:
    from rectify.models import AnyUser, Campaign


def child_units(unit: Unit) -> list[Unit]:
    return list(
        Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")
    )


def report_levers(
    user: AnyUser | None, campaign: Campaign, unit: Unit
) -> tuple[Levers, list[Levers]]:
    """The unit's figures and its children's, as `user` may see them. A scheduled report has
    no requester: it counts the whole subtree (it is addressed to an office, not a person)."""
    children = child_units(unit)
    if user is None:
        by_branch = figures.child_totals(campaign, unit)
        return Levers(unit=unit, counts=figures.totals(campaign, unit)), [
            Levers(unit=c, counts=by_branch.get(c.path, Counter())) for c in children
        ]
    return unit_levers(user, campaign, unit), child_levers(user, campaign, unit, children)


def current_period(campaign: Campaign, day: dt.date) -> tuple[str, dt.date, dt.date]:
    period = CampaignPolicy.for_campaign(campaign).report_period
    start, end = period_bounds(period, day)
    return period, start, end


def reports_of_office(office: Office) -> QuerySet[Report]:
    return Report.objects.filter(office=office).defer("content").select_related("requested_by")


def submission_of(
    office: Office, campaign: Campaign, period: str, start: dt.date
) -> ReportSubmission | None:
    return (
        ReportSubmission.objects.filter(
            office=office, campaign=campaign, period=period, period_start=start
        )
        .select_related("report")
        .first()
    )


@dataclass
class SubordinateRow:
    office: Office
    submission: ReportSubmission | None

    @property
    def submitted(self) -> bool:
        return bool(self.submission and self.submission.status == SubmissionStatus.SUBMITTED)


@dataclass
class ReportingStatus:
    rows: list[SubordinateRow]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.rows if r.submitted)


def reporting_status(
    office: Office, campaign: Campaign, period: str, start: dt.date
) -> ReportingStatus:
    """Which subordinate offices have submitted their report for the period (报送率)."""
    subs = subordinate_offices(office)
    got = {
        s.office_id: s
        for s in ReportSubmission.objects.filter(
            superior=office, campaign=campaign, period=period, period_start=start
        ).select_related("report")
    }
    return ReportingStatus(rows=[SubordinateRow(office=o, submission=got.get(o.pk)) for o in subs])


def get_superior(office: Office) -> Office | None:
    return superior_office(office)


# --- 通报 --------------------------------------------------------------------------------


def bulletin_ranking(user: AnyUser, campaign: Campaign, unit: Unit) -> list[dict]:
    """The child units ranked by 查结率, then 填报率, then 验收率 (no rate ranks last), with
    their lights; `lagging` marks those with a red light. Frozen into the 通报 as JSON."""
    policy = CampaignPolicy.for_campaign(campaign)
    rows = []
    for lv in child_levers(user, campaign, unit, child_units(unit)):
        tones = lights(lv, policy)
        rows.append(
            {
                "unit_id": lv.unit.pk,
                "unit": lv.unit.name,
                "closure_rate": lv.closure_rate,
                "filing_rate": lv.filing_rate,
                "accepted_rate": lv.accepted_rate,
                "received": lv["ld.received"],
                "concluded": lv["ld.concluded"],
                "overdue": lv.overdue,
                "lights": tones,
                "lagging": "danger" in tones.values(),
            }
        )

    def key(r: dict) -> tuple:
        return tuple(
            -(r[k] if r[k] is not None else -1.0)
            for k in ("closure_rate", "filing_rate", "accepted_rate")
        )

    rows.sort(key=lambda r: (key(r), r["unit"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def bulletins_of_office(office: Office) -> QuerySet[Bulletin]:
    return Bulletin.objects.filter(office=office)


def bulletins_received_by(user: AnyUser) -> QuerySet[BulletinReceipt]:
    return (
        BulletinReceipt.objects.filter(user_id=user.pk, bulletin__status="issued")
        .select_related("bulletin__office")
        .order_by("-bulletin__issued_at")
    )


def receipt_counts(bulletin: Bulletin) -> tuple[int, int]:
    receipts = bulletin.receipts.all()
    return receipts.exclude(opened_at=None).count(), receipts.count()


def bulletin_receipts(bulletin: Bulletin) -> QuerySet[BulletinReceipt]:
    return bulletin.receipts.select_related("user").order_by("opened_at", "user__username")


def hides_more(reader: AnyUser, campaign: Campaign, unit: Unit, author: AnyUser | None) -> bool:
    """RECUSAL when one person reads figures another computed: whether the reader may not
    see counts under `unit` that the author's view (None: unfiltered) includes."""
    if author is not None and author.pk == reader.pk:
        return False
    whole = figures.totals(campaign, unit)
    mine = figures.totals_for(reader, campaign, unit)
    if mine == whole:
        return False
    if author is None:
        return True
    theirs = figures.totals_for(author, campaign, unit)
    return any(mine.get(k, 0) < theirs.get(k, 0) for k in theirs)


def hides_more_than_the_report(reader: AnyUser, report: Report) -> bool:
    """The report was built as its requester may see it (unfiltered when scheduled); a reader
    who may see less gets the workbook rebuilt from their own view, with nothing said why."""
    return hides_more(reader, report.campaign, report.office.jurisdiction, report.requested_by)


def bulletin_rows_for(reader: AnyUser, bulletin: Bulletin) -> list[dict]:
    """The frozen ranking, unless the reader may not see counts it holds (recusal): then the
    ranking as they may see it now."""
    unit = bulletin.office.jurisdiction
    if hides_more(reader, bulletin.campaign, unit, bulletin.created_by):
        return bulletin_ranking(reader, bulletin.campaign, unit)
    return bulletin.ranking
