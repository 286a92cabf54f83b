"""Demo data of the leaders' side, run by seed_demo after the three levers (idempotent):
the campaign's thresholds, today's snapshot of the counters (kept by the demo's writes) and a
history for
the trend charts, 督办单 and 批示 (`demo_supervision`), and 开发区's report for this period
submitted to 秦皇岛市, and a 通报 from 开发区's office ranking its units.

The snapshot history is synthetic: the demo rows are all written today, so there is no real
past to snapshot. Each of the past 21 days gets today's subtree totals scaled down along a
steady ramp (counts only; rates follow from them). In use, the nightly task takes the real
snapshots and nothing here runs."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from rectify import figures
from rectify.models import Campaign, Office, UnitFigureDay

from . import demo_supervision
from .models import Bulletin, CampaignPolicy, Report
from .services.reports import bulletin_generate, bulletin_issue, report_request, report_submit

HISTORY_DAYS = 21


def _history(campaign: Campaign, today: dt.date) -> int:
    if UnitFigureDay.objects.filter(campaign=campaign, day__lt=today).exists():
        return 0
    todays = list(UnitFigureDay.objects.filter(campaign=campaign, day=today))
    rows = []
    for back in range(1, HISTORY_DAYS + 1):
        share = 1 - back / (HISTORY_DAYS + 6)
        day = today - dt.timedelta(days=back)
        for snap in todays:
            values = {k: int(v * share) for k, v in snap.values.items()}
            rows.append(
                UnitFigureDay(campaign=campaign, unit_id=snap.unit_id, day=day, values=values)
            )
    UnitFigureDay.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _reports() -> None:
    users = get_user_model().objects
    office_user, leader = (
        users.filter(username="office").first(),
        users.filter(username="leader").first(),
    )
    kfq, city = (
        Office.objects.filter(short_name="开发区").first(),
        Office.objects.filter(short_name="秦皇岛市").first(),
    )
    if not (office_user and leader and kfq and city):
        return
    if not Report.objects.filter(office=kfq).exists():
        report = report_request(office=kfq, actor=office_user)  # eager without Redis
        report.refresh_from_db()
        if report.status == "ready":
            report_submit(report=report, actor=office_user)
    if not Bulletin.objects.filter(office=kfq).exists():
        bulletin = bulletin_generate(office=kfq, actor=office_user)
        bulletin_issue(bulletin=bulletin, actor=office_user)


def seed_demo_data(*, campaign: Campaign, rng: random.Random) -> None:
    today = timezone.localdate()
    with transaction.atomic():
        CampaignPolicy.objects.get_or_create(campaign=campaign)
        figures.snapshot(campaign=campaign, day=today)
        _history(campaign, today)
    demo_supervision.seed()
    _reports()
