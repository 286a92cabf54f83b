"""O7 in a real browser: the office requests the period's report, waits for the progress
card to end, downloads the workbook; the reports page and a 通报 fit a phone (390×844)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import login

from .o7_fixtures import make_chain


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_o7_report_request_progress_and_download_in_browser(org, page, phone_page, tmp_path):
    chain = make_chain(org)
    login(page, "office_a")
    page.goto(reverse("leadership:reports"))
    with page.expect_navigation():
        page.click("#btn-report-request")
    page.wait_for_selector("#report-download", timeout=30000)
    assert page.inner_text("#report-status") == "已生成"
    with page.expect_download() as info:
        page.click("#report-download")
    target = tmp_path / "report.xlsx"
    info.value.save_as(target)
    assert load_workbook(target).sheetnames == ["汇总", "自查自纠", "线索核查", "专项整治"]

    login(phone_page, "office_city")
    phone_page.goto(reverse("leadership:reports"))
    with phone_page.expect_navigation():
        phone_page.click("#btn-bulletin-generate")
    phone_page.fill("#b-title", "关于本期工作进展的通报")  # the draft opens for editing
    with phone_page.expect_navigation():
        phone_page.click("#bulletin-save")
    with phone_page.expect_navigation():
        phone_page.click("#bulletin-issue")
    assert "已读 0/" in phone_page.inner_text("#bulletin-read")
    for url in (reverse("leadership:reports"), phone_page.url):
        phone_page.goto(url)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (url, width)
    assert chain.city_office.pk
