"""The journey of issue 13 in a real browser: a provincial leader logs in, drills down from
the province to a police station on the dashboard and back up by the breadcrumb (desktop
1366×768 and phone 390×844), issues a 督办单 on a lead, which shows on the lead's page,
requests the period's report, watches its progress bar until the worker ends it, and
downloads the workbook. Screenshots go to /tmp/shots/LD13/.

The report's task is held back (as a busy worker would hold it) so the page shows the bar;
the test then runs the task itself, as the worker would, and the page's htmx polling picks
up the end and offers the download."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from leadership.models import Report, ReportStatus, SupervisionOrder
from leadership.selectors.levers import unit_levers
from leadership.services import reports as report_services
from rectify.models import Role
from tests.conftest import login
from tests.factories import OfficeFactory, UserFactory, grant
from tests.leadership.o1_helpers import days
from tests.leads.conftest import assigned, hotline, register  # noqa: F401

SHOTS = "/tmp/shots/LD13"


def _shot(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (name, width)
    page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png", full_page=True)


def _drill(page, org) -> None:
    """Province → city → district → bureau → station, then back up to the province."""
    page.goto("/")
    if page.viewport_size["width"] < 700:  # the phone's bar folds into ☰
        page.click("label.nav-toggle-label")
    with page.expect_navigation():
        page.click("nav >> text=领导督导")
    assert "测试省" in page.inner_text("h1")
    for unit in (org.city, org.district_a, org.police_a, org.station_a1):
        with page.expect_navigation():
            page.click(
                f"#dash-table a[href='{reverse('leadership:unit_dashboard', args=[unit.pk])}']"
            )
        assert unit.name in page.inner_text("h1")
    crumbs = page.inner_text("#dash-crumbs")
    for name in ("测试省", "测试市", "甲区", "甲区公安分局", "甲区一派出所"):
        assert name in crumbs
    _shot(page, "station")
    with page.expect_navigation():
        page.click("#dash-crumbs >> text=测试省")
    assert "测试省" in page.inner_text("h1")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_o7_o1_leader_drills_down_supervises_and_downloads_the_report_in_browser(
    org,
    page,
    phone_page,
    assigned,  # noqa: F811
    monkeypatch,
    tmp_path,
):
    os.makedirs(SHOTS, exist_ok=True)
    province_office = OfficeFactory(
        name="测试省教育整顿办",
        short_name="测试省",
        host_unit=org.province,
        jurisdiction=org.province,
    )
    leader = UserFactory(username="gov")
    grant(leader, Role.LEADER, org.province)
    lead = assigned()  # counted on the dashboard under 甲区公安分局

    # The dashboard's figures are the counters' (and so the report's).
    levers = unit_levers(leader, org.campaign, org.province)
    assert levers["ld.received"] == 1 and levers["sc.expected"] >= 4

    login(page, "gov")
    _drill(page, org)
    _shot(page, "province")
    login(phone_page, "gov")
    _drill(phone_page, org)
    _shot(phone_page, "province")

    # 督办单 on the lead, from the lead's page; it shows there afterwards.
    page.goto(reverse("leads:detail", args=[lead.pk]))
    with page.expect_navigation():
        page.click("#btn-issue-order")
    page.fill("#id_content", "该线索办理进度滞后，请于期限内查结并书面回复")
    page.fill("#id_deadline", days(7).isoformat())
    with page.expect_navigation():
        page.click("#btn-issue")
    order = SupervisionOrder.objects.get()
    assert page.inner_text("#order-number") == order.number
    assert order.unit == org.police_a
    page.goto(reverse("leads:detail", args=[lead.pk]))
    assert order.number in page.inner_text("#supervision")
    _shot(page, "lead-with-order")

    # The report: its task waits (a busy worker), so the page shows the progress bar.
    held: list[int] = []
    monkeypatch.setattr(report_services, "_enqueue", lambda report: held.append(report.pk))
    page.goto(reverse("leadership:reports"))
    with page.expect_navigation():
        page.click("#btn-report-request")
    report = Report.objects.get(pk=held[0])
    assert report.office == province_office and report.status == ReportStatus.QUEUED
    assert page.locator("#report-progress progress").count() == 1
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=40)
    page.wait_for_selector("#report-progress progress[value='40']", timeout=10000)
    _shot(page, "report-progress")
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.QUEUED, progress=0)
    report_services.report_generate(report_id=report.pk)  # what the worker runs
    page.wait_for_selector("#report-download", timeout=15000)
    assert page.locator("#report-progress progress").count() == 0
    _shot(page, "report-ready")
    with page.expect_download() as info:
        page.click("#report-download")
    target = tmp_path / "report.xlsx"
    info.value.save_as(target)
    book = load_workbook(target)
    assert book.sheetnames == ["汇总", "自查自纠", "线索核查", "专项整治"]
    summary = book["汇总"]
    assert "测试省" in str(summary["A1"].value)
    cells = [c for row in summary.iter_rows(values_only=True) for c in row if c is not None]
    assert "合计" in cells
