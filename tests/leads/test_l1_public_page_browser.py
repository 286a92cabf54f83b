"""The public page in a browser at 1366×768 and 390×844: nothing preselected, the receipt
shown once after a redirect, a refresh shows a notice (no re-post, no error), a public
footer; and the ledger's ⓘ opens each figure's definition with a tap."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache

from leads import services
from leads.models import Lead
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/leads-shots"


def _no_overflow(page) -> bool:
    # clientWidth, not innerWidth: on a phone the layout viewport grows with the content.
    width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    return page.evaluate(width) <= 0


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_l1_public_report_receipt_once_and_refresh_shows_a_notice(org, viewport, request):
    os.makedirs(SHOTS, exist_ok=True)
    cache.clear()
    page = request.getfixturevalue(viewport)
    page.goto("/leads/report/")
    assert page.locator("#id_category").input_value() == ""
    assert "内部工作平台" not in page.locator("footer").inner_text()
    page.select_option("#id_office", label=org.office_a.name)
    page.select_option("#id_category", "umbrella")
    page.fill("#id_summary", "钱某长期为某涉黑团伙通风报信，收受好处费")
    with page.expect_navigation():
        page.click("#public-report button[type=submit]")
    assert page.url.endswith("/leads/report/receipt/")
    code = page.locator("#receipt-code").inner_text().strip()
    assert len(code.replace("-", "")) == 20 and code not in page.url
    assert _no_overflow(page)
    page.screenshot(path=f"{SHOTS}/receipt-{viewport}.png", full_page=True)
    page.reload()
    assert page.locator("#receipt-code").count() == 0
    assert "只在提交后显示一次" in page.locator("#receipt-shown").inner_text()
    assert Lead.objects.count() == 1  # the refresh did not post again
    assert services.lead_for_receipt(code) is not None


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_l5_ledger_figure_definitions_open_with_a_tap(org, assigned, viewport, request):
    page = request.getfixturevalue(viewport)
    assigned()
    login(page, "office_a")
    page.goto("/leads/")
    info = page.locator("#fig-closure_rate .ld-info")
    assert not info.locator(".ld-info-text").is_visible()
    info.locator("summary").click()
    assert "办结 ÷ 受理" in info.locator(".ld-info-text").inner_text()
    assert _no_overflow(page)
    page.screenshot(path=f"{SHOTS}/ledger-info-{viewport}.png", full_page=True)
