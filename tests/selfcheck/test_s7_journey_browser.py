"""Officer fills and submits on a phone → reviewer returns with a reason → officer supplements
and resubmits → reviewer compares versions and accepts."""

from __future__ import annotations

import pytest

from rectify.models import ChronicProblem
from selfcheck.models import ReportStatus, SelfCheckReport
from tests.conftest import login

from .conftest import VALID_USCC

SHOTS = "/tmp/selfcheck-shots"


def _answer_all(page, yes=()):
    for value in ChronicProblem.values:
        choice = "yes" if value in yes else "no"
        page.check(f'input[name="item-{value}-yes"][value="{choice}"]')


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_s7_journey_submit_return_resubmit_compare_accept(org, phone_page, page, audit_flushable):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    phone = phone_page
    phone.on("dialog", lambda d: d.accept())
    page.on("dialog", lambda d: d.accept())

    # 1. officer on a phone fills the form; autosave confirms; submits
    login(phone, "officer_a")
    phone.goto("/selfcheck/my/")
    assert phone.get_by_text("自查从宽、被查从严").first.is_visible()
    _answer_all(phone, yes=(ChronicProblem.BUSINESS,))
    phone.click("text=添加一行经商办企业信息")
    row = phone.locator("#biz-rows .sc-row").last
    row.locator("select").select_option("spouse")
    row.locator('input[name$="-name"]').fill("王芳")
    row.locator('input[name$="-enterprise"]').fill("秦皇岛某某贸易有限公司")
    row.locator('input[name$="-uscc"]').fill(VALID_USCC)
    row.locator('input[name$="-role"]').fill("股东")
    phone.locator("#autosave").get_by_text("已自动保存").wait_for()
    phone.screenshot(path=f"{SHOTS}/1-phone-form.png", full_page=True)
    # wait for the navigation the click starts, not for the page that is already loaded
    with phone.expect_navigation():
        phone.click("#sc-submit")
    assert "已提交待审核" in phone.locator("#sc-status").inner_text()
    report = SelfCheckReport.objects.get(officer=org.officer_a)
    assert report.versions.count() == 1

    # 2. reviewer returns with a reason
    login(page, "reviewer_a")
    page.goto("/selfcheck/reports/")
    page.locator("#queue a", has_text="审核").first.click()
    page.fill("#id_reason", "请补充子女经商办企业情况")
    # wait for the navigation the click starts, not for the page that is already loaded
    with page.expect_navigation():
        page.click("#btn-return")
    assert "退回补充" in page.locator("#report-status").inner_text()

    # 3. officer sees the reason, adds a row, resubmits
    phone.goto("/selfcheck/my/")
    assert "请补充子女经商办企业情况" in phone.locator("#return-reason").inner_text()
    phone.click("text=添加一行经商办企业信息")
    row = phone.locator("#biz-rows .sc-row").last
    row.locator("select").select_option("child")
    row.locator('input[name$="-name"]').fill("张小明")
    row.locator('input[name$="-enterprise"]').fill("海港区某某科技有限公司")
    phone.locator("#autosave").get_by_text("已自动保存").wait_for()
    phone.screenshot(path=f"{SHOTS}/2-phone-returned.png", full_page=True)
    # wait for the navigation the click starts, not for the page that is already loaded
    with phone.expect_navigation():
        phone.click("#sc-submit")
    assert "已提交待审核" in phone.locator("#sc-status").inner_text()
    assert report.versions.count() == 2

    # 4. reviewer compares the versions and accepts
    page.goto(f"/selfcheck/reports/{report.pk}/")
    # wait for the navigation the click starts, not for the page that is already loaded
    with page.expect_navigation():
        page.click("#btn-diff")
    assert "张小明" in page.locator(".sc-add-row").inner_text()
    assert page.get_by_text("有修改").count() == 0  # the answers stayed the same; a row was added
    page.screenshot(path=f"{SHOTS}/3-diff.png", full_page=True)
    with page.expect_navigation():
        page.click("text=返回报告")
    # wait for the navigation the click starts, not for the page that is already loaded
    with page.expect_navigation():
        page.click("#btn-accept")
    page.screenshot(path=f"{SHOTS}/4-accepted.png", full_page=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
