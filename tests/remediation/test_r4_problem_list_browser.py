"""R4 in a real browser: the office uploads a unit's messy problem list, reads the preview
(errors and warnings per row) and confirms; the preview stays readable on a phone."""

from __future__ import annotations

import os

import pytest

from remediation.models import Item
from tests.conftest import login
from tests.factories import PlanFactory

from .excel_helpers import messy_workbook, row

SHOTS = "/tmp/shots/RE1"


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_r4_upload_preview_confirm_problem_list_in_browser(
    org, browser, live_server, size, tmp_path
):
    os.makedirs(SHOTS, exist_ok=True)
    PlanFactory(campaign=org.campaign, unit=org.police_a, title="三个规定整治方案")
    width, height = size
    tag = f"{width}x{height}"
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=width < 500,
        locale="zh-CN",
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    login(page, "office_a")

    # A file with one bad row: the preview names it and nothing can be confirmed.
    bad = tmp_path / "有错的清单.xlsx"
    bad.write_bytes(
        messy_workbook(
            [
                row("ZG-甲-001", "民警违规过问他人案件，影响公正司法", person="周局长"),
                row("ZG-甲-002", "类型填错的问题", kind="偶发性"),
            ]
        )
    )
    page.goto("/remediation/")
    with page.expect_navigation():
        page.click("#ledger-import")
    page.select_option("#id_unit", str(org.district_a.pk))
    page.set_input_files("#id_file", str(bad))
    page.screenshot(path=f"{SHOTS}/import_form_{tag}.png", full_page=True)
    _no_sideways_scroll(page)
    with page.expect_navigation():
        page.click("#list-import-upload")
    assert "有错误，未导入" in page.inner_text("#list-import-status")
    assert "问题类型应为多发性" in page.inner_text("#list-import-rows")
    assert page.locator("#list-import-confirm").count() == 0
    page.screenshot(path=f"{SHOTS}/import_errors_{tag}.png", full_page=True)
    _no_sideways_scroll(page)

    # The corrected file: a preview with warnings, then 确认导入.
    good = tmp_path / "问题清单.xlsx"
    good.write_bytes(
        messy_workbook(
            [
                row(
                    "ZG-甲-001",
                    "民警违规过问他人案件，影响公正司法",
                    person="周局长",
                    measures="1. 开展专题教育\n2. 建立登记台账",
                ),
                row("", "未编号的问题", origin="", kind="典型性"),
            ]
        )
    )
    page.goto("/remediation/import/")
    page.select_option("#id_unit", str(org.district_a.pk))
    page.set_input_files("#id_file", str(good))
    with page.expect_navigation():
        page.click("#list-import-upload")
    assert "待确认" in page.inner_text("#list-import-status")
    rows = page.inner_text("#list-import-rows")
    assert "ZG-甲-001" in rows and "未填问题来源" in rows
    assert "合计" in page.inner_text("#list-import-footer")
    page.screenshot(path=f"{SHOTS}/import_preview_{tag}.png", full_page=True)
    _no_sideways_scroll(page)
    assert not Item.objects.exists()
    with page.expect_navigation():
        page.click("#list-import-confirm")
    assert "已导入" in page.inner_text("#list-import-status")
    page.screenshot(path=f"{SHOTS}/import_done_{tag}.png", full_page=True)
    assert Item.objects.count() == 2
    item = Item.objects.get(number="ZG-甲-001")
    assert item.measures.count() == 2

    # The ledger lists them; its export link carries the current filters.
    page.goto("/remediation/?status=open")
    assert "status=open" in page.get_attribute("#ledger-export", "href")
    page.screenshot(path=f"{SHOTS}/ledger_{tag}.png", full_page=True)
    _no_sideways_scroll(page)
    context.close()
