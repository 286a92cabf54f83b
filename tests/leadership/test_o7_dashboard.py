"""O7: the leaders' dashboard: drill-down with breadcrumb, scope, sort, lights, ranking
against the period's snapshot, charts with their tables, constant query count."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from leadership.models import CampaignPolicy
from leadership.selectors.periods import period_bounds
from rectify import figures
from rectify.models import Role, Unit
from tests.factories import UnitFactory, UserFactory, grant
from tests.leadership.dashboard_helpers import (
    blank_figures,
    province_leader,
    set_figures,
    snapshot_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_the_tests_figures(org):
    blank_figures()


def unit_url(unit):
    return reverse("leadership:unit_dashboard", args=[unit.pk])


def child_rows(html: str) -> list[str]:
    """The unit ids of the child rows, in the order shown."""
    return re.findall(r'class="child-row" data-unit="(\d+)"', html)


def cell(html: str, unit, col: str) -> str:
    row = re.search(rf'class="child-row" data-unit="{unit.pk}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {unit}"
    m = re.search(rf'<td data-col="{col}">(.*?)</td>', row.group(1), re.S)
    return m.group(1)


def test_o7_dashboard_opens_the_leaders_jurisdiction(client, org):
    client.force_login(org.chief)  # LEADER over the city
    r = client.get(reverse("leadership:dashboard"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "测试市" in html
    assert child_rows(html) == [str(org.district_a.pk), str(org.district_b.pk)]
    # the nav carries the entry
    assert "领导驾驶舱" in html


def test_o7_dashboard_several_roots_first_with_switcher(client, org):
    user = UserFactory(username="two_roots")
    grant(user, Role.LEADER, org.district_a)
    grant(user, Role.OFFICE, org.district_b)
    client.force_login(user)
    html = client.get(reverse("leadership:dashboard")).content.decode()
    assert 'id="dash-switch"' in html
    assert "<h1>领导驾驶舱 · 甲区</h1>" in html
    assert unit_url(org.district_b) in html


def test_o7_dashboard_needs_leader_or_office(client, org):
    client.force_login(org.officer_a.user)
    assert client.get(reverse("leadership:dashboard")).status_code == 403
    client.force_login(org.reviewer)
    assert client.get(unit_url(org.district_a)).status_code == 403


def test_o7_drill_down_from_province_to_station_and_back(client, org):
    leader = province_leader(org)
    client.force_login(leader)
    chain = [org.province, org.city, org.district_a, org.police_a, org.station_a1]
    for depth, unit in enumerate(chain):
        r = client.get(unit_url(unit))
        assert r.status_code == 200
        html = r.content.decode()
        crumbs = re.search(r'id="dash-crumbs">(.*?)</nav>', html, re.S).group(1)
        names = re.findall(r"<li>(?:<a [^>]*>|<span [^>]*>)(.*?)<", crumbs)
        assert names == [u.name for u in chain[: depth + 1]]
        # each ancestor in the breadcrumb links back up
        for up in chain[:depth]:
            assert unit_url(up) in crumbs
        if depth + 1 < len(chain):
            assert str(chain[depth + 1].pk) in child_rows(html)
            assert f'class="drill" href="{unit_url(chain[depth + 1])}"' in html
    # the station is a leaf: its own figures, no child rows
    assert child_rows(html) == []
    assert "本单位无下级单位" in html


def test_o7_breadcrumb_starts_at_the_users_scope_root(client, org):
    client.force_login(org.chief)  # city
    html = client.get(unit_url(org.police_a)).content.decode()
    crumbs = re.search(r'id="dash-crumbs">(.*?)</nav>', html, re.S).group(1)
    assert "测试省" not in crumbs
    assert "测试市" in crumbs and "甲区" in crumbs


def test_o7_outside_scope_is_404_like_missing(client, org):
    client.force_login(org.office_staff)  # OFFICE over district_a
    assert client.get(unit_url(org.court_a)).status_code == 200
    assert client.get(unit_url(org.district_b)).status_code == 404
    assert client.get(unit_url(org.city)).status_code == 404
    assert client.get(reverse("leadership:unit_dashboard", args=[999999])).status_code == 404


def test_o7_child_figures_are_subtree_sums(client, org, campaign):
    set_figures(campaign, org.court_a, {"sc.expected": 4, "sc.submitted": 4})
    set_figures(campaign, org.station_a1, {"sc.expected": 6, "sc.submitted": 3})
    set_figures(campaign, org.court_b, {"ld.received": 5, "ld.concluded": 1})
    client.force_login(org.chief)
    html = client.get(unit_url(org.city)).content.decode()
    assert ">10<" in cell(html, org.district_a, "sc_expected")
    assert "70.0%" in cell(html, org.district_a, "filing_rate")
    assert "20.0%" in cell(html, org.district_b, "closure_rate")
    assert "—" in cell(html, org.district_b, "filing_rate")  # nothing expected: no rate
    # the headline cards: the whole subtree's rates
    cards = re.search(r'id="dash-cards">(.*?)</section>', html, re.S).group(1)
    filing = re.search(r'data-card="filing_rate">(.*?)</div></div>', cards).group(1)
    assert "70.0%" in filing  # (4 + 3) of (4 + 6)
    # numbers link to the ledgers with the unit filter
    assert f"/leads/?unit={org.district_b.pk}" in cell(html, org.district_b, "ld_received")
    assert f"?unit={org.district_a.pk}" in cell(html, org.district_a, "sc_expected")


def test_o7_sort_by_any_column(client, org, campaign):
    set_figures(campaign, org.court_a, {"ld.received": 10, "ld.concluded": 9})
    set_figures(campaign, org.court_b, {"ld.received": 10, "ld.concluded": 2})
    client.force_login(org.chief)
    a, b = str(org.district_a.pk), str(org.district_b.pk)
    url = unit_url(org.city)
    assert child_rows(client.get(url, {"sort": "closure_rate"}).content.decode()) == [b, a]
    assert child_rows(client.get(url, {"sort": "-closure_rate"}).content.decode()) == [a, b]
    assert child_rows(client.get(url, {"sort": "name"}).content.decode()) == [b, a]
    # garbage sorts in tree order, never a 500
    r = client.get(url, {"sort": "'; drop"})
    assert r.status_code == 200 and child_rows(r.content.decode()) == [a, b]


def test_o7_sort_htmx_returns_the_table_only(client, org, campaign):
    client.force_login(org.chief)
    r = client.get(
        unit_url(org.city),
        {"sort": "-filing_rate"},
        headers={"HX-Request": "true", "HX-Target": "dash-table"},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert html.lstrip().startswith('<div id="dash-table"')
    assert "<html" not in html


def test_o7_lights_follow_the_campaigns_thresholds(client, org, campaign):
    set_figures(campaign, org.court_a, {"sc.expected": 100, "sc.submitted": 85})
    set_figures(campaign, org.court_b, {"sc.expected": 100, "sc.submitted": 70})
    client.force_login(org.chief)
    url = unit_url(org.city)
    html = client.get(url).content.decode()  # defaults: green ≥95, red <80
    assert "badge-warn" in cell(html, org.district_a, "filing_rate")
    assert "badge-danger" in cell(html, org.district_b, "filing_rate")
    CampaignPolicy.objects.create(campaign=campaign, filing_green=85, filing_red=70)
    html = client.get(url).content.decode()
    assert "badge-ok" in cell(html, org.district_a, "filing_rate")
    assert "badge-warn" in cell(html, org.district_b, "filing_rate")
    # overdue lights: above amber warns, above red is red
    set_figures(campaign, org.court_b, {"ld.overdue": 6})
    html = client.get(url).content.decode()
    assert "badge-danger" in cell(html, org.district_b, "overdue")
    assert "badge-ok" in cell(html, org.district_a, "overdue")


def test_o7_ranking_change_since_the_period_began(client, org, campaign):
    CampaignPolicy.objects.create(campaign=campaign, report_period="monthly")
    today = timezone.localdate()
    start, _end = period_bounds("monthly", today)
    # at the start of the month district_a led; now district_b does
    snapshot_of(campaign, org.district_a, start, {"ld.received": 10, "ld.concluded": 8})
    snapshot_of(campaign, org.district_b, start, {"ld.received": 10, "ld.concluded": 5})
    # an older snapshot is not the baseline
    snapshot_of(campaign, org.district_a, start - dt.timedelta(days=3), {"ld.received": 1})
    set_figures(campaign, org.court_a, {"ld.received": 10, "ld.concluded": 8})
    set_figures(campaign, org.court_b, {"ld.received": 10, "ld.concluded": 9})
    client.force_login(org.chief)
    html = client.get(unit_url(org.city)).content.decode()
    section = re.search(r'id="dash-ranking">(.*?)</section>', html, re.S).group(1)
    rows = re.findall(r'class="rank-row" data-unit="(\d+)">(.*?)</tr>', section, re.S)
    assert [pk for pk, _ in rows] == [str(org.district_b.pk), str(org.district_a.pk)]
    b_row, a_row = rows[0][1], rows[1][1]
    assert "↑1" in b_row and "+40.0" in b_row  # 50% → 90%
    assert "↓1" in a_row and '"value-change">0.0' in a_row
    assert start.strftime("%Y-%m-%d") in section


def test_o7_ranking_without_snapshot_shows_dash(client, org, campaign):
    set_figures(campaign, org.court_a, {"sc.expected": 10, "sc.submitted": 5})
    client.force_login(org.chief)
    html = client.get(unit_url(org.city), {"rank": "filing_rate"}).content.decode()
    section = re.search(r'id="dash-ranking">(.*?)</section>', html, re.S).group(1)
    assert section.count('class="rank-change">—') == 2
    assert "50.0" in section


def test_o7_charts_have_tables_and_no_external_urls(client, org, campaign):
    set_figures(
        campaign,
        org.court_a,
        {
            "sc.yes:interference": 2,
            "ld.category:lending": 3,
            "ld.received": 3,
            "ld.concluded": 1,
        },
    )
    today = timezone.localdate()
    for i in range(3):
        snapshot_of(
            campaign,
            org.city,
            today - dt.timedelta(days=i),
            {"ld.received": 3, "ld.concluded": i, "sc.expected": 4, "sc.submitted": 2 + i},
        )
    client.force_login(org.chief)
    html = client.get(unit_url(org.city)).content.decode()
    for chart in ("chart-rates", "chart-open", "chart-declared", "chart-category"):
        box = re.search(rf'id="{chart}-box">(.*?)</figure>', html, re.S).group(1)
        assert f'data-chart="{chart}-data"' in box
        assert f'<script id="{chart}-data" type="application/json">' in box
        assert "<table" in box
    declared = re.search(r'id="chart-declared-box">(.*?)</figure>', html, re.S).group(1)
    assert "违反防止干预司法“三个规定”" in declared
    category = re.search(r'id="chart-category-box">(.*?)</figure>', html, re.S).group(1)
    assert "违规参股借贷" in category
    rates = re.search(r'id="chart-rates-box">(.*?)</figure>', html, re.S).group(1)
    assert "66.7%" in rates  # 2 of 3 concluded on today's snapshot
    assert "vendor/echarts/echarts.min.js" in html and "leadership/dashboard.js" in html
    # nothing from the internet, no inline script
    assert not re.search(r'(src|href)="(https?:)?//', html)
    for script in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        attrs, body = script
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs


def test_o7_query_count_constant_in_children(client, org, campaign, django_assert_max_num_queries):
    leader = province_leader(org)
    client.force_login(leader)
    client.get(unit_url(org.city))  # warm caches (sessions, content types)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(unit_url(org.city)).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(8):
        child = UnitFactory(parent=org.city, code=f"X{i}", name=f"新区{i}")
        set_figures(campaign, child, {"sc.expected": 3, "ld.received": i + 1})
        snapshot_of(campaign, child, timezone.localdate(), {"ld.received": 1})
    assert Unit.objects.filter(depth=org.city.depth + 1).count() == 10
    assert count() == before
    with django_assert_max_num_queries(before):
        client.get(unit_url(org.city))


def test_o7_recusal_hidden_rows_are_not_counted(client, org, campaign):
    """A source's `hidden` (what a user may not see: the lead naming them) is subtracted."""
    set_figures(campaign, org.court_a, {"ld.received": 5, "ld.concluded": 5, "ld.handling": 2})
    set_figures(campaign, org.court_b, {"ld.received": 2})
    chief = org.chief

    def hidden(user, campaign_, unit, width):
        if user.pk != chief.pk:
            return {}
        from collections import Counter

        return {
            org.district_a.path[:width]: Counter(
                {"ld.received": 1, "ld.concluded": 1, "ld.handling": 1}
            )
        }

    # the snapshots are taken for everyone: the dashboard subtracts the hidden rows there too
    snapshot_of(campaign, org.city, timezone.localdate(), {"ld.received": 7, "ld.handling": 3})
    start, _end = period_bounds("weekly", timezone.localdate())
    snapshot_of(campaign, org.district_a, start, {"ld.received": 5, "ld.concluded": 5})
    source = figures.FigureSource(name="zz", compute=lambda c, ids, t: {}, hidden=hidden)
    figures.register(source)
    try:
        client.force_login(chief)
        html = client.get(unit_url(org.city)).content.decode()
        assert ">4<" in cell(html, org.district_a, "ld_received")
        assert ">2<" in cell(html, org.district_b, "ld_received")
        total = re.search(r'class="total-row">(.*?)</tr>', html, re.S).group(1)
        assert '<td data-col="ld_received"><a href="/leads/?unit=' in total
        assert ">6<" in total  # 7 - 1
        trend = re.search(r'id="chart-open-box">(.*?)</figure>', html, re.S).group(1)
        assert "<td>2</td>" in trend and "<td>3</td>" not in trend
        ranking = re.search(r'id="dash-ranking">(.*?)</section>', html, re.S).group(1)
        a_row = re.search(rf'data-unit="{org.district_a.pk}">(.*?)</tr>', ranking, re.S).group(1)
        assert '"value-change">0.0' in a_row  # 4 of 4 then, 4 of 4 now
        # another leader of the same city sees the lead counted
        other = UserFactory(username="chief2")
        grant(other, Role.LEADER, org.city)
        client.force_login(other)
        html = client.get(unit_url(org.city)).content.decode()
        assert ">5<" in cell(html, org.district_a, "ld_received")
    finally:
        figures._SOURCES.pop("zz", None)


def test_o7_home_panel_shows_the_jurisdictions_rates(client, org, campaign):
    set_figures(campaign, org.court_a, {"ld.received": 4, "ld.concluded": 1})
    client.force_login(org.chief)
    html = client.get(reverse("home")).content.decode()
    assert "领导驾驶舱 · 测试市" in html
    assert "25.0%" in html
    assert unit_url(org.city) in html
    client.force_login(org.officer_a.user)
    assert "领导驾驶舱" not in client.get(reverse("home")).content.decode()
