"""O7: the numbers agree everywhere. After real work through the services (seeded random
operations on leads, self-checks and items), the dashboard page, the lead ledger page, the
self-check figures page and the report workbook show the same figures for the office's
district (all read the same maintained counters)."""

from __future__ import annotations

import io
import random
import re

import pytest
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from leadership.models import Report
from leadership.selectors.levers import unit_levers
from leads.selectors import ledger_figures
from rectify import figures
from tests.rectify.test_o7_figures_counters import World

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_o7_dashboard_ledger_selfcheck_page_and_report_agree(client, org):
    world = World(org, random.Random(7))
    for _ in range(40):
        world.step()
    assert figures.stored(campaign=org.campaign) == figures.computed(campaign=org.campaign)
    user, unit = org.office_staff, org.district_a
    levers = unit_levers(user, org.campaign, unit)
    ledger = ledger_figures(user)
    assert ledger.received == levers["ld.received"] > 0
    assert ledger.closure_rate == levers.closure_rate

    client.force_login(user)
    cards = _text(client.get(reverse("leadership:unit_dashboard", args=[unit.pk])).content.decode())
    rate = "—" if levers.closure_rate is None else f"{levers.closure_rate}%"
    assert f"查结率 {rate}" in cards
    page = client.get(reverse("leads:ledger")).content.decode()
    ledger_rate = re.search(r'id="closure-rate">([^<]*)<', page).group(1).strip()
    assert ledger_rate.rstrip("%") == (
        "—" if levers.closure_rate is None else str(levers.closure_rate)
    )

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("leadership:report_request"), {"office": org.office_a.pk})
    report = Report.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    book = load_workbook(
        io.BytesIO(client.get(reverse("leadership:report_download", args=[report.pk])).content)
    )
    ws = book["汇总"]
    heads = [c.value for c in ws[3]]
    total = next(
        dict(zip(heads, row, strict=False))
        for row in ws.iter_rows(min_row=4, values_only=True)
        if "合计" in row
    )
    assert total["受理线索"] == levers["ld.received"] == ledger.received
    assert total["办结"] == levers["ld.concluded"] == ledger.concluded
    assert total["查结率(%)"] == levers.closure_rate
    assert (total["应自查人数"], total["已填报"]) == (levers["sc.expected"], levers["sc.submitted"])
    assert (total["整改事项"], total["已验收"]) == (levers["rm.items"], levers["rm.accepted"])
