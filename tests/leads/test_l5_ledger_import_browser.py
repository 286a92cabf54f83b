"""Ledger import in a real browser at 1366×768: upload → preview (mapping, remaps,
warnings; nothing stored) → 确认导入 → counts. The preview also fits a phone."""

from __future__ import annotations

import os

import pytest
from django.utils import timezone

from leads.models import Lead
from tests.conftest import login
from tests.leads.test_l5_ledger_import_real import ledger_office, real_ledger_xlsx  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/leads-shots"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _no_overflow(page) -> bool:
    return (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )


def test_it_imports_through_upload_preview_and_confirm_in_the_browser(
    org,
    channels,
    ledger_office,  # noqa: F811
    page,
    phone_page,
):
    os.makedirs(SHOTS, exist_ok=True)
    login(page, "intake_a")
    page.goto("/leads/import/")
    assert page.locator("#import-template").is_visible()
    page.set_input_files(
        "#id_file",
        {
            "name": "甲区台账.xlsx",
            "mimeType": XLSX,
            "buffer": real_ledger_xlsx(timezone.localdate()),
        },
    )
    with page.expect_navigation():
        page.click("#import-upload")
    page.wait_for_selector("#import-confirm")
    assert page.locator("#import-status").inner_text() == "待确认"
    mapping = page.locator("#import-mapping").inner_text()
    assert "办结时限" in mapping and "办理期限" in mapping
    assert "序号" in page.locator("#import-unrecognised").inner_text()
    remaps = page.locator("#import-remaps").inner_text()
    assert "信访件" in remaps and "举报信箱" in remaps and "未办理" in remaps
    assert "承办人不在干警名册中" in page.locator("#import-rows").inner_text()
    assert "填表人" in page.locator("#import-footer").inner_text()
    assert Lead.objects.count() == 0
    assert _no_overflow(page)
    page.screenshot(path=f"{SHOTS}/import-preview-1366.png", full_page=True)

    login(phone_page, "intake_a")
    phone_page.goto(page.url)
    phone_page.wait_for_selector("#import-confirm")
    assert _no_overflow(phone_page)
    phone_page.screenshot(path=f"{SHOTS}/import-preview-390.png", full_page=True)

    with page.expect_navigation():
        page.click("#import-confirm")
    page.wait_for_selector("#import-result")
    assert page.locator("#import-status").inner_text() == "已完成"
    assert page.locator("#import-result dd").first.inner_text() == "5"
    assert Lead.objects.count() == 5
    page.screenshot(path=f"{SHOTS}/import-done-1366.png", full_page=True)
