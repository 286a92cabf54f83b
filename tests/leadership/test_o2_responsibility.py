"""O2: for any unit on the dashboard, who carries primary (第一责任人) and direct
responsibility (直接责任人), and what is overdue under each of them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from remediation.selectors.ledger import overdue_by_responsible
from tests.factories import remediation_item
from tests.leadership.dashboard_helpers import blank_figures, set_figures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_the_tests_figures(org):
    blank_figures()


def resp_row(html: str, unit) -> str:
    m = re.search(rf'class="resp-row" data-unit="{unit.pk}">(.*?)</tr>', html, re.S)
    assert m, f"no responsibility row for {unit}"
    return m.group(1)


@pytest.fixture
def duties(org, campaign):
    """police_a: 周局长 primary, 孙承办 direct; two overdue items of 周局长, one of them in
    the station; one item not yet due; and the subtree's overdue counters."""
    police = org.police_a
    police.primary_responsible = org.unit_head
    police.direct_responsible = org.handler
    police.save()
    past = timezone.localdate() - dt.timedelta(days=3)
    remediation_item(police, number="O2-1", deadline=past, responsible_person=org.unit_head)
    remediation_item(org.station_a1, number="O2-2", deadline=past, responsible_person=org.unit_head)
    remediation_item(
        police,
        number="O2-3",
        deadline=timezone.localdate() + dt.timedelta(days=5),
        responsible_person=org.handler,
    )
    set_figures(campaign, org.station_a1, {"ld.overdue": 2, "rm.overdue": 2, "sc.late": 1})
    return police


def test_o2_overdue_by_responsible_counts_the_subtree(org, duties):
    counts = overdue_by_responsible(org.chief, org.police_a, [org.unit_head.pk, org.handler.pk])
    assert counts == {org.unit_head.pk: 2}
    assert overdue_by_responsible(org.chief, org.station_a1, [org.unit_head.pk]) == {
        org.unit_head.pk: 1
    }
    # only what the user may see: the office of district_b sees none of it
    assert overdue_by_responsible(org.outsider, org.police_a, [org.unit_head.pk]) == {}
    assert overdue_by_responsible(org.chief, org.police_a, []) == {}


def test_o2_panel_names_the_responsible_and_their_overdue_work(client, org, duties):
    client.force_login(org.chief)
    html = client.get(
        reverse("leadership:unit_dashboard", args=[org.district_a.pk])
    ).content.decode()
    assert 'id="dash-responsibility"' in html
    row = resp_row(html, org.police_a)
    assert "周局长（局长）" in row
    assert "孙承办" in row
    assert "负责的逾期问题 2 项" in row  # the primary responsible's items
    assert "无逾期问题" in row  # the direct responsible has none overdue
    assert f"owner={org.unit_head.number}" in row and "overdue=on" in row
    # the subtree's overdue leads / items / self-checks, linked to the ledgers
    assert f'href="/leads/?unit={org.police_a.pk}&amp;overdue=1">2<' in row
    assert f"unit={org.police_a.pk}&amp;overdue=on" in row
    # a leader reviews no reports: the self-check figure opens the figures page
    assert f"/selfcheck/figures/?unit={org.police_a.pk}" in row
    # the unit itself is in the panel too, unset responsibility says so
    assert "未设置" in resp_row(html, org.district_a)


def test_o2_panel_on_a_leaf_unit(client, org, duties):
    station = org.station_a1
    station.primary_responsible = org.unit_head
    station.save()
    client.force_login(org.chief)
    html = client.get(reverse("leadership:unit_dashboard", args=[station.pk])).content.decode()
    row = resp_row(html, station)
    assert "周局长" in row and "负责的逾期问题 1 项" in row
