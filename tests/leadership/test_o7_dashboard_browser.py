"""O7 in Chromium: the dashboard's charts draw from the vendored ECharts under the CSP, the
page does not overflow a phone's width, and a leader drills down and back up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import login
from tests.leadership.dashboard_helpers import blank_figures, set_figures, snapshot_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _only_the_tests_figures(org):
    blank_figures()


def _figures(org):
    c = org.campaign
    set_figures(c, org.court_a, {"sc.expected": 10, "sc.submitted": 9, "sc.yes:lending": 2})
    set_figures(c, org.station_a1, {"ld.received": 4, "ld.concluded": 1, "ld.category:lending": 4})
    today = timezone.localdate()
    for i in range(12):
        snapshot_of(
            c,
            org.city,
            today - dt.timedelta(days=i),
            {"sc.expected": 10, "sc.submitted": 9 - i % 5, "ld.received": 4, "ld.concluded": 1},
        )


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_o7_dashboard_drill_down_and_charts_in_the_browser(org, request, fixture, tmp_path):
    page = request.getfixturevalue(fixture)
    _figures(org)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, "chief")
    page.goto("/leadership/")
    page.wait_for_selector("#chart-rates canvas")
    assert page.locator("#chart-declared canvas").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, "the page overflows its width"
    page.screenshot(path=str(tmp_path / f"{fixture}.png"), full_page=True)
    chart = page.locator("#chart-rates").bounding_box()
    if fixture == "phone_page":
        assert chart["width"] >= 300  # full width on a phone
    # drill down: city → 甲区 → 公安分局 → 派出所, and back up by the breadcrumb
    for name in ("甲区", "甲区公安分局", "甲区一派出所"):
        with page.expect_navigation():
            page.locator("a.drill", has_text=name).first.click()
        assert page.locator("#dash-crumbs [aria-current=page]").inner_text() == name
    with page.expect_navigation():
        page.locator("#dash-crumbs a", has_text="测试市").click()
    assert page.locator("h1").inner_text().endswith("测试市")
    # sorting through htmx swaps the table
    page.locator("#dash-table a.sort", has_text="填报率").first.click()
    page.wait_for_selector("#dash-table a.sort-desc")
    assert not [e for e in errors if "Content Security Policy" in e or "echarts" in e], errors
